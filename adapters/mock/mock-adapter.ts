import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type {
  IpInterfaceChangeCallback,
  MibNotificationType,
  NotificationHandle,
  RegistrationEndedCallback,
  RouteAdapter,
  RouteChangeCallback,
  UnicastIpAddressAdapter,
  UnicastIpAddressChangeCallback,
} from '../../src/adapter.js';
import { IpInterfaceError, type IpInterfaceErrorCode } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { interfaceKey } from '../../src/interface-key.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import { routeKey } from '../../src/route-key.js';
import { bestRouteError, ERROR_INVALID_PARAMETER, familyError, registrationError } from '../shared/adapter-arguments.js';
import { Registrations } from '../shared/registrations.js';

/**
 * A change the mock delivers: the public kinds, as `ipInterfaceChanges$` emits them.
 *
 * @example
 * ```ts
 * import { createMockAdapter, mockRow, type MockChange } from 'rxjs-ip-interface/adapters/mock';
 *
 * const jumboFrames: MockChange = { kind: 'changed', row: mockRow({ interfaceIndex: 3, nlMtu: 9000 }) };
 * createMockAdapter().emit(jumboFrames);
 * ```
 */
export interface MockChange {
  readonly kind: 'added' | 'changed' | 'removed';
  readonly row: IpInterfaceRow;
}

/**
 * An address change the mock delivers, as `unicastIpAddressChanges$` emits it.
 *
 * @example
 * ```ts
 * import { createMockAdapter, mockAddressRow, type MockAddressChange } from 'rxjs-ip-interface/adapters/mock';
 *
 * const deprecated: MockAddressChange = { kind: 'changed', row: mockAddressRow({ address: '10.9.0.1', dadState: 'deprecated' }) };
 * createMockAdapter().emitAddress(deprecated);
 * ```
 */
export interface MockAddressChange {
  readonly kind: 'added' | 'changed' | 'removed';
  readonly row: UnicastIpAddressRow;
}

/**
 * Like {@link MockSource}, for address changes (`addressSource`).
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { createMockAdapter, mockAddressRow, type MockAddressChange, type MockAddressSource } from 'rxjs-ip-interface/adapters/mock';
 *
 * const changes = new Subject<MockAddressChange>();
 * const addressSource: MockAddressSource = changes;
 * createMockAdapter({ addressSource });
 * changes.next({ kind: 'added', row: mockAddressRow() }); // reaches live address registrations
 * ```
 */
export interface MockAddressSource {
  subscribe(observer: { next: (change: MockAddressChange) => void }): { unsubscribe(): void };
}

/**
 * A route change the mock delivers, as `routeChanges$` emits it.
 *
 * @example
 * ```ts
 * import { createMockAdapter, mockRouteRow, type MockRouteChange } from 'rxjs-ip-interface/adapters/mock';
 *
 * const newDefault: MockRouteChange = { kind: 'added', row: mockRouteRow({ nextHop: '10.0.0.254' }) };
 * createMockAdapter().emitRoute(newDefault);
 * ```
 */
export interface MockRouteChange {
  readonly kind: 'added' | 'changed' | 'removed';
  readonly row: IpForwardRow;
}

/**
 * Like {@link MockSource}, for route changes (`routeSource`).
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { createMockAdapter, mockRouteRow, type MockRouteChange, type MockRouteSource } from 'rxjs-ip-interface/adapters/mock';
 *
 * const changes = new Subject<MockRouteChange>();
 * const routeSource: MockRouteSource = changes;
 * createMockAdapter({ routeSource });
 * changes.next({ kind: 'removed', row: mockRouteRow() }); // reaches live route registrations
 * ```
 */
export interface MockRouteSource {
  subscribe(observer: { next: (change: MockRouteChange) => void }): { unsubscribe(): void };
}

/**
 * What {@link MockIpInterfaceAdapter.setBestRoute} takes: the answer of `getBestRoute2` for a
 * family, fixed or as a function of the destination.
 *
 * @example
 * ```ts
 * import { createMockAdapter, mockRouteRow, type MockBestRoute } from 'rxjs-ip-interface/adapters/mock';
 *
 * const splitTunnel: MockBestRoute = (destination) =>
 *   destination.startsWith('10.') ? mockRouteRow({ interfaceIndex: 9, nextHop: '0.0.0.0' }) : mockRouteRow();
 * createMockAdapter().setBestRoute('inet', splitTunnel);
 * ```
 */
export type MockBestRoute = IpForwardRow | null | ((destination: string) => IpForwardRow | null);

/**
 * Anything with `subscribe` (an RxJS Observable, a marble `m.hot(...)`): the mock does not import rxjs.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { createMockAdapter, mockRow, type MockChange, type MockSource } from 'rxjs-ip-interface/adapters/mock';
 *
 * const changes = new Subject<MockChange>();
 * const source: MockSource = changes;
 * const adapter = createMockAdapter({ source });
 * changes.next({ kind: 'added', row: mockRow({ interfaceIndex: 3 }) }); // reaches live registrations
 * ```
 */
export interface MockSource {
  subscribe(observer: { next: (change: MockChange) => void }): { unsubscribe(): void };
}

/**
 * One entry of {@link MockIpInterfaceAdapter.calls}.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
 * import { createMockAdapter, type MockCall } from 'rxjs-ip-interface/adapters/mock';
 *
 * const adapter = createMockAdapter();
 * ipInterfaceChanges$(AF_INET, false, { adapter }).subscribe().unsubscribe();
 * const fns = adapter.calls.map((call: MockCall) => call.fn); // ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']
 * ```
 */
export type MockCall =
  | { readonly fn: 'NotifyIpInterfaceChange'; readonly family: AddressFamily; readonly initial: boolean; readonly handle: NotificationHandle }
  | { readonly fn: 'NotifyUnicastIpAddressChange'; readonly family: AddressFamily; readonly initial: boolean; readonly handle: NotificationHandle }
  | { readonly fn: 'NotifyRouteChange2'; readonly family: AddressFamily; readonly initial: boolean; readonly handle: NotificationHandle }
  | { readonly fn: 'CancelMibChangeNotify2'; readonly handle: NotificationHandle };

/**
 * Options of {@link createMockAdapter}.
 *
 * @example
 * ```ts
 * import { createMockAdapter, mockRow, type MockAdapterOptions } from 'rxjs-ip-interface/adapters/mock';
 *
 * const options: MockAdapterOptions = { table: [mockRow({ interfaceIndex: 3 })], registrationDelayMs: 10 };
 * const adapter = createMockAdapter(options); // getIpInterfaceTable resolves to the eth3 row
 * ```
 */
export interface MockAdapterOptions {
  /** Changes to deliver while at least one registration is live (subscribed on the first, released after the last). */
  source?: MockSource | undefined;
  /** The initial table returned by `getIpInterfaceTable`. */
  table?: readonly IpInterfaceRow[] | undefined;
  /** Address changes to deliver while at least one address registration is live. */
  addressSource?: MockAddressSource | undefined;
  /** The initial table returned by `getUnicastIpAddressTable`. */
  addressTable?: readonly UnicastIpAddressRow[] | undefined;
  /** Route changes to deliver while at least one route registration is live. */
  routeSource?: MockRouteSource | undefined;
  /** The initial table returned by `getIpForwardTable2`. */
  routeTable?: readonly IpForwardRow[] | undefined;
  /** Adapter name in errors and handles. Default `'mock'`. */
  name?: string | undefined;
  /**
   * Settle registration after this many milliseconds instead of synchronously, to test code that
   * unsubscribes before registration finished. The `initial` callback comes when it settles.
   */
  registrationDelayMs?: number | undefined;
}

/**
 * The mock adapter: an `IpInterfaceAdapter` with the address half (`UnicastIpAddressAdapter`), the
 * route half (`RouteAdapter`, `getBestRoute2` included) and test controls.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
 * import { createMockAdapter, mockRow, type MockIpInterfaceAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const adapter: MockIpInterfaceAdapter = createMockAdapter();
 * ipInterfaceChanges$(AF_INET, false, { adapter }).subscribe(console.log);
 * adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 3 }) }); // logged synchronously
 * console.log(adapter.active); // 1
 * ```
 */
export interface MockIpInterfaceAdapter extends UnicastIpAddressAdapter {
  notifyRouteChange2: RouteAdapter['notifyRouteChange2'];
  getIpForwardTable2: RouteAdapter['getIpForwardTable2'];
  getBestRoute2: RouteAdapter['getBestRoute2'];
  /** Every `getBestRoute2` call (family, destination), in order: how many lookups `defaultRoute$` made. */
  readonly lookups: readonly { readonly family: 'inet' | 'inet6'; readonly destination: string }[];
  /** Delivers a change synchronously to every live registration whose family matches, and updates the table. */
  emit(change: MockChange): void;
  /** Number of live registrations. */
  readonly active: number;
  /** Every register and cancel call, in order. */
  readonly calls: readonly MockCall[];
  /** The next registration rejects with an `IpInterfaceError` of this code and registers nothing. */
  failNextRegistration(code: IpInterfaceErrorCode, osCode?: number): void;
  /** Replaces the table returned by `getIpInterfaceTable` (delivers nothing). */
  setTable(rows: readonly IpInterfaceRow[]): void;
  /**
   * Delivers an address change synchronously to every live address registration whose family
   * matches, and updates the address table. A `changed` whose row differs from the table's only in
   * its lifetimes is delivered marked lifetime-only (adapter rule A3).
   */
  emitAddress(change: MockAddressChange): void;
  /** Replaces the table returned by `getUnicastIpAddressTable` (delivers nothing). */
  setAddressTable(rows: readonly UnicastIpAddressRow[]): void;
  /**
   * Contract rule 10: the mock loses every registration, as a deleted namespace or a disposed adapter
   * would. Each live registration (both kinds, and any still settling under `registrationDelayMs`)
   * gets `ended(error)` once, synchronously (after the callback in progress returns, when called from
   * inside one: the mock serializes this with its deliveries), and is not live from then on: its
   * callback is never called again, cancelling its handle rejects `INVALID_HANDLE`. A registration
   * made without an `ended` argument just stops. Default error: `OS_ERROR` "mock registration ended".
   * Registrations made afterwards work as usual.
   *
   * @example
   * ```ts
   * import { ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
   * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
   *
   * const adapter = createMockAdapter();
   * ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe({ error: (e) => console.log(e.code) });
   * adapter.endRegistrations(); // logs OS_ERROR
   * ```
   */
  endRegistrations(error?: IpInterfaceError): void;
  /** Delivers a route change synchronously to every live route registration whose family matches, and updates the route table. */
  emitRoute(change: MockRouteChange): void;
  /** Replaces the table returned by `getIpForwardTable2` (delivers nothing). */
  setRouteTable(rows: readonly IpForwardRow[]): void;
  /**
   * Fixes what `getBestRoute2(family, destination)` answers (delivers nothing: emit a route change
   * to make `defaultRoute$` look again). Until set, and after `setBestRoute(family, undefined)`, it
   * answers the route table's default route of that family (prefix length 0, lowest metric), or
   * null. The answer is settled at once (`settledRoute` on the promise), so `defaultRoute$` can be
   * marble-tested.
   */
  setBestRoute(family: 'inet' | 'inet6', answer: MockBestRoute | undefined): void;
}

const TYPE: Record<MockChange['kind'], MibNotificationType> = { added: 'add', changed: 'parameter', removed: 'delete' };

type Registration =
  | { readonly kind: 'interface'; readonly family: AddressFamily; readonly callback: IpInterfaceChangeCallback; readonly ended: RegistrationEndedCallback | undefined }
  | { readonly kind: 'address'; readonly family: AddressFamily; readonly callback: UnicastIpAddressChangeCallback; readonly ended: RegistrationEndedCallback | undefined }
  | { readonly kind: 'route'; readonly family: AddressFamily; readonly callback: RouteChangeCallback; readonly ended: RegistrationEndedCallback | undefined };

type Queued =
  | { readonly kind: 'interface'; readonly change: MockChange }
  | { readonly kind: 'address'; readonly change: MockAddressChange; readonly lifetimeOnly: boolean }
  | { readonly kind: 'end'; readonly error: IpInterfaceError }
  | { readonly kind: 'route'; readonly change: MockRouteChange };

const CALL_NAME: Record<Registration['kind'], 'NotifyIpInterfaceChange' | 'NotifyUnicastIpAddressChange' | 'NotifyRouteChange2'> = {
  interface: 'NotifyIpInterfaceChange',
  address: 'NotifyUnicastIpAddressChange',
  route: 'NotifyRouteChange2',
};

/** Rows equal but for their lifetimes (rule A3). */
function lifetimeOnly(before: UnicastIpAddressRow | undefined, after: UnicastIpAddressRow): boolean {
  if (before === undefined) return false;
  if (before.validLifetime === after.validLifetime && before.preferredLifetime === after.preferredLifetime) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'validLifetime' || key === 'preferredLifetime') continue;
    if ((before as unknown as Record<string, unknown>)[key] !== (after as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/**
 * A fresh, in-memory adapter for tests: registration is synchronous (the `initial` callback
 * included), so `ipInterfaceChanges$` itself can be marble-tested. No global state.
 *
 * @example
 * ```ts
 * import { marbles } from 'rxjs-marbles/jest';
 * import { ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
 * import { createMockAdapter, mockRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * it('sees eth1 appear', marbles((m) => {
 *   const eth1 = mockRow({ interfaceIndex: 3 });
 *   const adapter = createMockAdapter({ source: m.hot('--a-', { a: { kind: 'added', row: eth1 } }) });
 *   m.expect(ipInterfaceChanges$(AF_INET, true, { adapter })).toBeObservable('i-a-', {
 *     i: { kind: 'initial', family: AF_INET },
 *     a: { kind: 'added', row: eth1 },
 *   });
 * }));
 * ```
 */
export function createMockAdapter(options: MockAdapterOptions = {}): MockIpInterfaceAdapter {
  const name = options.name ?? 'mock';
  const live = new Registrations<Registration>(name);
  const calls: MockCall[] = [];
  const table = new Map<string, IpInterfaceRow>();
  const addresses = new Map<string, UnicastIpAddressRow>();
  let failure: IpInterfaceError | undefined;
  let sourceSubscription: { unsubscribe(): void } | undefined;
  let addressSourceSubscription: { unsubscribe(): void } | undefined;
  let routeSourceSubscription: { unsubscribe(): void } | undefined;
  const routes = new Map<string, IpForwardRow>();
  const bestRoutes = new Map<'inet' | 'inet6', MockBestRoute>();
  const lookups: { family: 'inet' | 'inet6'; destination: string }[] = [];
  let delivering = false;
  // One queue for both kinds: the mock serializes all its callbacks, like the OS.
  const queue: Queued[] = [];

  const setTable = (rows: readonly IpInterfaceRow[]): void => {
    table.clear();
    for (const row of rows) table.set(interfaceKey(row), row);
  };
  setTable(options.table ?? []);
  const setAddressTable = (rows: readonly UnicastIpAddressRow[]): void => {
    addresses.clear();
    for (const row of rows) addresses.set(unicastAddressKey(row), row);
  };
  setAddressTable(options.addressTable ?? []);
  const setRouteTable = (rows: readonly IpForwardRow[]): void => {
    routes.clear();
    for (const row of rows) routes.set(routeKey(row), row);
  };
  setRouteTable(options.routeTable ?? []);

  /** The answer of getBestRoute2: the one set, else the table's default route of the family with the lowest metric. */
  const bestRoute = (family: 'inet' | 'inet6', destination: string): IpForwardRow | null => {
    const set = bestRoutes.get(family);
    if (typeof set === 'function') return set(destination);
    if (set !== undefined) return set;
    let best: IpForwardRow | null = null;
    for (const row of routes.values()) {
      if (row.family !== family || row.destinationPrefix.prefixLength !== 0) continue;
      if (best === null || (row.metric ?? 0) < (best.metric ?? 0)) best = row;
    }
    return best;
  };

  const deliver = (queued: Queued): void => {
    if (queued.kind === 'end') return endAll(queued.error);
    for (const [handle, registration] of live.entries()) {
      // A registration cancelled by an earlier callback of this same change gets nothing more. A
      // throwing callback throws out of `emit` at once (no microtask guard): tests see it where they
      // emitted, and marble tests stay synchronous.
      if (!live.has(handle) || registration.kind !== queued.kind || !familyMatches(registration.family, queued.change.row.family)) continue;
      if (registration.kind === 'interface') registration.callback(queued.change.row as IpInterfaceRow, TYPE[queued.change.kind]);
      else if (registration.kind === 'route') registration.callback(queued.change.row as IpForwardRow, TYPE[queued.change.kind]);
      else if (queued.kind === 'address' && queued.lifetimeOnly) registration.callback(queued.change.row, 'parameter', { lifetimeOnly: true });
      else registration.callback(queued.change.row as UnicastIpAddressRow, TYPE[queued.change.kind]);
    }
  };

  const emit = (change: MockChange): void => {
    if (change.kind === 'removed') table.delete(interfaceKey(change.row));
    else table.set(interfaceKey(change.row), change.row);
    enqueue({ kind: 'interface', change });
  };

  const emitAddress = (change: MockAddressChange): void => {
    const key = unicastAddressKey(change.row);
    const marked = change.kind === 'changed' && lifetimeOnly(addresses.get(key), change.row);
    if (change.kind === 'removed') addresses.delete(key);
    else addresses.set(key, change.row);
    enqueue({ kind: 'address', change, lifetimeOnly: marked });
  };

  const emitRoute = (change: MockRouteChange): void => {
    const key = routeKey(change.row);
    if (change.kind === 'removed') routes.delete(key);
    else routes.set(key, change.row);
    enqueue({ kind: 'route', change });
  };

  const enqueue = (queued: Queued): void => {
    // Serialized like the OS: a change emitted from inside a callback waits for the current one.
    queue.push(queued);
    if (delivering) return;
    delivering = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) deliver(next);
    } finally {
      delivering = false;
      queue.length = 0;
    }
  };

  // Registrations still settling (registrationDelayMs): endRegistrations ends them too.
  const settling = new Map<NotificationHandle, Registration>();

  const endAll = (error: IpInterfaceError): void => {
    const ending: Registration[] = [...settling.values()];
    settling.clear();
    for (const [handle, registration] of live.entries()) {
      live.take(handle);
      ending.push(registration);
    }
    updateSource();
    // A throwing `ended` throws out of endRegistrations (like a throwing callback out of emit), after
    // every registration was taken out, so none is left half-ended.
    let thrown: { error: unknown } | undefined;
    for (const registration of ending) {
      try {
        registration.ended?.(error);
      } catch (e) {
        thrown ??= { error: e };
      }
    }
    if (thrown) throw thrown.error;
  };

  const liveOf = (kind: Registration['kind']): number => {
    let n = 0;
    for (const registration of live.values()) if (registration.kind === kind) n++;
    return n;
  };

  // Each source is subscribed while a registration of its kind is live.
  const updateSource = (): void => {
    if (options.source) {
      const wanted = liveOf('interface') > 0;
      if (wanted && !sourceSubscription) sourceSubscription = options.source.subscribe({ next: emit });
      else if (!wanted && sourceSubscription) {
        const s = sourceSubscription;
        sourceSubscription = undefined;
        s.unsubscribe();
      }
    }
    if (options.addressSource) {
      const wanted = liveOf('address') > 0;
      if (wanted && !addressSourceSubscription) addressSourceSubscription = options.addressSource.subscribe({ next: emitAddress });
      else if (!wanted && addressSourceSubscription) {
        const s = addressSourceSubscription;
        addressSourceSubscription = undefined;
        s.unsubscribe();
      }
    }
    if (options.routeSource) {
      const wanted = liveOf('route') > 0;
      if (wanted && !routeSourceSubscription) routeSourceSubscription = options.routeSource.subscribe({ next: emitRoute });
      else if (!wanted && routeSourceSubscription) {
        const s = routeSourceSubscription;
        routeSourceSubscription = undefined;
        s.unsubscribe();
      }
    }
  };

  const activate = (handle: NotificationHandle, registration: Registration, initial: boolean): void => {
    live.add(handle, registration);
    if (initial) registration.callback(null, 'initial');
    updateSource();
  };

  const register = (registration: Registration, initial: boolean): Promise<NotificationHandle> => {
    const invalid = registrationError(name, registration.family, registration.callback as IpInterfaceChangeCallback, ERROR_INVALID_PARAMETER);
    if (invalid) return Promise.reject(invalid);
    if (failure) {
      const error = failure;
      failure = undefined;
      return Promise.reject(error);
    }
    const handle = live.reserve();
    const fn = CALL_NAME[registration.kind];
    calls.push({ fn, family: registration.family, initial, handle });
    if (options.registrationDelayMs === undefined) {
      activate(handle, registration, initial);
      return Object.assign(Promise.resolve(handle), { settledHandle: handle });
    }
    settling.set(handle, registration);
    return new Promise((resolve) => {
      setTimeout(() => {
        // Ended while settling: resolves with a handle that is not live (rule 10), activates nothing.
        if (settling.delete(handle)) activate(handle, registration, initial);
        resolve(handle);
      }, options.registrationDelayMs);
    });
  };

  const adapter: MockIpInterfaceAdapter = {
    name,
    notifyIpInterfaceChange(family, callback, initial, ended) {
      return register({ kind: 'interface', family, callback, ended: typeof ended === 'function' ? ended : undefined }, initial);
    },
    notifyUnicastIpAddressChange(family, callback, initial, ended) {
      return register({ kind: 'address', family, callback, ended: typeof ended === 'function' ? ended : undefined }, initial);
    },
    notifyRouteChange2(family, callback, initial, ended) {
      return register({ kind: 'route', family, callback, ended: typeof ended === 'function' ? ended : undefined }, initial);
    },
    cancelMibChangeNotify2(handle) {
      calls.push({ fn: 'CancelMibChangeNotify2', handle });
      try {
        live.take(handle);
      } catch (error) {
        return Promise.reject(error);
      }
      updateSource();
      return Promise.resolve();
    },
    getIpInterfaceTable(family) {
      const invalid = familyError(name, family, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      return Promise.resolve([...table.values()].filter((row) => familyMatches(family, row.family)));
    },
    getUnicastIpAddressTable(family) {
      const invalid = familyError(name, family, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      return Promise.resolve([...addresses.values()].filter((row) => familyMatches(family, row.family)));
    },
    getIpForwardTable2(family) {
      const invalid = familyError(name, family, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      return Promise.resolve([...routes.values()].filter((row) => familyMatches(family, row.family)));
    },
    getBestRoute2(family, destination) {
      const invalid = bestRouteError(name, family, destination, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      lookups.push({ family, destination });
      let answer: IpForwardRow | null;
      try {
        answer = bestRoute(family, destination);
      } catch (error) {
        return Promise.reject(error);
      }
      // Settled at once, like a synchronous registration: defaultRoute$ reads it in the same tick.
      return Object.assign(Promise.resolve(answer), { settledRoute: answer });
    },
    emit,
    emitAddress,
    setAddressTable,
    emitRoute,
    setRouteTable,
    setBestRoute(family, answer) {
      if (answer === undefined) bestRoutes.delete(family);
      else bestRoutes.set(family, answer);
    },
    get active() {
      return live.size;
    },
    get calls() {
      return calls;
    },
    get lookups() {
      return lookups;
    },
    failNextRegistration(code, osCode) {
      failure = new IpInterfaceError(code, `mock registration failure (${code})`, { adapter: name, osCode });
    },
    setTable,
    endRegistrations(error) {
      enqueue({ kind: 'end', error: error ?? new IpInterfaceError('OS_ERROR', 'mock registration ended', { adapter: name }) });
    },
  };
  return adapter;
}
