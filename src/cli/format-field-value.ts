import { INFINITE_LIFETIME } from '../unicast-ip-address-row.js';
import { formatInterfaceIdentifier } from './format-interface-identifier.js';

/**
 * How the CLI's human output shows one field value: `-` for a value the platform does not supply,
 * `interfaceIdentifier` as `ip` prints it (`::1c2f:3eff:fe4a:5b6c`), an address lifetime of 0xffffffff
 * as `forever` (as `ip addr` does), other bigints in decimal, arrays as `[a,b]`, objects as their `true` flags, everything else as `String`.
 *
 * @example
 * ```ts
 * formatFieldValue(undefined);  // '-'
 * formatFieldValue(1500);       // '1500'
 * formatFieldValue([1, 2, 2]);  // '[1,2,2]'
 * formatFieldValue(0x1c2f3efffe4a5b6cn, 'interfaceIdentifier'); // '::1c2f:3eff:fe4a:5b6c'
 * formatFieldValue(0xffffffff, 'validLifetime'); // 'forever'
 * ```
 *
 * @param field The row field the value is of, where the format depends on it.
 */
export function formatFieldValue(value: unknown, field?: string): string {
  if (value === undefined || value === null) return '-';
  if (field === 'interfaceIdentifier' && typeof value === 'bigint') return formatInterfaceIdentifier(value);
  if ((field === 'validLifetime' || field === 'preferredLifetime') && value === INFINITE_LIFETIME) return 'forever';
  if (Array.isArray(value)) return `[${value.map((v) => formatFieldValue(v)).join(',')}]`;
  if (typeof value === 'object') {
    const set = Object.entries(value as Record<string, unknown>).filter(([, v]) => v === true).map(([k]) => k);
    return `{${set.join(',')}}`;
  }
  return String(value);
}
