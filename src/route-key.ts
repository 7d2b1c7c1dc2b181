import type { IpForwardRow } from './ip-forward-row.js';

/**
 * A stable key per route row: family, table (Linux; empty elsewhere), destination prefix, metric, next
 * hop and interface LUID, so each next hop of a multipath route has its own key. The metric is part
 * of the key because Linux keeps routes that differ only in metric side by side (`ip route add
 * 10.77.0.0/16 via 10.9.0.2 metric 5` beside the metric-0 one); a metric change is then a removal
 * and an addition, as the kernel sees it. Windows' own key (GetIpForwardEntry2: prefix, next hop,
 * LUID) is a subset.
 *
 * @example
 * ```ts
 * routeKey({
 *   family: AF_INET, table: 254, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, metric: 0,
 *   nextHop: '10.9.0.2', interfaceLuid: 1688849910464512n,
 * }); // 'inet|254|10.77.0.0/16|0|10.9.0.2|1688849910464512'
 * ```
 */
export function routeKey(row: Pick<IpForwardRow, 'family' | 'table' | 'destinationPrefix' | 'metric' | 'nextHop' | 'interfaceLuid'>): string {
  const { prefix, prefixLength } = row.destinationPrefix;
  return `${row.family}|${row.table ?? ''}|${prefix}/${prefixLength}|${row.metric ?? ''}|${row.nextHop}|${row.interfaceLuid.toString()}`;
}
