import type { AddressFamily } from './address-family.js';

/**
 * NL_ROUTE_PROTOCOL / MIB_IPPROTO_*: the routing mechanism that made a route (Other 1, Local 2,
 * NetMgmt 3, Icmp 4, Egp 5, Ggp 6, Hello 7, Rip 8, IsIs 9, EsIs 10, Cisco 11, Bbn 12, Ospf 13, Bgp 14,
 * Idpr 15, Eigrp 16, Dvmrp 17, Rpl 18, Dhcp 19, NT_AUTOSTATIC 10002, NT_STATIC 10006,
 * NT_STATIC_NON_DOD 10007). `local`: a connected route; `netmgmt`: configured by hand or a tool.
 *
 * @example
 * ```ts
 * const isConnected = (row: IpForwardRow): boolean => row.protocol === 'local';
 * ```
 */
export type RouteProtocol =
  | 'other' | 'local' | 'netmgmt' | 'icmp' | 'egp' | 'ggp' | 'hello' | 'rip' | 'isIs' | 'esIs' | 'cisco' | 'bbn' | 'ospf' | 'bgp'
  | 'idpr' | 'eigrp' | 'dvmrp' | 'rpl' | 'dhcp' | 'ntAutostatic' | 'ntStatic' | 'ntStaticNonDod';

/**
 * NL_ROUTE_ORIGIN: how a route came to be (NlroManual 0, WellKnown 1, DHCP 2, RouterAdvertisement 3, 6to4 4).
 *
 * @example
 * ```ts
 * const fromRouterAdvertisement = (row: IpForwardRow): boolean => row.origin === 'routerAdvertisement';
 * ```
 */
export type RouteOrigin = 'manual' | 'wellKnown' | 'dhcp' | 'routerAdvertisement' | '6to4';

/**
 * IP_ADDRESS_PREFIX: a destination prefix, canonical text plus length (`{ prefix: '0.0.0.0', prefixLength: 0 }` is the default route).
 *
 * @example
 * ```ts
 * const cidr = (p: IpAddressPrefix): string => `${p.prefix}/${p.prefixLength}`; // '10.77.0.0/16'
 * ```
 */
export interface IpAddressPrefix {
  /** Canonical text, as in {@link UnicastIpAddressRow.address}; no zone suffix. */
  readonly prefix: string;
  readonly prefixLength: number;
}

/**
 * The Linux routing table of the main table (`ip route show` without `table`): 254.
 *
 * @example
 * ```ts
 * const inMainTable = (row: IpForwardRow): boolean => row.table === undefined || row.table === RT_TABLE_MAIN;
 * ```
 */
export const RT_TABLE_MAIN = 254;

/**
 * One route (one next hop of it: a multipath route is one row per next hop): Windows'
 * `MIB_IPFORWARD_ROW2` in camelCase, plus `interfaceName` and, on Linux, `table`.
 *
 * `family`, `destinationPrefix`, `nextHop`, `interfaceLuid` and `interfaceIndex` are always present. Any
 * other field that a platform cannot supply is `undefined`, never invented; `docs/event-model.md` says
 * how each adapter derives each field.
 *
 * @example
 * ```ts
 * // `ip route`-like text of a row: '10.77.0.0/16 via 10.9.0.2 dev eth0 metric 0'.
 * const describeRoute = ({ destinationPrefix: d, nextHop, interfaceName, interfaceIndex, metric }: IpForwardRow): string =>
 *   `${d.prefix}/${d.prefixLength}${nextHop === '0.0.0.0' || nextHop === '::' ? '' : ` via ${nextHop}`} dev ${interfaceName ?? interfaceIndex} metric ${metric ?? '?'}`;
 * ```
 */
export interface IpForwardRow {
  readonly family: Exclude<AddressFamily, 'unspec'>;
  readonly destinationPrefix: IpAddressPrefix;
  /** The gateway, canonical text; `'0.0.0.0'` / `'::'` for an on-link route. */
  readonly nextHop: string;
  /** NET_LUID of the outgoing interface (NetLuidIndex in bits 24..47, IfType in bits 48..63). */
  readonly interfaceLuid: bigint;
  readonly interfaceIndex: number;
  /** The interface's name where the platform knows it. */
  readonly interfaceName?: string | undefined;
  readonly sitePrefixLength?: number | undefined;
  /** Seconds left; 0xffffffff for forever. */
  readonly validLifetime?: number | undefined;
  /** Seconds left; 0xffffffff for forever. */
  readonly preferredLifetime?: number | undefined;
  /** The route metric (Windows adds the interface metric when choosing; Linux compares it as is). */
  readonly metric?: number | undefined;
  readonly protocol?: RouteProtocol | undefined;
  readonly loopback?: boolean | undefined;
  readonly autoconfigureAddress?: boolean | undefined;
  readonly publish?: boolean | undefined;
  /** The route never expires. */
  readonly immortal?: boolean | undefined;
  /** Seconds since the route was added or last changed. */
  readonly age?: number | undefined;
  readonly origin?: RouteOrigin | undefined;
  /** Linux only: the routing table (254 main, 255 local, 253 default, or a policy-routing table). */
  readonly table?: number | undefined;
}
