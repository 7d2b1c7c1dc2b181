import { Observable, asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { AF_INET, AF_INET6 } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpForwardRow } from './ip-forward-row.js';
import type { IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { IpInterfaceError } from './ip-interface-error.js';
import { loadAdapter } from './default-adapter.js';
import { describe } from './notification-changes.js';
import { invalidRouteRow, routeChanges$ } from './route-changes.js';
import { routeKey } from './route-key.js';
import { toIpInterfaceError } from './to-ip-interface-error.js';

/**
 * The destinations {@link defaultRoute$} asks the route of when none is given: Google Public DNS,
 * `8.8.8.8` and `2001:4860:4860::8888`. Globally routed addresses, so the answer is the route that
 * traffic to the internet takes (the default route, or whatever more specific route policy
 * routing or a VPN puts in its way), not a documentation or bogon prefix (RFC 5737 `192.0.2.0/24`,
 * RFC 3849 `2001:db8::/32`), which bogon-filtering hosts and routers may blackhole. `ip route get
 * 8.8.8.8` is also what people type to find their default route. The lookup sends no packet.
 *
 * @example
 * ```ts
 * import { DEFAULT_ROUTE_DESTINATIONS, AF_INET6 } from 'rxjs-ip-interface';
 *
 * console.log(DEFAULT_ROUTE_DESTINATIONS[AF_INET6]); // '2001:4860:4860::8888'
 * ```
 */
export const DEFAULT_ROUTE_DESTINATIONS: Readonly<Record<'inet' | 'inet6', string>> = Object.freeze({
  inet: '8.8.8.8',
  inet6: '2001:4860:4860::8888',
});

/** What every adapter has (checked before anything is registered, as the change streams do). */
const ADAPTER_METHODS = ['notifyIpInterfaceChange', 'cancelMibChangeNotify2', 'getIpInterfaceTable'] as const;

/** The longest wait a timer can hold (2^31-1 ms). */
const MAX_DEBOUNCE = 2_147_483_647;

/**
 * Options of {@link defaultRoute$}.
 *
 * @example
 * ```ts
 * import { defaultRoute$, AF_INET, type DefaultRouteOptions } from 'rxjs-ip-interface';
 *
 * const options: DefaultRouteOptions = { destination: '10.20.0.1', debounceMs: 50 }; // the route to a VPN peer
 * defaultRoute$(AF_INET, options).subscribe((route) => console.log(route?.nextHop ?? 'unreachable'));
 * ```
 */
export interface DefaultRouteOptions {
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first subscribe. */
  adapter?: IpInterfaceAdapter | undefined;
  /** The address whose route is followed, canonical text of the family. Default {@link DEFAULT_ROUTE_DESTINATIONS}. */
  destination?: string | undefined;
  /**
   * Quiet time after a route change before the lookup, in the scheduler's unit (ms by default):
   * a burst of route changes costs one lookup. Default 0 (the changes delivered in one batch).
   */
  debounceMs?: number | undefined;
  /** Where the debounce is measured. Default `asyncScheduler`. */
  scheduler?: SchedulerLike | undefined;
  /** As in `ipInterfaceChanges$`: hears a failed cancel of the route registration after unsubscribe. */
  onCancelError?: IpInterfaceChangesOptions['onCancelError'];
}

/** A lookup an adapter answered synchronously (the mock does, so marble tests stay exact). */
type SettledLookup = Promise<IpForwardRow | null> & { readonly settledRoute?: IpForwardRow | null };

/** The same answer for a reader of the default route: same route key, next hop, interface and metric. */
function sameAnswer(a: IpForwardRow | null, b: IpForwardRow | null): boolean {
  if (a === null || b === null) return a === b;
  return routeKey(a) === routeKey(b) && a.nextHop === b.nextHop && a.interfaceLuid === b.interfaceLuid && a.interfaceIndex === b.interfaceIndex && a.metric === b.metric;
}

function invalidOptions(family: unknown, options: unknown): string | undefined {
  if (family !== AF_INET && family !== AF_INET6) return `invalid address family ${describe(family)}: use AF_INET or AF_INET6`;
  if (typeof options !== 'object' || options === null) return `options must be an object, got ${describe(options)}`;
  const { destination, debounceMs, scheduler, adapter } = options as Record<string, unknown>;
  if (destination !== undefined && !looksLikeAddress(family, destination)) return `options.destination must be ${family === AF_INET ? 'an IPv4' : 'an IPv6'} address text, got ${describe(destination)}`;
  if (debounceMs !== undefined && (typeof debounceMs !== 'number' || !(debounceMs >= 0) || !(debounceMs <= MAX_DEBOUNCE))) {
    return `options.debounceMs must be a number from 0 to ${MAX_DEBOUNCE}, got ${describe(debounceMs)}`;
  }
  if (scheduler !== undefined && (typeof scheduler !== 'object' || scheduler === null || typeof (scheduler as SchedulerLike).schedule !== 'function')) {
    return `options.scheduler must be a SchedulerLike, got ${describe(scheduler)}`;
  }
  if (adapter !== undefined) {
    if (typeof adapter !== 'object' || adapter === null) return `options.adapter must be an IpInterfaceAdapter, got ${describe(adapter)}`;
    const missing = ADAPTER_METHODS.filter((m) => typeof (adapter as Record<string, unknown>)[m] !== 'function');
    if (missing.length > 0) return `options.adapter is not an IpInterfaceAdapter: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a function`;
  }
  const { onCancelError } = options as Record<string, unknown>;
  if (onCancelError !== undefined && typeof onCancelError !== 'function') return `options.onCancelError must be a function, got ${describe(onCancelError)}`;
  return undefined;
}

/** A cheap shape check; the adapter checks the text strictly (rule R4). */
function looksLikeAddress(family: 'inet' | 'inet6', value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (family === AF_INET) return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(value);
  return value.length >= 2 && value.length <= 45 && value.includes(':') && /^[0-9a-f:.]+$/.test(value);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    return false; // a throwing `then` getter
  }
}

function adapterName(adapter: IpInterfaceAdapter): string {
  try {
    return typeof adapter.name === 'string' ? adapter.name : 'unnamed';
  } catch {
    return 'unnamed';
  }
}

/**
 * The route the OS would use for a global destination, as a stream: the answer on subscribe, then
 * a new one only when it changes (another route key, next hop, interface or metric), `null` while
 * there is none (no default route: the destination is unreachable).
 *
 * The answer comes from the OS's own route lookup, the adapter's `getBestRoute2` (Linux
 * `RTM_GETROUTE` as `ip route get` does, Windows `GetBestRoute2`), never from scanning the table,
 * which is wrong under policy routing; a lookup sends no packet. The lookup runs once the route
 * registration ({@link routeChanges$} of `family`) is live, so no change after subscribe goes
 * unseen, and again after every burst of route changes of that family (`debounceMs` of quiet on
 * `scheduler`). Lookups are serialized: while one is in flight, changes only mark it stale; a stale
 * answer is not emitted, the lookup is repeated, so an older answer never overtakes a newer one.
 *
 * Errors: `INVALID_PARAMETER` for a family other than `AF_INET` / `AF_INET6` or bad options;
 * `NOT_SUPPORTED` on an adapter without the route half or without `getBestRoute2` (the polling
 * adapter); a failed lookup, or one that answers something other than a route of `family` or
 * `null`, errors the stream with an `IpInterfaceError`. Unsubscribing cancels the registration,
 * the pending debounce and drops an answer in flight.
 *
 * ```text
 * route changes:   ^--a-b-------c--------r----
 * lookups:         L-----L--------L--------L--     L = getBestRoute2 (one per burst a-b)
 * defaultRoute$:   D-----E-----------------n--     c changed nothing the answer is made of; n = null
 * ```
 *
 * @param family `AF_INET` or `AF_INET6`.
 * @example
 * ```ts
 * import { defaultRoute$, AF_INET } from 'rxjs-ip-interface';
 *
 * defaultRoute$(AF_INET).subscribe((route) =>
 *   console.log(route ? `default via ${route.nextHop} dev ${route.interfaceName ?? route.interfaceIndex}` : 'no default route'),
 * );
 * ```
 */
export function defaultRoute$(family: 'inet' | 'inet6', options: DefaultRouteOptions = {}): Observable<IpForwardRow | null> {
  return new Observable<IpForwardRow | null>((subscriber) => {
    let invalid: string | undefined;
    // Read once, here: a hostile getter can neither throw later nor answer differently.
    let read: Pick<DefaultRouteOptions, 'adapter' | 'destination' | 'debounceMs' | 'scheduler' | 'onCancelError'> = {};
    try {
      invalid = invalidOptions(family, options);
      if (invalid === undefined) {
        const { adapter, destination, debounceMs, scheduler, onCancelError } = options;
        read = { adapter, destination, debounceMs, scheduler, onCancelError };
      }
    } catch {
      invalid = 'options could not be read';
    }
    if (invalid !== undefined) {
      subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `defaultRoute$: ${invalid}`));
      return;
    }
    const destination = read.destination ?? DEFAULT_ROUTE_DESTINATIONS[family];
    const debounceMs = read.debounceMs ?? 0;
    const scheduler = read.scheduler ?? asyncScheduler;
    let closed = false;
    let changes: Subscription | undefined;
    let timer: Subscription | undefined;
    let inFlight = false;
    let stale = false;
    let emitted = false;
    let last: IpForwardRow | null = null;

    const fail = (error: IpInterfaceError): void => {
      if (!closed) subscriber.error(error);
    };

    const answered = (a: IpInterfaceAdapter, answer: unknown): void => {
      inFlight = false;
      if (closed) return;
      if (stale) {
        // A change arrived after this lookup started: its answer may predate the change.
        stale = false;
        lookup(a);
        return;
      }
      if (answer !== null) {
        let problem: string | undefined;
        try {
          problem = invalidRouteRow(answer) ?? ((answer as IpForwardRow).family !== family ? `a route of family ${describe((answer as IpForwardRow).family)}` : undefined);
        } catch {
          problem = 'a row whose fields cannot be read';
        }
        if (problem !== undefined) {
          fail(new IpInterfaceError('OS_ERROR', `${adapterName(a)} adapter: getBestRoute2 resolved ${problem}, not a ${family} route or null`, { adapter: adapterName(a) }));
          return;
        }
      }
      const route = answer as IpForwardRow | null;
      if (emitted && sameAnswer(last, route)) return;
      emitted = true;
      last = route;
      subscriber.next(route);
    };

    const lookup = (a: IpInterfaceAdapter): void => {
      if (closed) return;
      if (inFlight) {
        stale = true;
        return;
      }
      inFlight = true;
      let pending: SettledLookup;
      try {
        pending = a.getBestRoute2!(family, destination) as SettledLookup;
      } catch (error) {
        inFlight = false;
        fail(toIpInterfaceError(error, adapterName(a)));
        return;
      }
      if (!isThenable(pending)) {
        inFlight = false;
        fail(new IpInterfaceError('OS_ERROR', `${adapterName(a)} adapter: getBestRoute2 returned ${describe(pending)}, not a promise`, { adapter: adapterName(a) }));
        return;
      }
      let settled: { answer: unknown } | undefined;
      try {
        if ('settledRoute' in pending) settled = { answer: pending.settledRoute };
      } catch {
        // a hostile getter: treated as a plain promise
      }
      if (settled !== undefined) {
        answered(a, settled.answer);
        return;
      }
      Promise.resolve(pending).then(
        (answer) => answered(a, answer),
        (error: unknown) => {
          inFlight = false;
          fail(toIpInterfaceError(error, adapterName(a)));
        },
      );
    };

    // One scheduled action per burst, not one per change (a 5000-route burst would otherwise set and
    // clear 5000 timers): a change moves the deadline, the action re-arms itself until it is reached.
    let deadline = 0;
    const schedule = (a: IpInterfaceAdapter): void => {
      deadline = scheduler.now() + debounceMs;
      if (timer !== undefined) return;
      timer = scheduler.schedule(function fire(this: SchedulerAction<undefined>) {
        const now = scheduler.now();
        if (now < deadline) {
          timer = this.schedule(undefined, deadline - now);
          return;
        }
        timer = undefined;
        lookup(a);
      }, debounceMs);
    };

    const start = (a: IpInterfaceAdapter): void => {
      let hasLookup = false;
      try {
        hasLookup = typeof a.getBestRoute2 === 'function';
      } catch {
        // a hostile getter: not supported
      }
      if (!hasLookup) {
        fail(new IpInterfaceError('NOT_SUPPORTED', `${adapterName(a)} adapter does not support getBestRoute2: defaultRoute$ needs the OS's route lookup`, { adapter: adapterName(a) }));
        return;
      }
      // The route registration first (NOT_SUPPORTED, rule 10 and typed errors come from its core);
      // its marker says it is live, and the first lookup runs then.
      const subscription = routeChanges$(family, true, { adapter: a, onCancelError: read.onCancelError }).subscribe({
        next: (change) => {
          if (change.kind === 'initial') lookup(a);
          else schedule(a);
        },
        error: (error: unknown) => fail(error as IpInterfaceError),
        complete: () => {
          if (!closed) subscriber.complete();
        },
      });
      if (closed) subscription.unsubscribe();
      else changes = subscription;
    };

    if (read.adapter) start(read.adapter);
    else
      loadAdapter().then(
        (a) => {
          if (!closed) start(a);
        },
        (error: unknown) => fail(toIpInterfaceError(error, 'default')),
      );

    return () => {
      closed = true;
      timer?.unsubscribe();
      timer = undefined;
      changes?.unsubscribe();
      changes = undefined;
    };
  });
}
