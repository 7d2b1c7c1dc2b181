import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, IpInterfaceChangeCallback, SettledRegistration } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { ERROR_INVALID_PARAMETER, familyError, registrationError } from '../shared/adapter-arguments.js';
import { asOsError } from '../shared/os-error.js';
import { Registrations } from '../shared/registrations.js';
import { callSafely } from '../shared/safe-callback.js';
import { diffSnapshots, type SnapshotChange } from './diff-snapshots.js';
import type { InterfaceSnapshot } from './interface-snapshot.js';
import { joinPollTimer, type PollTick } from './poll-timer.js';
import { readInterfaceSnapshot } from './read-interface-snapshot.js';

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

interface Registration {
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  /** What this registration last saw; the next tick is diffed against it. */
  baseline: InterfaceSnapshot;
  live: boolean;
}

/**
 * The polling adapter with an injectable reader (tests feed it snapshots). Use {@link pollingAdapter}.
 *
 * @example
 * ```ts
 * const adapter = createPollingAdapter(50, () => fakeSnapshot);
 * ```
 * @internal
 */
export function createPollingAdapter(intervalMs: number, read: () => InterfaceSnapshot): IpInterfaceAdapter {
  const registrations = new Registrations<Registration>(NAME);
  let leaveTimer: (() => void) | undefined;

  const onTick = (tick: PollTick): void => {
    let snapshot: InterfaceSnapshot;
    try {
      snapshot = tick.once(read);
    } catch {
      // A failed read is skipped: baselines stay, the next good read reports what happened meanwhile.
      return;
    }
    // Registrations made at the same tick share a baseline object: diff each distinct one once.
    const diffs = new Map<InterfaceSnapshot, SnapshotChange[]>();
    for (const registration of registrations.values()) {
      if (!registration.live) continue;
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

  return {
    name: NAME,
    notifyIpInterfaceChange(family, callback, initial): SettledRegistration {
      const invalid = registrationError(NAME, family, callback, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      let baseline: InterfaceSnapshot;
      try {
        baseline = read();
      } catch (error) {
        return Promise.reject(asOsError(error, NAME));
      }
      const registration: Registration = { family, callback, baseline, live: true };
      const handle = registrations.issue(registration);
      leaveTimer ??= joinPollTimer(intervalMs, onTick);
      if (initial) {
        // After registration, before any tick (a microtask always precedes the next timer).
        queueMicrotask(() => {
          if (registration.live) callSafely(registration.callback, null, 'initial');
        });
      }
      return Object.assign(Promise.resolve(handle), { settledHandle: handle });
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
        return Promise.resolve([...read().values()].filter((row) => familyMatches(family, row.family)));
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
export function pollingAdapter(options: PollingAdapterOptions = {}): IpInterfaceAdapter {
  const intervalMs = options.intervalMs ?? 1000;
  if (typeof intervalMs !== 'number' || !Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > MAX_INTERVAL_MS) {
    throw new IpInterfaceError('INVALID_PARAMETER', `pollingAdapter: intervalMs must be an integer from 1 to ${MAX_INTERVAL_MS}, got ${String(intervalMs)}`, {
      adapter: NAME,
      osCode: ERROR_INVALID_PARAMETER,
    });
  }
  return createPollingAdapter(intervalMs, readInterfaceSnapshot);
}
