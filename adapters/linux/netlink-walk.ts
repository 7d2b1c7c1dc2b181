/**
 * The strict nlmsghdr walk of one datagram that the address and route parsers share, with the checks
 * and the error discipline of {@link parseNetlinkMessages}: anything malformed throws
 * {@link NetlinkParseError} and nothing else; every step advances by at least one aligned header.
 *
 * @module
 */
import { NLMSG_HDRLEN } from './netlink-constants.js';
import { NetlinkParseError, type NetlinkHeader } from './netlink-parser.js';

/** True on little-endian hosts (netlink is host-endian). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Rounds up to the 4-byte netlink alignment (NLMSG_ALIGN, RTA_ALIGN, RTNH_ALIGN). */
export const align4 = (n: number): number => (n + 3) & ~3;

/** One message's body: `[start, end)` of `view` / `bytes`, after its 16-byte header. */
export type MessageVisitor = (header: NetlinkHeader, view: DataView, bytes: Uint8Array, start: number, end: number) => void;

/**
 * Calls `visit` for each message of `bytes[0, length)`; a throw of `visit` that is not a
 * {@link NetlinkParseError} becomes one.
 *
 * @throws NetlinkParseError for anything malformed; never anything else.
 * @example
 * ```ts
 * walkNetlinkMessages(buffer, received, (h, view, bytes, start, end) => console.log(h.type, end - start));
 * ```
 */
export function walkNetlinkMessages(bytes: Uint8Array, length: number, visit: MessageVisitor): void {
  if (!Number.isInteger(length) || length < 0 || length > bytes.length) throw new NetlinkParseError(`bad length ${length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  let offset = 0;
  while (offset < length) {
    if (length - offset < NLMSG_HDRLEN) throw new NetlinkParseError(`truncated header at ${offset}`);
    const len = view.getUint32(offset, LITTLE_ENDIAN);
    if (len < NLMSG_HDRLEN || len > length - offset) throw new NetlinkParseError(`bad message length ${len} at ${offset}`);
    const header: NetlinkHeader = {
      type: view.getUint16(offset + 4, LITTLE_ENDIAN),
      flags: view.getUint16(offset + 6, LITTLE_ENDIAN),
      seq: view.getUint32(offset + 8, LITTLE_ENDIAN),
      pid: view.getUint32(offset + 12, LITTLE_ENDIAN),
    };
    try {
      visit(header, view, bytes, offset + NLMSG_HDRLEN, offset + len);
    } catch (error) {
      if (error instanceof NetlinkParseError) throw error;
      throw new NetlinkParseError(`message at ${offset}: ${String(error)}`);
    }
    offset += align4(len);
  }
}

/**
 * Calls `visit(type, valueStart, valueEnd)` for each rtattr in `[start, end)` (type without the
 * NLA_F_NESTED / NLA_F_NET_BYTEORDER bits); a length below 4 or past `end` throws.
 *
 * @example
 * ```ts
 * forEachAttribute(view, start + 8, end, (type, s, e) => console.log(type, e - s));
 * ```
 */
export function forEachAttribute(view: DataView, start: number, end: number, visit: (type: number, valueStart: number, valueEnd: number) => void): void {
  for (let offset = start; offset + 4 <= end; ) {
    const len = view.getUint16(offset, LITTLE_ENDIAN);
    if (len < 4 || offset + len > end) throw new NetlinkParseError(`bad attribute length ${len} at ${offset}`);
    visit(view.getUint16(offset + 2, LITTLE_ENDIAN) & 0x3fff, offset + 4, offset + len);
    offset += align4(len);
  }
}

/**
 * A u32 attribute value (at least 4 bytes, as the kernel's nla_get_u32 callers require).
 *
 * @example
 * ```ts
 * const mtu = attributeU32(view, s, e, 'IFLA_MTU');
 * ```
 */
export function attributeU32(view: DataView, start: number, end: number, what: string): number {
  if (end - start < 4) throw new NetlinkParseError(`${what}: ${end - start} bytes, need 4`);
  return view.getUint32(start, LITTLE_ENDIAN);
}

/**
 * A u8 attribute value.
 *
 * @example
 * ```ts
 * const proto = attributeU8(view, s, e, 'IFA_PROTO');
 * ```
 */
export function attributeU8(view: DataView, start: number, end: number, what: string): number {
  if (end - start < 1) throw new NetlinkParseError(`${what}: empty`);
  return view.getUint8(start);
}

/**
 * An address attribute of `family` (4 bytes for AF_INET, 16 for AF_INET6), copied; any other size for
 * those families is malformed. Other families' addresses are copied as they are.
 *
 * @example
 * ```ts
 * const dst = attributeAddress(bytes, 2, s, e, 'RTA_DST'); // Uint8Array(4)
 * ```
 */
export function attributeAddress(bytes: Uint8Array, family: number, start: number, end: number, what: string): Uint8Array {
  const need = family === 2 ? 4 : family === 10 ? 16 : end - start;
  if (end - start !== need) throw new NetlinkParseError(`${what}: ${end - start} bytes for family ${family}, need ${need}`);
  // Uint8Array's slice copies; a Buffer's would alias the shared receive buffer, which the next
  // datagram overwrites (a lookup's answer showed the following reply's bytes).
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

/**
 * A NUL-terminated string attribute (UTF-8; the kernel writes ASCII names).
 *
 * @example
 * ```ts
 * const label = attributeString(bytes, s, e); // 'eth0'
 * ```
 */
export function attributeString(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop < end && bytes[stop] !== 0) stop++;
  return decoder.decode(bytes.subarray(start, stop));
}
