import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IdentityProbe } from './interface-identity.js';
import { snapshotFromNetworkInterfaces, type InterfaceSnapshot } from './interface-snapshot.js';

/** The real system: `process.platform` and Linux sysfs. */
const systemProbe: IdentityProbe = {
  platform: process.platform,
  readSysfs(name, attribute) {
    try {
      return readFileSync(`/sys/class/net/${name}/${attribute}`, 'utf8');
    } catch {
      // Gone since Node listed it, or no sysfs: the derivation falls back.
      return undefined;
    }
  },
};

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
  let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  try {
    interfaces = networkInterfaces();
  } catch (error) {
    const errno = (error as { errno?: unknown }).errno;
    throw new IpInterfaceError('OS_ERROR', `os.networkInterfaces() failed: ${error instanceof Error ? error.message : String(error)}`, {
      adapter: 'polling',
      cause: error,
      ...(typeof errno === 'number' ? { osCode: Math.abs(errno) } : {}),
    });
  }
  return snapshotFromNetworkInterfaces(interfaces, systemProbe);
}
