/**
 * A pure rtnetlink message parser: bytes in, plain objects out. No koffi, no I/O, so it can be fuzzed.
 * Anything malformed throws {@link NetlinkParseError} (and nothing else); every loop advances by at
 * least one aligned header, so it always terminates.
 *
 * @module
 */
import {
  IFA_ADDRESS, IFLA_AF_SPEC, IFLA_IFNAME, IFLA_INET6_ADDR_GEN_MODE, IFLA_INET6_CACHEINFO, IFLA_INET6_CONF,
  IFLA_INET6_FLAGS, IFLA_INET6_TOKEN, IFLA_INET_CONF, IFLA_MTU, IPV4_DEVCONF_FORWARDING_INDEX, IFLA_OPERSTATE, IFLA_PROTINFO, LINUX_AF_INET,
  LINUX_AF_INET6, NDTA_NAME, NDTA_PARMS, NDTPA_BASE_REACHABLE_TIME, NDTPA_IFINDEX, NDTPA_REACHABLE_TIME,
  NDTPA_RETRANS_TIME, NETCONFA_FORWARDING, NETCONFA_IFINDEX, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, RTM_DELADDR,
  RTM_DELLINK, RTM_DELNETCONF, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGHTBL, RTM_NEWNETCONF,
} from './netlink-constants.js';
import { IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_LABEL, IFA_LOCAL, IFA_PROTO, IFA_RT_PRIORITY } from './netlink-constants.js';

/**
 * Thrown for bytes that are not well-formed rtnetlink messages.
 *
 * @example
 * ```ts
 * try { parseNetlinkMessages(bytes, bytes.length); } catch (e) { if (e instanceof NetlinkParseError) count++; }
 * ```
 */
export class NetlinkParseError extends Error {
  override readonly name = 'NetlinkParseError';
}

/** nlmsghdr fields every message carries. */
export interface NetlinkHeader {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
}

/** IFLA_INET6_CACHEINFO (ifla_cacheinfo), times in milliseconds. */
export interface Inet6CacheInfo {
  readonly maxReasmLen: number;
  readonly reachableTime: number;
  readonly retransTime: number;
}

/** The inet6 block of a link message (IFLA_AF_SPEC/AF_INET6 or IFLA_PROTINFO). */
export interface Inet6Info {
  readonly flags?: number | undefined;
  /** DEVCONF_* values, the first {@link DEVCONF_ENTRIES_KEPT} of them (sized from rta_len, never from headers). */
  readonly conf?: readonly number[] | undefined;
  readonly cacheInfo?: Inet6CacheInfo | undefined;
  /** Low 64 bits of IFLA_INET6_TOKEN (0n: no token). */
  readonly token?: bigint | undefined;
  readonly addrGenMode?: number | undefined;
}

/** RTM_NEWLINK / RTM_DELLINK. */
export interface LinkMessage extends NetlinkHeader {
  readonly kind: 'link';
  readonly deleted: boolean;
  /** ifi_family: 0 for device messages, 10 for RTNLGRP_IPV6_IFINFO messages. */
  readonly family: number;
  readonly ifindex: number;
  /** ifi_type (ARPHRD_*). */
  readonly ifiType: number;
  readonly ifiFlags: number;
  readonly name?: string | undefined;
  readonly mtu?: number | undefined;
  readonly operstate?: number | undefined;
  /** IPV4_DEVCONF values (element i = IPV4_DEVCONF_(i+1)), the first {@link INET_CONF_ENTRIES_KEPT}; present when the device has an IPv4 part. */
  readonly inetConf?: readonly number[] | undefined;
  /** Present when the device has an IPv6 part. */
  readonly inet6?: Inet6Info | undefined;
}

/** RTM_NEWNETCONF / RTM_DELNETCONF. */
export interface NetconfMessage extends NetlinkHeader {
  readonly kind: 'netconf';
  readonly deleted: boolean;
  readonly family: number;
  /** May be NETCONFA_IFINDEX_ALL (-1) or _DEFAULT (-2); undefined when the attribute is missing. */
  readonly ifindex: number | undefined;
  readonly forwarding?: number | undefined;
}

/** IFA_CACHEINFO (struct ifa_cacheinfo). */
export interface AddressCacheInfo {
  /** ifa_prefered: seconds left, 0xffffffff forever. */
  readonly preferred: number;
  /** ifa_valid: seconds left, 0xffffffff forever. */
  readonly valid: number;
  /** cstamp: creation, hundredths of a second since boot (jiffies based). */
  readonly created: number;
  /** tstamp: last update, hundredths of a second since boot. */
  readonly updated: number;
}

/**
 * RTM_NEWADDR / RTM_DELADDR: everything the kernel says about an address (the address table maps it
 * to a row; the interface table reads only IPv6 link-local addresses from it).
 */
export interface AddressMessage extends NetlinkHeader {
  readonly kind: 'address';
  readonly deleted: boolean;
  /** ifa_family: 2 (AF_INET) or 10 (AF_INET6); others are reported as they are. */
  readonly family: number;
  readonly ifindex: number;
  /** ifa_scope (RT_SCOPE_*: 0 universe, 200 site, 253 link, 254 host). */
  readonly scope: number;
  /** IFA_ADDRESS: the address, or the peer's on a point-to-point address (then {@link local} is ours). */
  readonly address?: Uint8Array | undefined;
  /** ifa_prefixlen. */
  readonly prefixLength: number;
  /** The 8-bit ifa_flags of the header (0x01 is IFA_F_SECONDARY on IPv4, IFA_F_TEMPORARY on IPv6). */
  readonly headerFlags: number;
  /** IFA_F_* flags: IFA_FLAGS (all 32 bits) when present, else {@link headerFlags}. (`flags` is nlmsg_flags.) */
  readonly addressFlags: number;
  /** IFA_LOCAL: the local address; IPv4 always sends it, IPv6 only with a peer. */
  readonly local?: Uint8Array | undefined;
  /** IFA_LABEL (IPv4 only: the device name or an alias such as `eth0:1`). */
  readonly label?: string | undefined;
  readonly broadcast?: Uint8Array | undefined;
  readonly cacheInfo?: AddressCacheInfo | undefined;
  /** IFA_PROTO (IFAPROT_*), absent when 0 or on kernels before 5.18. */
  readonly protocol?: number | undefined;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  readonly routePriority?: number | undefined;
}

/** RTM_NEWNEIGHTBL: one table's defaults (`ifindex` 0) or one device's parameters. */
export interface NeighTableMessage extends NetlinkHeader {
  readonly kind: 'neightbl';
  readonly family: number;
  readonly tableName?: string | undefined;
  /** 0 for the table's own (default) parameters. Undefined when the message has no NDTA_PARMS. */
  readonly ifindex?: number | undefined;
  readonly baseReachableTime?: number | undefined;
  readonly reachableTime?: number | undefined;
  readonly retransTime?: number | undefined;
}

/** NLMSG_ERROR: `errno` is positive (0 is an ACK). */
export interface ErrorMessage extends NetlinkHeader {
  readonly kind: 'error';
  readonly errno: number;
}

/** NLMSG_DONE. */
export interface DoneMessage extends NetlinkHeader {
  readonly kind: 'done';
}

/** Anything else (ignored by the adapter). */
export interface OtherMessage extends NetlinkHeader {
  readonly kind: 'other';
}

/** One parsed message. */
export type NetlinkMessage = LinkMessage | NetconfMessage | AddressMessage | NeighTableMessage | ErrorMessage | DoneMessage | OtherMessage;

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const decoder = new TextDecoder('utf-8', { fatal: false });

const align4 = (n: number): number => (n + 3) & ~3;

/** Calls `visit(type, start, end)` for each rtattr in [start, end); end is the value end. */
function forEachAttribute(view: DataView, start: number, end: number, visit: (type: number, valueStart: number, valueEnd: number) => void): void {
  let offset = start;
  while (offset + 4 <= end) {
    const len = view.getUint16(offset, LE);
    const type = view.getUint16(offset + 2, LE) & 0x3fff;
    if (len < 4 || offset + len > end) throw new NetlinkParseError(`bad attribute length ${len} at ${offset}`);
    visit(type, offset + 4, offset + len);
    offset += align4(len);
  }
}

function u32(view: DataView, start: number, end: number, what: string): number {
  if (end - start < 4) throw new NetlinkParseError(`${what}: ${end - start} bytes, need 4`);
  return view.getUint32(start, LE);
}

function u8(view: DataView, start: number, end: number, what: string): number {
  if (end - start < 1) throw new NetlinkParseError(`${what}: empty`);
  return view.getUint8(start);
}

function u64(view: DataView, start: number, end: number, what: string): number {
  if (end - start < 8) throw new NetlinkParseError(`${what}: ${end - start} bytes, need 8`);
  const lo = view.getUint32(start, LE);
  const hi = view.getUint32(start + 4, LE);
  return LE ? hi * 2 ** 32 + lo : lo * 2 ** 32 + hi;
}

/**
 * Devconf entries kept: the adapter reads IPv4 entry 0 and IPv6 entries up to DEVCONF_ACCEPT_DAD (27);
 * the kernel sends about 90, and reading them all is most of a message's parse time.
 */
export const DEVCONF_ENTRIES_KEPT = 32;

/**
 * IPv4 devconf entries kept: the adapter reads only IPV4_DEVCONF_FORWARDING (entry 0). Keeping 32
 * made every device's stored state 250 bytes larger, which a 5000-device snapshot copies through
 * each young-generation GC of its load.
 */
export const INET_CONF_ENTRIES_KEPT = IPV4_DEVCONF_FORWARDING_INDEX + 1;

function int32Array(view: DataView, start: number, end: number, kept: number): number[] {
  // A plain array: small typed arrays get an off-heap backing store each, which costs more than the parse.
  const count = Math.min((end - start) >> 2, kept);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32(start + i * 4, LE);
  return out;
}

/** Decoded ASCII names by content hash: names repeat in every message, decoding them is not free. */
const nameCache = new Map<number, string>();
const NAME_CACHE_MAX = 4096;

function cString(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  let ascii = true;
  let hash = 0;
  while (stop < end && bytes[stop] !== 0) {
    const b = bytes[stop]!;
    if (b >= 0x80) ascii = false;
    hash = (Math.imul(hash, 31) + b) | 0;
    stop++;
  }
  const length = stop - start;
  if (!ascii || length > 64) return decoder.decode(bytes.subarray(start, stop));
  // Interface names are nearly always ASCII and the same as last time: reuse the string when every
  // byte matches (a hash collision just decodes again), so a message allocates no name.
  const key = hash * 64 + length;
  const cached = nameCache.get(key);
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  let name = '';
  for (let i = start; i < stop; i++) name += String.fromCharCode(bytes[i]!);
  if (nameCache.size >= NAME_CACHE_MAX) nameCache.clear();
  nameCache.set(key, name);
  return name;
}

/** Validates the rtattr at `offset` (which has at least 4 bytes before `end`) and returns its length. */
function attributeLength(view: DataView, offset: number, end: number): number {
  const len = view.getUint16(offset, LE);
  if (len < 4 || offset + len > end) throw new NetlinkParseError(`bad attribute length ${len} at ${offset}`);
  return len;
}

// The link parsers below walk attributes with plain loops (no callbacks): a link message is the hot
// path of every notification.
function parseInet6(view: DataView, start: number, end: number): Inet6Info {
  let flags: number | undefined;
  let conf: number[] | undefined;
  let cacheInfo: Inet6CacheInfo | undefined;
  let token: bigint | undefined;
  let addrGenMode: number | undefined;
  for (let offset = start; offset + 4 <= end; ) {
    const len = attributeLength(view, offset, end);
    const s = offset + 4;
    const e = offset + len;
    switch (view.getUint16(offset + 2, LE) & 0x3fff) {
      case IFLA_INET6_FLAGS:
        flags = u32(view, s, e, 'IFLA_INET6_FLAGS');
        break;
      case IFLA_INET6_CONF:
        conf = int32Array(view, s, e, DEVCONF_ENTRIES_KEPT);
        break;
      case IFLA_INET6_CACHEINFO:
        if (e - s < 16) throw new NetlinkParseError(`IFLA_INET6_CACHEINFO: ${e - s} bytes, need 16`);
        cacheInfo = { maxReasmLen: view.getUint32(s, LE), reachableTime: view.getUint32(s + 8, LE), retransTime: view.getUint32(s + 12, LE) };
        break;
      case IFLA_INET6_TOKEN:
        if (e - s < 16) throw new NetlinkParseError(`IFLA_INET6_TOKEN: ${e - s} bytes, need 16`);
        // Almost always no token: skip the BigInt allocation then.
        token = view.getUint32(s + 8, LE) === 0 && view.getUint32(s + 12, LE) === 0 ? 0n : view.getBigUint64(s + 8, false);
        break;
      case IFLA_INET6_ADDR_GEN_MODE:
        addrGenMode = u8(view, s, e, 'IFLA_INET6_ADDR_GEN_MODE');
        break;
    }
    offset += align4(len);
  }
  return { flags, conf, cacheInfo, token, addrGenMode };
}

function parseInetConf(view: DataView, start: number, end: number): number[] | undefined {
  let conf: number[] | undefined;
  for (let offset = start; offset + 4 <= end; ) {
    const len = attributeLength(view, offset, end);
    if ((view.getUint16(offset + 2, LE) & 0x3fff) === IFLA_INET_CONF) conf = int32Array(view, offset + 4, offset + len, INET_CONF_ENTRIES_KEPT);
    offset += align4(len);
  }
  return conf;
}

function parseLink(view: DataView, bytes: Uint8Array, h: NetlinkHeader, start: number, end: number): LinkMessage {
  if (end - start < 16) throw new NetlinkParseError(`ifinfomsg: ${end - start} bytes, need 16`);
  const family = view.getUint8(start);
  let name: string | undefined;
  let mtu: number | undefined;
  let operstate: number | undefined;
  let inetConf: number[] | undefined;
  let inet6: Inet6Info | undefined;
  for (let offset = start + 16; offset + 4 <= end; ) {
    const len = attributeLength(view, offset, end);
    const s = offset + 4;
    const e = offset + len;
    switch (view.getUint16(offset + 2, LE) & 0x3fff) {
      case IFLA_IFNAME:
        name = cString(bytes, s, e);
        break;
      case IFLA_MTU:
        mtu = u32(view, s, e, 'IFLA_MTU');
        break;
      case IFLA_OPERSTATE:
        operstate = u8(view, s, e, 'IFLA_OPERSTATE');
        break;
      case IFLA_PROTINFO:
        if (family === LINUX_AF_INET6) inet6 = parseInet6(view, s, e);
        break;
      case IFLA_AF_SPEC:
        for (let o = s; o + 4 <= e; ) {
          const l = attributeLength(view, o, e);
          const af = view.getUint16(o + 2, LE) & 0x3fff;
          if (af === LINUX_AF_INET) inetConf = parseInetConf(view, o + 4, o + l);
          else if (af === LINUX_AF_INET6) inet6 = parseInet6(view, o + 4, o + l);
          o += align4(l);
        }
        break;
    }
    offset += align4(len);
  }
  return {
    type: h.type,
    flags: h.flags,
    seq: h.seq,
    pid: h.pid,
    kind: 'link',
    deleted: h.type === RTM_DELLINK,
    family,
    ifindex: view.getInt32(start + 4, LE),
    ifiType: view.getUint16(start + 2, LE),
    ifiFlags: view.getUint32(start + 8, LE),
    name,
    mtu,
    operstate,
    inetConf,
    inet6,
  };
}

function parseNetconf(view: DataView, h: NetlinkHeader, start: number, end: number): NetconfMessage {
  if (end - start < 1) throw new NetlinkParseError('netconfmsg: empty');
  const family = view.getUint8(start);
  let ifindex: number | undefined;
  let forwarding: number | undefined;
  // netconfmsg is 1 byte, padded to 4 before the attributes.
  forEachAttribute(view, Math.min(start + 4, end), end, (type, s, e) => {
    if (type === NETCONFA_IFINDEX) ifindex = u32(view, s, e, 'NETCONFA_IFINDEX') | 0;
    else if (type === NETCONFA_FORWARDING) forwarding = u32(view, s, e, 'NETCONFA_FORWARDING') | 0;
  });
  return { type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'netconf', deleted: h.type === RTM_DELNETCONF, family, ifindex, forwarding };
}

/** An address attribute: 4 bytes for AF_INET, 16 for AF_INET6 (any other size is malformed), copied. */
function addressValue(bytes: Uint8Array, family: number, start: number, end: number, what: string): Uint8Array {
  const need = family === LINUX_AF_INET ? 4 : family === LINUX_AF_INET6 ? 16 : end - start;
  if (end - start !== need) throw new NetlinkParseError(`${what}: ${end - start} bytes for family ${family}, need ${need}`);
  // A copy even when `bytes` is a Buffer (whose slice is a view): the reader's and the requester's
  // receive buffers are shared and overwritten by the next datagram (a table read dumps links after
  // addresses, and read the links' bytes as addresses before this).
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

/**
 * The body `[start, end)` of one RTM_NEWADDR / RTM_DELADDR (address-parser.ts exposes it for
 * captured datagrams). Parsed in full here, once, for every table of the reader: the address table
 * needs all of it, and the extra attributes cost the interface table nothing it would notice (they
 * come only with address messages).
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * const m = parseAddressBody(view, bytes, header, start, end);
 * ```
 */
export function parseAddressBody(view: DataView, bytes: Uint8Array, h: NetlinkHeader, start: number, end: number): AddressMessage {
  if (end - start < 8) throw new NetlinkParseError(`ifaddrmsg: ${end - start} bytes, need 8`);
  const family = view.getUint8(start);
  const headerFlags = view.getUint8(start + 2);
  let flags32: number | undefined;
  let address: Uint8Array | undefined;
  let local: Uint8Array | undefined;
  let label: string | undefined;
  let broadcast: Uint8Array | undefined;
  let cacheInfo: AddressCacheInfo | undefined;
  let protocol: number | undefined;
  let routePriority: number | undefined;
  for (let offset = start + 8; offset + 4 <= end; ) {
    const len = attributeLength(view, offset, end);
    const s = offset + 4;
    const e = offset + len;
    switch (view.getUint16(offset + 2, LE) & 0x3fff) {
      case IFA_ADDRESS:
        address = addressValue(bytes, family, s, e, 'IFA_ADDRESS');
        break;
      case IFA_LOCAL:
        local = addressValue(bytes, family, s, e, 'IFA_LOCAL');
        break;
      case IFA_LABEL: {
        let stop = s;
        while (stop < e && bytes[stop] !== 0) stop++;
        label = decoder.decode(bytes.subarray(s, stop));
        break;
      }
      case IFA_BROADCAST:
        broadcast = addressValue(bytes, family, s, e, 'IFA_BROADCAST');
        break;
      case IFA_CACHEINFO:
        if (e - s < 16) throw new NetlinkParseError(`IFA_CACHEINFO: ${e - s} bytes, need 16`);
        cacheInfo = { preferred: view.getUint32(s, LE), valid: view.getUint32(s + 4, LE), created: view.getUint32(s + 8, LE), updated: view.getUint32(s + 12, LE) };
        break;
      case IFA_FLAGS:
        flags32 = u32(view, s, e, 'IFA_FLAGS');
        break;
      case IFA_PROTO:
        protocol = u8(view, s, e, 'IFA_PROTO');
        break;
      case IFA_RT_PRIORITY:
        routePriority = u32(view, s, e, 'IFA_RT_PRIORITY');
        break;
    }
    offset += align4(len);
  }
  return {
    type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'address', deleted: h.type === RTM_DELADDR, family,
    ifindex: view.getUint32(start + 4, LE), scope: view.getUint8(start + 3), address, prefixLength: view.getUint8(start + 1),
    headerFlags, addressFlags: flags32 ?? headerFlags, local, label, broadcast, cacheInfo, protocol, routePriority,
  };
}

// Plain loops as for links: a neighbour-table dump is one message per device and family, and
// completing a burst of new interfaces reads it whole.
function parseNeighTable(view: DataView, bytes: Uint8Array, h: NetlinkHeader, start: number, end: number): NeighTableMessage {
  if (end - start < 4) throw new NetlinkParseError(`ndtmsg: ${end - start} bytes, need 4`);
  const family = view.getUint8(start);
  let tableName: string | undefined;
  let ifindex: number | undefined;
  let baseReachableTime: number | undefined;
  let reachableTime: number | undefined;
  let retransTime: number | undefined;
  for (let offset = start + 4; offset + 4 <= end;) {
    const len = attributeLength(view, offset, end);
    const type = view.getUint16(offset + 2, LE) & 0x3fff;
    if (type === NDTA_NAME) tableName = cString(bytes, offset + 4, offset + len);
    else if (type === NDTA_PARMS) {
      ifindex = 0;
      const pEnd = offset + len;
      for (let p = offset + 4; p + 4 <= pEnd;) {
        const pLen = attributeLength(view, p, pEnd);
        const pType = view.getUint16(p + 2, LE) & 0x3fff;
        const ps = p + 4;
        const pe = p + pLen;
        if (pType === NDTPA_IFINDEX) ifindex = u32(view, ps, pe, 'NDTPA_IFINDEX');
        else if (pType === NDTPA_BASE_REACHABLE_TIME) baseReachableTime = u64(view, ps, pe, 'NDTPA_BASE_REACHABLE_TIME');
        else if (pType === NDTPA_REACHABLE_TIME) reachableTime = u64(view, ps, pe, 'NDTPA_REACHABLE_TIME');
        else if (pType === NDTPA_RETRANS_TIME) retransTime = u64(view, ps, pe, 'NDTPA_RETRANS_TIME');
        p += align4(pLen);
      }
    }
    offset += align4(len);
  }
  return {
    type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'neightbl', family, tableName, ifindex, baseReachableTime, reachableTime, retransTime,
  };
}

/** What the IPv4 row of a device needs from an RTM_NEWLINK, read by {@link summarizeLink} without allocating. */
export interface LinkSummary {
  ifindex: number;
  ifiType: number;
  ifiFlags: number;
  name: string | undefined;
  mtu: number | undefined;
  operstate: number | undefined;
  /** IPV4_DEVCONF_FORWARDING when the message carries the device's IPv4 block. */
  inetForwarding: number | undefined;
}

/**
 * A fresh summary to pass to {@link summarizeLink} (reuse it: the call overwrites every field).
 *
 * @example
 * ```ts
 * const summary = emptyLinkSummary();
 * ```
 */
export function emptyLinkSummary(): LinkSummary {
  return { ifindex: 0, ifiType: 0, ifiFlags: 0, name: undefined, mtu: undefined, operstate: undefined, inetForwarding: undefined };
}

const rd16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const rd32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) | 0;

/**
 * True when parseInet6 would accept the inet6 block in [start, end): every attribute's length fits
 * and the fixed-size ones are as long as it reads them. The fast path reads nothing from the block,
 * but a block the full parse rejects makes the whole datagram malformed, so nothing may go out
 * early for it. Walks ~6 attribute headers (the devconf array is one of them).
 */
function inet6Valid(b: Uint8Array, start: number, end: number): boolean {
  for (let o = start; o + 4 <= end; ) {
    const len = rd16(b, o);
    const type = rd16(b, o + 2) & 0x3fff;
    if (len < (type < INET6_MIN_LENGTH.length ? INET6_MIN_LENGTH[type]! : 4) || o + len > end) return false;
    o += align4(len);
  }
  return true;
}

/** Least rta_len of each IFLA_INET6_* type that parseInet6 accepts (4: any). */
const INET6_MIN_LENGTH = ((): Uint8Array => {
  const min = new Uint8Array(16).fill(4);
  min[IFLA_INET6_FLAGS] = 8;
  min[IFLA_INET6_CACHEINFO] = 20;
  min[IFLA_INET6_TOKEN] = 20;
  min[IFLA_INET6_ADDR_GEN_MODE] = 5;
  return min;
})();

/**
 * Reads, without allocating, the fields an IPv4 row needs from a datagram holding exactly one device
 * RTM_NEWLINK (ifi_family 0) into `out`; false for anything else or anything odd (then nothing is
 * known and the message takes the ordinary path, where {@link parseNetlinkMessages} judges it).
 * Values are read exactly as {@link parseNetlinkMessages} reads them (the last of a repeated
 * attribute wins). It is the first thing done per wake-up, so the IPv4 row can be delivered before
 * the rest of the message (the large IPv6 block above all) is parsed.
 *
 * @example
 * ```ts
 * if (summarizeLink(buffer, received, summary)) console.log(summary.ifindex, summary.mtu);
 * ```
 */
export function summarizeLink(bytes: Uint8Array, length: number, out: LinkSummary): boolean {
  // Little-endian hosts only (netlink is host-endian); others take the ordinary path.
  if (!LE || !Number.isInteger(length) || length < NLMSG_HDRLEN + 16 || length > bytes.length) return false;
  const len = rd32(bytes, 0) >>> 0;
  // As parseNetlinkMessages: the next message starts at align4(len); any byte there is another
  // (truncated or not) message, so a lone message leaves at most its own padding.
  if (len < NLMSG_HDRLEN + 16 || len > length || length > align4(len)) return false;
  if (rd16(bytes, 4) !== RTM_NEWLINK || bytes[NLMSG_HDRLEN] !== 0) return false;
  let name: string | undefined;
  let mtu: number | undefined;
  let operstate: number | undefined;
  let inetForwarding: number | undefined;
  for (let o = NLMSG_HDRLEN + 16; o + 4 <= len; ) {
    const alen = rd16(bytes, o);
    if (alen < 4 || o + alen > len) return false;
    const type = rd16(bytes, o + 2) & 0x3fff;
    if (type === IFLA_IFNAME) name = cString(bytes, o + 4, o + alen);
    else if (type === IFLA_MTU) {
      if (alen < 8) return false;
      mtu = rd32(bytes, o + 4) >>> 0;
    } else if (type === IFLA_OPERSTATE) {
      if (alen < 5) return false;
      operstate = bytes[o + 4]!;
    } else if (type === IFLA_AF_SPEC) {
      for (let a = o + 4; a + 4 <= o + alen; ) {
        const flen = rd16(bytes, a);
        if (flen < 4 || a + flen > o + alen) return false;
        const af = rd16(bytes, a + 2) & 0x3fff;
        if (af === LINUX_AF_INET) {
          // As parseLink: each AF_INET block replaces the conf (undefined without IFLA_INET_CONF).
          let forwarding: number | undefined;
          for (let c = a + 4; c + 4 <= a + flen; ) {
            const clen = rd16(bytes, c);
            if (clen < 4 || c + clen > a + flen) return false;
            if ((rd16(bytes, c + 2) & 0x3fff) === IFLA_INET_CONF) forwarding = clen >= 8 ? rd32(bytes, c + 4) : undefined;
            c += align4(clen);
          }
          inetForwarding = forwarding;
        } else if (af === LINUX_AF_INET6 && !inet6Valid(bytes, a + 4, a + flen)) return false;
        a += align4(flen);
      }
    }
    o += align4(alen);
  }
  out.ifiType = rd16(bytes, NLMSG_HDRLEN + 2);
  out.ifindex = rd32(bytes, NLMSG_HDRLEN + 4);
  out.ifiFlags = rd32(bytes, NLMSG_HDRLEN + 8) >>> 0;
  out.name = name;
  out.mtu = mtu;
  out.operstate = operstate;
  out.inetForwarding = inetForwarding;
  return true;
}

/**
 * Parses the netlink messages in `bytes[0, length)` (one datagram as `recv` returned it).
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * for (const m of parseNetlinkMessages(buffer, received)) if (m.kind === 'link') console.log(m.ifindex, m.mtu);
 * ```
 */
export function parseNetlinkMessages(bytes: Uint8Array, length: number = bytes.length): NetlinkMessage[] {
  if (!Number.isInteger(length) || length < 0 || length > bytes.length) throw new NetlinkParseError(`bad length ${length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  const out: NetlinkMessage[] = [];
  let offset = 0;
  while (offset < length) {
    if (length - offset < NLMSG_HDRLEN) throw new NetlinkParseError(`truncated header at ${offset}`);
    const len = view.getUint32(offset, LE);
    if (len < NLMSG_HDRLEN || len > length - offset) throw new NetlinkParseError(`bad message length ${len} at ${offset}`);
    const h: NetlinkHeader = {
      type: view.getUint16(offset + 4, LE),
      flags: view.getUint16(offset + 6, LE),
      seq: view.getUint32(offset + 8, LE),
      pid: view.getUint32(offset + 12, LE),
    };
    const start = offset + NLMSG_HDRLEN;
    const end = offset + len;
    try {
      out.push(parseOne(view, bytes, h, start, end));
    } catch (error) {
      // DataView range errors cannot happen given the checks above; keep the promise anyway.
      if (error instanceof NetlinkParseError) throw error;
      throw new NetlinkParseError(`message at ${offset}: ${String(error)}`);
    }
    offset += align4(len);
  }
  return out;
}

// Header fields are copied one by one, never spread: V8 turned `{ ...h, kind }` into objects that
// survived young-generation GCs (each parse of a 76-byte netconf message left ~1.5 KiB for the next
// full GC), which grew the young generation by 30+ MiB over a few thousand subscribe cycles.
function parseOne(view: DataView, bytes: Uint8Array, h: NetlinkHeader, start: number, end: number): NetlinkMessage {
  switch (h.type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return parseLink(view, bytes, h, start, end);
    case RTM_NEWNETCONF:
    case RTM_DELNETCONF:
      return parseNetconf(view, h, start, end);
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return parseAddressBody(view, bytes, h, start, end);
    case RTM_NEWNEIGHTBL:
      return parseNeighTable(view, bytes, h, start, end);
    case NLMSG_ERROR: {
      if (end - start < 4) throw new NetlinkParseError('nlmsgerr: truncated');
      return { type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'error', errno: -view.getInt32(start, LE) };
    }
    case NLMSG_DONE:
      return { type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'done' };
    default:
      return { type: h.type, flags: h.flags, seq: h.seq, pid: h.pid, kind: 'other' };
  }
}
