import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { distEsm, root, runEsmScenarios } from '../../helpers/esm-scenarios';

/** NestJS 12 ships ESM only, which jest on Node 20 cannot load: the scenarios run in a child process. */
const runNestScenarios = (): Record<string, unknown> => runEsmScenarios(join(__dirname, 'nest-scenarios.ts'), { requires: 'src/nestjs/index.js' });

describe('IpInterfaceModule (NestJS, run as ESM in a child process)', () => {
  let observed: Record<string, unknown>;
  beforeAll(() => {
    observed = runNestScenarios();
  }, 60_000);

  it('changes$: one shared registration for every consumer, made on first subscribe; a late consumer gets no initial marker', () => {
    expect(observed.sharedChanges).toEqual({
      callsBeforeSubscribe: 0,
      activeWithTwo: 1,
      activeWithOne: 1,
      activeAfterAll: 0,
      first: ['initial inet', 'added eth1 inet mtu=1500'],
      late: ['added eth1 inet mtu=1500'],
      calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2'],
    });
  });

  it('changes$: registers again for a consumer arriving after everyone left', () => {
    expect(observed.resubscribe).toEqual({
      kinds: ['initial'],
      active: 1,
      activeAfter: 0,
      calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2', 'NotifyIpInterfaceChange', 'CancelMibChangeNotify2'],
    });
  });

  it('defaults to AF_UNSPEC without the initial marker', () => {
    expect(observed.defaults).toEqual({ got: ['added eth1 inet mtu=1500', 'added eth1 inet6 mtu=1500'], family: 'unspec', initial: false });
  });

  it('debounceMs applies debounceInterfaceChanges: the net effect of each burst per interface', () => {
    // eth1: added, changed, changed -> added with the last row; eth2: added then removed -> nothing.
    expect(observed.debounce).toEqual({ got: ['added eth1 inet mtu=9000', 'removed eth1 inet mtu=1500'], activeAfter: 0 });
  });

  it('a failed registration reaches consumers as the adapter error, nothing left registered', () => {
    expect(observed.registrationFailure).toEqual({ error: { name: 'IpInterfaceError', code: 'NOT_SUPPORTED', osCode: 50 }, active: 0 });
  });

  it('table$: the live table from one shared registration; a late consumer gets the latest table at once', () => {
    expect(observed.table).toEqual({ firstKeysMatch: true, tables: [['eth1'], ['eth1', 'eth2']], late: ['eth1', 'eth2'], active: 1, activeAfter: 0 });
  });

  it('closing the module releases every registration, completes consumers, and registers nothing afterwards', () => {
    expect(observed.moduleClose).toEqual({ activeBefore: 2, activeAfter: 0, completed: ['changes$', 'table$'], lateCompleted: true, registrations: 2 });
  });

  it('addressChanges$: one shared registration (NotifyUnicastIpAddressChange) for the family, made on first subscribe; lifetime-only updates dropped', () => {
    expect(observed.addressChanges).toEqual({
      callsBeforeSubscribe: 0,
      activeWithTwo: 1,
      activeAfterAll: 0,
      first: ['initial inet', 'added 10.9.0.1/24 preferred valid=4294967295', 'changed 10.9.0.1/24 deprecated valid=3600'],
      late: ['added 10.9.0.1/24 preferred valid=4294967295', 'changed 10.9.0.1/24 deprecated valid=3600'],
      calls: ['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2'],
    });
  });

  it('addressChanges$ with lifetimeUpdates: true emits the lifetime-only updates; family defaults to AF_UNSPEC', () => {
    expect(observed.addressLifetimeUpdates).toEqual({ got: ['changed 2001:db8::1/64 tentative valid=7200'], family: 'unspec' });
  });

  it('debounceMs applies debounceAddressChanges to addressChanges$: the net effect per address', () => {
    expect(observed.addressDebounce).toEqual({ got: ['added 2001:db8::1/64 preferred valid=4294967295', 'removed 2001:db8::1/64 preferred valid=4294967295'], activeAfter: 0 });
  });

  it('addressTable$: the live address table from one shared registration; a late consumer gets the latest table at once', () => {
    expect(observed.addressTable).toEqual({ firstKeysMatch: true, tables: [['10.9.0.1'], ['10.9.0.1', '10.9.0.2']], late: ['10.9.0.1', '10.9.0.2'], active: 1, activeAfter: 0 });
  });

  it('closing the module releases the address registrations and completes their consumers', () => {
    expect(observed.addressModuleClose).toEqual({ activeBefore: 2, activeAfter: 0, completed: ['addressChanges$', 'addressTable$'], lateCompleted: true, registrations: 2 });
  });

  it('an adapter without the address half: the address streams error with NOT_SUPPORTED, the interface streams still work', () => {
    expect(observed.addressNotSupported).toEqual({ changesError: 'NOT_SUPPORTED', tableError: 'NOT_SUPPORTED', interfaces: 'initial unspec', calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2'] });
  });

  it('forRootAsync with useFactory + inject + imports', () => {
    expect(observed.forRootAsyncFactory).toEqual({ first: 'initial inet6', calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2'], active: 0 });
  });

  it('forRootAsync with useClass (create()); options injectable under IP_INTERFACE_MODULE_OPTIONS', () => {
    expect(observed.forRootAsyncClass).toEqual({ family: 'inet6', next: 'changed eth1 inet6 mtu=1500' });
  });

  it('isGlobal: true makes the service injectable without importing the module; not global by default', () => {
    expect(observed.isGlobal).toEqual({ sameService: true });
    expect(observed.notGlobalByDefault).toEqual({ failed: true, mentionsService: true });
  });

  it('end to end: an @Sse() endpoint on 127.0.0.1 streams changes to a node:http client; closing the request releases the registration', () => {
    expect(observed.sse).toEqual({
      status: 200,
      contentType: 'text/event-stream',
      received: [
        { event: 'initial', data: 'initial inet' },
        { event: 'added', data: 'added eth1 inet mtu=1500' },
        { event: 'changed', data: 'changed eth1 inet mtu=1400' },
      ],
      activeWhileOpen: 1,
      released: true,
      activeAfterClose: 0,
      calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2'],
    });
  });
});

describe('rxjs-ip-interface/nestjs entry points', () => {
  const exported = ['IP_INTERFACE_MODULE_OPTIONS', 'IpInterfaceModule', 'IpInterfaceService'];

  it('loads with require (dist/cjs), loading no native code', () => {
    const script = `
      const names = Object.keys(require(${JSON.stringify(join(root, 'dist/cjs/src/nestjs/index.js'))})).sort();
      const koffiLoaded = Object.keys(require.cache).some((k) => k.includes('koffi'));
      console.log(JSON.stringify({ names, koffiLoaded }));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ names: exported, koffiLoaded: false });
  });

  it('loads with import (dist/esm)', () => {
    const url = JSON.stringify(`file://${join(distEsm, 'src/nestjs/index.js')}`);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${url}); console.log(JSON.stringify(Object.keys(m).sort()))`], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(exported);
  });
});
