import fs from 'node:fs';
import koffi from 'koffi';
import { firstValueFrom } from 'rxjs';
import type { IpInterfaceChangeCallback, MibNotificationType, SettledRegistration } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { offloadFlagsFromByte } from '../../../src/ip-interface-row';
import { ipInterfaceChanges$ } from '../../../src/ip-interface-changes';
import { windowsAdapter, type WindowsIpInterfaceAdapter } from '../../../adapters/windows';
import { familyFromNative } from '../../../adapters/windows/native-family';
import { CALL_RESERVE } from '../../../adapters/windows/native-call-budget';
import { errorCodeOfWin32, win32Error } from '../../../adapters/windows/win32-error';
import { rejection } from '../../helpers/rejection';
import { sleep, waitFor } from '../../helpers/wait-for';
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { expectedFakeRow, FAKE_FUNCTION, FAKE_INTERFACES, FAKE_OPTION, fakeControls, fakeLuid, fakeName, MIB, NATIVE, type FakeControls } from './fake-controls';

let dir = '';
let full: FakeControls;
let minimal: FakeControls;
const adapters: WindowsIpInterfaceAdapter[] = [];

beforeAll(() => {
  dir = makeTempDir('win-unit');
  full = fakeControls(buildFakeSharedObject(dir, 'full'));
  minimal = fakeControls(buildFakeSharedObject(dir, 'minimal'));
});
beforeEach(() => {
  full.reset();
  minimal.reset();
});
afterEach(async () => {
  // Every test leaves nothing behind, natively or in the adapter; dispose anyway so that a failed
  // test cannot keep jest alive through the adapter's keep-alive timer.
  const left = adapters.map((a) => a.diagnostics().liveRegistrations);
  const native = [full.liveRegistrations(), minimal.liveRegistrations()];
  full.reset(); // releases a register a failed test left held
  minimal.reset();
  for (const a of adapters.splice(0)) await a.dispose();
  await full.cancelAll();
  await minimal.cancelAll();
  expect(left.every((n) => n === 0)).toBe(true);
  expect(native).toEqual([0, 0]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function adapterOver(controls: FakeControls): WindowsIpInterfaceAdapter {
  const adapter = windowsAdapter({ library: controls.path, messageLibrary: controls.path });
  adapters.push(adapter);
  return adapter;
}

function recorder(): { callback: IpInterfaceChangeCallback; calls: { row: IpInterfaceRow | null; type: MibNotificationType }[] } {
  const calls: { row: IpInterfaceRow | null; type: MibNotificationType }[] = [];
  return { calls, callback: (row, type) => calls.push({ row, type }) };
}

describe('windowsAdapter: loading', () => {
  it('creating the adapter loads no native code; first use does', async () => {
    let imported = 0;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('koffi', () => {
        imported++;
        return jest.requireActual('koffi');
      });
      const isolated = await import('../../../adapters/windows/index.js');
      const adapter = isolated.windowsAdapter({ library: full.path, messageLibrary: full.path });
      expect(adapter.name).toBe('windows');
      expect(adapter.diagnostics()).toMatchObject({ loaded: false, optionalFunctions: [], liveRegistrations: 0 });
      expect(imported).toBe(0);
      await adapter.getIpInterfaceTable('inet');
      expect(imported).toBe(1);
      expect(adapter.diagnostics().loaded).toBe(true);
    });
  });

  it('the default library on Linux fails with NATIVE_LOAD_FAILED naming iphlpapi.dll, and is retried on next use', async () => {
    const adapter = windowsAdapter();
    for (let i = 0; i < 2; i++) {
      const error = await rejection(adapter.getIpInterfaceTable('inet'));
      expect(error.code).toBe('NATIVE_LOAD_FAILED');
      expect(error.adapter).toBe('windows');
      expect(error.message).toContain('iphlpapi.dll');
      expect(error.message).toContain('koffi');
    }
    const registration = await rejection(adapter.notifyIpInterfaceChange('inet', () => undefined, true));
    expect(registration.code).toBe('NATIVE_LOAD_FAILED');
    expect(adapter.diagnostics()).toMatchObject({ loaded: false, registeredCallbacks: 0, liveRegistrations: 0 });
  });

  it('a library without NotifyIpInterfaceChange / CancelMibChangeNotify2 fails with NATIVE_LOAD_FAILED naming them', async () => {
    const error = await rejection(windowsAdapter({ library: 'libc.so.6' }).getIpInterfaceTable('inet'));
    expect(error.code).toBe('NATIVE_LOAD_FAILED');
    expect(error.message).toBe('libc.so.6 does not export NotifyIpInterfaceChange and CancelMibChangeNotify2');
  });

  it('binds the optional functions that exist: all of them in the full fake, none in the minimal one', async () => {
    const a = adapterOver(full);
    await a.getIpInterfaceTable('inet');
    expect([...a.diagnostics().optionalFunctions].sort()).toEqual(
      [
        'ConvertInterfaceLuidToNameW', 'FormatMessageW', 'FreeMibTable', 'GetIpInterfaceEntry', 'GetIpInterfaceTable', 'InitializeIpInterfaceEntry',
        // The address and route halves (windows-adapter.address-route.test.ts).
        'NotifyUnicastIpAddressChange', 'GetUnicastIpAddressEntry', 'GetUnicastIpAddressTable', 'NotifyRouteChange2', 'GetIpForwardEntry2', 'GetIpForwardTable2', 'GetBestRoute2',
      ].sort(),
    );
    const m = adapterOver(minimal);
    const error = await rejection(m.getIpInterfaceTable('inet'));
    expect(error.code).toBe('NOT_SUPPORTED');
    expect(m.diagnostics()).toMatchObject({ loaded: true, optionalFunctions: [] });
  });
});

describe('windowsAdapter: MIB_IPINTERFACE_ROW decoding', () => {
  it('GetIpInterfaceTable rows decode every field exactly (LUIDs above and below 2^53, uint32 max MTU, enums, offload flags, names)', async () => {
    const rows = await adapterOver(full).getIpInterfaceTable('unspec');
    const expected = FAKE_INTERFACES.flatMap((index) => [expectedFakeRow(index, 'inet'), expectedFakeRow(index, 'inet6')]);
    expect(rows).toEqual(expected);
    expect(rows.find((r) => r.interfaceIndex === 1)!.nlMtu).toBe(4294967295);
    expect(fakeLuid(3) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true); // koffi hands this one over as a BigInt
    expect(fakeLuid(2) < BigInt(Number.MAX_SAFE_INTEGER)).toBe(true); // and this one as a Number
    expect(full.outstandingTables()).toBe(0); // FreeMibTable was called
  });

  it('agrees with a byte-level decode of the fixture at the reference offsets', async () => {
    const rows = await adapterOver(full).getIpInterfaceTable('unspec');
    for (const row of rows) {
      const b = full.rowBytes(row.family === 'inet' ? NATIVE.inet : NATIVE.inet6, row.interfaceIndex);
      const bool = (offset: number): boolean => b.readUInt8(offset) !== 0;
      expect(b.length).toBe(168);
      expect(b.readUInt16LE(0)).toBe(row.family === 'inet' ? 2 : 23);
      expect(b.readBigUInt64LE(8)).toBe(row.interfaceLuid);
      expect(b.readUInt32LE(16)).toBe(row.interfaceIndex);
      expect(b.readUInt32LE(20)).toBe(row.maxReassemblySize);
      expect(b.readBigUInt64LE(24)).toBe(row.interfaceIdentifier);
      expect([b.readUInt32LE(32), b.readUInt32LE(36)]).toEqual([row.minRouterAdvertisementInterval, row.maxRouterAdvertisementInterval]);
      expect([40, 41, 42, 43, 44, 45, 46, 47, 48].map(bool)).toEqual([
        row.advertisingEnabled, row.forwardingEnabled, row.weakHostSend, row.weakHostReceive, row.useAutomaticMetric,
        row.useNeighborUnreachabilityDetection, row.managedAddressConfigurationSupported, row.otherStatefulConfigurationSupported,
        row.advertiseDefaultRoute,
      ]);
      expect(['disabled', 'enabled', 'dhcp'][b.readInt32LE(52)] ?? 'unchanged').toBe(row.routerDiscoveryBehavior);
      expect([56, 60, 64, 68].map((o) => b.readUInt32LE(o))).toEqual([row.dadTransmits, row.baseReachableTime, row.retransmitTime, row.pathMtuDiscoveryTimeout]);
      expect(['alwaysOff', 'delayed', 'alwaysOn'][b.readInt32LE(72)] ?? 'unchanged').toBe(row.linkLocalAddressBehavior);
      expect(b.readUInt32LE(76)).toBe(row.linkLocalAddressTimeout);
      expect(Array.from({ length: 16 }, (_, i) => b.readUInt32LE(80 + 4 * i))).toEqual(row.zoneIndices);
      expect([144, 148, 152, 160].map((o) => b.readUInt32LE(o))).toEqual([row.sitePrefixLength, row.metric, row.nlMtu, row.reachableTime]);
      expect([156, 157, 158, 159, 166].map(bool)).toEqual([
        row.connected, row.supportsWakeUpPatterns, row.supportsNeighborDiscovery, row.supportsRouterDiscovery, row.disableDefaultRoutes,
      ]);
      expect(offloadFlagsFromByte(b.readUInt8(164))).toEqual(row.transmitOffload);
      expect(offloadFlagsFromByte(b.readUInt8(165))).toEqual(row.receiveOffload);
    }
  });

  it('maps native families 2 and 23 only (Linux AF_INET6 10 is not Windows AF_INET6)', () => {
    expect([0, 2, 10, 23].map(familyFromNative)).toEqual([undefined, 'inet', undefined, 'inet6']);
  });

  it('GetIpInterfaceTable per family returns only that family', async () => {
    const adapter = adapterOver(full);
    expect((await adapter.getIpInterfaceTable('inet6')).map((r) => r.family)).toEqual(['inet6', 'inet6', 'inet6']);
    expect((await adapter.getIpInterfaceTable('inet')).map((r) => r.interfaceIndex)).toEqual([1, 2, 3]);
  });
});

describe('windowsAdapter: notifications', () => {
  it('a parameter notification (sparse, as Windows delivers it) is refreshed with GetIpInterfaceEntry into the full row', async () => {
    const adapter = adapterOver(full);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('inet', r.callback, false);
    expect(full.setMtu(NATIVE.inet, 2, 1400)).toBe(0);
    await waitFor(() => r.calls.length > 0, 'the row', 3000);
    expect(r.calls).toEqual([{ type: 'parameter', row: expectedFakeRow(2, 'inet', { nlMtu: 1400 }) }]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('add gives the full row; delete gives the last row known; a delete never seen gives only the reliable fields', async () => {
    const adapter = adapterOver(full);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('inet6', r.callback, false);
    full.trigger(NATIVE.inet6, MIB.add, 7);
    await waitFor(() => r.calls.length === 1, 'the add', 3000);
    full.trigger(NATIVE.inet6, MIB.delete, 7);
    full.trigger(NATIVE.inet6, MIB.delete, 3);
    await waitFor(() => r.calls.length === 3, 'the deletes', 3000);
    expect(r.calls).toEqual([
      { type: 'add', row: expectedFakeRow(7, 'inet6') },
      { type: 'delete', row: expectedFakeRow(7, 'inet6') },
      { type: 'delete', row: { family: 'inet6', interfaceLuid: fakeLuid(3), interfaceIndex: 3, interfaceName: fakeName(3) } },
    ]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('an ERROR_NOT_FOUND race on refresh uses the last row known, else only the reliable fields', async () => {
    const adapter = adapterOver(full);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('inet', r.callback, false);
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => r.calls.length === 1, 'the first row', 3000);
    full.setOption(FAKE_OPTION.entryNotFound, 1);
    full.setMtu(NATIVE.inet, 2, 1300);
    full.setMtu(NATIVE.inet, 1, 1300);
    await waitFor(() => r.calls.length === 3, 'the raced rows', 3000);
    expect(r.calls.slice(1)).toEqual([
      { type: 'parameter', row: expectedFakeRow(2, 'inet', { nlMtu: 1400 }) },
      { type: 'parameter', row: { family: 'inet', interfaceLuid: fakeLuid(1), interfaceIndex: 1, interfaceName: fakeName(1) } },
    ]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('without GetIpInterfaceEntry or ConvertInterfaceLuidToNameW the row is emitted as delivered, without a name', async () => {
    const adapter = adapterOver(minimal);
    minimal.setOption(FAKE_OPTION.sparseRows, 0);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('unspec', r.callback, true);
    minimal.setMtu(NATIVE.inet6, 3, 9000);
    await waitFor(() => r.calls.length === 2, 'the marker and the row', 3000);
    const { interfaceName: _name, ...unnamed } = expectedFakeRow(3, 'inet6', { nlMtu: 9000 });
    expect(r.calls).toEqual([
      { type: 'initial', row: null },
      { type: 'parameter', row: unnamed },
    ]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('initial=true gives exactly one (null, "initial") first, also when a row arrived before the registration returned', async () => {
    const adapter = adapterOver(full);
    full.setOption(FAKE_OPTION.holdReturn, 1);
    const r = recorder();
    const callbacksBefore = full.stats().callbacks;
    const pending = adapter.notifyIpInterfaceChange('unspec', r.callback, true);
    // Registered natively, held before returning: a row now races the handle.
    await waitFor(() => full.liveRegistrations() === 1, 'the native registration', 3000);
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => full.stats().callbacks - callbacksBefore === 2, 'the initial and row callbacks', 3000);
    expect(r.calls).toEqual([]); // copied and queued, not delivered: the registration has not succeeded yet
    full.setOption(FAKE_OPTION.holdReturn, 0);
    const handle = await pending;
    const nativeCallbacksBeforeReturn = full.stats().callbacks - callbacksBefore;
    await waitFor(() => r.calls.length === 2, 'the row', 3000);
    expect(nativeCallbacksBeforeReturn).toBe(2); // initial + the row, both before the handle was known
    expect(r.calls).toEqual([
      { type: 'initial', row: null },
      { type: 'parameter', row: expectedFakeRow(2, 'inet', { nlMtu: 1400 }) },
    ]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('the callback runs on the JS thread after the OS callback returned, never re-entrantly', async () => {
    const adapter = adapterOver(full);
    let depth = 0;
    let maxDepth = 0;
    let rows = 0;
    const handle = await adapter.notifyIpInterfaceChange(
      'unspec',
      () => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        rows++;
        depth--;
      },
      false,
    );
    for (let i = 0; i < 50; i++) full.trigger(NATIVE.unspec, MIB.parameter, 1 + (i % 3));
    await waitFor(() => rows === 100, '100 rows', 3000);
    expect(maxDepth).toBe(1);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('holds one ref\'d timer while registrations are live and none after', async () => {
    // Identify the adapter's own timer instead of counting the process's timers: another test's
    // timer expiring between two counts made a count-based check flaky in CI.
    const setSpy = jest.spyOn(globalThis, 'setInterval');
    const clearSpy = jest.spyOn(globalThis, 'clearInterval');
    try {
      const adapter = adapterOver(full);
      const h1 = await adapter.notifyIpInterfaceChange('inet', () => undefined, false);
      const h2 = await adapter.notifyIpInterfaceChange('inet6', () => undefined, false);
      expect(setSpy).toHaveBeenCalledTimes(1);
      const timer = setSpy.mock.results[0]?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(true);
      expect(process.getActiveResourcesInfo()).toContain('Timeout');
      await adapter.cancelMibChangeNotify2(h1);
      expect(clearSpy).not.toHaveBeenCalledWith(timer);
      await adapter.cancelMibChangeNotify2(h2);
      expect(clearSpy).toHaveBeenCalledWith(timer);
      expect(setSpy).toHaveBeenCalledTimes(1);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });
});

describe('windowsAdapter: errors', () => {
  const cases: [number, IpInterfaceError['code']][] = [
    [87, 'INVALID_PARAMETER'],
    [0xc000000d, 'INVALID_PARAMETER'],
    [6, 'INVALID_HANDLE'],
    [8, 'NOT_ENOUGH_MEMORY'],
    [0xc0000017, 'NOT_ENOUGH_MEMORY'],
    [50, 'NOT_SUPPORTED'],
    [1168, 'OS_ERROR'],
    [5, 'OS_ERROR'],
  ];

  it.each(cases)('NotifyIpInterfaceChange returning %d rejects %s with osCode and the FormatMessageW text; nothing stays registered', async (status, code) => {
    const adapter = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.notify, status);
    const r = recorder();
    const error = await rejection(adapter.notifyIpInterfaceChange('unspec', r.callback, true));
    expect({ code: error.code, osCode: error.osCode, adapter: error.adapter }).toEqual({ code, osCode: status, adapter: 'windows' });
    expect(error.message).toMatch(/^NotifyIpInterfaceChange failed with /);
    expect(error.message).toContain(`fake message for ${status}.`);
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
    expect(r.calls).toEqual([]);
  });

  it('names the code when the system has no text for it; NTSTATUS in hex', () => {
    expect(win32Error('GetIpInterfaceTable', 0xc0000017).message).toBe('GetIpInterfaceTable failed with STATUS_NO_MEMORY (0xC0000017)');
    expect(win32Error('X', 1234).message).toBe('X failed with 1234');
    expect(errorCodeOfWin32(-1073741811)).toBe('INVALID_PARAMETER'); // 0xC000000D read as a signed int32
  });

  it('a code FormatMessageW has no text for keeps the plain message', async () => {
    const adapter = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.table, 0xdead);
    const error = await rejection(adapter.getIpInterfaceTable('inet'));
    expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 0xdead, message: 'GetIpInterfaceTable failed with 57005' });
  });

  it('GetIpInterfaceTable errors map the same way', async () => {
    const adapter = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.table, 8);
    expect(await rejection(adapter.getIpInterfaceTable('unspec'))).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    expect(full.outstandingTables()).toBe(0);
  });

  it('ipInterfaceChanges$ errors with the mapped IpInterfaceError', async () => {
    const adapter = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.notify, 0xc0000017);
    const error = await firstValueFrom(ipInterfaceChanges$('inet', true, { adapter })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 0xc0000017 });
  });

  it('a failed CancelMibChangeNotify2 rejects mapped, keeps the koffi callback registered (the OS may still call it) and warns', async () => {
    const adapter = adapterOver(full);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('inet', r.callback, false);
    full.setNextError(FAKE_FUNCTION.cancel, 87);
    expect(await rejection(adapter.cancelMibChangeNotify2(handle))).toMatchObject({ code: 'INVALID_PARAMETER', osCode: 87 });
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 1 });
    expect(adapter.diagnostics().warnings.join('\n')).toContain('CancelMibChangeNotify2 failed');
    expect(await rejection(adapter.cancelMibChangeNotify2(handle))).toMatchObject({ code: 'INVALID_HANDLE' });
    // Still registered natively: its notifications reach the kept callback, which ignores them.
    full.setMtu(NATIVE.inet, 2, 1400);
    await sleep(50);
    expect(r.calls).toEqual([]);
    expect(await full.cancelAll()).toBe(1);
  });

  it('dispose cancels live and still-registering registrations and releases everything', async () => {
    const adapter = adapterOver(full);
    await adapter.notifyIpInterfaceChange('inet', () => undefined, true);
    full.setOption(FAKE_OPTION.registerDelayMs, 100);
    const late = adapter.notifyIpInterfaceChange('inet6', () => undefined, true);
    await sleep(10);
    expect(adapter.diagnostics().liveRegistrations).toBe(2);
    await adapter.dispose();
    await late; // it did register, and dispose cancelled it afterwards
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
    expect(full.liveRegistrations()).toBe(0);
  });

  it('rule 10: dispose ends every live registration (also one still registering) with OS_ERROR 995, outside callbacks; ipInterfaceChanges$ errors; no cancel of the dead handles', async () => {
    const adapter = adapterOver(full);
    const ended: { error: IpInterfaceError; inside: boolean }[] = [];
    let inCallback = false;
    const callback: IpInterfaceChangeCallback = () => {
      inCallback = true;
      inCallback = false;
    };
    const onEnded = (error: IpInterfaceError): void => void ended.push({ error, inside: inCallback });
    const h1 = await adapter.notifyIpInterfaceChange('inet', callback, true, onEnded);
    const errors: unknown[] = [];
    const sub = ipInterfaceChanges$('unspec', true, { adapter }).subscribe({ error: (e) => errors.push(e) });
    full.setOption(FAKE_OPTION.registerDelayMs, 100);
    const other = adapterOver(full); // its OS registration waits 100 ms: dispose waits for it, then ends it
    const late = other.notifyIpInterfaceChange('inet6', callback, true, onEnded);
    await sleep(10);
    await Promise.all([adapter.dispose(), other.dispose()]);
    await Promise.resolve();
    expect(ended).toHaveLength(2);
    for (const { error, inside } of ended) {
      expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 995, adapter: 'windows', message: 'windows adapter ended the registration: the adapter was disposed (dispose())' });
      expect(inside).toBe(false);
    }
    expect(errors).toEqual([ended[0]!.error]); // the same error object for every registration of one dispose
    expect(sub.closed).toBe(true);
    expect(await rejection(adapter.cancelMibChangeNotify2(h1))).toMatchObject({ code: 'INVALID_HANDLE' });
    expect(await rejection(other.cancelMibChangeNotify2(await late))).toMatchObject({ code: 'INVALID_HANDLE' });
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
    expect(full.liveRegistrations()).toBe(0);
    // Still usable: a new subscription registers again, and is not ended by the earlier dispose.
    full.setOption(FAKE_OPTION.registerDelayMs, 0);
    const again: unknown[] = [];
    const sub2 = ipInterfaceChanges$('inet', true, { adapter }).subscribe({ next: (c) => again.push(c), error: (e) => again.push(e) });
    await waitFor(() => again.length > 0, 'the marker of a new subscription');
    sub2.unsubscribe();
    await waitFor(() => adapter.diagnostics().liveRegistrations === 0, 'the cancel');
    expect(again).toEqual([{ kind: 'initial', family: 'inet' }]);
    expect(ended).toHaveLength(2);
  });

  it('a forged handle or one of another adapter rejects INVALID_HANDLE without a native call', async () => {
    const a = adapterOver(full);
    const b = adapterOver(full);
    const handle = await a.notifyIpInterfaceChange('inet', () => undefined, false);
    expect(await rejection(b.cancelMibChangeNotify2(handle))).toMatchObject({ code: 'INVALID_HANDLE', osCode: 6 });
    expect(await rejection(a.cancelMibChangeNotify2({ ...handle }))).toMatchObject({ code: 'INVALID_HANDLE' });
    await a.cancelMibChangeNotify2(handle);
  });
});

describe('windowsAdapter: a NULL handle on success (Wine)', () => {
  it('stays live with its initial marker, warns once, cancels without passing NULL to CancelMibChangeNotify2', async () => {
    const adapter = adapterOver(full);
    full.setOption(FAKE_OPTION.nullHandle, 1);
    const a = recorder();
    const b = recorder();
    const ha = await adapter.notifyIpInterfaceChange('inet', a.callback, true);
    const hb = await adapter.notifyIpInterfaceChange('unspec', b.callback, true);
    expect(a.calls).toEqual([{ row: null, type: 'initial' }]);
    expect(b.calls).toEqual([{ row: null, type: 'initial' }]);
    expect(full.liveRegistrations()).toBe(0); // the "OS" registered nothing
    expect(adapter.diagnostics().liveRegistrations).toBe(2);
    expect(adapter.diagnostics().warnings).toHaveLength(1);
    expect(adapter.diagnostics().warnings[0]).toContain('NULL handle');
    // The fake answers ERROR_INVALID_HANDLE for NULL: these resolve only because NULL is not passed.
    await adapter.cancelMibChangeNotify2(ha);
    await adapter.cancelMibChangeNotify2(hb);
    expect(await rejection(adapter.cancelMibChangeNotify2(ha))).toMatchObject({ code: 'INVALID_HANDLE' });
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
  });

  it('through ipInterfaceChanges$: the marker, then silence, and a normal teardown', async () => {
    const adapter = adapterOver(full);
    full.setOption(FAKE_OPTION.nullHandle, 1);
    const seen: unknown[] = [];
    const sub = ipInterfaceChanges$('unspec', true, { adapter }).subscribe((c) => seen.push(c));
    await waitFor(() => seen.length === 1, 'the marker', 3000);
    expect(seen).toEqual([{ kind: 'initial', family: 'unspec' }]);
    sub.unsubscribe();
    await waitFor(() => adapter.diagnostics().registeredCallbacks === 0, 'the teardown', 3000);
  });
});

describe('windowsAdapter: one shared OS registration, fanned out', () => {
  it('registrations of every family share one AF_UNSPEC OS registration; rows go to their family only, refreshed once per OS callback', async () => {
    const adapter = adapterOver(full);
    const inet = recorder();
    const inet6 = recorder();
    const unspec = recorder();
    const h1 = await adapter.notifyIpInterfaceChange('inet', inet.callback, true);
    // The OS registration is live now: the next ones are live at once and say so synchronously.
    const p2: SettledRegistration = adapter.notifyIpInterfaceChange('inet6', inet6.callback, true);
    expect(p2.settledHandle).toBeDefined();
    expect(inet6.calls).toEqual([{ row: null, type: 'initial' }]);
    const h2 = await p2;
    const h3 = await adapter.notifyIpInterfaceChange('unspec', unspec.callback, false);
    expect(full.liveRegistrations()).toBe(1);
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 3, nativeRegistrations: 1, registeredCallbacks: 1, pendingNativeCalls: 0 });
    // The OS's own initial notification (asked for by the first registration) is counted once it returned.
    await waitFor(() => full.stats().callbacks > 0, 'the OS initial callback', 3000);
    await sleep(10);
    const before = full.stats();
    full.setMtu(NATIVE.inet6, 2, 1400);
    await waitFor(() => inet6.calls.length === 2 && unspec.calls.length === 1, 'the inet6 row', 3000);
    await sleep(30);
    const after = full.stats();
    expect(inet.calls).toEqual([{ row: null, type: 'initial' }]);
    expect(inet6.calls[1]).toEqual({ type: 'parameter', row: expectedFakeRow(2, 'inet6', { nlMtu: 1400 }) });
    // One OS callback, one GetIpInterfaceEntry, one name lookup, one row object for both subscribers (frozen).
    expect(unspec.calls[0]!.row).toBe(inet6.calls[1]!.row);
    expect(Object.isFrozen(unspec.calls[0]!.row)).toBe(true);
    expect(Object.isFrozen(unspec.calls[0]!.row!.zoneIndices)).toBe(true);
    expect({ callbacks: after.callbacks - before.callbacks, entry: after.entryCalls - before.entryCalls, name: after.nameCalls - before.nameCalls }).toEqual({
      callbacks: 1,
      entry: 1,
      name: 1,
    });
    full.setMtu(NATIVE.inet, 1, 1300);
    await waitFor(() => inet.calls.length === 2 && unspec.calls.length === 2, 'the inet row', 3000);
    expect(inet6.calls).toHaveLength(2);
    for (const h of [h1, h2, h3]) await adapter.cancelMibChangeNotify2(h);
  });

  it('the last cancel cancels the OS registration and only then unregisters the koffi callback; the others leave it alone', async () => {
    const adapter = adapterOver(full);
    const handles = [
      await adapter.notifyIpInterfaceChange('inet', () => undefined, true),
      await adapter.notifyIpInterfaceChange('unspec', () => undefined, false),
      await adapter.notifyIpInterfaceChange('inet6', () => undefined, true),
    ];
    full.setOption(FAKE_OPTION.cancelDelayMs, 100);
    await adapter.cancelMibChangeNotify2(handles[0]!);
    await adapter.cancelMibChangeNotify2(handles[1]!);
    expect(full.liveRegistrations()).toBe(1);
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 1, nativeRegistrations: 1, registeredCallbacks: 1 });
    const last = adapter.cancelMibChangeNotify2(handles[2]!);
    // The OS cancel is in flight (on a koffi worker thread): the callback must still be there.
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 1, nativeRegistrations: 1, registeredCallbacks: 1, pendingNativeCalls: 1 });
    await last;
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
    expect(full.liveRegistrations()).toBe(0);
  });

  it('cancelling twice rejects INVALID_HANDLE the second time and does not disturb the other registrations', async () => {
    const adapter = adapterOver(full);
    const other = recorder();
    const h1 = await adapter.notifyIpInterfaceChange('inet', () => undefined, false);
    const h2 = await adapter.notifyIpInterfaceChange('inet', other.callback, false);
    const [first, second] = await Promise.allSettled([adapter.cancelMibChangeNotify2(h1), adapter.cancelMibChangeNotify2(h1)]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_HANDLE', osCode: 6 } });
    expect(await rejection(adapter.cancelMibChangeNotify2(h1))).toMatchObject({ code: 'INVALID_HANDLE' });
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => other.calls.length === 1, 'the row for the other registration', 3000);
    await adapter.cancelMibChangeNotify2(h2);
    expect(await rejection(adapter.cancelMibChangeNotify2(h2))).toMatchObject({ code: 'INVALID_HANDLE' });
  });

  it('a registration made while the OS registration is being cancelled gets a fresh one, and its rows', async () => {
    const adapter = adapterOver(full);
    const h1 = await adapter.notifyIpInterfaceChange('inet', () => undefined, false);
    full.setOption(FAKE_OPTION.cancelDelayMs, 150);
    const cancelling = adapter.cancelMibChangeNotify2(h1);
    const r = recorder();
    const h2 = await adapter.notifyIpInterfaceChange('inet', r.callback, true);
    expect(adapter.diagnostics()).toMatchObject({ nativeRegistrations: 2, registeredCallbacks: 2, liveRegistrations: 2 }); // the first cancel still waits for its OS cancel
    await cancelling;
    expect(full.liveRegistrations()).toBe(1);
    expect(adapter.diagnostics()).toMatchObject({ nativeRegistrations: 1, registeredCallbacks: 1 });
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => r.calls.length === 2, 'the row', 3000);
    expect(r.calls.map((c) => c.type)).toEqual(['initial', 'parameter']);
    await adapter.cancelMibChangeNotify2(h2);
  });

  it('unsubscribing some subscriptions while the OS registration is still registering: they get nothing, the rest get marker and rows', async () => {
    const adapter = adapterOver(full);
    full.setOption(FAKE_OPTION.registerDelayMs, 100);
    const seen: unknown[][] = [[], [], []];
    const subs = seen.map((s, i) => ipInterfaceChanges$(i === 2 ? 'unspec' : 'inet', true, { adapter }).subscribe((c) => s.push(c.kind)));
    await waitFor(() => adapter.diagnostics().pendingNativeCalls === 1, 'the registration to be under way', 3000);
    subs[0]!.unsubscribe();
    subs[1]!.unsubscribe();
    await waitFor(() => seen[2]!.length === 1, 'the marker', 3000);
    await waitFor(() => adapter.diagnostics().liveRegistrations === 1, 'the two early cancels', 3000);
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => seen[2]!.length === 2, 'the row', 3000);
    expect(seen).toEqual([[], [], ['initial', 'changed']]);
    expect(full.stats().registrations).toBeGreaterThan(0);
    expect(full.liveRegistrations()).toBe(1);
    subs[2]!.unsubscribe();
    await waitFor(() => adapter.diagnostics().registeredCallbacks === 0 && full.liveRegistrations() === 0, 'the teardown', 3000);
  });

  it('registrations waiting for one OS registration that fails all reject with its error and leave nothing; the next one works', async () => {
    const adapter = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.notify, 8);
    const made = full.stats().registrations;
    const results = await Promise.allSettled([
      adapter.notifyIpInterfaceChange('inet', () => undefined, true),
      adapter.notifyIpInterfaceChange('inet6', () => undefined, false),
      adapter.notifyIpInterfaceChange('unspec', () => undefined, true),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as IpInterfaceError).code : 'fulfilled'))).toEqual(['NOT_ENOUGH_MEMORY', 'NOT_ENOUGH_MEMORY', 'NOT_ENOUGH_MEMORY']);
    expect(adapter.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
    expect(full.stats().registrations).toBe(made);
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('inet', r.callback, true);
    expect(r.calls).toEqual([{ row: null, type: 'initial' }]);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('dispose during the library load covers the registrations waiting for it: they end cancelled and get nothing after', async () => {
    const adapter = adapterOver(full);
    const recorders = [recorder(), recorder(), recorder()];
    const pending = recorders.map((r, i) => adapter.notifyIpInterfaceChange((['inet', 'inet6', 'unspec'] as const)[i]!, r.callback, true));
    expect(adapter.diagnostics()).toMatchObject({ loaded: false, liveRegistrations: 3 });
    await adapter.dispose();
    expect(adapter.diagnostics()).toMatchObject({ loaded: true, liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
    expect(full.liveRegistrations()).toBe(0);
    const handles = await Promise.all(pending);
    for (const h of handles) expect(await rejection(adapter.cancelMibChangeNotify2(h))).toMatchObject({ code: 'INVALID_HANDLE' });
    full.setMtu(NATIVE.inet, 2, 1400);
    await sleep(50);
    for (const r of recorders) expect(r.calls.filter((c) => c.type !== 'initial')).toEqual([]);
  });

  it("a registration koffi refuses because someone else filled its async pool waits its turn (retried), then registers", async () => {
    const adapter = adapterOver(full);
    await adapter.getIpInterfaceTable('inet'); // loaded
    // 256 calls of someone else's, outside the adapter's budget, each blocking a worker for 10 ms (koffi
    // runs .async calls on libuv's thread pool, 4 threads: about 0.7 s for all).
    // No registration is live meanwhile: a native callback with the pool full would abort the process.
    const wait = koffi.load(full.path).func('int fake_wait_in_flight(int32_t timeout_ms)');
    const others: Promise<void>[] = [];
    let refusal: unknown;
    for (let i = 0; i < 1000 && refusal === undefined; i++) {
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      try {
        wait.async(10, () => done());
        others.push(finished);
      } catch (error) {
        refusal = error;
      }
    }
    expect(others).toHaveLength(256);
    expect(String(refusal)).toContain('Too many asynchronous calls are running');
    const r = recorder();
    const pending = adapter.notifyIpInterfaceChange('inet', r.callback, false);
    await sleep(50);
    expect(adapter.diagnostics()).toMatchObject({ pendingNativeCalls: 1, nativeRegistrations: 1, liveRegistrations: 1 });
    expect(full.liveRegistrations()).toBe(0);
    await Promise.all(others);
    const handle = await pending;
    expect(full.liveRegistrations()).toBe(1);
    full.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => r.calls.length === 1, 'the row', 3000);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('OS registrations beyond the koffi async budget wait their turn instead of failing (one per adapter: about 120 adapters)', async () => {
    const first = adapterOver(full);
    const h0 = await first.notifyIpInterfaceChange('inet', () => undefined, false);
    const budget = first.diagnostics().asyncBudget!;
    // The budget is per process: an earlier test's failed cancel left its slot reserved on purpose.
    expect(budget).toMatchObject({ maxAsyncCalls: 256, capacity: 128 });
    const maxRegistrations = budget.capacity - CALL_RESERVE - budget.reservedForCallbacks; // 119 more than h0
    const reservedAtMost = budget.capacity - CALL_RESERVE;
    const baseline = budget.reservedForCallbacks - 1;
    const nativeBefore = full.liveRegistrations();
    const others = Array.from({ length: maxRegistrations + 1 }, () => adapterOver(full));
    const pending = others.map((a) => a.notifyIpInterfaceChange('unspec', () => undefined, false));
    await waitFor(() => full.liveRegistrations() === nativeBefore + maxRegistrations, `${maxRegistrations} more OS registrations`, 10000);
    await sleep(30);
    expect(full.liveRegistrations()).toBe(nativeBefore + maxRegistrations);
    expect(first.diagnostics().asyncBudget).toMatchObject({ reservedForCallbacks: reservedAtMost, registrationsQueued: 1 });
    // A table read (a call, not a registration) still goes through.
    expect(await first.getIpInterfaceTable('inet')).toHaveLength(3);
    const handles = await Promise.all(pending.slice(0, maxRegistrations));
    // One cancel frees a slot: the waiting registration goes through.
    await first.cancelMibChangeNotify2(h0);
    const lastHandle = await pending[maxRegistrations]!;
    expect(first.diagnostics().asyncBudget).toMatchObject({ reservedForCallbacks: reservedAtMost, registrationsQueued: 0 });
    await others[maxRegistrations]!.cancelMibChangeNotify2(lastHandle);
    await Promise.all(handles.map((h, i) => others[i]!.cancelMibChangeNotify2(h)));
    expect(first.diagnostics().asyncBudget).toMatchObject({ reservedForCallbacks: baseline, inFlight: 0, queued: 0 });
  }, 20000);

  it('dispose() of an adapter whose registration waits for a budget slot resolves at once: the waiter gets NOT_ENOUGH_MEMORY, nothing is registered', async () => {
    const first = adapterOver(full);
    const h0 = await first.notifyIpInterfaceChange('inet', () => undefined, false);
    const budget = first.diagnostics().asyncBudget!;
    const free = budget.capacity - CALL_RESERVE - budget.reservedForCallbacks;
    const holders = Array.from({ length: free }, () => adapterOver(full));
    const handles = await Promise.all(holders.map((a) => a.notifyIpInterfaceChange('unspec', () => undefined, false)));
    const nativeBefore = full.liveRegistrations();
    const late = adapterOver(full);
    const waiting = late.notifyIpInterfaceChange('inet', () => undefined, true);
    const outcome = waiting.then(() => 'registered', (error: unknown) => error);
    await waitFor(() => late.diagnostics().asyncBudget?.registrationsQueued === 1, 'the late registration to wait for a slot');
    const started = Date.now();
    await late.dispose();
    expect(Date.now() - started).toBeLessThan(1000);
    const error = await outcome;
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', adapter: 'windows' });
    expect(late.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 });
    expect(late.diagnostics().asyncBudget).toMatchObject({ registrationsQueued: 0 });
    expect(full.liveRegistrations()).toBe(nativeBefore);
    await Promise.all(handles.map((h, i) => holders[i]!.cancelMibChangeNotify2(h)));
    await first.cancelMibChangeNotify2(h0);
  }, 20000);
});
