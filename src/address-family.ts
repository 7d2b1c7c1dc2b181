/**
 * All IP families: a registration for `AF_UNSPEC` receives IPv4 and IPv6 interfaces.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 * ipInterfaceChanges$(AF_UNSPEC, true).subscribe((c) => console.log(c)); // IPv4 and IPv6 rows
 * ```
 */
export const AF_UNSPEC = 'unspec';
/**
 * IPv4 (Windows AF_INET = 2, Linux AF_INET = 2).
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
 * ipInterfaceChanges$(AF_INET, true).subscribe((c) => console.log(c)); // IPv4 rows only
 * ```
 */
export const AF_INET = 'inet';
/**
 * IPv6 (Windows AF_INET6 = 23, Linux AF_INET6 = 10).
 *
 * @example
 * ```ts
 * import { AF_INET6, type IpInterfaceRow } from 'rxjs-ip-interface';
 * const isIpv6 = (row: IpInterfaceRow): boolean => row.family === AF_INET6;
 * ```
 */
export const AF_INET6 = 'inet6';

/**
 * The address family of a registration or a row. Adapters translate to and from the native numbers.
 *
 * @example
 * ```ts
 * import { AF_INET6, type AddressFamily } from 'rxjs-ip-interface';
 * const family: AddressFamily = AF_INET6;
 * ```
 */
export type AddressFamily = typeof AF_UNSPEC | typeof AF_INET | typeof AF_INET6;

/**
 * True when `value` is one of `AF_UNSPEC`, `AF_INET`, `AF_INET6`.
 *
 * @example
 * ```ts
 * isAddressFamily('inet'); // true
 * isAddressFamily(2);      // false: native numbers are the adapters' business
 * ```
 */
export function isAddressFamily(value: unknown): value is AddressFamily {
  return value === AF_UNSPEC || value === AF_INET || value === AF_INET6;
}

/**
 * True when a row of family `rowFamily` belongs to a registration for `registered`
 * (`AF_UNSPEC` matches both).
 *
 * @example
 * ```ts
 * familyMatches(AF_UNSPEC, AF_INET6); // true
 * familyMatches(AF_INET, AF_INET6);   // false
 * ```
 */
export function familyMatches(registered: AddressFamily, rowFamily: AddressFamily): boolean {
  return registered === AF_UNSPEC || registered === rowFamily;
}
