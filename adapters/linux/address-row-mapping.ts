/**
 * Linux RTM_NEWADDR / RTM_DELADDR -> `UnicastIpAddressRow`. Pure: no koffi, no I/O.
 *
 * | row field | derivation on Linux |
 * |---|---|
 * | family | ifa_family 2 -> `inet`, 10 -> `inet6` (others: no row) |
 * | address | IFA_LOCAL when present, else IFA_ADDRESS (on a point-to-point address IFA_ADDRESS is the peer's) |
 * | interfaceLuid, interfaceName | the device's, from the caller's link table (the message carries only ifa_index; IFA_LABEL is an IPv4 alias label, not the device name) |
 * | interfaceIndex | ifa_index |
 * | onLinkPrefixLength | ifa_prefixlen |
 * | validLifetime, preferredLifetime | IFA_CACHEINFO ifa_valid / ifa_prefered (seconds left, 0xffffffff forever); undefined without it |
 * | dadState | IFA_F_DADFAILED -> `duplicate`; IFA_F_TENTATIVE -> `tentative`; IFA_F_DEPRECATED or preferred lifetime 0 -> `deprecated`; else `preferred`. Linux never reports `invalid` |
 * | prefixOrigin, suffixOrigin | IFA_PROTO when sent (kernel 5.18+): KERNEL_LO -> wellKnown/wellKnown, KERNEL_LL -> wellKnown/linkLayerAddress (random with IFA_F_STABLE_PRIVACY), KERNEL_RA -> routerAdvertisement/linkLayerAddress (random with IFA_F_TEMPORARY or IFA_F_STABLE_PRIVACY). Without it: IPv6 IFA_F_TEMPORARY -> routerAdvertisement/random; host scope (IPv4 127.0.0.1 carries no IFA_PROTO on 6.18) -> wellKnown/wellKnown; IFA_F_PERMANENT (a static address: `ip addr add` without lifetimes) -> manual/manual; anything else (finite lifetimes set by a DHCP client or by hand, or a user IFA_PROTO value) -> other/other |
 * | skipAsSource | undefined: Linux has no such per-address flag (deprecation is `dadState`) |
 * | scopeId | IPv6: the interface index for link and host scope (ifa_scope 253/254), else 0; IPv4: 0 (no zones) |
 * | creationTimeStamp | IFA_CACHEINFO cstamp (hundredths of a second since boot) as FILETIME ticks, given the boot time as FILETIME ({@link filetimeOfBoot}); undefined without one of them |
 *
 * @module
 */
import type { DadState, PrefixOrigin, SuffixOrigin, UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { ipAddressText } from '../../src/ip-address-text.js';
import type { AddressMessage } from './netlink-parser.js';

/** What the mapping reads of an address message (the reader's, or a captured one of address-parser.ts). */
export type AddressFacts = Omit<AddressMessage, 'kind'>;
import {
  IFA_F_DADFAILED, IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_STABLE_PRIVACY, IFA_F_TEMPORARY, IFA_F_TENTATIVE, IFAPROT_KERNEL_LL,
  IFAPROT_KERNEL_LO, IFAPROT_KERNEL_RA, LINUX_AF_INET, LINUX_AF_INET6, RT_SCOPE_HOST, RT_SCOPE_LINK,
} from './netlink-constants.js';

/** What the caller's link table knows about the device of an address. */
export interface AddressDevice {
  readonly interfaceLuid: bigint;
  readonly interfaceName?: string | undefined;
}

/** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH_SECONDS = 11644473600n;

/**
 * The boot time as FILETIME ticks (100 ns since 1601), from a wall clock and a monotonic clock read
 * together: `wallMs - monotonicMs` is when the monotonic clock (and the kernel's jiffies-based
 * cstamp) was zero.
 *
 * @example
 * ```ts
 * const boot = filetimeOfBoot(Date.now(), Number(process.hrtime.bigint() / 1_000_000n));
 * ```
 */
export function filetimeOfBoot(wallMs: number, monotonicMs: number): bigint {
  return (FILETIME_UNIX_EPOCH_SECONDS * 1000n + BigInt(Math.round(wallMs - monotonicMs))) * 10_000n;
}

function dadStateOf(flags: number, preferred: number | undefined): DadState {
  if (flags & IFA_F_DADFAILED) return 'duplicate';
  if (flags & IFA_F_TENTATIVE) return 'tentative';
  if (flags & IFA_F_DEPRECATED || preferred === 0) return 'deprecated';
  return 'preferred';
}

function originsOf(m: AddressFacts): readonly [PrefixOrigin, SuffixOrigin] {
  const flags = m.addressFlags;
  const inet6 = m.family === LINUX_AF_INET6;
  const temporary = inet6 && (flags & IFA_F_TEMPORARY) !== 0;
  const randomSuffix = temporary || (flags & IFA_F_STABLE_PRIVACY) !== 0;
  switch (m.protocol) {
    case IFAPROT_KERNEL_LO:
      return ['wellKnown', 'wellKnown'];
    case IFAPROT_KERNEL_LL:
      return ['wellKnown', randomSuffix ? 'random' : 'linkLayerAddress'];
    case IFAPROT_KERNEL_RA:
      return ['routerAdvertisement', randomSuffix ? 'random' : 'linkLayerAddress'];
    case undefined:
      if (temporary) return ['routerAdvertisement', 'random'];
      if (m.scope === RT_SCOPE_HOST) return ['wellKnown', 'wellKnown'];
      if (flags & IFA_F_PERMANENT) return ['manual', 'manual'];
      return ['other', 'other'];
    default:
      return ['other', 'other'];
  }
}

/**
 * The row of an address message, or `undefined` for a family other than AF_INET / AF_INET6 or a
 * message without an address. `boot` (see {@link filetimeOfBoot}) turns cstamp into
 * `creationTimeStamp`. The derivation of every field is the table at the top of this file.
 *
 * @example
 * ```ts
 * const row = mapAddressRow(message, { interfaceLuid: 1688849910464512n, interfaceName: 'eth0' });
 * row?.dadState; // 'preferred'
 * ```
 */
export function mapAddressRow(m: AddressFacts, device: AddressDevice, boot?: bigint): UnicastIpAddressRow | undefined {
  const family = m.family === LINUX_AF_INET ? 'inet' : m.family === LINUX_AF_INET6 ? 'inet6' : undefined;
  const bytes = m.local ?? m.address;
  if (family === undefined || bytes === undefined) return undefined;
  const address = ipAddressText(bytes);
  if (address === undefined) return undefined;
  const [prefixOrigin, suffixOrigin] = originsOf(m);
  const cache = m.cacheInfo;
  return {
    family,
    address,
    interfaceLuid: device.interfaceLuid,
    interfaceIndex: m.ifindex,
    interfaceName: device.interfaceName,
    prefixOrigin,
    suffixOrigin,
    validLifetime: cache?.valid,
    preferredLifetime: cache?.preferred,
    onLinkPrefixLength: m.prefixLength,
    skipAsSource: undefined,
    dadState: dadStateOf(m.addressFlags, cache?.preferred),
    scopeId: family === 'inet6' && (m.scope === RT_SCOPE_LINK || m.scope === RT_SCOPE_HOST) ? m.ifindex : 0,
    creationTimeStamp: cache !== undefined && boot !== undefined ? boot + BigInt(cache.created) * 100_000n : undefined,
  };
}

/** Every field of a row: the compile-time check below fails when the row type gains one. */
const ADDRESS_ROW_KEYS = [
  'family', 'address', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'prefixOrigin', 'suffixOrigin', 'validLifetime',
  'preferredLifetime', 'onLinkPrefixLength', 'skipAsSource', 'dadState', 'scopeId', 'creationTimeStamp',
] as const satisfies readonly (keyof UnicastIpAddressRow)[];
type UncomparedAddressKey = Exclude<keyof UnicastIpAddressRow, (typeof ADDRESS_ROW_KEYS)[number]>;
const everyAddressKeyCompared: [UncomparedAddressKey] extends [never] ? true : never = true;

/** The fields a lifetime refresh (a router advertisement) changes and nothing else. */
const LIFETIME_KEYS = ['validLifetime', 'preferredLifetime'] as const satisfies readonly (keyof UnicastIpAddressRow)[];
const NON_LIFETIME_KEYS: readonly (keyof UnicastIpAddressRow)[] = ADDRESS_ROW_KEYS.filter(
  (k) => !(LIFETIME_KEYS as readonly string[]).includes(k),
);

/**
 * The fields of an address row, for tests that check {@link addressRowsEqual} sees a difference in each.
 *
 * @example
 * ```ts
 * for (const key of addressRowKeys()) console.log(key);
 * ```
 */
export function addressRowKeys(): readonly (keyof UnicastIpAddressRow)[] {
  return everyAddressKeyCompared ? ADDRESS_ROW_KEYS : [];
}

/**
 * True when two rows have the same value in every field (an absent field equals an `undefined` one).
 *
 * @example
 * ```ts
 * addressRowsEqual(a, { ...a }); // true
 * ```
 */
export function addressRowsEqual(a: UnicastIpAddressRow, b: UnicastIpAddressRow): boolean {
  for (const key of ADDRESS_ROW_KEYS) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * True when `b` differs from `a` only in the lifetimes: the RTM_NEWADDR the kernel sends on every
 * router-advertisement refresh. A change of anything else (DAD finished, deprecated, prefix length,
 * origin) is not lifetime-only, and neither is no change at all. A preferred lifetime that reaches 0
 * changes `dadState` to `deprecated`, so it is a real change.
 *
 * @example
 * ```ts
 * isLifetimeOnlyChange(row, { ...row, validLifetime: 1800, preferredLifetime: 900 }); // true (row had other lifetimes)
 * isLifetimeOnlyChange(row, { ...row, dadState: 'deprecated', preferredLifetime: 0 }); // false
 * ```
 */
export function isLifetimeOnlyChange(a: UnicastIpAddressRow, b: UnicastIpAddressRow): boolean {
  for (const key of NON_LIFETIME_KEYS) if (a[key] !== b[key]) return false;
  return a.validLifetime !== b.validLifetime || a.preferredLifetime !== b.preferredLifetime;
}
