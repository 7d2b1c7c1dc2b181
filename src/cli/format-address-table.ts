import type { UnicastIpAddressRow } from '../unicast-ip-address-row.js';
import { formatFieldValue } from './format-field-value.js';

const COLUMNS: readonly { title: string; value: (row: UnicastIpAddressRow) => string; right?: boolean }[] = [
  { title: 'INDEX', value: (r) => String(r.interfaceIndex), right: true },
  { title: 'NAME', value: (r) => formatFieldValue(r.interfaceName) },
  { title: 'FAMILY', value: (r) => r.family },
  { title: 'ADDRESS', value: (r) => (r.onLinkPrefixLength === undefined ? r.address : `${r.address}/${r.onLinkPrefixLength}`) },
  { title: 'STATE', value: (r) => formatFieldValue(r.dadState) },
  { title: 'VALID', value: (r) => formatFieldValue(r.validLifetime, 'validLifetime'), right: true },
  { title: 'PREFERRED', value: (r) => formatFieldValue(r.preferredLifetime, 'preferredLifetime'), right: true },
  { title: 'PREFIX', value: (r) => formatFieldValue(r.prefixOrigin) },
  { title: 'SUFFIX', value: (r) => formatFieldValue(r.suffixOrigin) },
];

/**
 * The unicast address table as aligned text columns (index, name, family, address/prefix, DAD state,
 * valid and preferred lifetime in seconds or `forever`, prefix and suffix origin), one line per row
 * sorted by index, family, then address, each line ending in a newline. A value the platform does
 * not supply shows as `-`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatAddressTable(await adapter.getUnicastIpAddressTable(AF_UNSPEC)));
 * // INDEX  NAME   FAMILY  ADDRESS      STATE      VALID  PREFERRED  PREFIX  SUFFIX
 * //     1  lo     inet    127.0.0.1/8  preferred  forever  forever  manual  manual
 * ```
 */
export function formatAddressTable(rows: readonly UnicastIpAddressRow[]): string {
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...rows].sort((a, b) => a.interfaceIndex - b.interfaceIndex || byText(a.family, b.family) || byText(a.address, b.address));
  const cells = [COLUMNS.map((c) => c.title), ...sorted.map((row) => COLUMNS.map((c) => c.value(row)))];
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
