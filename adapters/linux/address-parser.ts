/**
 * RTM_NEWADDR / RTM_DELADDR parser: bytes in, plain objects out, everything the kernel says about an
 * address (ifaddrmsg and its attributes). Pure (no koffi, no I/O) and strict like
 * {@link parseNetlinkMessages}: malformed input throws {@link NetlinkParseError}, nothing else.
 *
 * @module
 */
import {
  IFA_ADDRESS, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_LABEL, IFA_LOCAL, IFA_PROTO, IFA_RT_PRIORITY, RTM_DELADDR, RTM_NEWADDR,
} from './netlink-constants.js';
import { NetlinkParseError, type NetlinkHeader } from './netlink-parser.js';
import { attributeAddress, attributeString, attributeU32, attributeU8, forEachAttribute, LITTLE_ENDIAN, walkNetlinkMessages } from './netlink-walk.js';

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

/** One RTM_NEWADDR / RTM_DELADDR. */
export interface IfAddressMessage extends NetlinkHeader {
  readonly kind: 'ifaddress';
  readonly deleted: boolean;
  /** ifa_family: 2 (AF_INET) or 10 (AF_INET6); others are reported as they are. */
  readonly family: number;
  /** ifa_prefixlen. */
  readonly prefixLength: number;
  /** The 8-bit ifa_flags of the header (0x01 is IFA_F_SECONDARY on IPv4, IFA_F_TEMPORARY on IPv6). */
  readonly headerFlags: number;
  /** IFA_F_* flags: IFA_FLAGS (all 32 bits) when present, else {@link headerFlags}. (`flags` is nlmsg_flags.) */
  readonly addressFlags: number;
  /** ifa_scope (RT_SCOPE_*: 0 universe, 200 site, 253 link, 254 host). */
  readonly scope: number;
  readonly ifindex: number;
  /** IFA_ADDRESS: the address, or the peer's on a point-to-point address (then {@link local} is ours). */
  readonly address?: Uint8Array | undefined;
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

/**
 * Parses the body `[start, end)` (after the nlmsghdr) of one RTM_NEWADDR / RTM_DELADDR.
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * walkNetlinkMessages(buf, n, (h, view, bytes, s, e) => { if (h.type === RTM_NEWADDR) list.push(parseAddressMessage(h, view, bytes, s, e)); });
 * ```
 */
export function parseAddressMessage(h: NetlinkHeader, view: DataView, bytes: Uint8Array, start: number, end: number): IfAddressMessage {
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
  forEachAttribute(view, start + 8, end, (type, s, e) => {
    switch (type) {
      case IFA_ADDRESS:
        address = attributeAddress(bytes, family, s, e, 'IFA_ADDRESS');
        break;
      case IFA_LOCAL:
        local = attributeAddress(bytes, family, s, e, 'IFA_LOCAL');
        break;
      case IFA_LABEL:
        label = attributeString(bytes, s, e);
        break;
      case IFA_BROADCAST:
        broadcast = attributeAddress(bytes, family, s, e, 'IFA_BROADCAST');
        break;
      case IFA_CACHEINFO:
        if (e - s < 16) throw new NetlinkParseError(`IFA_CACHEINFO: ${e - s} bytes, need 16`);
        cacheInfo = {
          preferred: view.getUint32(s, LITTLE_ENDIAN),
          valid: view.getUint32(s + 4, LITTLE_ENDIAN),
          created: view.getUint32(s + 8, LITTLE_ENDIAN),
          updated: view.getUint32(s + 12, LITTLE_ENDIAN),
        };
        break;
      case IFA_FLAGS:
        flags32 = attributeU32(view, s, e, 'IFA_FLAGS');
        break;
      case IFA_PROTO:
        protocol = attributeU8(view, s, e, 'IFA_PROTO');
        break;
      case IFA_RT_PRIORITY:
        routePriority = attributeU32(view, s, e, 'IFA_RT_PRIORITY');
        break;
    }
  });
  return {
    type: h.type,
    flags: h.flags,
    seq: h.seq,
    pid: h.pid,
    kind: 'ifaddress',
    deleted: h.type === RTM_DELADDR,
    family,
    prefixLength: view.getUint8(start + 1),
    headerFlags,
    addressFlags: flags32 ?? headerFlags,
    scope: view.getUint8(start + 3),
    ifindex: view.getUint32(start + 4, LITTLE_ENDIAN),
    address,
    local,
    label,
    broadcast,
    cacheInfo,
    protocol,
    routePriority,
  };
}

/**
 * The RTM_NEWADDR / RTM_DELADDR messages of one datagram (`bytes[0, length)`), in order; other
 * message types (NLMSG_DONE, NLMSG_ERROR, links) are checked for framing and skipped.
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * for (const m of parseAddressMessages(buffer, received)) console.log(m.deleted, m.ifindex, m.prefixLength);
 * ```
 */
export function parseAddressMessages(bytes: Uint8Array, length: number = bytes.length): IfAddressMessage[] {
  const out: IfAddressMessage[] = [];
  walkNetlinkMessages(bytes, length, (h, view, b, s, e) => {
    if (h.type === RTM_NEWADDR || h.type === RTM_DELADDR) out.push(parseAddressMessage(h, view, b, s, e));
  });
  return out;
}
