/**
 * RTM_NEWROUTE / RTM_DELROUTE parser: bytes in, plain objects out, everything the kernel says about a
 * route (rtmsg and its attributes, next hops of RTA_MULTIPATH). Pure (no koffi, no I/O) and strict
 * like {@link parseNetlinkMessages}: malformed input throws {@link NetlinkParseError}, nothing else.
 * It reports every route as the kernel sent it; which ones become rows (unicast, not cloned) is
 * decided in route-row-mapping.ts.
 *
 * @module
 */
import {
  RTA_CACHEINFO, RTA_DST, RTA_EXPIRES, RTA_GATEWAY, RTA_MULTIPATH, RTA_NH_ID, RTA_OIF, RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC,
  RTA_TABLE, RTA_VIA, RTM_DELROUTE, RTM_NEWROUTE,
} from './netlink-constants.js';
import { NetlinkParseError, type NetlinkHeader } from './netlink-parser.js';
import {
  align4, attributeAddress, attributeU32, attributeU8, forEachAttribute, LITTLE_ENDIAN, walkNetlinkMessages,
} from './netlink-walk.js';

/** RTA_VIA (struct rtvia): a next hop of another family (an IPv4 route via an IPv6 gateway). */
export interface RouteVia {
  /** rtvia_family (Linux AF_*). */
  readonly family: number;
  readonly address: Uint8Array;
}

/** RTA_CACHEINFO (struct rta_cacheinfo), the fields that say something about a FIB route. */
export interface RouteCacheInfo {
  /** rta_expires: clock_t ticks (USER_HZ, 100 per second) until the route expires; 0 when it does not. */
  readonly expires: number;
  /** rta_error (negative errno of a cached route, 0 otherwise). */
  readonly error: number;
  readonly used: number;
  readonly lastUse: number;
}

/** One next hop: the route itself for a single-path route, one rtnexthop entry of RTA_MULTIPATH. */
export interface RouteNextHop {
  /** RTA_OIF / rtnh_ifindex; undefined when the route has none (blackhole, nexthop objects). */
  readonly ifindex: number | undefined;
  readonly gateway?: Uint8Array | undefined;
  readonly via?: RouteVia | undefined;
  /** rtnh_flags (RTNH_F_*); rtm_flags' low byte for a single-path route. */
  readonly flags: number;
  /** rtnh_hops: the weight minus 1 (0 for a single-path route). */
  readonly hops: number;
}

/** One RTM_NEWROUTE / RTM_DELROUTE. */
export interface RouteMessage extends NetlinkHeader {
  readonly kind: 'route';
  readonly deleted: boolean;
  /** rtm_family: 2 (AF_INET), 10 (AF_INET6), others reported as they are. */
  readonly family: number;
  readonly dstLength: number;
  readonly srcLength: number;
  readonly tos: number;
  /** The table: RTA_TABLE (32 bits) when present, else rtm_table (which says 252 for tables above 255). */
  readonly table: number;
  /** rtm_protocol (RTPROT_*). */
  readonly protocol: number;
  /** rtm_scope (RT_SCOPE_*). */
  readonly scope: number;
  /** rtm_type (RTN_*). */
  readonly routeType: number;
  /** rtm_flags (RTM_F_*, RTNH_F_* in the low byte). */
  readonly routeFlags: number;
  readonly destination?: Uint8Array | undefined;
  readonly source?: Uint8Array | undefined;
  /** RTA_PRIORITY (the metric); the kernel leaves it out for IPv4 metric 0. */
  readonly priority?: number | undefined;
  readonly preferredSource?: Uint8Array | undefined;
  /** RTA_PREF (IPv6 router preference: 0 medium, 1 high, 3 low). */
  readonly preference?: number | undefined;
  /** RTA_EXPIRES (seconds), where the kernel sends it. */
  readonly expires?: number | undefined;
  readonly cacheInfo?: RouteCacheInfo | undefined;
  /** RTA_NH_ID: the route uses a nexthop object (its next hops are not in the message). */
  readonly nexthopId?: number | undefined;
  /** One entry per next hop: RTA_MULTIPATH's, else the one from RTA_OIF / RTA_GATEWAY / RTA_VIA. */
  readonly nextHops: readonly RouteNextHop[];
  /** True when the next hops came from RTA_MULTIPATH. */
  readonly multipath: boolean;
}

function parseVia(view: DataView, bytes: Uint8Array, s: number, e: number): RouteVia {
  if (e - s < 2) throw new NetlinkParseError(`RTA_VIA: ${e - s} bytes, need 2`);
  const family = view.getUint16(s, LITTLE_ENDIAN);
  return { family, address: attributeAddress(bytes, family, s + 2, e, 'RTA_VIA') };
}

function parseMultipath(view: DataView, bytes: Uint8Array, family: number, start: number, end: number): RouteNextHop[] {
  const hops: RouteNextHop[] = [];
  for (let offset = start; offset + 8 <= end; ) {
    const len = view.getUint16(offset, LITTLE_ENDIAN);
    if (len < 8 || offset + len > end) throw new NetlinkParseError(`bad rtnexthop length ${len} at ${offset}`);
    let gateway: Uint8Array | undefined;
    let via: RouteVia | undefined;
    forEachAttribute(view, offset + 8, offset + len, (type, s, e) => {
      if (type === RTA_GATEWAY) gateway = attributeAddress(bytes, family, s, e, 'RTA_GATEWAY');
      else if (type === RTA_VIA) via = parseVia(view, bytes, s, e);
    });
    hops.push({ ifindex: view.getInt32(offset + 4, LITTLE_ENDIAN), gateway, via, flags: view.getUint8(offset + 2), hops: view.getUint8(offset + 3) });
    offset += align4(len);
  }
  if (hops.length === 0) throw new NetlinkParseError('RTA_MULTIPATH without a next hop');
  return hops;
}

/**
 * Parses the body `[start, end)` (after the nlmsghdr) of one RTM_NEWROUTE / RTM_DELROUTE.
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * walkNetlinkMessages(buf, n, (h, view, bytes, s, e) => { if (h.type === RTM_NEWROUTE) list.push(parseRouteMessage(h, view, bytes, s, e)); });
 * ```
 */
export function parseRouteMessage(h: NetlinkHeader, view: DataView, bytes: Uint8Array, start: number, end: number): RouteMessage {
  if (end - start < 12) throw new NetlinkParseError(`rtmsg: ${end - start} bytes, need 12`);
  const family = view.getUint8(start);
  const routeFlags = view.getUint32(start + 8, LITTLE_ENDIAN);
  let table32: number | undefined;
  let destination: Uint8Array | undefined;
  let source: Uint8Array | undefined;
  let oif: number | undefined;
  let gateway: Uint8Array | undefined;
  let via: RouteVia | undefined;
  let priority: number | undefined;
  let preferredSource: Uint8Array | undefined;
  let preference: number | undefined;
  let expires: number | undefined;
  let cacheInfo: RouteCacheInfo | undefined;
  let nexthopId: number | undefined;
  let multipath: RouteNextHop[] | undefined;
  forEachAttribute(view, start + 12, end, (type, s, e) => {
    switch (type) {
      case RTA_DST:
        destination = attributeAddress(bytes, family, s, e, 'RTA_DST');
        break;
      case RTA_SRC:
        source = attributeAddress(bytes, family, s, e, 'RTA_SRC');
        break;
      case RTA_OIF:
        oif = attributeU32(view, s, e, 'RTA_OIF') | 0;
        break;
      case RTA_GATEWAY:
        gateway = attributeAddress(bytes, family, s, e, 'RTA_GATEWAY');
        break;
      case RTA_VIA:
        via = parseVia(view, bytes, s, e);
        break;
      case RTA_PRIORITY:
        priority = attributeU32(view, s, e, 'RTA_PRIORITY');
        break;
      case RTA_PREFSRC:
        preferredSource = attributeAddress(bytes, family, s, e, 'RTA_PREFSRC');
        break;
      case RTA_MULTIPATH:
        multipath = parseMultipath(view, bytes, family, s, e);
        break;
      case RTA_TABLE:
        table32 = attributeU32(view, s, e, 'RTA_TABLE');
        break;
      case RTA_PREF:
        preference = attributeU8(view, s, e, 'RTA_PREF');
        break;
      case RTA_EXPIRES:
        expires = attributeU32(view, s, e, 'RTA_EXPIRES');
        break;
      case RTA_CACHEINFO:
        if (e - s < 20) throw new NetlinkParseError(`RTA_CACHEINFO: ${e - s} bytes, need 20`);
        cacheInfo = {
          lastUse: view.getUint32(s + 4, LITTLE_ENDIAN),
          expires: view.getInt32(s + 8, LITTLE_ENDIAN),
          error: view.getInt32(s + 12, LITTLE_ENDIAN),
          used: view.getUint32(s + 16, LITTLE_ENDIAN),
        };
        break;
      case RTA_NH_ID:
        nexthopId = attributeU32(view, s, e, 'RTA_NH_ID');
        break;
    }
  });
  const nextHops: RouteNextHop[] = multipath ?? [{ ifindex: oif, gateway, via, flags: routeFlags & 0xff, hops: 0 }];
  return {
    type: h.type,
    flags: h.flags,
    seq: h.seq,
    pid: h.pid,
    kind: 'route',
    deleted: h.type === RTM_DELROUTE,
    family,
    dstLength: view.getUint8(start + 1),
    srcLength: view.getUint8(start + 2),
    tos: view.getUint8(start + 3),
    table: table32 ?? view.getUint8(start + 4),
    protocol: view.getUint8(start + 5),
    scope: view.getUint8(start + 6),
    routeType: view.getUint8(start + 7),
    routeFlags,
    destination,
    source,
    priority,
    preferredSource,
    preference,
    expires,
    cacheInfo,
    nexthopId,
    nextHops,
    multipath: multipath !== undefined,
  };
}

/**
 * The RTM_NEWROUTE / RTM_DELROUTE messages of one datagram (`bytes[0, length)`), in order; other
 * message types are checked for framing and skipped.
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * for (const m of parseRouteMessages(buffer, received)) console.log(m.deleted, m.table, m.nextHops.length);
 * ```
 */
export function parseRouteMessages(bytes: Uint8Array, length: number = bytes.length): RouteMessage[] {
  const out: RouteMessage[] = [];
  walkNetlinkMessages(bytes, length, (h, view, b, s, e) => {
    if (h.type === RTM_NEWROUTE || h.type === RTM_DELROUTE) out.push(parseRouteMessage(h, view, b, s, e));
  });
  return out;
}
