/**
 * A `JSON.stringify` replacer that writes bigints (LUIDs, interface identifiers) as decimal strings,
 * which JSON has no type for.
 *
 * @example
 * ```ts
 * JSON.stringify({ interfaceLuid: 1689399632855040n }, bigintToString); // '{"interfaceLuid":"1689399632855040"}'
 * ```
 */
export function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
