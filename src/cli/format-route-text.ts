import type { IpForwardRow } from '../ip-forward-row.js';
import { RT_TABLE_MAIN } from '../ip-forward-row.js';

/**
 * A route as `ip route` prints it (without newline): `default` or the prefix, `via` the next hop
 * (not for an on-link route), `dev` the interface name (`if<index>` where the name is unknown), then
 * `proto`, `metric` and, outside the main table, `table`, where the platform supplies them.
 *
 * @example
 * ```ts
 * formatRouteText(row); // '10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0'
 * ```
 */
export function formatRouteText(row: IpForwardRow): string {
  const { prefix, prefixLength } = row.destinationPrefix;
  const parts = [prefixLength === 0 ? 'default' : `${prefix}/${prefixLength}`];
  if (row.nextHop !== '0.0.0.0' && row.nextHop !== '::') parts.push(`via ${row.nextHop}`);
  parts.push(`dev ${row.interfaceName ?? `if${row.interfaceIndex}`}`);
  if (row.protocol !== undefined) parts.push(`proto ${row.protocol}`);
  if (row.metric !== undefined) parts.push(`metric ${row.metric}`);
  if (row.table !== undefined && row.table !== RT_TABLE_MAIN) parts.push(`table ${row.table}`);
  return parts.join(' ');
}
