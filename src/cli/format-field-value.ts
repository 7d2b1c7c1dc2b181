/**
 * How the CLI's human output shows one field value: `-` for a value the platform does not supply,
 * bigints in decimal, arrays as `[a,b]`, objects as their `true` flags, everything else as `String`.
 *
 * @example
 * ```ts
 * formatFieldValue(undefined);  // '-'
 * formatFieldValue(1500);       // '1500'
 * formatFieldValue([1, 2, 2]);  // '[1,2,2]'
 * ```
 */
export function formatFieldValue(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return `[${value.map(formatFieldValue).join(',')}]`;
  if (typeof value === 'object') {
    const set = Object.entries(value as Record<string, unknown>).filter(([, v]) => v === true).map(([k]) => k);
    return `{${set.join(',')}}`;
  }
  return String(value);
}
