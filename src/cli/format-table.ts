import type { IpInterfaceRow } from '../ip-interface-row.js';
import { formatFieldValue } from './format-field-value.js';

const COLUMNS: readonly { title: string; value: (row: IpInterfaceRow) => unknown; right?: boolean }[] = [
  { title: 'INDEX', value: (r) => r.interfaceIndex, right: true },
  { title: 'FAMILY', value: (r) => r.family },
  { title: 'NAME', value: (r) => r.interfaceName },
  { title: 'MTU', value: (r) => r.nlMtu, right: true },
  { title: 'CONNECTED', value: (r) => r.connected },
  { title: 'FORWARDING', value: (r) => r.forwardingEnabled },
  { title: 'METRIC', value: (r) => r.metric, right: true },
  { title: 'LUID', value: (r) => r.interfaceLuid, right: true },
];

/**
 * The IP interface table as aligned text columns (index, family, name, MTU, connected, forwarding,
 * metric, LUID), one line per row sorted by index then family, each line ending in a newline. A
 * value the platform does not supply shows as `-`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatTable(await adapter.getIpInterfaceTable(AF_UNSPEC)));
 * ```
 */
export function formatTable(rows: readonly IpInterfaceRow[]): string {
  const sorted = [...rows].sort((a, b) => a.interfaceIndex - b.interfaceIndex || a.family.localeCompare(b.family));
  const cells = [COLUMNS.map((c) => c.title), ...sorted.map((row) => COLUMNS.map((c) => formatFieldValue(c.value(row))))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
