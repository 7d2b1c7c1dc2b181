import type { UnicastIpAddressRow } from './unicast-ip-address-row.js';

/**
 * A stable key per unicast address: family, interface LUID and address text (the same address on two
 * interfaces has two keys). Stable across lifetime, DAD-state and origin changes; the key
 * `GetUnicastIpAddressEntry` looks a row up by.
 *
 * @example
 * ```ts
 * unicastAddressKey({ family: AF_INET6, interfaceLuid: 1689399632855040n, address: 'fe80::1' }); // 'inet6:1689399632855040:fe80::1'
 * ```
 */
export function unicastAddressKey(row: Pick<UnicastIpAddressRow, 'family' | 'interfaceLuid' | 'address'>): string {
  return `${row.family}:${row.interfaceLuid.toString()}:${row.address}`;
}
