import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, type AddressFamily } from './address-family.js';
import type { IpForwardRow } from './ip-forward-row.js';
import type { IpInterfaceTableOptions } from './ip-interface-table.js';
import { liveTable, type TableKind } from './live-table.js';
import { routeChanges$ } from './route-changes.js';
import { routeKey } from './route-key.js';

/**
 * Options of {@link routeTable$}.
 *
 * @example
 * ```ts
 * import { routeTable$, AF_INET, type RouteTableOptions } from 'rxjs-ip-interface';
 * import { createMockAdapter, mockRouteRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * const options: RouteTableOptions = { adapter: createMockAdapter({ routeTable: [mockRouteRow()] }) };
 * routeTable$(AF_INET, options).subscribe((table) => console.log(table.size)); // 1
 * ```
 */
export interface RouteTableOptions {
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first subscribe. */
  adapter?: IpInterfaceTableOptions['adapter'];
  /** As in {@link IpInterfaceTableOptions}: the last subscriber's handler hears a failed cancel. */
  onCancelError?: IpInterfaceTableOptions['onCancelError'];
}

function isRouteRow(value: unknown): value is IpForwardRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<IpForwardRow>;
  return (
    (row.family === AF_INET || row.family === AF_INET6) &&
    typeof row.interfaceLuid === 'bigint' &&
    typeof row.nextHop === 'string' &&
    typeof row.destinationPrefix === 'object' &&
    row.destinationPrefix !== null &&
    typeof row.destinationPrefix.prefix === 'string' &&
    typeof row.destinationPrefix.prefixLength === 'number'
  );
}

/** Routes: `routeChanges$` plus `getIpForwardTable2`. */
const ROUTE_TABLE: TableKind<IpForwardRow> = {
  changes$: (family, adapter, onCancelError) => routeChanges$(family, true, { adapter, onCancelError }),
  read: (adapter, family) => adapter.getIpForwardTable2?.(family),
  currentTableMethod: 'currentIpForwardTable2',
  key: routeKey,
  isRow: isRouteRow,
};

const routeTable = liveTable(ROUTE_TABLE);

/**
 * The live route table of a family: a `ReadonlyMap` from `routeKey` to the row (one entry per next
 * hop), emitted once the table has been read and again after every change. The same machinery and
 * guarantees as `ipInterfaceTable$` / `unicastIpAddressTable$`: it registers first
 * (`NotifyRouteChange2` through {@link routeChanges$}) and reads the table (`GetIpForwardTable2`)
 * only once the registration is live, replaying the changes that raced with the read, so no change
 * after subscribe is missed; subscribers of one (adapter, family) share one registration, one read
 * and one persistent map; each emitted map is immutable. An adapter without the route half errors
 * every subscriber with `NOT_SUPPORTED`.
 *
 * ```text
 * registration:  ^-----------------!
 * table read:    ^--(rows)                 changes a, b arrive during the read, c after it
 * changes:       -a-b----c-----
 * result:        ---T----U-----            T = rows + a + b, U = T + c
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @example
 * ```ts
 * import { routeTable$, AF_INET } from 'rxjs-ip-interface';
 *
 * routeTable$(AF_INET).subscribe((table) => {
 *   for (const { destinationPrefix: d, nextHop } of table.values()) console.log(`${d.prefix}/${d.prefixLength} via ${nextHop}`);
 * });
 * ```
 */
export function routeTable$(family: AddressFamily, options: RouteTableOptions = {}): Observable<ReadonlyMap<string, IpForwardRow>> {
  return routeTable(family, options);
}
