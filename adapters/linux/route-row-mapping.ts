/**
 * Linux RTM_NEWROUTE / RTM_DELROUTE -> `IpForwardRow` (one per next hop). Pure: no koffi, no I/O.
 *
 * Which routes become rows: rtm_type RTN_UNICAST only (local, broadcast, multicast, blackhole,
 * unreachable, prohibit and anycast entries are not forwarding rows), never RTM_F_CLONED (IPv6 cache
 * and exception entries answered to `ip route get` or dumped with `ip route show cache`), never
 * routes of a nexthop object (RTA_NH_ID: their next hops are in RTM_NEWNEXTHOP, not in the message),
 * families AF_INET / AF_INET6 only; and no row for a next hop marked RTNH_F_DEAD (its device is down:
 * after `ip link set DEV down` the kernel keeps a multipath route with that hop marked `dead`, and
 * sends nothing about it, neither then nor when the hop comes back). Which tables is the caller's
 * choice (`table` is in every row).
 *
 * | row field | derivation on Linux |
 * |---|---|
 * | family | rtm_family 2 -> `inet`, 10 -> `inet6` |
 * | destinationPrefix | RTA_DST (absent: the zero address) / rtm_dst_len |
 * | nextHop | the hop's RTA_GATEWAY, else its RTA_VIA address (another family: an IPv4 route via an IPv6 gateway), else `0.0.0.0` / `::` (on-link) |
 * | interfaceIndex | the hop's RTA_OIF / rtnh_ifindex |
 * | interfaceLuid, interfaceName, loopback | the device's, from the caller's link table (`loopback`: the device is a loopback device) |
 * | metric | RTA_PRIORITY; the kernel leaves it out for IPv4 metric 0, so absent -> 0 |
 * | validLifetime | RTA_CACHEINFO rta_expires (USER_HZ ticks) rounded up to seconds when not 0, else RTA_EXPIRES when sent, else 0xffffffff (the route does not expire) |
 * | preferredLifetime | undefined: Linux routes have no preferred lifetime |
 * | immortal | the route does not expire (validLifetime 0xffffffff) |
 * | protocol | rtm_protocol: kernel -> `local` (connected), boot / static -> `netmgmt`, redirect / ra -> `icmp`, dhcp -> `dhcp`, bgp, ospf, rip, isis -> `isIs`, eigrp; everything else (zebra, bird, babel, unspec, ...) -> `other` |
 * | origin | rtm_protocol: kernel -> `wellKnown`, ra -> `routerAdvertisement`, dhcp -> `dhcp`, else `manual` |
 * | table | RTA_TABLE (32 bits) when present, else rtm_table |
 * | sitePrefixLength, autoconfigureAddress, publish, age | undefined: no Linux equivalent |
 *
 * @module
 */
import type { IpForwardRow, RouteOrigin, RouteProtocol } from '../../src/ip-forward-row.js';
import { ipAddressText } from '../../src/ip-address-text.js';
import {
  LINUX_AF_INET, LINUX_AF_INET6, RTM_F_CLONED, RTNH_F_DEAD, RTN_UNICAST, RTPROT_BGP, RTPROT_BOOT, RTPROT_DHCP, RTPROT_EIGRP, RTPROT_ISIS, RTPROT_KERNEL,
  RTPROT_OSPF, RTPROT_RA, RTPROT_REDIRECT, RTPROT_RIP, RTPROT_STATIC,
} from './netlink-constants.js';
import type { RouteMessage } from './route-parser.js';

/** What the caller's link table knows about the outgoing device of a next hop. */
export interface RouteDevice {
  readonly interfaceLuid: bigint;
  readonly interfaceName?: string | undefined;
  /** The device is a loopback device (ARPHRD_LOOPBACK). */
  readonly loopback?: boolean | undefined;
}

/** Looks a device up by ifindex; `undefined` when the caller does not know it (yet). */
export type RouteDeviceLookup = (ifindex: number) => RouteDevice | undefined;

const INFINITE = 0xffffffff;
/** USER_HZ: rta_expires is in clock_t ticks of 1/100 s. */
const USER_HZ = 100;

const PROTOCOL: ReadonlyMap<number, RouteProtocol> = new Map<number, RouteProtocol>([
  [RTPROT_KERNEL, 'local'],
  [RTPROT_BOOT, 'netmgmt'],
  [RTPROT_STATIC, 'netmgmt'],
  [RTPROT_REDIRECT, 'icmp'],
  [RTPROT_RA, 'icmp'],
  [RTPROT_DHCP, 'dhcp'],
  [RTPROT_BGP, 'bgp'],
  [RTPROT_OSPF, 'ospf'],
  [RTPROT_RIP, 'rip'],
  [RTPROT_ISIS, 'isIs'],
  [RTPROT_EIGRP, 'eigrp'],
]);

/**
 * NL_ROUTE_PROTOCOL of an rtm_protocol value (the table at the top of this file).
 *
 * @example
 * ```ts
 * routeProtocolOf(2); // 'local' (RTPROT_KERNEL: a connected route)
 * ```
 */
export function routeProtocolOf(rtmProtocol: number): RouteProtocol {
  return PROTOCOL.get(rtmProtocol) ?? 'other';
}

/**
 * NL_ROUTE_ORIGIN of an rtm_protocol value (the table at the top of this file).
 *
 * @example
 * ```ts
 * routeOriginOf(9); // 'routerAdvertisement' (RTPROT_RA)
 * ```
 */
export function routeOriginOf(rtmProtocol: number): RouteOrigin {
  if (rtmProtocol === RTPROT_KERNEL) return 'wellKnown';
  if (rtmProtocol === RTPROT_RA) return 'routerAdvertisement';
  if (rtmProtocol === RTPROT_DHCP) return 'dhcp';
  return 'manual';
}

/**
 * True when a route message describes forwarding rows: unicast, not cloned, not a nexthop-object
 * route, AF_INET or AF_INET6.
 *
 * @example
 * ```ts
 * const rows = isForwardingRoute(m) ? mapRouteRows(m, lookup) : [];
 * ```
 */
export function isForwardingRoute(m: RouteMessage): boolean {
  return (
    m.routeType === RTN_UNICAST && (m.routeFlags & RTM_F_CLONED) === 0 && m.nexthopId === undefined &&
    (m.family === LINUX_AF_INET || m.family === LINUX_AF_INET6)
  );
}

function validLifetimeOf(m: RouteMessage): number {
  const ticks = m.cacheInfo?.expires ?? 0;
  if (ticks > 0) return Math.ceil(ticks / USER_HZ);
  if (m.expires !== undefined && m.expires > 0) return m.expires;
  return INFINITE;
}

/** Options of {@link mapRouteRows}. */
export interface MapRouteOptions {
  /**
   * Also map next hops marked RTNH_F_DEAD. For RTM_DELROUTE: a table that kept such a hop (it went
   * dead without a message) must still see it named to delete it.
   */
  readonly includeDeadHops?: boolean | undefined;
}

/**
 * What identifies the route of a message among the routes of a table (family, table, destination
 * prefix, metric), or `undefined` when it is not a forwarding route ({@link isForwardingRoute}): what
 * a route table needs when a message maps to no row (every next hop dead).
 *
 * @example
 * ```ts
 * routeIdentityOf(message); // { family: 'inet', table: 254, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, metric: 0 }
 * ```
 */
export function routeIdentityOf(m: RouteMessage): Pick<IpForwardRow, 'family' | 'table' | 'destinationPrefix' | 'metric'> | undefined {
  if (!isForwardingRoute(m)) return undefined;
  const family = m.family === LINUX_AF_INET ? 'inet' : 'inet6';
  const prefix = m.destination === undefined ? (family === 'inet' ? '0.0.0.0' : '::') : ipAddressText(m.destination);
  if (prefix === undefined) return undefined;
  return { family, table: m.table, destinationPrefix: { prefix, prefixLength: m.dstLength }, metric: m.priority ?? 0 };
}

/**
 * The rows of a route message: one per live next hop (RTA_MULTIPATH gives several), `[]` for a message
 * that is not a forwarding route ({@link isForwardingRoute}), and `undefined` when `lookup` does not
 * know a next hop's device (the caller's link table is behind: read the links, then map again; no
 * row is ever given an invented LUID).
 *
 * @example
 * ```ts
 * const rows = mapRouteRows(message, (ifindex) => devices.get(ifindex));
 * rows?.map((r) => `${r.destinationPrefix.prefix}/${r.destinationPrefix.prefixLength} via ${r.nextHop}`);
 * ```
 */
export function mapRouteRows(m: RouteMessage, lookup: RouteDeviceLookup, options: MapRouteOptions = {}): IpForwardRow[] | undefined {
  const identity = routeIdentityOf(m);
  if (identity === undefined) return [];
  const { family, destinationPrefix } = identity;
  const zero = family === 'inet' ? '0.0.0.0' : '::';
  const validLifetime = validLifetimeOf(m);
  const metric = m.priority ?? 0;
  const protocol = routeProtocolOf(m.protocol);
  const origin = routeOriginOf(m.protocol);
  const immortal = validLifetime === INFINITE;
  const rows: IpForwardRow[] = [];
  for (const hop of m.nextHops) {
    if (hop.flags & RTNH_F_DEAD && options.includeDeadHops !== true) continue;
    if (hop.ifindex === undefined) return undefined;
    const device = lookup(hop.ifindex);
    if (device === undefined) return undefined;
    const gateway = hop.gateway ?? hop.via?.address;
    const nextHop = gateway === undefined ? zero : ipAddressText(gateway);
    if (nextHop === undefined) return undefined;
    // One literal with every field, in one order: a spread of a shared part into an 18-field
    // object made V8 build dictionary-mode rows (33 us per message here, most of it GC; 6 us after).
    rows.push({
      family,
      destinationPrefix,
      nextHop,
      interfaceLuid: device.interfaceLuid,
      interfaceIndex: hop.ifindex,
      interfaceName: device.interfaceName,
      sitePrefixLength: undefined,
      validLifetime,
      preferredLifetime: undefined,
      metric,
      protocol,
      loopback: device.loopback,
      autoconfigureAddress: undefined,
      publish: undefined,
      immortal,
      age: undefined,
      origin,
      table: m.table,
    });
  }
  return rows;
}

/** Every field of a row: the compile-time check below fails when the row type gains one. */
const ROUTE_ROW_KEYS = [
  'family', 'destinationPrefix', 'nextHop', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'sitePrefixLength', 'validLifetime',
  'preferredLifetime', 'metric', 'protocol', 'loopback', 'autoconfigureAddress', 'publish', 'immortal', 'age', 'origin', 'table',
] as const satisfies readonly (keyof IpForwardRow)[];
type UncomparedRouteKey = Exclude<keyof IpForwardRow, (typeof ROUTE_ROW_KEYS)[number]>;
const everyRouteKeyCompared: [UncomparedRouteKey] extends [never] ? true : never = true;

/**
 * The fields of a route row, for tests that check {@link routeRowsEqual} sees a difference in each.
 *
 * @example
 * ```ts
 * for (const key of routeRowKeys()) console.log(key);
 * ```
 */
export function routeRowKeys(): readonly (keyof IpForwardRow)[] {
  return everyRouteKeyCompared ? ROUTE_ROW_KEYS : [];
}

/**
 * True when two route rows have the same value in every field (the prefix by value).
 *
 * @example
 * ```ts
 * routeRowsEqual(a, { ...a, destinationPrefix: { ...a.destinationPrefix } }); // true
 * ```
 */
export function routeRowsEqual(a: IpForwardRow, b: IpForwardRow): boolean {
  for (const key of ROUTE_ROW_KEYS) {
    if (key === 'destinationPrefix') {
      if (a.destinationPrefix.prefix !== b.destinationPrefix.prefix || a.destinationPrefix.prefixLength !== b.destinationPrefix.prefixLength) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}
