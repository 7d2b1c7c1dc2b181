import type { IpInterfaceRow } from './ip-interface-row.js';

/**
 * A stable key per IP interface: family plus LUID (the IPv4 and IPv6 interfaces of one device have
 * different keys). Stable across renames and parameter changes.
 *
 * @example
 * ```ts
 * interfaceKey({ family: AF_INET, interfaceLuid: 1689399632855040n }); // 'inet:1689399632855040'
 * ```
 */
export function interfaceKey(row: Pick<IpInterfaceRow, 'family' | 'interfaceLuid'>): string {
  return `${row.family}:${row.interfaceLuid.toString()}`;
}
