/**
 * The address half of the contract suite (adapter rules A1-A4 of src/adapter.ts), run for a harness
 * that declares it (`ContractHarness.addresses`). Framework-free, like contract-suite.ts.
 */
import assert from 'node:assert/strict';
import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, MibNotificationType, NotificationHandle, UnicastIpAddressChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import type { UnicastIpAddressChange } from '../../src/unicast-ip-address-change.js';
import { unicastIpAddressChanges$ } from '../../src/unicast-ip-address-changes.js';
import { unicastIpAddressTable$ } from '../../src/unicast-ip-address-table.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { sleep, waitFor } from '../helpers/wait-for.js';

/** What a harness supplies for the address half. */
export interface AddressHarness {
  /** Makes at least one real address change happen (added or removed) that registrations of every family in `triggerFamilies` see. */
  triggerChange(adapter: IpInterfaceAdapter): Promise<void>;
  /** Families for which `triggerChange` yields rows. Default: inet and inet6. */
  readonly triggerFamilies?: readonly ('inet' | 'inet6')[];
}

type Define = (name: string, body: (adapter: IpInterfaceAdapter) => Promise<void>) => void;

interface AddressCall {
  readonly row: UnicastIpAddressRow | null;
  readonly type: MibNotificationType;
  readonly detail: unknown;
}

function addressRecorder(): { callback: UnicastIpAddressChangeCallback; calls: AddressCall[]; reentered(): boolean } {
  const calls: AddressCall[] = [];
  let depth = 0;
  let reentered = false;
  const callback: UnicastIpAddressChangeCallback = (row, type, detail) => {
    depth++;
    if (depth > 1) reentered = true;
    calls.push({ row, type, detail });
    depth--;
  };
  return { callback, calls, reentered: () => reentered };
}

const rowsOf = (calls: readonly AddressCall[]): UnicastIpAddressRow[] => calls.flatMap((c) => (c.row ? [c.row] : []));

const ORIGINS = {
  prefixOrigin: ['other', 'manual', 'wellKnown', 'dhcp', 'routerAdvertisement', 'unchanged'],
  suffixOrigin: ['other', 'manual', 'wellKnown', 'dhcp', 'linkLayerAddress', 'random', 'unchanged'],
  dadState: ['invalid', 'tentative', 'duplicate', 'deprecated', 'preferred'],
} as const;
const KNOWN = new Set([
  'family', 'address', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'prefixOrigin', 'suffixOrigin', 'validLifetime',
  'preferredLifetime', 'onLinkPrefixLength', 'skipAsSource', 'dadState', 'scopeId', 'creationTimeStamp',
]);

/** Checks the shape of an UnicastIpAddressRow (rule A1): exact types, no invented extra fields. */
export function assertValidAddressRow(row: UnicastIpAddressRow, family?: AddressFamily): void {
  assert.ok(row.family === AF_INET || row.family === AF_INET6, `row.family ${String(row.family)}`);
  if (family) assert.ok(familyMatches(family, row.family), `address of family ${row.family} delivered to a ${family} registration`);
  assert.equal(typeof row.address, 'string');
  if (row.family === AF_INET) assert.match(row.address, /^\d{1,3}(\.\d{1,3}){3}$/, 'dotted quad');
  else {
    assert.match(row.address, /^[0-9a-f:.]+$/, 'lower-case IPv6 text without a zone');
    assert.ok(row.address.includes(':'));
  }
  assert.equal(typeof row.interfaceLuid, 'bigint', 'interfaceLuid is a bigint');
  assert.ok(Number.isInteger(row.interfaceIndex) && row.interfaceIndex > 0, `interfaceIndex ${row.interfaceIndex}`);
  for (const key of Object.keys(row)) assert.ok(KNOWN.has(key), `unknown address row field ${key}`);
  if (row.interfaceName !== undefined) assert.equal(typeof row.interfaceName, 'string');
  for (const [field, values] of Object.entries(ORIGINS)) {
    const v = (row as unknown as Record<string, unknown>)[field];
    assert.ok(v === undefined || (values as readonly unknown[]).includes(v), `${field} ${String(v)}`);
  }
  for (const f of ['validLifetime', 'preferredLifetime', 'scopeId'] as const) {
    const v = row[f];
    assert.ok(v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff), `${f} is a 32-bit unsigned integer or undefined`);
  }
  const prefix = row.onLinkPrefixLength;
  if (prefix !== undefined) assert.ok(Number.isInteger(prefix) && prefix >= 0 && prefix <= (row.family === AF_INET ? 32 : 128), `onLinkPrefixLength ${prefix}`);
  assert.ok(row.skipAsSource === undefined || typeof row.skipAsSource === 'boolean', 'skipAsSource');
  assert.ok(row.creationTimeStamp === undefined || typeof row.creationTimeStamp === 'bigint', 'creationTimeStamp');
}

/** An adapter without the address half: unicastIpAddressChanges$ and unicastIpAddressTable$ error NOT_SUPPORTED. */
export async function assertNotSupported(adapter: IpInterfaceAdapter, timeoutMs: number): Promise<void> {
  const streams: Observable<unknown>[] = [unicastIpAddressChanges$(AF_UNSPEC, true, { adapter }), unicastIpAddressTable$(AF_UNSPEC, { adapter })];
  for (const stream of streams) {
    let failure: unknown;
    let emitted = 0;
    const sub = stream.subscribe({ next: () => emitted++, error: (e: unknown) => (failure = e) });
    await waitFor(() => failure !== undefined, 'NOT_SUPPORTED', timeoutMs);
    sub.unsubscribe();
    assert.equal(emitted, 0, 'nothing emitted before the error');
    assert.ok(failure instanceof IpInterfaceError, `an IpInterfaceError, got ${String(failure)}`);
    assert.equal(failure.code, 'NOT_SUPPORTED');
  }
}

async function rejectsWith(promise: Promise<unknown>, code: IpInterfaceError['code'], what: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof IpInterfaceError, `${what}: expected an IpInterfaceError, got ${String(error)}`);
  assert.equal(error.code, code, `${what}: code`);
}

/** The address cases, defined through the suite's own `test` (same setup, dispose and leak check). */
/** What of the suite's harness the address cases use (structural: no import back into contract-suite.ts). */
interface SuiteSettings {
  readonly eventTimeoutMs?: number;
  readonly quietMs?: number;
  liveRegistrations?(adapter: IpInterfaceAdapter): number;
}

export function addressCases(h: SuiteSettings, a: AddressHarness, test: Define): void {
  const eventTimeoutMs = h.eventTimeoutMs ?? 3000;
  const quietMs = h.quietMs ?? 300;
  const triggerFamilies = a.triggerFamilies ?? [AF_INET, AF_INET6];
  const notify = (adapter: IpInterfaceAdapter, family: AddressFamily, callback: UnicastIpAddressChangeCallback, initial: boolean): Promise<NotificationHandle> =>
    adapter.notifyUnicastIpAddressChange!(family, callback, initial);

  test('addresses, initial=true: (null, "initial") first, once; a change is a valid address row; cancel stops it', async (adapter) => {
    const r = addressRecorder();
    const handle = await notify(adapter, AF_UNSPEC, r.callback, true);
    await waitFor(() => r.calls.length > 0, 'the initial notification', eventTimeoutMs);
    assert.deepEqual({ row: r.calls[0]?.row, type: r.calls[0]?.type }, { row: null, type: 'initial' });
    await a.triggerChange(adapter);
    await waitFor(() => rowsOf(r.calls).length > 0, 'an address row after the trigger', eventTimeoutMs);
    assert.equal(r.calls.filter((c) => c.type === 'initial').length, 1, 'one initial notification');
    for (const call of r.calls.slice(1)) {
      assert.ok(['parameter', 'add', 'delete'].includes(call.type), `type ${call.type}`);
      assert.ok(call.row !== null);
      assertValidAddressRow(call.row, AF_UNSPEC);
      if (call.type !== 'parameter') assert.equal(call.detail, undefined, 'detail only on a parameter change (rule A3)');
    }
    assert.equal(r.reentered(), false, 'callback entered re-entrantly');
    await adapter.cancelMibChangeNotify2(handle);
    const seen = r.calls.length;
    await a.triggerChange(adapter);
    await sleep(quietMs);
    assert.equal(r.calls.length, seen, 'callbacks after cancel');
    await rejectsWith(adapter.cancelMibChangeNotify2(handle), 'INVALID_HANDLE', 'second cancel');
  });

  test('addresses, family filtering: inet gets only IPv4 rows, inet6 only IPv6, unspec both; initial=false has no marker', async (adapter) => {
    const regs = ([AF_INET, AF_INET6, AF_UNSPEC] as const).map((family) => ({ family, r: addressRecorder() }));
    const handles: NotificationHandle[] = [];
    for (const { family, r } of regs) handles.push(await notify(adapter, family, r.callback, false));
    await a.triggerChange(adapter);
    const unspec = regs[2]!.r;
    await waitFor(() => triggerFamilies.every((f) => rowsOf(unspec.calls).some((row) => row.family === f)), 'unspec to see both families', eventTimeoutMs);
    for (const { family, r } of regs) {
      if (family !== AF_UNSPEC && triggerFamilies.includes(family)) await waitFor(() => rowsOf(r.calls).length > 0, `a ${family} row`, eventTimeoutMs);
    }
    await sleep(quietMs);
    for (const { family, r } of regs) {
      assert.ok(r.calls.every((c) => c.type !== 'initial'), 'no initial callback');
      for (const row of rowsOf(r.calls)) assertValidAddressRow(row, family);
    }
    for (const handle of handles) await adapter.cancelMibChangeNotify2(handle);
  });

  test('addresses: an invalid family or callback rejects INVALID_PARAMETER and registers nothing', async (adapter) => {
    for (const family of [99, 'ipx', undefined]) {
      const before = h.liveRegistrations?.(adapter);
      await rejectsWith(notify(adapter, family as unknown as AddressFamily, () => {}, true), 'INVALID_PARAMETER', `family ${String(family)}`);
      if (before !== undefined) assert.equal(h.liveRegistrations!(adapter), before, 'nothing registered');
    }
    for (const callback of [42, undefined, null]) {
      await rejectsWith(notify(adapter, AF_UNSPEC, callback as unknown as UnicastIpAddressChangeCallback, true), 'INVALID_PARAMETER', `callback ${String(callback)}`);
    }
  });

  test('getUnicastIpAddressTable: valid rows, unique keys, unspec is inet plus inet6, bad family rejects', async (adapter) => {
    const read = (f: AddressFamily): Promise<UnicastIpAddressRow[]> => adapter.getUnicastIpAddressTable!(f);
    const [v4, v6, all] = await Promise.all(([AF_INET, AF_INET6, AF_UNSPEC] as const).map(read));
    for (const row of v4!) assertValidAddressRow(row, AF_INET);
    for (const row of v6!) assertValidAddressRow(row, AF_INET6);
    const keys = all!.map(unicastAddressKey);
    assert.equal(new Set(keys).size, keys.length, 'unicastAddressKey is unique in the table (rule A4)');
    assert.deepEqual([...keys].sort(), [...v4!, ...v6!].map(unicastAddressKey).sort(), 'unspec = inet + inet6');
    await rejectsWith(read('ipx' as unknown as AddressFamily), 'INVALID_PARAMETER', 'table of ipx');
  });

  test('unicastIpAddressChanges$ and unicastIpAddressTable$ over the adapter: marker, a change, the table follows the adapter; unsubscribe cancels', async (adapter) => {
    const seen: UnicastIpAddressChange[] = [];
    const tables: ReadonlyMap<string, UnicastIpAddressRow>[] = [];
    let failure: unknown;
    const changes = unicastIpAddressChanges$(AF_UNSPEC, true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (e: unknown) => (failure = e) });
    const table = unicastIpAddressTable$(AF_UNSPEC, { adapter }).subscribe({ next: (t) => tables.push(t), error: (e: unknown) => (failure = e) });
    await waitFor(() => (seen.length > 0 && tables.length > 0) || failure !== undefined, 'the marker and the first table', eventTimeoutMs);
    assert.equal(failure, undefined);
    assert.deepEqual(seen[0], { kind: 'initial', family: AF_UNSPEC });
    await a.triggerChange(adapter);
    await waitFor(() => seen.length > 1, 'a change', eventTimeoutMs);
    for (const c of seen.slice(1)) if (c.kind !== 'initial') assertValidAddressRow(c.row, AF_UNSPEC);
    // The table settles on what the adapter reads (the trigger is done: nothing else changes).
    const expected = JSON.stringify((await adapter.getUnicastIpAddressTable!(AF_UNSPEC)).map(unicastAddressKey).sort());
    const live = (): string => JSON.stringify([...tables.at(-1)!.keys()].sort());
    await waitFor(
      () => live() === expected,
      'the live table to equal getUnicastIpAddressTable',
      eventTimeoutMs,
      () => `live ${live()} vs read ${expected}`,
    );
    changes.unsubscribe();
    table.unsubscribe();
    assert.equal(failure, undefined);
  });

  test('addresses: 30 register/cancel cycles, interleaved with interface registrations, leave nothing registered', async (adapter) => {
    for (let i = 0; i < 30; i++) {
      const address = await notify(adapter, i % 2 ? AF_INET : AF_INET6, () => {}, i % 3 === 0);
      const iface = i % 2 ? await adapter.notifyIpInterfaceChange(AF_UNSPEC, () => {}, false) : undefined;
      await adapter.cancelMibChangeNotify2(address);
      if (iface) await adapter.cancelMibChangeNotify2(iface);
    }
  });
}
