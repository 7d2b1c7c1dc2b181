import type { UnicastIpAddressChange } from '../unicast-ip-address-change.js';
import type { UnicastIpAddressRow } from '../unicast-ip-address-row.js';
import { changedFields } from './changed-fields.js';
import { describeAddressRow } from './describe-address-row.js';
import { colorizeKind } from './colorize-kind.js';
import { formatClockTime } from './format-clock-time.js';
import { formatFieldValue } from './format-field-value.js';

/** Options of {@link formatAddressChangeLine}. */
export interface AddressChangeLineOptions {
  /** When the change was received. */
  readonly time: Date;
  /** For `changed`: the row seen before for the same address (`unicastAddressKey`), if any. */
  readonly previous?: UnicastIpAddressRow | undefined;
  /** Colour the kind (a TTY). */
  readonly color: boolean;
}

/** `changed`/`removed` and `unspec` are the longest kind and family, as in the interface lines. */
const KIND_WIDTH = 7;
const FAMILY_WIDTH = 6;

/**
 * One human-readable line (without newline) for an address change: time, kind (coloured on a TTY),
 * then the address as `ip monitor address` describes it ({@link describeAddressRow}: the row after
 * the change, or the last one known for `removed`) and, for `changed`, the fields that changed as
 * `field old -> new`.
 *
 * @example
 * ```ts
 * formatAddressChangeLine({ kind: 'changed', row: { ...v4, dadState: 'deprecated', preferredLifetime: 0 } }, { time, previous: v4, color: false });
 * // '14:03:12.345  changed  10.9.0.1/24 dev veth0 (inet) deprecated valid_lft forever preferred_lft 0  preferredLifetime forever -> 0, dadState preferred -> deprecated'
 * ```
 */
export function formatAddressChangeLine(change: UnicastIpAddressChange, options: AddressChangeLineOptions): string {
  const time = formatClockTime(options.time);
  const kind = colorizeKind(change.kind, change.kind.padEnd(KIND_WIDTH), options.color);
  if (change.kind === 'initial') return `${time}  ${kind}  ${change.family.padEnd(FAMILY_WIDTH)}  registration is live`;
  const columns = `${time}  ${kind}  ${describeAddressRow(change.row)}`;
  if (change.kind !== 'changed') return columns;
  if (!options.previous) return `${columns}  (no earlier row to compare)`;
  const fields = changedFields(options.previous, change.row);
  if (fields.length === 0) return `${columns}  (no field changed)`;
  return `${columns}  ${fields.map((f) => `${f.field} ${formatFieldValue(f.before, f.field)} -> ${formatFieldValue(f.after, f.field)}`).join(', ')}`;
}
