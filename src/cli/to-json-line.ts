import { bigintToString } from './bigint-to-string.js';

/**
 * One NDJSON line (without newline) for a change: the `IpInterfaceChange` (or `UnicastIpAddressChange`)
 * itself (`kind` and the whole `row`, or `family` for `initial`) with bigints as decimal strings, after a `time` field
 * (ISO 8601, UTC). Fields the platform does not supply are absent, as in the row.
 *
 * @example
 * ```ts
 * toJsonLine({ kind: 'removed', row }, new Date(0));
 * // '{"time":"1970-01-01T00:00:00.000Z","kind":"removed","row":{"family":"inet",...}}'
 * ```
 */
export function toJsonLine<C extends { readonly kind: string }>(change: C, time: Date): string {
  return JSON.stringify({ time: time.toISOString(), ...change }, bigintToString);
}
