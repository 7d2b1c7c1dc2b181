import type { RouteChange } from '../route-change.js';
import { colorizeKind } from './colorize-kind.js';
import { formatClockTime } from './format-clock-time.js';
import { formatRouteText } from './format-route-text.js';

/** Column widths, as in the interface lines. */
const KIND_WIDTH = 7;
const FAMILY_WIDTH = 6;

/**
 * One human-readable line (without newline) of `watch routes`: time, kind (coloured on a TTY),
 * family, then the route as `ip monitor route` shows it.
 *
 * @example
 * ```ts
 * formatRouteLine({ kind: 'removed', row }, { time, color: false });
 * // '14:03:12.345  removed  inet    10.77.0.0/16 via 10.9.0.2 dev eth1 metric 0'
 * ```
 */
export function formatRouteLine(change: RouteChange, options: { readonly time: Date; readonly color: boolean }): string {
  const time = formatClockTime(options.time);
  const kind = colorizeKind(change.kind, change.kind.padEnd(KIND_WIDTH), options.color);
  if (change.kind === 'initial') return `${time}  ${kind}  ${change.family.padEnd(FAMILY_WIDTH)}  registration is live`;
  return `${time}  ${kind}  ${change.row.family.padEnd(FAMILY_WIDTH)}  ${formatRouteText(change.row)}`;
}
