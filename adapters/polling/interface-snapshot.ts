import type { NetworkInterfaceInfo } from 'node:os';
import { AF_INET, AF_INET6 } from '../../src/address-family.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { interfaceKey } from '../../src/interface-key.js';
import { deriveInterfaceIdentity, type IdentityProbe } from './interface-identity.js';

/** The IP interfaces seen at one instant, by {@link interfaceKey}, ordered by index then family. */
export type InterfaceSnapshot = ReadonlyMap<string, IpInterfaceRow>;

/**
 * Turns the result of `os.networkInterfaces()` into IP interface rows: one row per (interface,
 * family) that has at least one address of that family. A row carries only what a poller can know:
 * `family`, `interfaceIndex`, `interfaceLuid` (see {@link deriveInterfaceIdentity}) and
 * `interfaceName`; every other field is absent (`undefined`).
 *
 * @example
 * ```ts
 * const rows = snapshotFromNetworkInterfaces(os.networkInterfaces(), probe);
 * rows.get('inet:6755399458734080')?.interfaceName; // 'lo' (ifindex 1, IfType 24)
 * ```
 */
export function snapshotFromNetworkInterfaces(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  probe: IdentityProbe,
): InterfaceSnapshot {
  const rows: IpInterfaceRow[] = [];
  const luids = new Set<bigint>();
  // Name order makes the (rare) synthetic-index collision handling deterministic.
  for (const name of Object.keys(interfaces).sort()) {
    const addresses = interfaces[name] ?? [];
    if (addresses.length === 0) continue;
    const identity = deriveInterfaceIdentity(name, addresses, probe, (l) => luids.has(l));
    // Two names with one real index cannot both be right (a /sys of another namespace): keep the first.
    if (luids.has(identity.interfaceLuid)) continue;
    luids.add(identity.interfaceLuid);
    const base = { interfaceLuid: identity.interfaceLuid, interfaceIndex: identity.interfaceIndex, interfaceName: name };
    if (addresses.some((a) => a.family === 'IPv4')) rows.push({ family: AF_INET, ...base });
    if (addresses.some((a) => a.family === 'IPv6')) rows.push({ family: AF_INET6, ...base });
  }
  rows.sort((a, b) => a.interfaceIndex - b.interfaceIndex || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
  return new Map(rows.map((row) => [interfaceKey(row), row]));
}
