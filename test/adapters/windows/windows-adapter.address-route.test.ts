/**
 * The windows adapter's address and route halves (issues 13, 14) over the fake iphlpapi (.so under
 * Linux node): the rows of GetUnicastIpAddressTable / GetIpForwardTable2, the notifications completed
 * by Get*Entry, lifetime-only classification (rule A3), a metric change as delete + add (rule R2),
 * GetBestRoute2 (rule R4, Wine's ERROR_NOT_SUPPORTED), the one OS registration per kind, failures,
 * and rule 10's `ended` on dispose.
 */
import fs from 'node:fs';
import type { MibNotificationType, UnicastIpAddressChangeDetail } from '../../../src/adapter';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { routeKey } from '../../../src/route-key';
import { unicastAddressKey } from '../../../src/unicast-address-key';
import type { UnicastIpAddressChange } from '../../../src/unicast-ip-address-change';
import { unicastIpAddressChanges$ } from '../../../src/unicast-ip-address-changes';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { windowsAdapter, type WindowsIpInterfaceAdapter } from '../../../adapters/windows';
import { MAX_KNOWN_ROWS, remember } from '../../../adapters/windows/notification-channel';
import { sockaddrInetBytes } from '../../../adapters/windows/sockaddr-inet';
import { rejection } from '../../helpers/rejection';
import { sleep, waitFor } from '../../helpers/wait-for';
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { fakeRouteTrigger } from './fake-harness';
import {
  expectedFakeAddress,
  expectedFakeRoute,
  FAKE_ADDRESSES,
  FAKE_FUNCTION,
  FAKE_OPTION,
  FAKE_ROUTES,
  fakeControls,
  fakeLuid,
  fakeName,
  MIB,
  NATIVE,
  type FakeControls,
} from './fake-controls';

let dir = '';
let full: FakeControls;
let minimal: FakeControls;
const adapters: WindowsIpInterfaceAdapter[] = [];

beforeAll(() => {
  dir = makeTempDir('win-addr-route');
  full = fakeControls(buildFakeSharedObject(dir, 'full'));
  minimal = fakeControls(buildFakeSharedObject(dir, 'minimal'));
});
beforeEach(() => {
  full.reset();
  minimal.reset();
});
afterEach(async () => {
  const left = adapters.map((a) => a.diagnostics().liveRegistrations);
  const native = [full.liveRegistrations(), minimal.liveRegistrations()];
  full.reset();
  minimal.reset();
  for (const a of adapters.splice(0)) await a.dispose();
  await full.cancelAll();
  await minimal.cancelAll();
  expect(left.every((n) => n === 0)).toBe(true);
  expect(native).toEqual([0, 0]);
  expect(full.outstandingTables()).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function adapterOver(controls: FakeControls): WindowsIpInterfaceAdapter {
  const adapter = windowsAdapter({ library: controls.path, messageLibrary: controls.path });
  adapters.push(adapter);
  return adapter;
}

interface Call<Row> {
  readonly row: Row | null;
  readonly type: MibNotificationType;
  readonly detail?: UnicastIpAddressChangeDetail | undefined;
}

function recorder<Row>(): { callback: (row: Row | null, type: MibNotificationType, detail?: UnicastIpAddressChangeDetail) => void; calls: Call<Row>[] } {
  const calls: Call<Row>[] = [];
  return { calls, callback: (row, type, detail) => calls.push(detail === undefined ? { row, type } : { row, type, detail }) };
}

const byAddressKey = (rows: readonly UnicastIpAddressRow[]): UnicastIpAddressRow[] => [...rows].sort((a, b) => unicastAddressKey(a).localeCompare(unicastAddressKey(b)));
const byRouteKey = (rows: readonly IpForwardRow[]): IpForwardRow[] => [...rows].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));

describe('windowsAdapter: getUnicastIpAddressTable', () => {
  it('decodes every fixture address (both families, unspec = both), names it, frees the table', async () => {
    const a = adapterOver(full);
    const expected = FAKE_ADDRESSES.map(({ index, family, host }) => expectedFakeAddress(index, family, host));
    expect(byAddressKey(await a.getUnicastIpAddressTable('unspec'))).toEqual(byAddressKey(expected));
    expect(byAddressKey(await a.getUnicastIpAddressTable('inet'))).toEqual(byAddressKey(expected.filter((r) => r.family === 'inet')));
    expect(byAddressKey(await a.getUnicastIpAddressTable('inet6'))).toEqual(byAddressKey(expected.filter((r) => r.family === 'inet6')));
    expect(full.outstandingTables()).toBe(0);
    // A table read makes no registration and holds nothing.
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
  });

  it('a failing GetUnicastIpAddressTable rejects with its code; a library without it is NOT_SUPPORTED', async () => {
    const a = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.addressTable, 8);
    expect(await rejection(a.getUnicastIpAddressTable('inet'))).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    full.setNextError(FAKE_FUNCTION.addressTable, 50);
    expect(await rejection(a.getUnicastIpAddressTable('inet'))).toMatchObject({ code: 'NOT_SUPPORTED', osCode: 50 });
    expect((await rejection(a.getUnicastIpAddressTable('ipx' as never))).code).toBe('INVALID_PARAMETER');
    const m = adapterOver(minimal);
    expect(await rejection(m.getUnicastIpAddressTable('inet'))).toMatchObject({ code: 'NOT_SUPPORTED', osCode: 50 });
    expect(await rejection(m.notifyUnicastIpAddressChange('inet', () => {}, true))).toMatchObject({ code: 'NOT_SUPPORTED', osCode: 50 });
    expect(m.diagnostics()).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
  });
});

describe('windowsAdapter: notifyUnicastIpAddressChange', () => {
  it('marker first; add, change and delete arrive with the full row (GetUnicastIpAddressEntry completes the sparse one) and the name', async () => {
    const a = adapterOver(full);
    const r = recorder<UnicastIpAddressRow>();
    const handle = await a.notifyUnicastIpAddressChange('unspec', r.callback, true);
    expect(r.calls).toEqual([{ row: null, type: 'initial' }]);
    expect(full.addressChange(NATIVE.inet, MIB.add, 3, 7)).toBe(0);
    await waitFor(() => r.calls.length === 2, 'the add');
    expect(r.calls[1]).toEqual({ row: expectedFakeAddress(3, 'inet', 7), type: 'add' });
    expect(full.addressChange(NATIVE.inet, MIB.parameter, 3, 7, { dad: 3 })).toBe(0);
    await waitFor(() => r.calls.length === 3, 'the change');
    expect(r.calls[2]).toEqual({ row: expectedFakeAddress(3, 'inet', 7, { dadState: 'deprecated' }), type: 'parameter' });
    // The delete: GetUnicastIpAddressEntry no longer finds it; the last full row known is reported.
    expect(full.addressChange(NATIVE.inet, MIB.delete, 3, 7)).toBe(0);
    await waitFor(() => r.calls.length === 4, 'the delete');
    expect(r.calls[3]).toEqual({ row: expectedFakeAddress(3, 'inet', 7, { dadState: 'deprecated' }), type: 'delete' });
    // Shared by every subscriber of the fan-out: frozen.
    expect(Object.isFrozen(r.calls[1]!.row)).toBe(true);
    await a.cancelMibChangeNotify2(handle);
    expect((await rejection(a.cancelMibChangeNotify2(handle))).code).toBe('INVALID_HANDLE');
  });

  it('rule A3: a change of only the lifetimes is marked lifetimeOnly; unicastIpAddressChanges$ drops it unless lifetimeUpdates', async () => {
    const a = adapterOver(full);
    const r = recorder<UnicastIpAddressRow>();
    const handle = await a.notifyUnicastIpAddressChange('inet6', r.callback, false);
    full.addressChange(NATIVE.inet6, MIB.add, 2, 5);
    await waitFor(() => r.calls.length === 1, 'the add');
    full.addressChange(NATIVE.inet6, MIB.parameter, 2, 5, { valid: 600, preferred: 300 });
    await waitFor(() => r.calls.length === 2, 'the refresh');
    expect(r.calls[1]).toEqual({ row: expectedFakeAddress(2, 'inet6', 5, { validLifetime: 600, preferredLifetime: 300 }), type: 'parameter', detail: { lifetimeOnly: true } });
    full.addressChange(NATIVE.inet6, MIB.parameter, 2, 5, { valid: 500, dad: 1 });
    await waitFor(() => r.calls.length === 3, 'a real change');
    expect(r.calls[2]).toEqual({
      row: expectedFakeAddress(2, 'inet6', 5, { validLifetime: 500, preferredLifetime: 300, dadState: 'tentative' }),
      type: 'parameter',
    });
    await a.cancelMibChangeNotify2(handle);

    const seen: UnicastIpAddressChange[] = [];
    const all: UnicastIpAddressChange[] = [];
    const s1 = unicastIpAddressChanges$('inet6', true, { adapter: a }).subscribe((c) => seen.push(c));
    const s2 = unicastIpAddressChanges$('inet6', true, { adapter: a, lifetimeUpdates: true }).subscribe((c) => all.push(c));
    // Live once the markers came; the new OS registration then reads the table once (the seed of its
    // previous rows, started as it went live), so that the first refresh is known to be one.
    await waitFor(() => seen.length === 1 && all.length === 1, 'the markers');
    await waitFor(() => a.diagnostics().pendingNativeCalls === 0, 'the seed read');
    seen.length = 0;
    all.length = 0;
    full.addressChange(NATIVE.inet6, MIB.parameter, 2, 5, { valid: 400 });
    await waitFor(() => all.length === 1, 'the refresh');
    // Nothing changed: no emission at all (the entry is read after the fact and shows no difference).
    full.addressChange(NATIVE.inet6, MIB.parameter, 2, 5);
    full.addressChange(NATIVE.inet6, MIB.parameter, 2, 5, { dad: 4 });
    await waitFor(() => all.length === 2 && seen.length === 1, 'the two changes', 3000, () => JSON.stringify({ seen, all }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    expect(seen.map((c) => c.kind === 'changed' && c.row.dadState)).toEqual(['preferred']);
    expect(all.map((c) => c.kind === 'changed' && c.row.validLifetime)).toEqual([400, 400]);
    s1.unsubscribe();
    s2.unsubscribe();
    await waitFor(() => a.diagnostics().liveRegistrations === 0, 'the cancels');
  });

  it('one OS registration and one GetUnicastIpAddressEntry per OS callback for 50 subscriptions; families filtered; the last cancel cancels it', async () => {
    const a = adapterOver(full);
    const subs = Array.from({ length: 50 }, (_, i) => ({ family: (['inet', 'inet6', 'unspec'] as const)[i % 3]!, r: recorder<UnicastIpAddressRow>() }));
    const handles = await Promise.all(subs.map(({ family, r }) => a.notifyUnicastIpAddressChange(family, r.callback, true)));
    expect(full.liveRegistrations()).toBe(1);
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 50, nativeRegistrations: 1, registeredCallbacks: 1 });
    expect(a.diagnostics().byKind).toEqual({
      interfaces: { liveRegistrations: 0, nativeRegistrations: 0 },
      addresses: { liveRegistrations: 50, nativeRegistrations: 1 },
      routes: { liveRegistrations: 0, nativeRegistrations: 0 },
    });
    const entries = full.stats().entryCalls;
    full.addressChange(NATIVE.inet, MIB.add, 2, 8);
    full.addressChange(NATIVE.inet6, MIB.add, 2, 8);
    const rowsOf = (r: { calls: Call<UnicastIpAddressRow>[] }): UnicastIpAddressRow[] => r.calls.flatMap((c) => (c.row ? [c.row] : []));
    await waitFor(() => subs.every(({ family, r }) => rowsOf(r).length === (family === 'unspec' ? 2 : 1)), 'every subscription its rows');
    await sleep(50);
    expect(full.stats().entryCalls - entries).toBe(2);
    for (const { family, r } of subs) {
      expect(r.calls[0]).toEqual({ row: null, type: 'initial' });
      expect(rowsOf(r).map((row) => row.family)).toEqual(family === 'unspec' ? ['inet', 'inet6'] : [family]);
    }
    // One interface registration beside: its own OS registration, and cancelling addresses leaves it.
    const iface = await a.notifyIpInterfaceChange('inet', () => {}, false);
    expect(full.liveRegistrations()).toBe(2);
    await Promise.all(handles.slice(1).map((h) => a.cancelMibChangeNotify2(h)));
    expect(full.liveRegistrations()).toBe(2);
    await a.cancelMibChangeNotify2(handles[0]!);
    expect(full.liveRegistrations()).toBe(1);
    await a.cancelMibChangeNotify2(iface);
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
  });

  it('without GetUnicastIpAddressEntry answers (ERROR_NOT_FOUND) an add carries only the keys and the name, never junk', async () => {
    const a = adapterOver(full);
    const r = recorder<UnicastIpAddressRow>();
    const handle = await a.notifyUnicastIpAddressChange('inet', r.callback, false);
    full.setOption(FAKE_OPTION.entryNotFound, 1);
    full.addressChange(NATIVE.inet, MIB.add, 2, 6);
    await waitFor(() => r.calls.length === 1, 'the add');
    expect(r.calls[0]).toEqual({
      row: { family: 'inet', address: '10.0.2.6', interfaceLuid: fakeLuid(2), interfaceIndex: 2, interfaceName: fakeName(2) },
      type: 'add',
    });
    await a.cancelMibChangeNotify2(handle);
  });

  it('a failing NotifyUnicastIpAddressChange rejects every waiting registration with its code and leaves nothing; the next one works', async () => {
    const a = adapterOver(full);
    full.setNextError(FAKE_FUNCTION.addressNotify, 8);
    const results = await Promise.allSettled([a.notifyUnicastIpAddressChange('inet', () => {}, true), a.notifyUnicastIpAddressChange('inet6', () => {}, false)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    }
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 });
    expect(a.diagnostics().asyncBudget?.reservedForCallbacks).toBe(0);
    const handle = await a.notifyUnicastIpAddressChange('inet', () => {}, true);
    await a.cancelMibChangeNotify2(handle);
  });

  it('rows delivered while NotifyUnicastIpAddressChange has not returned yet reach the registration after its marker', async () => {
    const a = adapterOver(full);
    const r = recorder<UnicastIpAddressRow>();
    full.setOption(FAKE_OPTION.holdReturn, 1);
    const pending = a.notifyUnicastIpAddressChange('inet', r.callback, true);
    await waitFor(() => full.liveRegistrations() === 1, 'the OS registration');
    full.addressChange(NATIVE.inet, MIB.add, 1, 4);
    await sleep(50);
    full.setOption(FAKE_OPTION.holdReturn, 0);
    const handle = await pending;
    await waitFor(() => r.calls.length === 2, 'the row');
    expect(r.calls.map((c) => c.type)).toEqual(['initial', 'add']);
    await a.cancelMibChangeNotify2(handle);
  });

  it('rule 10: dispose() ends each live address and route registration once with OS_ERROR 995 (ERROR_OPERATION_ABORTED, as for interfaces), outside any callback; the handle is dead', async () => {
    const a = adapterOver(full);
    const ended: { kind: string; error: IpInterfaceError }[] = [];
    const calls: MibNotificationType[] = [];
    const callback = (_row: unknown, type: MibNotificationType): void => {
      calls.push(type);
    };
    const addr = await a.notifyUnicastIpAddressChange('inet', callback, true, (error) => ended.push({ kind: 'address', error }));
    const route = await a.notifyRouteChange2('unspec', callback, true, (error) => ended.push({ kind: 'route', error }));
    expect(full.liveRegistrations()).toBe(2);
    await a.dispose();
    expect(ended.map((e) => e.kind).sort()).toEqual(['address', 'route']);
    for (const { error } of ended) {
      expect(error).toBeInstanceOf(IpInterfaceError);
      expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 995, message: 'windows adapter ended the registration: the adapter was disposed (dispose())' });
    }
    expect(full.liveRegistrations()).toBe(0);
    expect((await rejection(a.cancelMibChangeNotify2(addr))).code).toBe('INVALID_HANDLE');
    expect((await rejection(a.cancelMibChangeNotify2(route))).code).toBe('INVALID_HANDLE');
    full.addressChange(NATIVE.inet, MIB.add, 2, 4);
    full.routeChange(NATIVE.inet, MIB.add, 2, 4);
    await sleep(50);
    expect(ended).toHaveLength(2);
    expect(calls).toEqual(['initial', 'initial']);
  });

  it('misuse: a subscriber that throws, and one that cancels another inside its callback, break nothing; the throw is rethrown later', async () => {
    const a = adapterOver(full);
    const boom = new Error('subscriber bug');
    const thrower = await a.notifyUnicastIpAddressChange('inet', () => {
      throw boom;
    }, false);
    const victim = recorder<UnicastIpAddressRow>();
    const victimHandle = await a.notifyUnicastIpAddressChange('inet', victim.callback, false);
    const cancels: Promise<void>[] = [];
    const canceller = await a.notifyUnicastIpAddressChange('inet', () => {
      if (cancels.length === 0) cancels.push(a.cancelMibChangeNotify2(victimHandle));
    }, false);
    const survivor = recorder<UnicastIpAddressRow>();
    const survivorHandle = await a.notifyUnicastIpAddressChange('inet', survivor.callback, false);
    const original = globalThis.queueMicrotask;
    const queued: (() => void)[] = [];
    // Capture the rethrow instead of letting it reach jest's uncaught-exception handler.
    globalThis.queueMicrotask = (task) => void queued.push(task);
    try {
      full.addressChange(NATIVE.inet, MIB.add, 2, 11);
      await waitFor(() => survivor.calls.length === 1, 'the first add');
      full.addressChange(NATIVE.inet, MIB.add, 2, 12);
      await waitFor(() => survivor.calls.length === 2, 'the second add');
    } finally {
      globalThis.queueMicrotask = original;
    }
    await Promise.all(cancels);
    // The canceller ran after the victim for the first row (subscription order), so the victim has that one and no more.
    expect(victim.calls.map((c) => c.row?.address)).toEqual(['10.0.2.11']);
    expect(survivor.calls.map((c) => c.row?.address)).toEqual(['10.0.2.11', '10.0.2.12']);
    expect(queued).toHaveLength(2);
    for (const task of queued) expect(task).toThrow(boom);
    for (const h of [thrower, canceller, survivorHandle]) await a.cancelMibChangeNotify2(h);
  });

  it('the previous rows it keeps are bounded (the oldest key goes first)', () => {
    const known = new Map<string, number>();
    for (let i = 0; i < MAX_KNOWN_ROWS + 10; i++) remember(known, `k${i}`, i);
    expect(known.size).toBe(MAX_KNOWN_ROWS);
    expect(known.has('k0')).toBe(false);
    expect(known.has(`k${MAX_KNOWN_ROWS + 9}`)).toBe(true);
  });
});

describe('windowsAdapter: routes', () => {
  it('getIpForwardTable2 decodes every fixture route (unspec = both families), named, table freed', async () => {
    const a = adapterOver(full);
    const expected = FAKE_ROUTES.map(({ index, family, dest }) => expectedFakeRoute(index, family, dest));
    expect(byRouteKey(await a.getIpForwardTable2('unspec'))).toEqual(byRouteKey(expected));
    expect(byRouteKey(await a.getIpForwardTable2('inet6'))).toEqual(byRouteKey(expected.filter((r) => r.family === 'inet6')));
    expect(full.outstandingTables()).toBe(0);
    full.setNextError(FAKE_FUNCTION.routeTable, 87);
    expect(await rejection(a.getIpForwardTable2('inet'))).toMatchObject({ code: 'INVALID_PARAMETER', osCode: 87 });
  });

  it('notifyRouteChange2: add, an unchanged parameter dropped, a metric change as delete + add (rule R2), delete with the last row', async () => {
    const a = adapterOver(full);
    const r = recorder<IpForwardRow>();
    const v4 = recorder<IpForwardRow>();
    const handle = await a.notifyRouteChange2('unspec', r.callback, true);
    const h4 = await a.notifyRouteChange2('inet', v4.callback, false);
    expect(full.liveRegistrations()).toBe(1);
    full.routeChange(NATIVE.inet6, MIB.add, 3, 5);
    await waitFor(() => r.calls.length === 2, 'the add');
    expect(r.calls[1]).toEqual({ row: expectedFakeRoute(3, 'inet6', 5), type: 'add' });
    // A parameter notification whose entry shows no difference is dropped.
    full.routeChange(NATIVE.inet6, MIB.parameter, 3, 5);
    full.routeChange(NATIVE.inet6, MIB.parameter, 3, 5, 7);
    await waitFor(() => r.calls.length === 4, 'the metric change');
    await sleep(50);
    expect(r.calls.slice(2)).toEqual([
      { row: expectedFakeRoute(3, 'inet6', 5), type: 'delete' },
      { row: expectedFakeRoute(3, 'inet6', 5, { metric: 7 }), type: 'add' },
    ]);
    full.routeChange(NATIVE.inet6, MIB.delete, 3, 5);
    await waitFor(() => r.calls.length === 5, 'the delete');
    expect(r.calls[4]).toEqual({ row: expectedFakeRoute(3, 'inet6', 5, { metric: 7 }), type: 'delete' });
    full.routeChange(NATIVE.inet, MIB.add, 1, 4);
    await waitFor(() => v4.calls.length === 1 && r.calls.length === 6, 'the IPv4 add');
    expect(v4.calls).toEqual([{ row: expectedFakeRoute(1, 'inet', 4), type: 'add' }]);
    expect(v4.calls[0]!.row).toBe(r.calls[5]!.row); // one row per OS callback, shared
    await a.cancelMibChangeNotify2(handle);
    await a.cancelMibChangeNotify2(h4);
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 });
  });

  it('fakeRouteTrigger (for the route contract half): added, then removed, both families, after any reset', async () => {
    const a = adapterOver(full);
    const r = recorder<IpForwardRow>();
    const handle = await a.notifyRouteChange2('unspec', r.callback, false);
    const trigger = fakeRouteTrigger(full);
    await trigger();
    await waitFor(() => r.calls.length === 2, 'two adds');
    await trigger();
    await waitFor(() => r.calls.length === 4, 'two deletes');
    expect(r.calls.map((c) => `${c.type} ${c.row!.family} ${c.row!.destinationPrefix.prefix}`)).toEqual([
      'add inet 10.9.0.0', 'add inet6 2001:db8:9::', 'delete inet 10.9.0.0', 'delete inet6 2001:db8:9::',
    ]);
    await a.cancelMibChangeNotify2(handle);
  });

  it('getBestRoute2: the longest prefix, then the lowest metric; null when unreachable; bad input INVALID_PARAMETER; Wine\'s 50 is NOT_SUPPORTED', async () => {
    const a = adapterOver(full);
    expect(await a.getBestRoute2('inet', '192.0.2.1')).toEqual(expectedFakeRoute(2, 'inet', 1));
    expect(await a.getBestRoute2('inet', '10.0.3.77')).toEqual(expectedFakeRoute(3, 'inet', 0));
    full.routeChange(NATIVE.inet, MIB.add, 3, 5);
    expect(await a.getBestRoute2('inet', '10.5.1.2')).toEqual(expectedFakeRoute(3, 'inet', 5));
    expect(await a.getBestRoute2('inet6', '2001:db8:5::1')).toEqual(expectedFakeRoute(2, 'inet6', 1));
    full.routeChange(NATIVE.inet6, MIB.add, 1, 5, 3);
    expect(await a.getBestRoute2('inet6', '2001:db8:5::1')).toEqual(expectedFakeRoute(1, 'inet6', 5, { metric: 3 }));
    full.routeChange(NATIVE.inet, MIB.delete, 2, 1);
    expect(await a.getBestRoute2('inet', '192.0.2.1')).toBeNull();
    for (const [family, destination] of [
      ['inet', '2001:db8::1'],
      ['inet6', '192.0.2.1'],
      ['inet', '256.0.0.1'],
      ['inet', 'example.org'],
      ['inet6', 'fe80::1%3'],
      ['unspec', '192.0.2.1'],
    ] as const) {
      expect((await rejection(a.getBestRoute2(family as 'inet', destination))).code).toBe('INVALID_PARAMETER');
    }
    full.setNextError(FAKE_FUNCTION.bestRoute, 50);
    expect(await rejection(a.getBestRoute2('inet', '192.0.2.1'))).toMatchObject({ code: 'NOT_SUPPORTED', osCode: 50 });
    const m = adapterOver(minimal);
    expect(await rejection(m.getBestRoute2('inet', '192.0.2.1'))).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(await rejection(m.notifyRouteChange2('inet', () => {}, false))).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(await rejection(m.getIpForwardTable2('inet'))).toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('Wine\'s stub (success, NULL handle): registrations are live with their marker, a warning says no notifications come, cancel releases everything', async () => {
    const a = adapterOver(full);
    full.setOption(FAKE_OPTION.nullHandle, 1);
    const r = recorder<IpForwardRow>();
    const handle = await a.notifyRouteChange2('inet', r.callback, true);
    expect(r.calls).toEqual([{ row: null, type: 'initial' }]);
    expect(a.diagnostics().warnings.filter((w) => w.startsWith('NotifyRouteChange2') && w.includes('NULL handle'))).toHaveLength(1);
    await a.cancelMibChangeNotify2(handle);
    expect(a.diagnostics()).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 });
  });
});

describe('sockaddrInetBytes', () => {
  it('encodes IPv4 and IPv6 text as SOCKADDR_INET (family 2 / 23) and refuses anything else', () => {
    expect([...sockaddrInetBytes('inet', '192.0.2.1')!.subarray(0, 8)]).toEqual([2, 0, 0, 0, 192, 0, 2, 1]);
    const v6 = sockaddrInetBytes('inet6', '2001:db8::ffff:1.2.3.4')!;
    expect([...v6.subarray(0, 2)]).toEqual([23, 0]);
    expect([...v6.subarray(8, 24)]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4].map((b, i) => (i === 10 || i === 11 ? 0xff : b)));
    expect([...sockaddrInetBytes('inet6', '::')!.subarray(8, 24)]).toEqual(new Array(16).fill(0));
    for (const bad of ['1.2.3', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', '::1::', 'g::1', '', '1:2:3:4:5:6:7::8']) {
      expect(sockaddrInetBytes(bad.includes(':') || bad === '' ? 'inet6' : 'inet', bad)).toBeUndefined();
    }
    expect(sockaddrInetBytes('inet6', '1:2:3:4:5:6:7::')).toBeDefined();
  });
});
