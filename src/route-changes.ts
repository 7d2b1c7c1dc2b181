import type { Observable } from 'rxjs';
import type { AddressFamily } from './address-family.js';
import type { IpForwardRow } from './ip-forward-row.js';
import type { IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { describe, invalidBaseRow, notificationChanges$, type NotificationKind } from './notification-changes.js';
import type { RouteChange } from './route-change.js';

/**
 * Options of {@link routeChanges$}: the adapter and the `onCancelError` hook, as for `ipInterfaceChanges$`.
 *
 * @example
 * ```ts
 * import { routeChanges$, AF_INET, type RouteChangesOptions } from 'rxjs-ip-interface';
 * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const options: RouteChangesOptions = { adapter: createMockAdapter(), onCancelError: (e) => console.warn(e.code) };
 * routeChanges$(AF_INET, true, options).subscribe(console.log);
 * ```
 */
export type RouteChangesOptions = IpInterfaceChangesOptions;

/** Routes: `notifyRouteChange2`, the optional route half of the adapter contract (rules R1-R4). */
export const ROUTE_NOTIFICATION: NotificationKind = {
  notify: 'notifyRouteChange2',
  optionalMethods: ['notifyRouteChange2', 'getIpForwardTable2'],
  invalidRow: invalidRouteRow,
};

/** What makes `row` unusable as a route row (the five fields every route row has, rule R1), or undefined. */
export function invalidRouteRow(row: unknown): string | undefined {
  const base = invalidBaseRow(row);
  if (base !== undefined) return base;
  const { destinationPrefix, nextHop, family } = row as Record<string, unknown>;
  if (typeof destinationPrefix !== 'object' || destinationPrefix === null) return `destinationPrefix ${describe(destinationPrefix)}`;
  const { prefix, prefixLength } = destinationPrefix as Record<string, unknown>;
  if (typeof prefix !== 'string' || prefix.length === 0) return `destinationPrefix.prefix ${describe(prefix)}`;
  const max = family === 'inet' ? 32 : 128;
  if (typeof prefixLength !== 'number' || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > max) {
    return `destinationPrefix.prefixLength ${describe(prefixLength)} (0..${max} for ${String(family)})`;
  }
  if (typeof nextHop !== 'string' || nextHop.length === 0) return `nextHop ${describe(nextHop)}`;
  return undefined;
}

/**
 * Route changes as a cold Observable: `NotifyRouteChange2` on subscribe, `CancelMibChangeNotify2`
 * on unsubscribe. The sibling of `ipInterfaceChanges$` and `unicastIpAddressChanges$` on the same
 * machinery, with every one of their rules: one registration per subscription, the `initial`
 * marker first, exactly-once cancel (also before registration finished or inside `next`),
 * `INVALID_PARAMETER` for a bad family or bad options, an adapter's misuse (a row without a
 * destination prefix or next hop, an unknown type, a non-promise) an `OS_ERROR` of the stream, a
 * throwing cancel never escaping. An adapter without the route half (`notifyRouteChange2` /
 * `getIpForwardTable2`) errors the stream with `NOT_SUPPORTED` (the polling adapter: Node exposes
 * no routes). Each next hop of a multipath route is its own row (its own `routeKey`).
 *
 * ```text
 * registration:          ^-----------------!
 * routeChanges$(AF_INET, true):
 *                        i--a----c---r-----
 * i = initial, a = added, c = changed, r = removed (also for routes the OS removed silently, rule R2)
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @param initial Emit the `initial` marker first, once registered (MibInitialNotification).
 * @example
 * ```ts
 * import { routeChanges$, AF_INET } from 'rxjs-ip-interface';
 *
 * routeChanges$(AF_INET).subscribe((change) => {
 *   if (change.kind === 'initial') return;
 *   const { destinationPrefix: d, nextHop, interfaceName } = change.row;
 *   console.log(change.kind, `${d.prefix}/${d.prefixLength} via ${nextHop} dev ${interfaceName ?? '?'}`);
 * });
 * ```
 */
export function routeChanges$(family: AddressFamily, initial = false, options: RouteChangesOptions = {}): Observable<RouteChange> {
  return notificationChanges$<IpForwardRow>(ROUTE_NOTIFICATION, family, initial, options);
}
