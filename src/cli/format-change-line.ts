import type { IpInterfaceChange } from '../ip-interface-change.js';
import type { IpInterfaceRow } from '../ip-interface-row.js';
import { changedFields } from './changed-fields.js';
import { colorizeKind } from './colorize-kind.js';
import { formatClockTime } from './format-clock-time.js';
import { formatFieldValue } from './format-field-value.js';

/** Options of {@link formatChangeLine}. */
export interface ChangeLineOptions {
  /** When the change was received. */
  readonly time: Date;
  /** For `changed`: the row seen before for the same interface, if any. */
  readonly previous?: IpInterfaceRow | undefined;
  /** Colour the kind (a TTY). */
  readonly color: boolean;
}

/** Column widths: `changed`/`removed` and `unspec` are the longest kind and family. */
const KIND_WIDTH = 7;
const FAMILY_WIDTH = 6;
const NAME_WIDTH = 16;
const INDEX_WIDTH = 5;

/**
 * One human-readable line (without newline) for a change, in aligned columns: time, kind (coloured
 * on a TTY), family, interface name, index and, for `changed`, the fields that changed as
 * `field old -> new`. Longer names push the line out rather than being cut.
 *
 * @example
 * ```ts
 * formatChangeLine({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } }, { time, previous: eth1, color: false });
 * // '14:03:12.345  changed  inet    eth1                  3  nlMtu 1500 -> 1400'
 * ```
 */
export function formatChangeLine(change: IpInterfaceChange, options: ChangeLineOptions): string {
  const time = formatClockTime(options.time);
  const kind = colorizeKind(change.kind, change.kind.padEnd(KIND_WIDTH), options.color);
  if (change.kind === 'initial') return `${time}  ${kind}  ${change.family.padEnd(FAMILY_WIDTH)}  registration is live`;
  const { row } = change;
  const columns = `${time}  ${kind}  ${row.family.padEnd(FAMILY_WIDTH)}  ${formatFieldValue(row.interfaceName).padEnd(NAME_WIDTH)} ${String(row.interfaceIndex).padStart(INDEX_WIDTH)}`;
  if (change.kind !== 'changed') return columns;
  if (!options.previous) return `${columns}  (no earlier row to compare)`;
  const fields = changedFields(options.previous, row);
  if (fields.length === 0) return `${columns}  (no field changed)`;
  return `${columns}  ${fields.map((f) => `${f.field} ${formatFieldValue(f.before, f.field)} -> ${formatFieldValue(f.after, f.field)}`).join(', ')}`;
}
