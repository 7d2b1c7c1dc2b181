/**
 * NestJS scenarios, run in a child `node` process as ESM: NestJS 12 ships ESM only and jest (on
 * Node 20) cannot load it. `test/helpers/esm-scenarios.ts` transpiles this file to ESM with imports
 * pointed at the built dist/esm, runs every scenario and hands the observations to the jest tests
 * (ip-interface-module.test.ts), which hold the expectations. Written in TypeScript with decorators, as a NestJS user writes it (`tsc -p .` checks it).
 */
import 'reflect-metadata';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Inject, Injectable, Module, Sse, type MessageEvent } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { firstValueFrom, map, skip, take, toArray, type Observable } from 'rxjs';
import {
  AF_INET,
  AF_INET6,
  interfaceKey,
  unicastAddressKey,
  type IpInterfaceAdapter,
  type IpInterfaceChange,
  type IpInterfaceRow,
  type UnicastIpAddressChange,
  type UnicastIpAddressRow,
} from '../../../src/index';
import { IpInterfaceModule, IpInterfaceService, IP_INTERFACE_MODULE_OPTIONS, type IpInterfaceModuleOptions } from '../../../src/nestjs/index';
import { createMockAdapter, mockAddressRow, mockRow, type MockIpInterfaceAdapter } from '../../../adapters/mock/index';

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const eth2 = mockRow({ interfaceIndex: 4, interfaceName: 'eth2' });
const eth1v6 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6 });

/** A change as plain JSON (rows reduced to name and MTU: bigint does not serialize). */
const brief = (c: IpInterfaceChange): string =>
  c.kind === 'initial' ? `initial ${c.family}` : `${c.kind} ${c.row.interfaceName ?? c.row.interfaceIndex} ${c.row.family} mtu=${c.row.nlMtu}`;
const v4 = mockAddressRow({ address: '10.9.0.1', interfaceIndex: 3, interfaceName: 'eth1' });
const v4b = mockAddressRow({ address: '10.9.0.2', interfaceIndex: 3, interfaceName: 'eth1' });
const v6 = mockAddressRow({ family: AF_INET6, address: '2001:db8::1', interfaceIndex: 3, interfaceName: 'eth1', dadState: 'tentative' });
/** An address change as plain JSON. */
const briefAddress = (c: UnicastIpAddressChange): string =>
  c.kind === 'initial' ? `initial ${c.family}` : `${c.kind} ${c.row.address}/${c.row.onLinkPrefixLength} ${c.row.dadState} valid=${c.row.validLifetime}`;
const fns = (adapter: MockIpInterfaceAdapter): string[] => adapter.calls.map((c) => c.fn);
const quiet = { log() {}, error() {}, warn() {}, debug() {}, verbose() {} };

async function withModule<T>(options: IpInterfaceModuleOptions, run: (ref: TestingModule) => Promise<T> | T): Promise<T> {
  const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot(options)] }).compile();
  try {
    return await run(ref);
  } finally {
    await ref.close();
  }
}

@Injectable()
class NetConfig {
  readonly adapter = createMockAdapter();
  create(): IpInterfaceModuleOptions {
    return { adapter: this.adapter, family: AF_INET6, initial: true };
  }
}
@Module({ providers: [NetConfig], exports: [NetConfig] })
class NetConfigModule {}

@Injectable()
class Consumer {
  constructor(readonly ip: IpInterfaceService) {}
}
@Module({ providers: [Consumer] })
class FeatureModule {}

@Controller('network')
class NetworkController {
  constructor(@Inject(IpInterfaceService) private readonly ipInterfaces: IpInterfaceService) {}

  @Sse('changes')
  changes(): Observable<MessageEvent> {
    return this.ipInterfaces.changes$.pipe(map((change) => ({ type: change.kind, data: brief(change) })));
  }
}

/** Reads server-sent events from a live response, resolving each `next()` with the next event. */
function sseReader(res: IncomingMessage): { next(): Promise<{ event?: string; data?: string }> } {
  const events: { event?: string; data?: string }[] = [];
  const waiting: ((e: { event?: string; data?: string }) => void)[] = [];
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: { event?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).trimStart();
        if (field === 'event' || field === 'data') event[field] = value;
      }
      if (event.data === undefined) continue;
      const resolve = waiting.shift();
      if (resolve) resolve(event);
      else events.push(event);
    }
  });
  return {
    next: () => {
      const e = events.shift();
      return e ? Promise.resolve(e) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** Every scenario returns plain JSON observations; the expectations live in the jest test. */
export const scenarios: Record<string, () => Promise<unknown>> = {
  async sharedChanges() {
    const adapter = createMockAdapter();
    return withModule({ family: AF_INET, initial: true, adapter }, (ref) => {
      const service = ref.get(IpInterfaceService);
      const callsBeforeSubscribe = adapter.calls.length;
      const first: string[] = [];
      const late: string[] = [];
      const a = service.changes$.subscribe((c) => first.push(brief(c)));
      const b = service.changes$.subscribe((c) => late.push(brief(c)));
      const activeWithTwo = adapter.active;
      adapter.emit({ kind: 'added', row: eth1 });
      adapter.emit({ kind: 'added', row: eth1v6 }); // another family
      a.unsubscribe();
      const activeWithOne = adapter.active;
      b.unsubscribe();
      return { callsBeforeSubscribe, activeWithTwo, activeWithOne, activeAfterAll: adapter.active, first, late, calls: fns(adapter) };
    });
  },

  async resubscribe() {
    const adapter = createMockAdapter();
    return withModule({ adapter, initial: true }, (ref) => {
      const service = ref.get(IpInterfaceService);
      service.changes$.subscribe().unsubscribe();
      const kinds: string[] = [];
      const s = service.changes$.subscribe((c) => kinds.push(c.kind));
      const active = adapter.active;
      s.unsubscribe();
      return { kinds, active, activeAfter: adapter.active, calls: fns(adapter) };
    });
  },

  async defaults() {
    const adapter = createMockAdapter();
    return withModule({ adapter }, (ref) => {
      const got: string[] = [];
      const s = ref.get(IpInterfaceService).changes$.subscribe((c) => got.push(brief(c)));
      adapter.emit({ kind: 'added', row: eth1 });
      adapter.emit({ kind: 'added', row: eth1v6 });
      s.unsubscribe();
      const registration = adapter.calls[0];
      return { got, family: registration?.fn === 'NotifyIpInterfaceChange' ? registration.family : undefined, initial: registration?.fn === 'NotifyIpInterfaceChange' ? registration.initial : undefined };
    });
  },

  async debounce() {
    const adapter = createMockAdapter();
    return withModule({ adapter, family: AF_INET, debounceMs: 20 }, async (ref) => {
      const got = firstValueFrom(ref.get(IpInterfaceService).changes$.pipe(take(2), toArray()));
      adapter.emit({ kind: 'added', row: eth1 });
      adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
      adapter.emit({ kind: 'added', row: eth2 });
      adapter.emit({ kind: 'removed', row: eth2 });
      adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 9000 } });
      setTimeout(() => adapter.emit({ kind: 'removed', row: eth1 }), 60);
      return { got: (await got).map(brief), activeAfter: adapter.active };
    });
  },

  async registrationFailure() {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_SUPPORTED', 50);
    return withModule({ adapter }, async (ref) => {
      const error = await firstValueFrom(ref.get(IpInterfaceService).changes$).then(
        () => undefined,
        (e: { name: string; code: string; osCode: number }) => ({ name: e.name, code: e.code, osCode: e.osCode }),
      );
      return { error, active: adapter.active };
    });
  },

  async table() {
    const adapter = createMockAdapter({ table: [eth1] });
    return withModule({ adapter, family: AF_INET }, async (ref) => {
      const service = ref.get(IpInterfaceService);
      const names = (t: ReadonlyMap<string, IpInterfaceRow>): string[] => [...t.values()].map((r) => r.interfaceName ?? '?');
      const tables: string[][] = [];
      const a = service.table$.subscribe((t) => tables.push(names(t)));
      const firstKeys = [...(await firstValueFrom(service.table$)).keys()];
      adapter.emit({ kind: 'added', row: eth2 });
      let late: string[] | undefined;
      const b = service.table$.subscribe((t) => (late = names(t)));
      const active = adapter.active;
      a.unsubscribe();
      b.unsubscribe();
      return { firstKeysMatch: firstKeys.length === 1 && firstKeys[0] === interfaceKey(eth1), tables, late, active, activeAfter: adapter.active };
    });
  },

  async moduleClose() {
    const adapter = createMockAdapter();
    const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot({ adapter })] }).compile();
    const service = ref.get(IpInterfaceService);
    const completed: string[] = [];
    service.changes$.subscribe({ complete: () => completed.push('changes$') });
    service.table$.subscribe({ complete: () => completed.push('table$') });
    await firstValueFrom(service.table$);
    const activeBefore = adapter.active;
    await ref.close();
    const activeAfter = adapter.active;
    let lateCompleted = false;
    service.changes$.subscribe({ complete: () => (lateCompleted = true) });
    return { activeBefore, activeAfter, completed: completed.sort(), lateCompleted, registrations: fns(adapter).filter((f) => f === 'NotifyIpInterfaceChange').length };
  },

  async forRootAsyncFactory() {
    const ref = await Test.createTestingModule({
      imports: [
        IpInterfaceModule.forRootAsync({
          imports: [NetConfigModule],
          inject: [NetConfig],
          useFactory: async (config: NetConfig) => config.create(),
        }),
      ],
    }).compile();
    try {
      const adapter = ref.get(NetConfig, { strict: false }).adapter;
      const first = brief(await firstValueFrom(ref.get(IpInterfaceService).changes$));
      return { first, calls: fns(adapter), active: adapter.active };
    } finally {
      await ref.close();
    }
  },

  async forRootAsyncClass() {
    const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRootAsync({ useClass: NetConfig })] }).compile();
    try {
      const options = ref.get<IpInterfaceModuleOptions>(IP_INTERFACE_MODULE_OPTIONS, { strict: false });
      const adapter = options.adapter as MockIpInterfaceAdapter;
      const next = firstValueFrom(ref.get(IpInterfaceService).changes$.pipe(skip(1)));
      adapter.emit({ kind: 'changed', row: eth1v6 });
      return { family: options.family, next: brief(await next) };
    } finally {
      await ref.close();
    }
  },

  async isGlobal() {
    const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot({ adapter: createMockAdapter(), isGlobal: true }), FeatureModule] }).compile();
    try {
      return { sameService: ref.get(Consumer, { strict: false }).ip === ref.get(IpInterfaceService) };
    } finally {
      await ref.close();
    }
  },

  async notGlobalByDefault() {
    const error = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot({ adapter: createMockAdapter() }), FeatureModule] })
      .setLogger(quiet)
      .compile()
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    return { failed: error !== undefined, mentionsService: /IpInterfaceService/.test(error ?? '') };
  },

  async addressChanges() {
    const adapter = createMockAdapter();
    return withModule({ family: AF_INET, initial: true, adapter }, (ref) => {
      const service = ref.get(IpInterfaceService);
      const callsBeforeSubscribe = adapter.calls.length;
      const first: string[] = [];
      const late: string[] = [];
      const a = service.addressChanges$.subscribe((c) => first.push(briefAddress(c)));
      const b = service.addressChanges$.subscribe((c) => late.push(briefAddress(c)));
      const activeWithTwo = adapter.active;
      adapter.emitAddress({ kind: 'added', row: v4 });
      adapter.emitAddress({ kind: 'added', row: v6 }); // another family
      adapter.emitAddress({ kind: 'changed', row: { ...v4, validLifetime: 3600 } }); // lifetime-only: dropped by default
      adapter.emitAddress({ kind: 'changed', row: { ...v4, validLifetime: 3600, dadState: 'deprecated' } });
      a.unsubscribe();
      b.unsubscribe();
      return { callsBeforeSubscribe, activeWithTwo, activeAfterAll: adapter.active, first, late, calls: fns(adapter) };
    });
  },

  async addressLifetimeUpdates() {
    const adapter = createMockAdapter({ addressTable: [v6] });
    return withModule({ adapter, lifetimeUpdates: true }, (ref) => {
      const got: string[] = [];
      const s = ref.get(IpInterfaceService).addressChanges$.subscribe((c) => got.push(briefAddress(c)));
      adapter.emitAddress({ kind: 'changed', row: { ...v6, validLifetime: 7200 } });
      s.unsubscribe();
      const registration = adapter.calls[0];
      return { got, family: registration?.fn === 'NotifyUnicastIpAddressChange' ? registration.family : undefined };
    });
  },

  async addressDebounce() {
    const adapter = createMockAdapter();
    return withModule({ adapter, family: AF_INET6, debounceMs: 20 }, async (ref) => {
      const got = firstValueFrom(ref.get(IpInterfaceService).addressChanges$.pipe(take(2), toArray()));
      // DAD: tentative then preferred within the quiet time -> one added (preferred); a short-lived address nets out.
      adapter.emitAddress({ kind: 'added', row: v6 });
      adapter.emitAddress({ kind: 'changed', row: { ...v6, dadState: 'preferred' } });
      const brief6 = mockAddressRow({ family: AF_INET6, address: '2001:db8::9', interfaceIndex: 3 });
      adapter.emitAddress({ kind: 'added', row: brief6 });
      adapter.emitAddress({ kind: 'removed', row: brief6 });
      setTimeout(() => adapter.emitAddress({ kind: 'removed', row: { ...v6, dadState: 'preferred' } }), 60);
      return { got: (await got).map(briefAddress), activeAfter: adapter.active };
    });
  },

  async addressTable() {
    const adapter = createMockAdapter({ addressTable: [v4] });
    return withModule({ adapter, family: AF_INET }, async (ref) => {
      const service = ref.get(IpInterfaceService);
      // Sorted: the persistent map's iteration order is not insertion order.
      const addresses = (t: ReadonlyMap<string, UnicastIpAddressRow>): string[] => [...t.values()].map((r) => r.address).sort();
      const tables: string[][] = [];
      const a = service.addressTable$.subscribe((t) => tables.push(addresses(t)));
      const firstKeys = [...(await firstValueFrom(service.addressTable$)).keys()];
      adapter.emitAddress({ kind: 'added', row: v4b });
      let late: string[] | undefined;
      const b = service.addressTable$.subscribe((t) => (late = addresses(t)));
      const active = adapter.active;
      a.unsubscribe();
      b.unsubscribe();
      return { firstKeysMatch: firstKeys.length === 1 && firstKeys[0] === unicastAddressKey(v4), tables, late, active, activeAfter: adapter.active };
    });
  },

  async addressModuleClose() {
    const adapter = createMockAdapter();
    const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot({ adapter })] }).compile();
    const service = ref.get(IpInterfaceService);
    const completed: string[] = [];
    service.addressChanges$.subscribe({ complete: () => completed.push('addressChanges$') });
    service.addressTable$.subscribe({ complete: () => completed.push('addressTable$') });
    await firstValueFrom(service.addressTable$);
    const activeBefore = adapter.active;
    await ref.close();
    const activeAfter = adapter.active;
    let lateCompleted = false;
    service.addressChanges$.subscribe({ complete: () => (lateCompleted = true) });
    return { activeBefore, activeAfter, completed: completed.sort(), lateCompleted, registrations: fns(adapter).filter((f) => f === 'NotifyUnicastIpAddressChange').length };
  },

  async addressNotSupported() {
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'interfaces-only',
      notifyIpInterfaceChange: (f, cb, i) => mock.notifyIpInterfaceChange(f, cb, i),
      cancelMibChangeNotify2: (h) => mock.cancelMibChangeNotify2(h),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
    };
    return withModule({ adapter: interfacesOnly, initial: true }, async (ref) => {
      const service = ref.get(IpInterfaceService);
      const code = (e: { code?: string }): string | undefined => e.code;
      const changesError = await firstValueFrom(service.addressChanges$).then(() => undefined, code);
      const tableError = await firstValueFrom(service.addressTable$).then(() => undefined, code);
      const interfaces = brief(await firstValueFrom(service.changes$));
      return { changesError, tableError, interfaces, calls: fns(mock) };
    });
  },

  /** End to end: a real Nest app on 127.0.0.1 streams changes over SSE to a node:http client. */
  async sse() {
    const adapter = createMockAdapter();
    @Module({ imports: [IpInterfaceModule.forRoot({ adapter, family: AF_INET, initial: true })], controllers: [NetworkController] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const req = request({ host: '127.0.0.1', port, path: '/network/changes', headers: { accept: 'text/event-stream' } });
      const res = await new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject).end());
      const events = sseReader(res);
      const received = [await events.next()]; // the initial marker: the registration is live
      const activeWhileOpen = adapter.active;
      adapter.emit({ kind: 'added', row: eth1 });
      adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
      received.push(await events.next(), await events.next());
      req.destroy(); // the client goes away
      const released = await until(() => adapter.active === 0, 5000);
      return {
        status: res.statusCode,
        contentType: res.headers['content-type'],
        received,
        activeWhileOpen,
        released,
        activeAfterClose: adapter.active,
        calls: fns(adapter),
      };
    } finally {
      await app.close();
    }
  },
};
