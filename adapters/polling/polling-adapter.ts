import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceChangeCallback, SettledRegistration, UnicastIpAddressAdapter, UnicastIpAddressChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { ERROR_INVALID_PARAMETER, familyError, registrationError } from '../shared/adapter-arguments.js';
import { asOsError } from '../shared/os-error.js';
import { Registrations } from '../shared/registrations.js';
import { callSafely, rethrowLater } from '../shared/safe-callback.js';
import { diffAddressSnapshots, type AddressSnapshot, type AddressSnapshotChange } from './address-snapshot.js';
import { diffSnapshots, type SnapshotChange } from './diff-snapshots.js';
import type { InterfaceSnapshot } from './interface-snapshot.js';
import { joinPollTimer, type PollTick } from './poll-timer.js';
import { addressSnapshotOf, interfaceSnapshotOf, listNetworkInterfaces, type NetworkInterfaceListing } from './read-interface-snapshot.js';

/**
 * Options of {@link pollingAdapter}.
 *
 * @example
 * ```ts
 * import { pollingAdapter, type PollingAdapterOptions } from 'rxjs-ip-interface/adapters/polling';
 *
 * const options: PollingAdapterOptions = { intervalMs: 250 }; // sees changes sooner, reads more often
 * const adapter = pollingAdapter(options);
 * ```
 */
export interface PollingAdapterOptions {
  /** How often the interfaces are read, in milliseconds (1 .. 2^31-1). Default 1000. */
  intervalMs?: number | undefined;
}

const NAME = 'polling';
const MAX_INTERVAL_MS = 0x7fffffff;

interface InterfaceRegistration {
  readonly kind: 'interface';
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  /** What this registration last saw; the next tick is diffed against it. */
  baseline: InterfaceSnapshot;
  live: boolean;
}

interface AddressRegistration {
  readonly kind: 'address';
  readonly family: AddressFamily;
  readonly callback: UnicastIpAddressChangeCallback;
  baseline: AddressSnapshot;
  live: boolean;
}

type Registration = InterfaceRegistration | AddressRegistration;

/** {@link callSafely} for an address callback: a throw is rethrown later, never into the timer. */
function callAddressSafely(callback: UnicastIpAddressChangeCallback, ...args: Parameters<UnicastIpAddressChangeCallback>): void {
  try {
    callback(...args);
  } catch (error) {
    rethrowLater(error);
  }
}

/**
 * The polling adapter with injectable readers (tests feed it snapshots). Use {@link pollingAdapter}.
 * `list` is the one OS read of a poll (`os.networkInterfaces()`); `read` and `readAddresses` build
 * the interface and address snapshots from its result, so a tick with both kinds of registration
 * lists once (measured here, 2 interfaces: os.networkInterfaces() 45 us, both snapshots 54 us, so the
 * second listing was about 30% of a tick).
 * A reader that ignores the listing (a test's fake) works as well.
 *
 * @example
 * ```ts
 * const adapter = createPollingAdapter(50, () => fakeSnapshot);
 * ```
 * @internal
 */
export function createPollingAdapter(
  intervalMs: number,
  read: (listing: NetworkInterfaceListing) => InterfaceSnapshot,
  readAddresses: (listing: NetworkInterfaceListing) => AddressSnapshot = addressSnapshotOf,
  list: () => NetworkInterfaceListing = listNetworkInterfaces,
): UnicastIpAddressAdapter {
  const registrations = new Registrations<Registration>(NAME);
  // One timer per adapter for both kinds of registration: joined by the first, left by the last.
  let leaveTimer: (() => void) | undefined;

  const onTick = (tick: PollTick): void => {
    const live = registrations.values();
    let listing: NetworkInterfaceListing;
    try {
      // Memoized per tick: shared by both kinds and by every adapter on this timer.
      listing = tick.once(list);
    } catch {
      // A failed read is skipped: baselines stay, the next good read reports what happened meanwhile.
      return;
    }
    if (live.some((r) => r.kind === 'interface')) interfaceTick(tick, live, listing);
    if (live.some((r) => r.kind === 'address')) addressTick(tick, live, listing);
  };

  const interfaceTick = (tick: PollTick, live: readonly Registration[], listing: NetworkInterfaceListing): void => {
    let snapshot: InterfaceSnapshot;
    try {
      snapshot = tick.onceFor(read, listing);
    } catch {
      // A failed read is skipped: baselines stay, the next good read reports what happened meanwhile.
      return;
    }
    // Registrations made at the same tick share a baseline object: diff each distinct one once.
    const diffs = new Map<InterfaceSnapshot, SnapshotChange[]>();
    for (const registration of live) {
      if (!registration.live || registration.kind !== 'interface') continue;
      let changes = diffs.get(registration.baseline);
      if (!changes) {
        changes = diffSnapshots(registration.baseline, snapshot);
        diffs.set(registration.baseline, changes);
      }
      registration.baseline = snapshot;
      for (const change of changes) {
        if (!registration.live) break;
        if (familyMatches(registration.family, change.row.family)) callSafely(registration.callback, change.row, change.type);
      }
    }
  };

  // The same discipline for addresses, against their own snapshots. Node exposes no lifetimes, so
  // no change is ever lifetime-only (rule A3 has nothing to mark here).
  const addressTick = (tick: PollTick, live: readonly Registration[], listing: NetworkInterfaceListing): void => {
    let snapshot: AddressSnapshot;
    try {
      snapshot = tick.onceFor(readAddresses, listing);
    } catch {
      return;
    }
    const diffs = new Map<AddressSnapshot, AddressSnapshotChange[]>();
    for (const registration of live) {
      if (!registration.live || registration.kind !== 'address') continue;
      let changes = diffs.get(registration.baseline);
      if (!changes) {
        changes = diffAddressSnapshots(registration.baseline, snapshot);
        diffs.set(registration.baseline, changes);
      }
      registration.baseline = snapshot;
      for (const change of changes) {
        if (!registration.live) break;
        if (familyMatches(registration.family, change.row.family)) callAddressSafely(registration.callback, change.row, change.type);
      }
    }
  };

  const register = <R extends Registration>(
    family: AddressFamily,
    callback: R['callback'],
    initial: boolean,
    make: () => R,
  ): SettledRegistration => {
    const invalid = registrationError(NAME, family, callback as IpInterfaceChangeCallback, ERROR_INVALID_PARAMETER);
    if (invalid) return Promise.reject(invalid);
    let registration: R;
    try {
      registration = make();
    } catch (error) {
      return Promise.reject(asOsError(error, NAME));
    }
    const handle = registrations.issue(registration);
    leaveTimer ??= joinPollTimer(intervalMs, onTick);
    if (initial) {
      // After registration, before any tick (a microtask always precedes the next timer).
      queueMicrotask(() => {
        if (!registration.live) return;
        if (registration.kind === 'interface') callSafely(registration.callback, null, 'initial');
        else callAddressSafely(registration.callback, null, 'initial');
      });
    }
    return Object.assign(Promise.resolve(handle), { settledHandle: handle });
  };

  return {
    name: NAME,
    notifyIpInterfaceChange(family, callback, initial): SettledRegistration {
      return register<InterfaceRegistration>(family, callback, initial, () => ({ kind: 'interface', family, callback, baseline: read(list()), live: true }));
    },
    notifyUnicastIpAddressChange(family, callback, initial): SettledRegistration {
      return register<AddressRegistration>(family, callback, initial, () => ({ kind: 'address', family, callback, baseline: readAddresses(list()), live: true }));
    },
    getUnicastIpAddressTable(family) {
      const invalid = familyError(NAME, family, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      try {
        return Promise.resolve([...readAddresses(list()).values()].filter((row) => familyMatches(family, row.family)));
      } catch (error) {
        return Promise.reject(asOsError(error, NAME));
      }
    },
    cancelMibChangeNotify2(handle) {
      let registration: Registration;
      try {
        registration = registrations.take(handle);
      } catch (error) {
        return Promise.reject(error);
      }
      registration.live = false;
      if (registrations.size === 0 && leaveTimer) {
        leaveTimer();
        leaveTimer = undefined;
      }
      return Promise.resolve();
    },
    getIpInterfaceTable(family) {
      const invalid = familyError(NAME, family, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      try {
        return Promise.resolve([...read(list()).values()].filter((row) => familyMatches(family, row.family)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/**
 * An adapter for any OS: reads `os.networkInterfaces()` every `intervalMs` and reports the
 * difference as added / changed / removed rows. Use it where no native adapter exists (it is the
 * default on platforms other than Linux and Windows) or when polling is what you want.
 *
 * Addresses too (`unicastIpAddressChanges$`): `os.networkInterfaces()`'s address and prefix length
 * per interface, diffed per poll on the same timer; origins, lifetimes, DAD state and creation time
 * are `undefined` (Node does not expose them).
 *
 * No routes: Node exposes no route table or route lookup, and reading one portably would need a
 * subprocess (`ip route`, `netstat -rn`, `route print`), so the adapter has no route half and
 * `routeChanges$`, `routeTable$` and `defaultRoute$` on it error with `NOT_SUPPORTED`
 * (`docs/polling.md`). (Linux's `/proc/net/route` is readable without one, but Linux has the
 * netlink adapter, and that file lists IPv4 of the main table only: no policy routing, no lookup.)
 *
 * What it can know is limited (see `docs/polling.md`): rows carry `family`, `interfaceName`,
 * `interfaceIndex` and a derived `interfaceLuid`; every other field, `connected` included, is
 * `undefined`. Node lists only interfaces that are up and have an address, so an interface
 * "appears" when it gets its first address of a family and "disappears" when it loses its last one
 * or goes down; MTU and other parameter changes are invisible. Changes shorter than one interval
 * can be missed entirely.
 *
 * All registrations of all polling adapters with the same interval share one timer (one per copy
 * of this module: see adapters/shared/process-state.ts),
 * which keeps the process alive like any live subscription and exists only while something is
 * registered.
 *
 * @throws IpInterfaceError `INVALID_PARAMETER` for an `intervalMs` that is not an integer in 1 .. 2^31-1.
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 * import { pollingAdapter } from 'rxjs-ip-interface/adapters/polling';
 *
 * ipInterfaceChanges$(AF_UNSPEC, true, { adapter: pollingAdapter({ intervalMs: 500 }) })
 *   .subscribe((c) => c.kind !== 'initial' && console.log(c.kind, c.row.interfaceName));
 * ```
 */
export function pollingAdapter(options: PollingAdapterOptions = {}): UnicastIpAddressAdapter {
  const intervalMs = options.intervalMs ?? 1000;
  if (typeof intervalMs !== 'number' || !Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > MAX_INTERVAL_MS) {
    throw new IpInterfaceError('INVALID_PARAMETER', `pollingAdapter: intervalMs must be an integer from 1 to ${MAX_INTERVAL_MS}, got ${String(intervalMs)}`, {
      adapter: NAME,
      osCode: ERROR_INVALID_PARAMETER,
    });
  }
  return createPollingAdapter(intervalMs, interfaceSnapshotOf);
}
