/**
 * Building rtnetlink requests: nlmsghdr plus a family header (plus attributes), and sockaddr_nl.
 * Pure bytes, no I/O.
 *
 * @module
 */
import { AF_NETLINK, IFLA_EXT_MASK, LINUX_AF_UNSPEC, RTEXT_FILTER_SKIP_STATS } from './netlink-constants.js';

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True on a little-endian host: netlink is host order. */
export const HOST_LITTLE_ENDIAN = LE;

/**
 * A host-order u32 as 4 bytes (a setsockopt value).
 *
 * @example
 * ```ts
 * libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, u32(1 << 20), 4);
 * ```
 */
export function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, LE);
  return b;
}

/**
 * sockaddr_nl: family, pad, pid, groups.
 *
 * @example
 * ```ts
 * const kernel = sockaddrNl(); // port 0: the kernel
 * ```
 */
export function sockaddrNl(pid = 0, groups = 0): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_NETLINK, LE);
  v.setUint32(4, pid >>> 0, LE);
  v.setUint32(8, groups >>> 0, LE);
  return b;
}

/**
 * One request: nlmsghdr + family header (+ attributes), lengths aligned by the caller's body.
 *
 * @example
 * ```ts
 * const req = netlinkRequest(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, ifinfomsgWithExtMask(0));
 * ```
 */
export function netlinkRequest(type: number, flags: number, seq: number, body: Uint8Array): Uint8Array {
  const len = 16 + body.length;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint32(0, len, LE);
  v.setUint16(4, type, LE);
  v.setUint16(6, flags, LE);
  v.setUint32(8, seq >>> 0, LE);
  v.setUint32(12, 0, LE);
  b.set(body, 16);
  return b;
}

/**
 * ifinfomsg for `ifindex` (0: all) with IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS (the statistics
 * blocks are most of a link message and the adapter reads none of them).
 *
 * @example
 * ```ts
 * requester.exchange(RTM_GETLINK, 0, ifinfomsgWithExtMask(3));
 * ```
 */
export function ifinfomsgWithExtMask(ifindex: number): Uint8Array {
  const b = new Uint8Array(16 + 8);
  const v = new DataView(b.buffer);
  v.setUint8(0, LINUX_AF_UNSPEC);
  v.setInt32(4, ifindex, LE);
  v.setUint16(16, 8, LE);
  v.setUint16(18, IFLA_EXT_MASK, LE);
  v.setUint32(20, RTEXT_FILTER_SKIP_STATS, LE);
  return b;
}

/**
 * A family header of `size` bytes whose first byte is `family` (rtgenmsg, netconfmsg, ifaddrmsg).
 *
 * @example
 * ```ts
 * requester.dump(RTM_GETNETCONF, familyHeader(LINUX_AF_INET, 4));
 * ```
 */
export function familyHeader(family: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b[0] = family;
  return b;
}
