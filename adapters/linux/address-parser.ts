/**
 * RTM_NEWADDR / RTM_DELADDR parser: bytes in, plain objects out, everything the kernel says about an
 * address (ifaddrmsg and its attributes). Pure (no koffi, no I/O) and strict like
 * {@link parseNetlinkMessages}: malformed input throws {@link NetlinkParseError}, nothing else.
 *
 * @module
 */
import { RTM_DELADDR, RTM_NEWADDR } from './netlink-constants.js';
import { parseAddressBody, type AddressCacheInfo, type AddressMessage, type NetlinkHeader } from './netlink-parser.js';
import { walkNetlinkMessages } from './netlink-walk.js';

export type { AddressCacheInfo };

/**
 * One RTM_NEWADDR / RTM_DELADDR: the reader's {@link AddressMessage} (one parser for both, in
 * netlink-parser.ts), tagged `ifaddress` when read from a captured datagram here.
 */
export interface IfAddressMessage extends Omit<AddressMessage, 'kind'> {
  readonly kind: 'ifaddress';
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
  return { ...parseAddressBody(view, bytes, h, start, end), kind: 'ifaddress' };
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
