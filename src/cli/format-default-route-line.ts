import type { IpForwardRow } from '../ip-forward-row.js';
import { formatClockTime } from './format-clock-time.js';
import { formatRouteText } from './format-route-text.js';

/**
 * One human-readable line (without newline) of `watch default-route`: time, `route`, family and the
 * route the OS would use for `destination` as `ip route get` shows it, or `none` when it has none.
 *
 * @example
 * ```ts
 * formatDefaultRouteLine(route, { time, family: 'inet', destination: '8.8.8.8' });
 * // '14:03:12.345  route    inet    8.8.8.8: default via 10.0.0.1 dev eth0 metric 100'
 * ```
 */
export function formatDefaultRouteLine(
  route: IpForwardRow | null,
  options: { readonly time: Date; readonly family: 'inet' | 'inet6'; readonly destination: string },
): string {
  const text = route === null ? 'none (unreachable)' : formatRouteText(route);
  return `${formatClockTime(options.time)}  ${'route'.padEnd(7)}  ${options.family.padEnd(6)}  ${options.destination}: ${text}`;
}
