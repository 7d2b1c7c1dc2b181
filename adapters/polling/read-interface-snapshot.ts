import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IdentityProbe } from './interface-identity.js';
import { addressSnapshotFromNetworkInterfaces, type AddressSnapshot } from './address-snapshot.js';
import { snapshotFromNetworkInterfaces, type InterfaceSnapshot } from './interface-snapshot.js';

function readSysfs(name: string, attribute: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/${attribute}`, 'utf8');
  } catch {
    // Gone since Node listed it, or no sysfs: the derivation falls back.
    return undefined;
  }
}

/**
 * The device type of a name, remembered with the ifindex it was read for. The ifindex is read on
 * every poll (a device deleted and re-created under the same name gets a new one); the type only
 * when the ifindex changed, which halves the /sys reads per poll.
 */
const typeByName = new Map<string, { ifindex: string; type: string | undefined }>();

/** The real system: `process.platform` and Linux sysfs. */
const systemProbe: IdentityProbe = {
  platform: process.platform,
  readSysfs(name, attribute) {
    if (attribute === 'ifindex') {
      const ifindex = readSysfs(name, 'ifindex');
      if (ifindex === undefined) typeByName.delete(name);
      else if (typeByName.get(name)?.ifindex !== ifindex) typeByName.set(name, { ifindex, type: readSysfs(name, 'type') });
      return ifindex;
    }
    // Always asked right after 'ifindex' for the same name.
    return typeByName.get(name)?.type ?? readSysfs(name, attribute);
  },
};

/** What one `os.networkInterfaces()` call returned: both snapshots of a poll are built from one. */
export type NetworkInterfaceListing = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * The IP interfaces of a listing (see {@link readInterfaceSnapshot}).
 *
 * @example
 * ```ts
 * const listing = listNetworkInterfaces();
 * const interfaces = interfaceSnapshotOf(listing);
 * const addresses = addressSnapshotOf(listing); // the same instant, one os.networkInterfaces() call
 * ```
 */
export function interfaceSnapshotOf(interfaces: NetworkInterfaceListing): InterfaceSnapshot {
  const snapshot = snapshotFromNetworkInterfaces(interfaces, systemProbe);
  forgetUnlisted(interfaces);
  return snapshot;
}

/**
 * The unicast addresses of a listing (see {@link readAddressSnapshot}).
 *
 * @example
 * ```ts
 * for (const row of addressSnapshotOf(listNetworkInterfaces()).values()) console.log(row.address);
 * ```
 */
export function addressSnapshotOf(interfaces: NetworkInterfaceListing): AddressSnapshot {
  const snapshot = addressSnapshotFromNetworkInterfaces(interfaces, systemProbe);
  forgetUnlisted(interfaces);
  return snapshot;
}

/**
 * Reads the current IP interfaces of this process's network namespace (`os.networkInterfaces()`,
 * which lists only interfaces that are up, running and have an address).
 *
 * @throws IpInterfaceError `OS_ERROR` when Node cannot list the interfaces.
 * @example
 * ```ts
 * for (const row of readInterfaceSnapshot().values()) console.log(row.family, row.interfaceName);
 * ```
 */
export function readInterfaceSnapshot(): InterfaceSnapshot {
  return interfaceSnapshotOf(listNetworkInterfaces());
}

/**
 * Reads the current unicast addresses of this process's network namespace
 * (`os.networkInterfaces()`; see adapters/polling/address-snapshot.ts for what each field is).
 *
 * @throws IpInterfaceError `OS_ERROR` when Node cannot list the interfaces.
 * @example
 * ```ts
 * for (const row of readAddressSnapshot().values()) console.log(`${row.address}/${row.onLinkPrefixLength}`);
 * ```
 */
export function readAddressSnapshot(): AddressSnapshot {
  return addressSnapshotOf(listNetworkInterfaces());
}

/**
 * `os.networkInterfaces()`, its failure as an `IpInterfaceError`.
 *
 * @throws IpInterfaceError `OS_ERROR` when Node cannot list the interfaces.
 * @example
 * ```ts
 * Object.keys(listNetworkInterfaces()); // ['eth0', 'lo']
 * ```
 */
export function listNetworkInterfaces(): NetworkInterfaceListing {
  try {
    return networkInterfaces();
  } catch (error) {
    const errno = (error as { errno?: unknown }).errno;
    throw new IpInterfaceError('OS_ERROR', `os.networkInterfaces() failed: ${error instanceof Error ? error.message : String(error)}`, {
      adapter: 'polling',
      cause: error,
      ...(typeof errno === 'number' ? { osCode: Math.abs(errno) } : {}),
    });
  }
}

/** Forgets devices no longer listed, so name churn cannot grow the cache. */
function forgetUnlisted(interfaces: NetworkInterfaceListing): void {
  for (const name of typeByName.keys()) if (interfaces[name] === undefined) typeByName.delete(name);
}
