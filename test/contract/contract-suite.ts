/**
 * The adapter contract suite: one set of cases that every adapter must pass (mock, linux, windows,
 * polling). Framework-free on purpose: `describe-contract.ts` runs it under jest, {@link runContract}
 * from a plain `node` script (test/adapters/polling/child/polling-child.ts in a namespace, and
 * test/adapters/windows/child/wine-main.ts: Windows node.exe under Wine cannot host jest's piped
 * workers). Its helpers (test/helpers/recorder.ts, wait-for.ts) are framework-free too.
 */
import assert from 'node:assert/strict';
import { AF_INET, AF_INET6, AF_UNSPEC, familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, IpInterfaceChangeCallback, NotificationHandle } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { OFFLOAD_FLAG_NAMES, ZONE_INDEX_COUNT } from '../../src/ip-interface-row.js';
import { interfaceKey } from '../../src/interface-key.js';
import { ipInterfaceChanges$ } from '../../src/ip-interface-changes.js';
import type { IpInterfaceChange } from '../../src/ip-interface-change.js';
import { addressCases, assertNotSupported, type AddressHarness } from './address-cases.js';
import { assertRoutesNotSupported, routeCases, type RouteHarness } from './route-cases.js';
import { recorder, type Call } from '../helpers/recorder.js';
import { sleep, waitFor } from '../helpers/wait-for.js';

/** What an adapter's test file supplies to run the contract against it. */
export interface ContractHarness {
  /** Shown in test names. */
  readonly name: string;
  /** The adapter under test (fresh or shared; `dispose` is called after each case). */
  createAdapter(): IpInterfaceAdapter | Promise<IpInterfaceAdapter>;
  /**
   * Makes at least one real change happen that registrations of every family in `triggerFamilies`
   * will see (for example an MTU change on a veth pair in a test namespace). Resolves once the change
   * was made (the events may still be on their way).
   */
  triggerChange(adapter: IpInterfaceAdapter): Promise<void>;
  /** Families for which `triggerChange` yields rows. Default: inet and inet6. */
  readonly triggerFamilies?: readonly ('inet' | 'inet6')[];
  /** Native registrations still live in this adapter, when the harness can tell: checks nothing is left. */
  liveRegistrations?(adapter: IpInterfaceAdapter): number;
  /**
   * Optional rules of src/adapter.ts the adapter implements (feature opt-in: a case is added for
   * each; an adapter that has the method without declaring it, or declares it without having it,
   * fails the first case). Default: none.
   */
  readonly optionalRules?: { readonly currentIpInterfaceTable?: boolean };
  /** Called after each case. */
  dispose?(adapter: IpInterfaceAdapter): Promise<void> | void;
  /** How long to wait for events after a trigger. Default 3000 ms. */
  readonly eventTimeoutMs?: number;
  /** How long "nothing arrives" is watched for. Default 300 ms. */
  readonly quietMs?: number;
  /**
   * The optional address half (feature opt-in, like serialport's makeTestFeature): present when the
   * adapter has `notifyUnicastIpAddressChange` / `getUnicastIpAddressTable`. Absent: the suite
   * asserts the adapter answers `NOT_SUPPORTED` through `unicastIpAddressChanges$`.
   */
  readonly addresses?: AddressHarness;
  /**
   * Optional rule 10 (feature opt-in, like `addresses`): makes the adapter lose every registration
   * it has live (Linux: delete its namespace; Windows: `dispose()`; mock: `endRegistrations()`).
   * Resolves once that was done (the `ended` calls may still be on their way). Present: the rule 10
   * cases run; absent: they are not added (the Wine run counts the cases).
   */
  endRegistrations?(adapter: IpInterfaceAdapter): Promise<void> | void;
  /**
   * The optional route half (rules R1-R4; see the top of route-cases.ts): present when the adapter
   * has `notifyRouteChange2` / `getIpForwardTable2`. Absent: the first case asserts that
   * `routeChanges$`, `routeTable$` and `defaultRoute$` answer `NOT_SUPPORTED`.
   */
  readonly routes?: RouteHarness;
}

/** One case of the suite. */
export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
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
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, `${what}: message`);
}

const BOOLEAN_FIELDS = [
  'advertisingEnabled', 'forwardingEnabled', 'weakHostSend', 'weakHostReceive', 'useAutomaticMetric',
  'useNeighborUnreachabilityDetection', 'managedAddressConfigurationSupported', 'otherStatefulConfigurationSupported',
  'advertiseDefaultRoute', 'connected', 'supportsWakeUpPatterns', 'supportsNeighborDiscovery', 'supportsRouterDiscovery',
  'disableDefaultRoutes',
] as const;
const NUMBER_FIELDS = [
  'maxReassemblySize', 'minRouterAdvertisementInterval', 'maxRouterAdvertisementInterval', 'dadTransmits',
  'baseReachableTime', 'retransmitTime', 'pathMtuDiscoveryTimeout', 'linkLocalAddressTimeout', 'sitePrefixLength',
  'metric', 'nlMtu', 'reachableTime',
] as const;
const KNOWN_FIELDS = new Set<string>([
  'family', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'interfaceIdentifier', 'routerDiscoveryBehavior',
  'linkLocalAddressBehavior', 'zoneIndices', 'transmitOffload', 'receiveOffload', ...BOOLEAN_FIELDS, ...NUMBER_FIELDS,
]);

/** Checks that a row has the shape of IpInterfaceRow: exact types, no invented extra fields. */
export function assertValidRow(row: IpInterfaceRow, family?: AddressFamily): void {
  assert.ok(row.family === AF_INET || row.family === AF_INET6, `row.family ${String(row.family)}`);
  if (family) assert.ok(familyMatches(family, row.family), `row of family ${row.family} delivered to a ${family} registration`);
  assert.equal(typeof row.interfaceLuid, 'bigint', 'interfaceLuid is a bigint');
  assert.ok(row.interfaceLuid >= 0n && row.interfaceLuid < 1n << 64n, 'interfaceLuid fits 64 bits');
  assert.ok(Number.isInteger(row.interfaceIndex) && row.interfaceIndex > 0, `interfaceIndex ${row.interfaceIndex}`);
  for (const key of Object.keys(row)) assert.ok(KNOWN_FIELDS.has(key), `unknown row field ${key}`);
  if (row.interfaceName !== undefined) assert.equal(typeof row.interfaceName, 'string');
  for (const f of BOOLEAN_FIELDS) assert.ok(row[f] === undefined || typeof row[f] === 'boolean', `${f} is boolean or undefined`);
  for (const f of NUMBER_FIELDS) {
    const v = row[f];
    assert.ok(v === undefined || (typeof v === 'number' && Number.isFinite(v)), `${f} is a finite number or undefined`);
  }
  assert.ok(row.interfaceIdentifier === undefined || typeof row.interfaceIdentifier === 'bigint', 'interfaceIdentifier is a bigint');
  if (row.zoneIndices !== undefined) {
    assert.equal(row.zoneIndices.length, ZONE_INDEX_COUNT, 'zoneIndices has 16 entries');
    for (const z of row.zoneIndices) assert.ok(Number.isInteger(z) && z >= 0, 'zone index is a non-negative integer');
  }
  assert.ok(
    row.routerDiscoveryBehavior === undefined || ['disabled', 'enabled', 'dhcp', 'unchanged'].includes(row.routerDiscoveryBehavior),
    'routerDiscoveryBehavior',
  );
  assert.ok(
    row.linkLocalAddressBehavior === undefined || ['alwaysOff', 'delayed', 'alwaysOn', 'unchanged'].includes(row.linkLocalAddressBehavior),
    'linkLocalAddressBehavior',
  );
  for (const offload of [row.transmitOffload, row.receiveOffload]) {
    if (offload === undefined) continue;
    assert.deepEqual(Object.keys(offload).sort(), [...OFFLOAD_FLAG_NAMES].sort(), 'offload flags are the eight named booleans');
    for (const name of OFFLOAD_FLAG_NAMES) assert.equal(typeof offload[name], 'boolean');
  }
}

/** Builds the cases for one harness. */
export function contractCases(h: ContractHarness): ContractCase[] {
  const eventTimeoutMs = h.eventTimeoutMs ?? 3000;
  const quietMs = h.quietMs ?? 300;
  const triggerFamilies = h.triggerFamilies ?? [AF_INET, AF_INET6];
  const cases: ContractCase[] = [];

  const test = (name: string, body: (adapter: IpInterfaceAdapter) => Promise<void>): void => {
    cases.push({
      name,
      async run() {
        const adapter = await h.createAdapter();
        const before = h.liveRegistrations?.(adapter);
        try {
          await body(adapter);
          if (before !== undefined) {
            await waitFor(() => h.liveRegistrations!(adapter) === before, 'registrations to return to their count before the case', eventTimeoutMs);
          }
        } finally {
          await h.dispose?.(adapter);
        }
      },
    });
  };

  const rowsOf = (calls: readonly Call[]): IpInterfaceRow[] => calls.flatMap((c) => (c.row ? [c.row] : []));

  // One case whatever the halves (the Wine run counts the cases): the name, and the halves declared.
  test(h.addresses ? 'has a non-empty name and the address half' : 'has a non-empty name; without the address half, unicastIpAddressChanges$ errors NOT_SUPPORTED', async (adapter) => {
    assert.equal(typeof adapter.name, 'string');
    assert.ok(adapter.name.length > 0);
    // Here, not in a case of its own: the Wine run counts the cases.
    assert.equal(typeof adapter.currentIpInterfaceTable === 'function', h.optionalRules?.currentIpInterfaceTable === true,
      'currentIpInterfaceTable is present exactly when the harness declares optional rule 9');
    if (h.addresses) {
      assert.equal(typeof adapter.notifyUnicastIpAddressChange, 'function', 'notifyUnicastIpAddressChange');
      assert.equal(typeof adapter.getUnicastIpAddressTable, 'function', 'getUnicastIpAddressTable');
    } else {
      await assertNotSupported(adapter, eventTimeoutMs);
    }
    // The route half, here too (no extra case for adapters without it).
    if (h.routes) {
      assert.equal(typeof adapter.notifyRouteChange2, 'function', 'notifyRouteChange2');
      assert.equal(typeof adapter.getIpForwardTable2, 'function', 'getIpForwardTable2');
    } else {
      await assertRoutesNotSupported(adapter, eventTimeoutMs);
    }
  });

  test('initial=true: the first callback is (null, "initial"), exactly once, and the handle cancels', async (adapter) => {
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, r.callback, true);
    await waitFor(() => r.calls.length > 0, 'the initial notification', eventTimeoutMs);
    assert.deepEqual({ row: r.calls[0]?.row, type: r.calls[0]?.type }, { row: null, type: 'initial' });
    await h.triggerChange(adapter);
    await waitFor(() => r.calls.some((c) => c.row !== null), 'a row after the trigger', eventTimeoutMs);
    assert.equal(r.calls.filter((c) => c.type === 'initial').length, 1, 'one initial notification');
    await adapter.cancelMibChangeNotify2(handle);
  });

  test('initial=false: no initial callback', async (adapter) => {
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, r.callback, false);
    await h.triggerChange(adapter);
    await waitFor(() => r.calls.length > 0, 'a row after the trigger', eventTimeoutMs);
    await sleep(quietMs);
    assert.ok(r.calls.every((c) => c.type !== 'initial'), 'no initial callback');
    await adapter.cancelMibChangeNotify2(handle);
  });

  test('a change is delivered as a valid row with a notification type', async (adapter) => {
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, r.callback, false);
    await h.triggerChange(adapter);
    await waitFor(() => rowsOf(r.calls).length > 0, 'a row', eventTimeoutMs);
    for (const call of r.calls) {
      assert.ok(['parameter', 'add', 'delete'].includes(call.type), `type ${call.type}`);
      assert.ok(call.row !== null, 'rows are non-null for parameter/add/delete');
      assertValidRow(call.row, AF_UNSPEC);
    }
    assert.equal(r.reentered(), false, 'callback entered re-entrantly');
    await adapter.cancelMibChangeNotify2(handle);
  });

  test('family filtering: inet gets only IPv4 rows, inet6 only IPv6, unspec both', async (adapter) => {
    const regs = ([AF_INET, AF_INET6, AF_UNSPEC] as const).map((family) => ({ family, r: recorder() }));
    const handles: NotificationHandle[] = [];
    for (const { family, r } of regs) handles.push(await adapter.notifyIpInterfaceChange(family, r.callback, false));
    await h.triggerChange(adapter);
    const unspec = regs[2]!.r;
    await waitFor(
      () => triggerFamilies.every((f) => rowsOf(unspec.calls).some((row) => row.family === f)),
      `unspec to see rows of ${triggerFamilies.join(' and ')}`,
      eventTimeoutMs,
    );
    for (const { family, r } of regs) {
      if (family !== AF_UNSPEC && triggerFamilies.includes(family)) {
        await waitFor(() => rowsOf(r.calls).length > 0, `a ${family} row`, eventTimeoutMs);
      }
    }
    await sleep(quietMs);
    for (const { family, r } of regs) for (const row of rowsOf(r.calls)) assertValidRow(row, family);
    for (const handle of handles) await adapter.cancelMibChangeNotify2(handle);
  });

  test('after cancel resolves the callback is never called again', async (adapter) => {
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, r.callback, true);
    await adapter.cancelMibChangeNotify2(handle);
    const seen = r.calls.length;
    await h.triggerChange(adapter);
    await sleep(quietMs);
    assert.equal(r.calls.length, seen, 'callbacks after cancel');
  });

  test('cancelling twice, or a handle that was never issued, rejects INVALID_HANDLE', async (adapter) => {
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange(AF_INET, r.callback, false);
    await adapter.cancelMibChangeNotify2(handle);
    await rejectsWith(adapter.cancelMibChangeNotify2(handle), 'INVALID_HANDLE', 'second cancel');
    await rejectsWith(adapter.cancelMibChangeNotify2({ adapter: adapter.name, id: 987654321 }), 'INVALID_HANDLE', 'forged handle');
  });

  // One case (the Wine run counts the cases): both checks of contract rule 1 and of the kit's registrationError.
  test('an invalid family, or a callback that is not a function, rejects INVALID_PARAMETER and registers nothing', async (adapter) => {
    for (const family of [99, 'ipx', undefined, Number.NaN]) {
      const r = recorder();
      const before = h.liveRegistrations?.(adapter);
      await rejectsWith(
        adapter.notifyIpInterfaceChange(family as unknown as AddressFamily, r.callback, true),
        'INVALID_PARAMETER',
        `family ${String(family)}`,
      );
      if (before !== undefined) assert.equal(h.liveRegistrations!(adapter), before, 'nothing registered');
      await sleep(20);
      assert.equal(r.calls.length, 0, 'no callback for a rejected registration');
    }
    for (const callback of [42, undefined, null, 'callback']) {
      const before = h.liveRegistrations?.(adapter);
      await rejectsWith(
        adapter.notifyIpInterfaceChange(AF_UNSPEC, callback as unknown as IpInterfaceChangeCallback, true),
        'INVALID_PARAMETER',
        `callback ${String(callback)}`,
      );
      if (before !== undefined) assert.equal(h.liveRegistrations!(adapter), before, 'nothing registered');
    }
  });

  test('getIpInterfaceTable: valid rows, unique keys, unspec is inet plus inet6, bad family rejects', async (adapter) => {
    const [v4, v6, all] = await Promise.all(([AF_INET, AF_INET6, AF_UNSPEC] as const).map((f) => adapter.getIpInterfaceTable(f)));
    for (const row of v4!) assertValidRow(row, AF_INET);
    for (const row of v6!) assertValidRow(row, AF_INET6);
    for (const row of all!) assertValidRow(row, AF_UNSPEC);
    const keys = all!.map(interfaceKey);
    assert.equal(new Set(keys).size, keys.length, 'interfaceKey is unique in the table');
    assert.deepEqual([...keys].sort(), [...v4!, ...v6!].map(interfaceKey).sort(), 'unspec = inet + inet6');
    await rejectsWith(adapter.getIpInterfaceTable('ipx' as unknown as AddressFamily), 'INVALID_PARAMETER', 'table of ipx');
  });

  test('registrations are independent: cancelling one leaves the other receiving', async (adapter) => {
    const a = recorder();
    const b = recorder();
    const ha = await adapter.notifyIpInterfaceChange(AF_UNSPEC, a.callback, false);
    const hb = await adapter.notifyIpInterfaceChange(AF_UNSPEC, b.callback, false);
    assert.notEqual(ha, hb);
    await adapter.cancelMibChangeNotify2(ha);
    const seenA = a.calls.length;
    await h.triggerChange(adapter);
    await waitFor(() => rowsOf(b.calls).length > 0, 'the remaining registration to receive', eventTimeoutMs);
    await sleep(quietMs);
    assert.equal(a.calls.length, seenA, 'the cancelled registration received');
    await adapter.cancelMibChangeNotify2(hb);
  });

  test('ipInterfaceChanges$ over the adapter: initial first, then a change; unsubscribe cancels', async (adapter) => {
    const seen: IpInterfaceChange[] = [];
    let failure: unknown;
    const sub = ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (e) => (failure = e) });
    await waitFor(() => seen.length > 0 || failure !== undefined, 'the initial marker', eventTimeoutMs);
    assert.equal(failure, undefined);
    assert.deepEqual(seen[0], { kind: 'initial', family: AF_UNSPEC });
    await h.triggerChange(adapter);
    await waitFor(() => seen.length > 1, 'a change', eventTimeoutMs);
    for (const c of seen.slice(1)) {
      assert.notEqual(c.kind, 'initial');
      if (c.kind !== 'initial') assertValidRow(c.row, AF_UNSPEC);
    }
    sub.unsubscribe();
  });

  test('50 register/cancel cycles leave nothing registered', async (adapter) => {
    for (let i = 0; i < 50; i++) {
      const r = recorder();
      const handle = await adapter.notifyIpInterfaceChange(i % 2 ? AF_INET : AF_INET6, r.callback, i % 3 === 0);
      await adapter.cancelMibChangeNotify2(handle);
    }
  });

  if (h.optionalRules?.currentIpInterfaceTable) {
    test('rule 9: currentIpInterfaceTable is what the live registration was told; like getIpInterfaceTable without one', async (adapter) => {
      const current = (family: AddressFamily): Promise<IpInterfaceRow[]> => Promise.resolve(adapter.currentIpInterfaceTable!(family));
      const keysOf = (rows: readonly IpInterfaceRow[]): string[] => rows.map(interfaceKey).sort();
      // No live registration: the same set as a table read.
      assert.deepEqual(keysOf(await current(AF_UNSPEC)), keysOf(await adapter.getIpInterfaceTable(AF_UNSPEC)), 'no registration: keys as getIpInterfaceTable');
      const r = recorder();
      const handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, r.callback, true);
      try {
        const told = new Map<string, IpInterfaceRow>();
        for (const row of await current(AF_UNSPEC)) told.set(interfaceKey(row), row);
        await h.triggerChange(adapter);
        await waitFor(() => rowsOf(r.calls).length > 0, 'a row after the trigger', eventTimeoutMs);
        await sleep(quietMs);
        for (const c of r.calls) {
          if (!c.row) continue;
          if (c.type === 'delete') told.delete(interfaceKey(c.row));
          else told.set(interfaceKey(c.row), c.row);
        }
        const [v4, v6, all] = await Promise.all(([AF_INET, AF_INET6, AF_UNSPEC] as const).map(current));
        for (const row of v4!) assertValidRow(row, AF_INET);
        for (const row of v6!) assertValidRow(row, AF_INET6);
        for (const row of all!) assertValidRow(row, AF_UNSPEC);
        assert.deepEqual(keysOf(all!), keysOf([...v4!, ...v6!]), 'unspec = inet + inet6');
        // The first read plus the notifications since is the table now, row for row.
        const byKey = new Map(all!.map((row) => [interfaceKey(row), row]));
        assert.deepEqual([...byKey.keys()].sort(), [...told.keys()].sort(), 'keys = first read + notifications');
        for (const [key, row] of told) assert.deepEqual(byKey.get(key), row, `row ${key} is the one last delivered`);
        assert.deepEqual(keysOf(all!), keysOf(await adapter.getIpInterfaceTable(AF_UNSPEC)), 'after quiet: keys as getIpInterfaceTable');
        let error: unknown;
        try {
          await current('ipx' as unknown as AddressFamily);
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof IpInterfaceError && error.code === 'INVALID_PARAMETER', `bad family: ${String(error)}`);
      } finally {
        await adapter.cancelMibChangeNotify2(handle);
      }
    });
  }

  if (h.endRegistrations) registrationEndedCases(h, test, eventTimeoutMs, quietMs);

  // The address half (a harness that declares it): its own cases, after the interface half.
  if (h.addresses) addressCases(h, h.addresses, test);
  // The route half (a harness that declares it), after the address half.
  if (h.routes) routeCases(h, h.routes, test);

  return cases;
}

/** One registration made with an `ended` hook, and what it was told. */
interface Endable {
  readonly calls: Call[];
  readonly ended: unknown[];
  /** `ended` calls that came while one of this suite's callbacks was running (rule 10 forbids it). */
  insideCallback: number;
  handle?: NotificationHandle;
}

/** Rule 10 cases, for a harness with `endRegistrations`. */
function registrationEndedCases(
  h: ContractHarness,
  test: (name: string, body: (adapter: IpInterfaceAdapter) => Promise<void>) => void,
  eventTimeoutMs: number,
  quietMs: number,
): void {
  let depth = 0;
  const endable = (): Endable & { callback: IpInterfaceChangeCallback; onEnded: (error: IpInterfaceError) => void } => {
    const e: Endable = { calls: [], ended: [], insideCallback: 0 };
    return Object.assign(e, {
      callback: ((row, type) => {
        depth++;
        try {
          e.calls.push({ row, type, at: Date.now() });
        } finally {
          depth--;
        }
      }) as IpInterfaceChangeCallback,
      onEnded: (error: IpInterfaceError) => {
        if (depth > 0) e.insideCallback++;
        e.ended.push(error);
      },
    });
  };
  // A trigger after the loss may be impossible (a deleted namespace cannot change): then nothing can arrive either.
  const triggerIfPossible = async (adapter: IpInterfaceAdapter): Promise<void> => {
    try {
      await h.triggerChange(adapter);
    } catch {
      // nothing to trigger in
    }
  };

  test('rule 10: a lost registration is ended once with an IpInterfaceError, outside any callback; no callback afterwards; cancelling it rejects INVALID_HANDLE', async (adapter) => {
    const regs = [endable(), endable()];
    regs[0]!.handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, regs[0]!.callback, true, regs[0]!.onEnded);
    regs[1]!.handle = await adapter.notifyIpInterfaceChange(AF_INET, regs[1]!.callback, false, regs[1]!.onEnded);
    if (h.addresses) {
      // The address half follows rule 10 too (with notifyUnicastIpAddressChange in place of notifyIpInterfaceChange).
      const a = endable();
      a.handle = await adapter.notifyUnicastIpAddressChange!(AF_UNSPEC, a.callback as unknown as Parameters<NonNullable<IpInterfaceAdapter['notifyUnicastIpAddressChange']>>[1], false, a.onEnded);
      regs.push(a);
    }
    await h.triggerChange(adapter);
    await waitFor(() => regs[0]!.calls.some((c) => c.row !== null), 'a row before the loss', eventTimeoutMs);
    await h.endRegistrations!(adapter);
    await waitFor(() => regs.every((r) => r.ended.length > 0), 'every registration to be ended', eventTimeoutMs);
    const seen = regs.map((r) => r.calls.length);
    await triggerIfPossible(adapter);
    await sleep(quietMs);
    for (const [i, r] of regs.entries()) {
      assert.equal(r.ended.length, 1, `registration ${i}: ended once`);
      const error = r.ended[0];
      assert.ok(error instanceof IpInterfaceError, `registration ${i}: ended with an IpInterfaceError, got ${String(error)}`);
      assert.ok(error.message.length > 0, 'a message that says why');
      assert.equal(r.insideCallback, 0, `registration ${i}: ended inside a callback invocation`);
      assert.equal(r.calls.length, seen[i], `registration ${i}: callbacks after ended`);
      await rejectsWith(adapter.cancelMibChangeNotify2(r.handle!), 'INVALID_HANDLE', `registration ${i}: cancel after ended`);
    }
  });

  test('rule 10: registrations of another adapter are unaffected when one adapter loses its own', async (adapter) => {
    const other = await h.createAdapter();
    try {
      const mine = endable();
      const theirs = endable();
      mine.handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, mine.callback, false, mine.onEnded);
      theirs.handle = await other.notifyIpInterfaceChange(AF_UNSPEC, theirs.callback, false, theirs.onEnded);
      await h.endRegistrations!(adapter);
      await waitFor(() => mine.ended.length > 0, 'the registration to be ended', eventTimeoutMs);
      await h.triggerChange(other);
      await waitFor(() => theirs.calls.some((c) => c.row !== null), "the other adapter's registration to receive", eventTimeoutMs);
      await sleep(quietMs);
      assert.deepEqual(theirs.ended, [], "the other adapter's registration was ended");
      await other.cancelMibChangeNotify2(theirs.handle);
    } finally {
      await h.dispose?.(other);
    }
  });
}

/** Runs the suite without a test framework; prints one line per case and `N passed, N failed`. */
export async function runContract(
  h: ContractHarness,
  log: (line: string) => void = (line) => console.log(line),
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const c of contractCases(h)) {
    const started = Date.now();
    try {
      await c.run();
      passed++;
      log(`ok   ${h.name}: ${c.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      log(`FAIL ${h.name}: ${c.name}\n     ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
