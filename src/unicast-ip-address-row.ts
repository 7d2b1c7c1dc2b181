import type { AddressFamily } from './address-family.js';

/**
 * NL_PREFIX_ORIGIN: where the prefix of an address came from (IpPrefixOriginOther 0, Manual 1,
 * WellKnown 2, Dhcp 3, RouterAdvertisement 4, Unchanged 16).
 *
 * @example
 * ```ts
 * const isStatic = (row: UnicastIpAddressRow): boolean => row.prefixOrigin === 'manual';
 * ```
 */
export type PrefixOrigin = 'other' | 'manual' | 'wellKnown' | 'dhcp' | 'routerAdvertisement' | 'unchanged';

/**
 * NL_SUFFIX_ORIGIN: where the interface-identifier part of an address came from (IpSuffixOriginOther 0,
 * Manual 1, WellKnown 2, Dhcp 3, LinkLayerAddress 4, Random 5, Unchanged 16). `random`: a privacy
 * (temporary) or stable-privacy address.
 *
 * @example
 * ```ts
 * const isPrivacyAddress = (row: UnicastIpAddressRow): boolean => row.suffixOrigin === 'random';
 * ```
 */
export type SuffixOrigin = 'other' | 'manual' | 'wellKnown' | 'dhcp' | 'linkLayerAddress' | 'random' | 'unchanged';

/**
 * NL_DAD_STATE: duplicate address detection state (IpDadStateInvalid 0, Tentative 1, Duplicate 2,
 * Deprecated 3, Preferred 4). Only a `preferred` address is chosen as a source for new connections;
 * a `deprecated` one still works for existing ones.
 *
 * @example
 * ```ts
 * const usable = (row: UnicastIpAddressRow): boolean => row.dadState === 'preferred' || row.dadState === 'deprecated';
 * ```
 */
export type DadState = 'invalid' | 'tentative' | 'duplicate' | 'deprecated' | 'preferred';

/**
 * `validLifetime` / `preferredLifetime` value meaning "forever" (0xffffffff, as on Windows and in the
 * kernel's IFA_CACHEINFO).
 *
 * @example
 * ```ts
 * const permanent = (row: UnicastIpAddressRow): boolean => row.validLifetime === INFINITE_LIFETIME;
 * ```
 */
export const INFINITE_LIFETIME = 0xffffffff;

/**
 * One unicast IP address of one interface: Windows' `MIB_UNICASTIPADDRESS_ROW` in camelCase, plus
 * `interfaceName`.
 *
 * `family`, `address`, `interfaceLuid` and `interfaceIndex` are always present. Any other field that a
 * platform cannot supply is `undefined`, never invented; `docs/event-model.md` says how each adapter
 * derives each field.
 *
 * @example
 * ```ts
 * // `ip addr`-like text of a row: '10.9.0.1/24 dev eth0 preferred' or 'fe80::1/64 dev eth0 tentative'.
 * const describeAddress = (row: UnicastIpAddressRow): string =>
 *   `${row.address}/${row.onLinkPrefixLength ?? '?'} dev ${row.interfaceName ?? row.interfaceIndex} ${row.dadState ?? ''}`.trim();
 * ```
 */
export interface UnicastIpAddressRow {
  readonly family: Exclude<AddressFamily, 'unspec'>;
  /** Canonical text: `'10.0.0.1'`, `'fe80::1'` (RFC 5952, lower case), never a zone suffix (see `scopeId`). */
  readonly address: string;
  /** NET_LUID of the interface as a 64-bit value (NetLuidIndex in bits 24..47, IfType in bits 48..63). */
  readonly interfaceLuid: bigint;
  readonly interfaceIndex: number;
  /** The interface's name where the platform knows it (Linux `eth0`, Windows `ethernet_32768`). */
  readonly interfaceName?: string | undefined;
  readonly prefixOrigin?: PrefixOrigin | undefined;
  readonly suffixOrigin?: SuffixOrigin | undefined;
  /** Seconds left; {@link INFINITE_LIFETIME} for forever. */
  readonly validLifetime?: number | undefined;
  /** Seconds left; {@link INFINITE_LIFETIME} for forever; 0 for a deprecated address. */
  readonly preferredLifetime?: number | undefined;
  /** The on-link prefix length (`/24` of `10.9.0.1/24`). */
  readonly onLinkPrefixLength?: number | undefined;
  /** The address is never chosen as a source address. */
  readonly skipAsSource?: boolean | undefined;
  readonly dadState?: DadState | undefined;
  /** SCOPE_ID (the zone, Windows layout: zone in bits 0..27, level in bits 28..31); the interface index for IPv6 link-local addresses. */
  readonly scopeId?: number | undefined;
  /** When the address was created: FILETIME ticks (100 ns since 1601-01-01 UTC), where the platform has it. */
  readonly creationTimeStamp?: bigint | undefined;
}
