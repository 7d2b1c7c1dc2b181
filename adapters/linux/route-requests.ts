/**
 * Route requests on the reader's dump socket: RTM_GETROUTE dumps (all routes of a family, or one
 * device's with NETLINK_GET_STRICT_CHK and RTA_OIF) and the single lookup of `getBestRoute2`
 * (RTM_GETROUTE with RTA_DST and RTM_F_FIB_MATCH, as `ip route get fibmatch`). The generic requester
 * (netlink-requester.ts) parses replies into the interface parser's kinds, where a route is `other`:
 * route replies are read here with the route parser instead, on the same socket, one exchange at a
 * time on the JS thread.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { osError } from './libc.js';
import {
  EINTR, LINUX_AF_INET, LINUX_AF_INET6, NETLINK_GET_STRICT_CHK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, RTA_DST, RTA_OIF,
  RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE, SOL_NETLINK,
} from './netlink-constants.js';
import { HOST_LITTLE_ENDIAN, netlinkRequest, sockaddrNl, u32 } from './netlink-requests.js';
import { parseRouteMessage, type RouteMessage } from './route-parser.js';
import type { RouteSocket } from './route-socket.js';
import { walkNetlinkMessages } from './netlink-walk.js';

/** rtm_flags of a lookup: answer the FIB entry that matched, not the resolved (cloned) route. */
export const RTM_F_FIB_MATCH = 0x2000;
/** setsockopt(SOL_NETLINK) to leave a multicast group. */
export const NETLINK_DROP_MEMBERSHIP = 2;
/** Multicast group numbers (RTNLGRP_*) of the legacy RTMGRP_IPV4_IFADDR / _IPV4_ROUTE / _IPV6_ROUTE bits. */
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTNLGRP_IPV4_ROUTE = 7;
export const RTNLGRP_IPV6_ROUTE = 11;
/** ARPHRD_LOOPBACK (ifi_type of `lo`). */
export const ARPHRD_LOOPBACK = 772;
/** IFF_LOWER_UP: the carrier (ifi_flags). */
export const IFF_LOWER_UP = 0x10000;
/** errno values of a lookup that found no route (ENETUNREACH, EHOSTUNREACH; EACCES `prohibit`, EINVAL `blackhole`, ENETDOWN). */
export const ENETUNREACH = 101;
export const EHOSTUNREACH = 113;
export const EACCES = 13;
export const EINVAL_ERRNO = 22;
export const ENETDOWN = 100;
export const ENODEV_ERRNO = 19;
const UNREACHABLE = new Set([ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL_ERRNO, ENETDOWN]);

/** Counters the route requests add to (the reader's statistics). */
export interface RouteRequestCounters {
  dumps: number;
  droppedForeign: number;
  requestMs: number;
}

/** What one exchange answered. */
export interface RouteReply {
  readonly routes: RouteMessage[];
  /** The kernel flagged the dump inconsistent (NLM_F_DUMP_INTR): dump again. */
  readonly intr: boolean;
  /** 0, or the positive errno of NLMSG_ERROR. */
  readonly errno: number;
}

let replyBuffer: Buffer | undefined;
/** One reply buffer per module copy: exchanges are synchronous and parse into fresh objects. */
const sharedReplyBuffer = (): Buffer => (replyBuffer ??= Buffer.alloc(256 * 1024));
let seq = Math.floor(Math.random() * 0x3fffffff) + 0x40000000;

/**
 * An rtmsg (12 bytes) plus attributes.
 *
 * @example
 * ```ts
 * const body = rtmsg(LINUX_AF_INET, 0, 0, [[RTA_OIF, u32(3)]]);
 * ```
 */
export function rtmsg(family: number, dstLength: number, flags: number, attributes: readonly (readonly [number, Uint8Array])[] = []): Uint8Array {
  let size = 12;
  for (const [, value] of attributes) size += (4 + value.length + 3) & ~3;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint8(0, family);
  v.setUint8(1, dstLength);
  v.setUint32(8, flags >>> 0, HOST_LITTLE_ENDIAN);
  let offset = 12;
  for (const [type, value] of attributes) {
    v.setUint16(offset, 4 + value.length, HOST_LITTLE_ENDIAN);
    v.setUint16(offset + 2, type, HOST_LITTLE_ENDIAN);
    b.set(value, offset + 4);
    offset += (4 + value.length + 3) & ~3;
  }
  return b;
}

/**
 * Sends one RTM_GETROUTE and collects the route replies with our sequence number from the kernel.
 *
 * @example
 * ```ts
 * const { routes } = exchangeRoutes(socket, counters, NLM_F_DUMP, rtmsg(LINUX_AF_INET, 0, 0));
 * ```
 */
export function exchangeRoutes(socket: RouteSocket, counters: RouteRequestCounters, flags: number, body: Uint8Array): RouteReply {
  const started = performance.now();
  try {
    return exchangeTimed(socket, counters, flags, body);
  } finally {
    counters.requestMs += performance.now() - started;
  }
}

function exchangeTimed(socket: RouteSocket, counters: RouteRequestCounters, flags: number, body: Uint8Array): RouteReply {
  const { libc, fd } = socket;
  const mySeq = (seq = (seq + 1) >>> 0);
  const req = netlinkRequest(RTM_GETROUTE, flags | NLM_F_REQUEST, mySeq, body);
  const kernel = sockaddrNl();
  for (;;) {
    if (libc.sendto(fd, req, req.length, 0, kernel, 12) >= 0) break;
    const errno = libc.errno();
    if (errno !== EINTR) throw osError(libc, 'sendto(RTM_GETROUTE)', errno);
  }
  counters.dumps++;
  const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
  const buf = sharedReplyBuffer();
  const from = new Uint8Array(12);
  const fromLen = new Uint8Array(4);
  const routes: RouteMessage[] = [];
  let intr = false;
  for (;;) {
    new DataView(fromLen.buffer).setUint32(0, 12, HOST_LITTLE_ENDIAN);
    const n = libc.recvfrom(fd, buf, buf.length, 0, from, fromLen);
    if (n < 0) {
      const errno = libc.errno();
      if (errno === EINTR) continue;
      throw osError(libc, 'recvfrom(RTM_GETROUTE reply)', errno);
    }
    if (n > buf.length) throw new IpInterfaceError('OS_ERROR', `netlink route reply of ${n} bytes truncated`, { adapter: 'linux' });
    if (new DataView(from.buffer).getUint32(4, HOST_LITTLE_ENDIAN) !== 0) {
      counters.droppedForeign++;
      continue;
    }
    let result: RouteReply | undefined;
    try {
      walkNetlinkMessages(buf, n, (h, view, bytes, s, e) => {
        if (result !== undefined || h.seq !== mySeq) return;
        if (h.flags & NLM_F_DUMP_INTR) intr = true;
        if (h.type === NLMSG_DONE) result = { routes, intr, errno: 0 };
        else if (h.type === NLMSG_ERROR) {
          const errno = e - s >= 4 ? -view.getInt32(s, HOST_LITTLE_ENDIAN) : 0;
          result = { routes, intr, errno };
        } else if (h.type === RTM_NEWROUTE || h.type === RTM_DELROUTE) {
          routes.push(parseRouteMessage(h, view, bytes, s, e));
          if (!isDump) result = { routes, intr, errno: 0 };
        }
      });
    } catch (error) {
      throw new IpInterfaceError('OS_ERROR', `malformed netlink route reply: ${String(error)}`, { adapter: 'linux', cause: error });
    }
    if (result !== undefined) return result;
  }
}

/** The socket's NETLINK_GET_STRICT_CHK support, learned on first use (undefined: not tried). */
const strictSupport = new WeakMap<RouteSocket, boolean>();

/**
 * The routes of one device (`ifindex`) of `family`: a dump the kernel filters by RTA_OIF with
 * NETLINK_GET_STRICT_CHK on (turned off again right after: the socket's other dumps are not
 * written for strict checking). Without strict check support (kernels before 4.20), the full dump
 * filtered here. Multipath routes come whole when any hop uses the device. `undefined` when the
 * device does not exist (ENODEV).
 *
 * @example
 * ```ts
 * const routes = dumpDeviceRoutes(socket, counters, LINUX_AF_INET, 3);
 * ```
 */
export function dumpDeviceRoutes(socket: RouteSocket, counters: RouteRequestCounters, family: number, ifindex: number): RouteMessage[] | undefined {
  const { libc, fd } = socket;
  if (strictSupport.get(socket) !== false) {
    const on = libc.setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, u32(1), 4) === 0;
    strictSupport.set(socket, on);
    if (on) {
      try {
        for (let attempt = 1; ; attempt++) {
          const r = exchangeRoutes(socket, counters, NLM_F_DUMP, rtmsg(family, 0, 0, [[RTA_OIF, u32(ifindex)]]));
          if (r.errno === ENODEV_ERRNO) return undefined;
          if (r.errno) throw osError(libc, `RTM_GETROUTE dump (family ${family}, oif ${ifindex})`, r.errno);
          if (!r.intr || attempt >= 5) return r.routes;
        }
      } finally {
        libc.setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, u32(0), 4);
      }
    }
  }
  return dumpRoutes(socket, counters, family).filter((m) => m.nextHops.some((hop) => hop.ifindex === ifindex));
}

/**
 * Every route of `family` (LINUX_AF_INET or LINUX_AF_INET6), every table; dumped again (up to 5
 * times) while the kernel flags the dump inconsistent.
 *
 * @example
 * ```ts
 * const routes = dumpRoutes(socket, counters, LINUX_AF_INET6);
 * ```
 */
export function dumpRoutes(socket: RouteSocket, counters: RouteRequestCounters, family: number): RouteMessage[] {
  for (let attempt = 1; ; attempt++) {
    const r = exchangeRoutes(socket, counters, NLM_F_DUMP, rtmsg(family, 0, 0));
    if (r.errno) throw osError(socket.libc, `RTM_GETROUTE dump (family ${family})`, r.errno);
    if (!r.intr || attempt >= 5) return r.routes;
  }
}

/**
 * The bytes of an address text of `family` ('inet': dotted quad; 'inet6': any RFC 4291 form, no
 * zone), or undefined when it is not one.
 *
 * @example
 * ```ts
 * addressBytes('inet', '192.0.2.1'); // Uint8Array [192, 0, 2, 1]
 * ```
 */
export function addressBytes(family: 'inet' | 'inet6', text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  if (family === 'inet') {
    if (!isIPv4(text)) return undefined;
    return new Uint8Array(text.split('.').map(Number));
  }
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let hex = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // A trailing dotted quad (::ffff:192.0.2.1) is two groups.
    const q = text.slice(lastColon + 1).split('.').map(Number);
    hex = `${text.slice(0, lastColon + 1)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [left, right] = hex.split('::') as [string, string | undefined];
  const l = parse(left);
  const r = right === undefined ? [] : parse(right);
  const groups = right === undefined ? l : [...l, ...new Array<number>(Math.max(0, 8 - l.length - r.length)).fill(0), ...r];
  if (groups.length !== 8) return undefined;
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
}

/**
 * The kernel's own lookup for `destination` (no packet is sent): the FIB entry that matched
 * (RTM_F_FIB_MATCH, as `ip route get fibmatch`), and, for a multipath entry, the hop the kernel
 * chose for this destination (the same lookup without FIB_MATCH answers the resolved route's
 * RTA_OIF / RTA_GATEWAY). `undefined` when unreachable (ENETUNREACH, EHOSTUNREACH, EACCES for
 * `prohibit`, EINVAL for `blackhole`, ENETDOWN).
 *
 * @example
 * ```ts
 * const answer = lookupRoute(socket, counters, LINUX_AF_INET, addressBytes('inet', '192.0.2.1')!);
 * ```
 */
export function lookupRoute(
  socket: RouteSocket,
  counters: RouteRequestCounters,
  family: number,
  destination: Uint8Array,
): { readonly match: RouteMessage; readonly chosen: RouteMessage | undefined } | undefined {
  const bits = family === LINUX_AF_INET ? 32 : 128;
  const ask = (flags: number): RouteMessage | undefined => {
    const r = exchangeRoutes(socket, counters, 0, rtmsg(family, bits, flags, [[RTA_DST, destination]]));
    if (r.errno !== 0) {
      if (UNREACHABLE.has(r.errno)) return undefined;
      throw osError(socket.libc, `RTM_GETROUTE ${family === LINUX_AF_INET6 ? 'inet6' : 'inet'} lookup`, r.errno);
    }
    return r.routes[0];
  };
  const match = ask(RTM_F_FIB_MATCH);
  if (match === undefined) return undefined;
  const chosen = match.multipath ? ask(0) : undefined;
  return { match, chosen };
}
