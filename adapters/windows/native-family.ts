import type { AddressFamily } from '../../src/address-family.js';

/** Windows ADDRESS_FAMILY numbers: AF_UNSPEC 0, AF_INET 2, AF_INET6 23 (not Linux's 10). */
export const NATIVE_FAMILY = { unspec: 0, inet: 2, inet6: 23 } as const satisfies Record<AddressFamily, number>;

/**
 * The library's family for a native ADDRESS_FAMILY of a row, or `undefined` for anything but
 * AF_INET / AF_INET6 (such a row is dropped: a row's family is never invented).
 *
 * @example
 * ```ts
 * familyFromNative(23); // 'inet6'
 * familyFromNative(10); // undefined (Linux's AF_INET6 means nothing to iphlpapi)
 * ```
 */
export function familyFromNative(native: number): 'inet' | 'inet6' | undefined {
  if (native === NATIVE_FAMILY.inet) return 'inet';
  if (native === NATIVE_FAMILY.inet6) return 'inet6';
  return undefined;
}
