/**
 * The route half of the contract suite (adapter rules R1-R4 of src/adapter.ts, and rules 1-8 for
 * `notifyRouteChange2`), run for a harness that declares it (`ContractHarness.routes`).
 * Framework-free, like contract-suite.ts.
 *
 * To hook an adapter up, give its harness a {@link RouteHarness}:
 *
 * ```ts
 * describeContract({
 *   ...,
 *   routes: {
 *     // Required: makes at least one real route change (added or removed) that route registrations
 *     // of every family in triggerFamilies see, e.g. `ip -n NS route add/del 10.77.0.0/16 via ...`.
 *     triggerChange: async (adapter) => { ... },
 *     triggerFamilies: ['inet'],            // optional; default inet and inet6
 *     // Optional: flips what getBestRoute2(inet, DEFAULT_ROUTE_DESTINATIONS.inet) answers (adds the
 *     // default route when there is none, removes it when there is one); the suite then checks
 *     // that defaultRoute$ follows.
 *     toggleDefaultRoute: async (adapter) => { ... },
 *   },
 * });
 * ```
 *
 * Without `routes` the suite asserts, inside its first case (the Wine run counts the cases), that
 * routeChanges$, routeTable$ and defaultRoute$ error `NOT_SUPPORTED` ({@link assertRoutesNotSupported}).
 * An adapter with the route half but without `getBestRoute2` gets its own case checked with
 * defaultRoute$ erroring `NOT_SUPPORTED`.
 */
import assert from 'node:assert/strict';
import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, MibNotificationType, NotificationHandle, RouteChangeCallback } from '../../src/adapter.js';
import { DEFAULT_ROUTE_DESTINATIONS, defaultRoute$ } from '../../src/default-route.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { RouteChange } from '../../src/route-change.js';
import { routeChanges$ } from '../../src/route-changes.js';
import { routeKey } from '../../src/route-key.js';
import { routeTable$ } from '../../src/route-table.js';
import { sleep, waitFor } from '../helpers/wait-for.js';

/** What a harness supplies for the route half (see the top of this file). */
export interface RouteHarness {
  /** Makes at least one real route change happen (added or removed) that route registrations of every family in `triggerFamilies` see. */
  triggerChange(adapter: IpInterfaceAdapter): Promise<void>;
  /** Families for which `triggerChange` yields rows. Default: inet and inet6. */
  readonly triggerFamilies?: readonly ('inet' | 'inet6')[];
  /** Optional: flips the IPv4 best route for `DEFAULT_ROUTE_DESTINATIONS.inet` between a route and none. */
  toggleDefaultRoute?(adapter: IpInterfaceAdapter): Promise<void>;
}

type Define = (name: string, body: (adapter: IpInterfaceAdapter) => Promise<void>) => void;

/** What of the suite's harness the route cases use (structural: no import back into contract-suite.ts). */
interface SuiteSettings {
  readonly eventTimeoutMs?: number;
  readonly quietMs?: number;
  liveRegistrations?(adapter: IpInterfaceAdapter): number;
}

interface RouteCall {
  readonly row: IpForwardRow | null;
  readonly type: MibNotificationType;
}

function routeRecorder(): { callback: RouteChangeCallback; calls: RouteCall[]; reentered(): boolean } {
  const calls: RouteCall[] = [];
  let depth = 0;
  let reentered = false;
  const callback: RouteChangeCallback = (row, type) => {
    depth++;
    if (depth > 1) reentered = true;
    calls.push({ row, type });
    depth--;
  };
  return { callback, calls, reentered: () => reentered };
}

const rowsOf = (calls: readonly RouteCall[]): IpForwardRow[] => calls.flatMap((c) => (c.row ? [c.row] : []));

const PROTOCOLS = [
  'other', 'local', 'netmgmt', 'icmp', 'egp', 'ggp', 'hello', 'rip', 'isIs', 'esIs', 'cisco', 'bbn', 'ospf', 'bgp', 'idpr', 'eigrp', 'dvmrp', 'rpl',
  'dhcp', 'ntAutostatic', 'ntStatic', 'ntStaticNonDod',
];
const ORIGINS = ['manual', 'wellKnown', 'dhcp', 'routerAdvertisement', '6to4'];
const KNOWN = new Set([
  'family', 'destinationPrefix', 'nextHop', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'sitePrefixLength', 'validLifetime',
  'preferredLifetime', 'metric', 'protocol', 'loopback', 'autoconfigureAddress', 'publish', 'immortal', 'age', 'origin', 'table',
]);

function assertAddressText(family: 'inet' | 'inet6', text: unknown, what: string): void {
  assert.equal(typeof text, 'string', `${what} is text`);
  if (family === AF_INET) assert.match(text as string, /^\d{1,3}(\.\d{1,3}){3}$/, `${what}: dotted quad`);
  else {
    assert.match(text as string, /^[0-9a-f:.]+$/, `${what}: lower-case IPv6 text without a zone`);
    assert.ok((text as string).includes(':'), `${what}: IPv6 text`);
  }
}

/** Checks the shape of an IpForwardRow (rule R1): exact types, no invented extra fields. */
export function assertValidRouteRow(row: IpForwardRow, family?: AddressFamily): void {
  assert.ok(row.family === AF_INET || row.family === AF_INET6, `row.family ${String(row.family)}`);
  if (family) assert.ok(familyMatches(family, row.family), `route of family ${row.family} delivered to a ${family} registration`);
  assert.equal(typeof row.destinationPrefix, 'object');
  assertAddressText(row.family, row.destinationPrefix.prefix, 'destinationPrefix.prefix');
  const length = row.destinationPrefix.prefixLength;
  assert.ok(Number.isInteger(length) && length >= 0 && length <= (row.family === AF_INET ? 32 : 128), `prefixLength ${length}`);
  assert.deepEqual(Object.keys(row.destinationPrefix).sort(), ['prefix', 'prefixLength']);
  assertAddressText(row.family, row.nextHop, 'nextHop');
  assert.equal(typeof row.interfaceLuid, 'bigint', 'interfaceLuid is a bigint');
  assert.ok(Number.isInteger(row.interfaceIndex) && row.interfaceIndex >= 0, `interfaceIndex ${row.interfaceIndex}`);
  for (const key of Object.keys(row)) assert.ok(KNOWN.has(key), `unknown route row field ${key}`);
  if (row.interfaceName !== undefined) assert.equal(typeof row.interfaceName, 'string');
  for (const f of ['sitePrefixLength', 'validLifetime', 'preferredLifetime', 'metric', 'age', 'table'] as const) {
    const v = row[f];
    assert.ok(v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff), `${f} is a 32-bit unsigned integer or undefined, got ${String(v)}`);
  }
  for (const f of ['loopback', 'autoconfigureAddress', 'publish', 'immortal'] as const) {
    assert.ok(row[f] === undefined || typeof row[f] === 'boolean', `${f} is a boolean or undefined`);
  }
  assert.ok(row.protocol === undefined || PROTOCOLS.includes(row.protocol), `protocol ${String(row.protocol)}`);
  assert.ok(row.origin === undefined || ORIGINS.includes(row.origin), `origin ${String(row.origin)}`);
}

async function errorOf(stream: Observable<unknown>, timeoutMs: number): Promise<{ failure: unknown; emitted: number }> {
  let failure: unknown;
  let emitted = 0;
  const sub = stream.subscribe({ next: () => emitted++, error: (e: unknown) => (failure = e) });
  try {
    await waitFor(() => failure !== undefined, 'an error', timeoutMs);
  } finally {
    sub.unsubscribe();
  }
  return { failure, emitted };
}

async function assertStreamNotSupported(stream: Observable<unknown>, what: string, timeoutMs: number): Promise<void> {
  const { failure, emitted } = await errorOf(stream, timeoutMs);
  assert.equal(emitted, 0, `${what}: nothing emitted before the error`);
  assert.ok(failure instanceof IpInterfaceError, `${what}: an IpInterfaceError, got ${String(failure)}`);
  assert.equal(failure.code, 'NOT_SUPPORTED', `${what}: code`);
}

/** An adapter without the route half: routeChanges$, routeTable$ and defaultRoute$ (both families) error NOT_SUPPORTED. */
export async function assertRoutesNotSupported(adapter: IpInterfaceAdapter, timeoutMs: number): Promise<void> {
  await assertStreamNotSupported(routeChanges$(AF_UNSPEC, true, { adapter }), 'routeChanges$', timeoutMs);
  await assertStreamNotSupported(routeTable$(AF_UNSPEC, { adapter }), 'routeTable$', timeoutMs);
  await assertStreamNotSupported(defaultRoute$(AF_INET, { adapter }), 'defaultRoute$(AF_INET)', timeoutMs);
  await assertStreamNotSupported(defaultRoute$(AF_INET6, { adapter }), 'defaultRoute$(AF_INET6)', timeoutMs);
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

/** The route cases, defined through the suite's own `test` (same setup, dispose and leak check). */
export function routeCases(h: SuiteSettings, r: RouteHarness, test: Define): void {
  const eventTimeoutMs = h.eventTimeoutMs ?? 3000;
  const quietMs = h.quietMs ?? 300;
  const triggerFamilies = r.triggerFamilies ?? [AF_INET, AF_INET6];
  const notify = (adapter: IpInterfaceAdapter, family: AddressFamily, callback: RouteChangeCallback, initial: boolean): Promise<NotificationHandle> =>
    adapter.notifyRouteChange2!(family, callback, initial);

  test('routes, initial=true: (null, "initial") first, once; a change is a valid route row; cancel stops it', async (adapter) => {
    const rec = routeRecorder();
    const handle = await notify(adapter, AF_UNSPEC, rec.callback, true);
    await waitFor(() => rec.calls.length > 0, 'the initial notification', eventTimeoutMs);
    assert.deepEqual(rec.calls[0], { row: null, type: 'initial' });
    await r.triggerChange(adapter);
    await waitFor(() => rowsOf(rec.calls).length > 0, 'a route row after the trigger', eventTimeoutMs);
    assert.equal(rec.calls.filter((c) => c.type === 'initial').length, 1, 'one initial notification');
    for (const call of rec.calls.slice(1)) {
      assert.ok(['parameter', 'add', 'delete'].includes(call.type), `type ${call.type}`);
      assert.ok(call.row !== null);
      assertValidRouteRow(call.row, AF_UNSPEC);
    }
    assert.equal(rec.reentered(), false, 'callback entered re-entrantly');
    await adapter.cancelMibChangeNotify2(handle);
    const seen = rec.calls.length;
    await r.triggerChange(adapter);
    await sleep(quietMs);
    assert.equal(rec.calls.length, seen, 'callbacks after cancel');
    await rejectsWith(adapter.cancelMibChangeNotify2(handle), 'INVALID_HANDLE', 'second cancel');
  });

  test('routes, family filtering: inet gets only IPv4 routes, inet6 only IPv6, unspec both; initial=false has no marker', async (adapter) => {
    const regs = ([AF_INET, AF_INET6, AF_UNSPEC] as const).map((family) => ({ family, rec: routeRecorder() }));
    const handles: NotificationHandle[] = [];
    for (const { family, rec } of regs) handles.push(await notify(adapter, family, rec.callback, false));
    await r.triggerChange(adapter);
    const unspec = regs[2]!.rec;
    await waitFor(() => triggerFamilies.every((f) => rowsOf(unspec.calls).some((row) => row.family === f)), 'unspec to see every trigger family', eventTimeoutMs);
    for (const { family, rec } of regs) {
      if (family !== AF_UNSPEC && triggerFamilies.includes(family)) await waitFor(() => rowsOf(rec.calls).length > 0, `a ${family} route`, eventTimeoutMs);
    }
    await sleep(quietMs);
    for (const { family, rec } of regs) {
      assert.ok(rec.calls.every((c) => c.type !== 'initial'), 'no initial callback');
      for (const row of rowsOf(rec.calls)) assertValidRouteRow(row, family);
    }
    for (const handle of handles) await adapter.cancelMibChangeNotify2(handle);
  });

  test('routes: an invalid family or callback rejects INVALID_PARAMETER and registers nothing', async (adapter) => {
    for (const family of [99, 'ipx', undefined]) {
      const before = h.liveRegistrations?.(adapter);
      await rejectsWith(notify(adapter, family as unknown as AddressFamily, () => {}, true), 'INVALID_PARAMETER', `family ${String(family)}`);
      if (before !== undefined) assert.equal(h.liveRegistrations!(adapter), before, 'nothing registered');
    }
    for (const callback of [42, undefined, null]) {
      await rejectsWith(notify(adapter, AF_UNSPEC, callback as unknown as RouteChangeCallback, true), 'INVALID_PARAMETER', `callback ${String(callback)}`);
    }
  });

  test('getIpForwardTable2: valid rows, unique route keys, unspec is inet plus inet6, bad family rejects', async (adapter) => {
    const read = (f: AddressFamily): Promise<IpForwardRow[]> => adapter.getIpForwardTable2!(f);
    const [v4, v6, all] = await Promise.all(([AF_INET, AF_INET6, AF_UNSPEC] as const).map(read));
    for (const row of v4!) assertValidRouteRow(row, AF_INET);
    for (const row of v6!) assertValidRouteRow(row, AF_INET6);
    const keys = all!.map(routeKey);
    assert.equal(new Set(keys).size, keys.length, 'routeKey is unique in the table (rule R3)');
    assert.deepEqual([...keys].sort(), [...v4!, ...v6!].map(routeKey).sort(), 'unspec = inet + inet6');
    await rejectsWith(read('ipx' as unknown as AddressFamily), 'INVALID_PARAMETER', 'table of ipx');
  });

  test('routeChanges$ and routeTable$ over the adapter: marker, a change, the table follows the adapter; unsubscribe cancels', async (adapter) => {
    const seen: RouteChange[] = [];
    const tables: ReadonlyMap<string, IpForwardRow>[] = [];
    let failure: unknown;
    const changes = routeChanges$(AF_UNSPEC, true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (e: unknown) => (failure = e) });
    const table = routeTable$(AF_UNSPEC, { adapter }).subscribe({ next: (t) => tables.push(t), error: (e: unknown) => (failure = e) });
    await waitFor(() => (seen.length > 0 && tables.length > 0) || failure !== undefined, 'the marker and the first table', eventTimeoutMs);
    assert.equal(failure, undefined);
    assert.deepEqual(seen[0], { kind: 'initial', family: AF_UNSPEC });
    await r.triggerChange(adapter);
    await waitFor(() => seen.length > 1, 'a change', eventTimeoutMs);
    for (const c of seen.slice(1)) if (c.kind !== 'initial') assertValidRouteRow(c.row, AF_UNSPEC);
    const expected = JSON.stringify((await adapter.getIpForwardTable2!(AF_UNSPEC)).map(routeKey).sort());
    const live = (): string => JSON.stringify([...tables.at(-1)!.keys()].sort());
    await waitFor(() => live() === expected, 'the live table to equal getIpForwardTable2', eventTimeoutMs, () => `live ${live()} vs read ${expected}`);
    changes.unsubscribe();
    table.unsubscribe();
    assert.equal(failure, undefined);
  });

  test('getBestRoute2 (rule R4): a valid route of the family or null, bad family or destination INVALID_PARAMETER; defaultRoute$ starts with its answer (without it: NOT_SUPPORTED)', async (adapter) => {
    if (typeof adapter.getBestRoute2 !== 'function') {
      await assertStreamNotSupported(defaultRoute$(AF_INET, { adapter }), 'defaultRoute$ without getBestRoute2', eventTimeoutMs);
      return;
    }
    for (const family of [AF_INET, AF_INET6] as const) {
      const answer = await adapter.getBestRoute2(family, DEFAULT_ROUTE_DESTINATIONS[family]);
      if (answer !== null) assertValidRouteRow(answer, family);
      let first: IpForwardRow | null | undefined;
      let failure: unknown;
      const sub = defaultRoute$(family, { adapter }).subscribe({ next: (route) => (first ??= route), error: (e: unknown) => (failure = e) });
      await waitFor(() => first !== undefined || failure !== undefined, `defaultRoute$(${family})'s first answer`, eventTimeoutMs);
      sub.unsubscribe();
      assert.equal(failure, undefined);
      assert.equal(first === null ? null : routeKey(first!), answer === null ? null : routeKey(answer), `defaultRoute$(${family}) = getBestRoute2`);
    }
    await rejectsWith(adapter.getBestRoute2('unspec' as never, '8.8.8.8'), 'INVALID_PARAMETER', 'getBestRoute2(unspec)');
    await rejectsWith(adapter.getBestRoute2(AF_INET, 'not an address'), 'INVALID_PARAMETER', 'getBestRoute2(inet, garbage)');
    await rejectsWith(adapter.getBestRoute2(AF_INET6, '8.8.8.8'), 'INVALID_PARAMETER', 'getBestRoute2(inet6, an IPv4 address)');
  });

  if (r.toggleDefaultRoute) {
    const toggle = r.toggleDefaultRoute.bind(r);
    test('defaultRoute$ follows the default route: a toggle of the default emits the new answer, once', async (adapter) => {
      const answers: (IpForwardRow | null)[] = [];
      let failure: unknown;
      const sub = defaultRoute$(AF_INET, { adapter }).subscribe({ next: (route) => answers.push(route), error: (e: unknown) => (failure = e) });
      await waitFor(() => answers.length > 0 || failure !== undefined, 'the first answer', eventTimeoutMs);
      for (let i = 1; i <= 2; i++) {
        await toggle(adapter);
        await waitFor(() => answers.length > i || failure !== undefined, `answer ${i + 1} after toggle ${i}`, eventTimeoutMs);
        assert.equal(failure, undefined);
        assert.notEqual(answers[i] === null, answers[i - 1] === null, 'the toggle flips between a route and none');
        if (answers[i] !== null) assertValidRouteRow(answers[i]!, AF_INET);
      }
      await sleep(quietMs);
      sub.unsubscribe();
      assert.equal(answers.length, 3, 'one emission per change of the answer');
    });
  }

  test('routes: 30 register/cancel cycles, interleaved with interface registrations, leave nothing registered', async (adapter) => {
    for (let i = 0; i < 30; i++) {
      const route = await notify(adapter, i % 2 ? AF_INET : AF_INET6, () => {}, i % 3 === 0);
      const iface = i % 2 ? await adapter.notifyIpInterfaceChange(AF_UNSPEC, () => {}, false) : undefined;
      await adapter.cancelMibChangeNotify2(route);
      if (iface) await adapter.cancelMibChangeNotify2(iface);
    }
  });
}
