/**
 * The polling adapter's view of unicast addresses: `os.networkInterfaces()` as
 * `UnicastIpAddressRow`s, and the diff of two polls. Pure (the identity probe is injected).
 *
 * | row field | from `os.networkInterfaces()` |
 * |---|---|
 * | family | `family` 'IPv4' / 'IPv6' |
 * | address | `address` (Node prints it as inet_ntop does: RFC 5952; lower-cased here), no zone |
 * | interfaceIndex, interfaceLuid | {@link deriveInterfaceIdentity}, as for the interface rows (so keys match theirs) |
 * | interfaceName | the key of `os.networkInterfaces()` |
 * | onLinkPrefixLength | the `/N` of `cidr` (null when Node cannot compute it: then `undefined`) |
 * | scopeId | IPv6 `scopeid`; IPv4 0 |
 * | prefixOrigin, suffixOrigin, validLifetime, preferredLifetime, skipAsSource, dadState, creationTimeStamp | `undefined`: Node does not expose them |
 *
 * @module
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { MibNotificationType } from '../../src/adapter.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { deriveInterfaceIdentity, type IdentityProbe } from './interface-identity.js';

/** The addresses seen at one poll, by {@link unicastAddressKey}, in interface name order. */
export type AddressSnapshot = ReadonlyMap<string, UnicastIpAddressRow>;

/** One difference between two address snapshots. */
export interface AddressSnapshotChange {
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly row: UnicastIpAddressRow;
}

function prefixLengthOf(cidr: string | null): number | undefined {
  if (cidr === null) return undefined;
  const slash = cidr.lastIndexOf('/');
  const length = slash < 0 ? NaN : Number(cidr.slice(slash + 1));
  return Number.isInteger(length) && length >= 0 && length <= 128 ? length : undefined;
}

/**
 * The unicast addresses of `os.networkInterfaces()` as rows (every field the poller cannot know is
 * `undefined`; see the table at the top of this file). An interface whose identity another name
 * already took is skipped, as for interface rows.
 *
 * @example
 * ```ts
 * const rows = addressSnapshotFromNetworkInterfaces(os.networkInterfaces(), probe);
 * rows.get('inet:6755399458734080:127.0.0.1')?.onLinkPrefixLength; // 8
 * ```
 */
export function addressSnapshotFromNetworkInterfaces(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, probe: IdentityProbe): AddressSnapshot {
  const out = new Map<string, UnicastIpAddressRow>();
  const luids = new Set<bigint>();
  for (const name of Object.keys(interfaces).sort()) {
    const addresses = interfaces[name] ?? [];
    if (addresses.length === 0) continue;
    const identity = deriveInterfaceIdentity(name, addresses, probe, (l) => luids.has(l));
    if (luids.has(identity.interfaceLuid)) continue;
    luids.add(identity.interfaceLuid);
    for (const a of addresses) {
      const family = a.family === 'IPv4' ? 'inet' : a.family === 'IPv6' ? 'inet6' : undefined;
      if (family === undefined) continue;
      const row: UnicastIpAddressRow = {
        family,
        address: a.address.toLowerCase(),
        interfaceLuid: identity.interfaceLuid,
        interfaceIndex: identity.interfaceIndex,
        interfaceName: name,
        onLinkPrefixLength: prefixLengthOf(a.cidr),
        scopeId: a.family === 'IPv6' ? a.scopeid : 0,
      };
      out.set(unicastAddressKey(row), row);
    }
  }
  return out;
}

/**
 * What happened between two polls: `delete` for addresses gone (the last row seen), then `add` for
 * new ones and `parameter` for those whose prefix length, scope or interface name changed, in the
 * order of `next`.
 *
 * @example
 * ```ts
 * diffAddressSnapshots(before, after); // [{ type: 'add', row: { family: 'inet', address: '10.9.0.1', ... } }]
 * ```
 */
export function diffAddressSnapshots(previous: AddressSnapshot, next: AddressSnapshot): AddressSnapshotChange[] {
  const changes: AddressSnapshotChange[] = [];
  for (const [key, row] of previous) if (!next.has(key)) changes.push({ type: 'delete', row });
  for (const [key, row] of next) {
    const before = previous.get(key);
    if (before === undefined) changes.push({ type: 'add', row });
    else if (before.onLinkPrefixLength !== row.onLinkPrefixLength || before.scopeId !== row.scopeId || before.interfaceName !== row.interfaceName) {
      changes.push({ type: 'parameter', row });
    }
  }
  return changes;
}
