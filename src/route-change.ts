import type { AddressFamily } from './address-family.js';
import type { IpForwardRow } from './ip-forward-row.js';

/**
 * MibInitialNotification of a route registration: it is live. Carries no row.
 *
 * @example
 * ```ts
 * const live: RouteInitialChange = { kind: 'initial', family: AF_INET };
 * ```
 */
export interface RouteInitialChange {
  readonly kind: 'initial';
  readonly family: AddressFamily;
}

/**
 * MibAddInstance / MibParameterNotification / MibDeleteInstance with the route row concerned (one next hop).
 *
 * @example
 * ```ts
 * const describeChange = ({ kind, row }: RouteRowChange): string =>
 *   `${kind} ${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength} via ${row.nextHop}`;
 * ```
 */
export interface RouteRowChange {
  readonly kind: 'added' | 'changed' | 'removed';
  /** For `removed`, the last row known. */
  readonly row: IpForwardRow;
}

/**
 * What `routeChanges$` emits: a discriminated union on `kind`.
 *
 * @example
 * ```ts
 * const isDefaultRouteChange = (c: RouteChange): boolean => c.kind !== 'initial' && c.row.destinationPrefix.prefixLength === 0;
 * ```
 */
export type RouteChange = RouteInitialChange | RouteRowChange;
