/**
 * How the polling adapter names an interface it only knows from `os.networkInterfaces()`: an
 * `interfaceIndex` and a NET_LUID, derived in a documented, stable way (see `docs/polling.md`).
 * @module
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { ifTypeOfArphrd } from '../shared/if-type.js';
import { netLuid } from '../shared/net-luid.js';

/** What the derivation may ask the system. Injected so every branch is testable on any OS. */
export interface IdentityProbe {
  readonly platform: NodeJS.Platform;
  /** Reads `/sys/class/net/<name>/<attribute>` (Linux), or `undefined` when it cannot be read. */
  readSysfs(name: string, attribute: 'ifindex' | 'type'): string | undefined;
}

/** Where an {@link InterfaceIdentity} came from. */
export type IdentitySource = 'sysfs' | 'scope-id' | 'name-hash';

/** The identity of one interface (shared by its IPv4 and IPv6 rows). */
export interface InterfaceIdentity {
  readonly interfaceIndex: number;
  readonly interfaceLuid: bigint;
  readonly source: IdentitySource;
}

/** IANA ifType values used below. */
const IF_TYPE_OTHER = 1;
const IF_TYPE_SOFTWARE_LOOPBACK = 24;


/** Synthetic indices start here (2^24): far above the small indices operating systems hand out. */
export const SYNTHETIC_INDEX_BASE = 0x1000000;

/**
 * FNV-1a (32 bit) of the UTF-8 bytes of `text`, xor-folded to 24 bits; never 0. The NetLuidIndex of
 * a synthetic identity.
 *
 * @example
 * ```ts
 * nameHash24('a'); // 0x0c29c8: FNV-1a('a') = 0xe40c292c, folded 0x0c292c ^ 0xe4
 * ```
 */
export function nameHash24(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const folded = ((hash >>> 24) ^ hash) & 0xffffff;
  return folded === 0 ? 1 : folded;
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Derives the index and LUID of the interface `name` from what Node and the system can tell,
 * first match wins:
 *
 * 1. Linux: `/sys/class/net/<name>/ifindex`, and IfType from `/sys/class/net/<name>/type` (ARPHRD,
 *    mapped like the linux adapter): LUID = IfType << 48 | ifindex << 24, the linux adapter's LUID.
 * 2. The scope ID of an IPv6 link-local address (fe80::/10) of the interface: on every OS that is
 *    the interface index. IfType 24 (loopback) for internal interfaces, else 1 (other: unknown).
 * 3. Neither: a synthetic index `SYNTHETIC_INDEX_BASE + h`, h = {@link nameHash24}(name), and
 *    LUID = IfType << 48 | h << 24 | 1 (Reserved = 1 marks it synthetic, so it can never equal a
 *    LUID of the first two kinds). Stable as long as the name is. Should two names of one snapshot
 *    hash alike (24 bits), `isTaken` lets the later one (in name order) take h + 1, h + 2, ...
 *
 * @example
 * ```ts
 * deriveInterfaceIdentity('eth0', os.networkInterfaces().eth0 ?? [], probe).interfaceIndex; // 2
 * ```
 */
export function deriveInterfaceIdentity(
  name: string,
  addresses: readonly NetworkInterfaceInfo[],
  probe: IdentityProbe,
  isTaken: (interfaceLuid: bigint) => boolean = () => false,
): InterfaceIdentity {
  if (probe.platform === 'linux') {
    const ifindex = positiveInteger(probe.readSysfs(name, 'ifindex'));
    if (ifindex !== undefined) {
      const arphrd = positiveInteger(probe.readSysfs(name, 'type'));
      // The linux adapter's table, so that on Linux a polled row's `interfaceKey` equals the linux adapter's.
      const ifType = arphrd === undefined ? IF_TYPE_OTHER : ifTypeOfArphrd(arphrd);
      return { interfaceIndex: ifindex, interfaceLuid: netLuid(ifType, ifindex, 0), source: 'sysfs' };
    }
  }
  const ifType = addresses.some((a) => a.internal) ? IF_TYPE_SOFTWARE_LOOPBACK : IF_TYPE_OTHER;
  for (const a of addresses) {
    if (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address) && a.scopeid !== undefined && a.scopeid > 0) {
      return { interfaceIndex: a.scopeid, interfaceLuid: netLuid(ifType, a.scopeid, 0), source: 'scope-id' };
    }
  }
  let h = nameHash24(name);
  for (let probes = 0; isTaken(netLuid(ifType, h, 1)) && probes < 0xffffff; probes++) h = (h % 0xffffff) + 1;
  return { interfaceIndex: SYNTHETIC_INDEX_BASE + h, interfaceLuid: netLuid(ifType, h, 1), source: 'name-hash' };
}
