/**
 * SOCKADDR_INET (ws2ipdef.h), the address union inside MIB_UNICASTIPADDRESS_ROW and
 * MIB_IPFORWARD_ROW2: layout as data (verified with mingw-w64 `offsetof`, see
 * test/adapters/windows/address-route-layout.test.ts) and a decoder of its bytes. Pure: no koffi.
 *
 * @module
 */
import { ipAddressText } from '../../src/ip-address-text.js';
import { NATIVE_FAMILY } from './native-family.js';

/** Fixed-width koffi type of a field of the address and route structs (never `long`: 4 bytes on Win64, 8 on Linux). */
export type LayoutFieldType =
  | 'uint8_t' | 'uint16_t' | 'uint32_t' | 'int32_t' | 'uint64_t' | 'uint8_t[8]' | 'uint8_t[16]'
  | 'SOCKADDR_IN' | 'SOCKADDR_IN6' | 'SOCKADDR_INET' | 'IP_ADDRESS_PREFIX';

/** One struct or union: its fields in declaration order with type and offset, its size and alignment. */
export interface StructLayout {
  /** The C name (koffi types are registered as `RXIPI_<name>`). */
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly fields: readonly (readonly [name: string, type: LayoutFieldType, offset: number])[];
  readonly size: number;
  readonly align: number;
}

/** SOCKADDR_IN: 16 bytes, alignment 4 (IN_ADDR as its 4 bytes, network order). */
export const SOCKADDR_IN_LAYOUT = {
  name: 'SOCKADDR_IN',
  kind: 'struct',
  fields: [
    ['sin_family', 'uint16_t', 0],
    ['sin_port', 'uint16_t', 2],
    // IN_ADDR is a union with a ULONG (S_addr), so it aligns the struct to 4; its bytes are network order.
    ['sin_addr', 'uint32_t', 4],
    ['sin_zero', 'uint8_t[8]', 8],
  ],
  size: 16,
  align: 4,
} as const satisfies StructLayout;

/** SOCKADDR_IN6 (SOCKADDR_IN6_LH): 28 bytes, alignment 4 (the scope id union as its ULONG). */
export const SOCKADDR_IN6_LAYOUT = {
  name: 'SOCKADDR_IN6',
  kind: 'struct',
  fields: [
    ['sin6_family', 'uint16_t', 0],
    ['sin6_port', 'uint16_t', 2],
    ['sin6_flowinfo', 'uint32_t', 4],
    ['sin6_addr', 'uint8_t[16]', 8],
    ['sin6_scope_id', 'uint32_t', 24],
  ],
  size: 28,
  align: 4,
} as const satisfies StructLayout;

/** SOCKADDR_INET: the union of both (every arm at 0), 28 bytes, alignment 4. */
export const SOCKADDR_INET_LAYOUT = {
  name: 'SOCKADDR_INET',
  kind: 'union',
  fields: [
    ['Ipv4', 'SOCKADDR_IN', 0],
    ['Ipv6', 'SOCKADDR_IN6', 0],
    ['si_family', 'uint16_t', 0],
  ],
  size: 28,
  align: 4,
} as const satisfies StructLayout;

/**
 * The offset of field `name` in `layout` (decoders read offsets from the layout tables, never from
 * literals of their own, so the checked table is the only place an offset lives).
 *
 * @example
 * ```ts
 * fieldOffset(SOCKADDR_IN6_LAYOUT, 'sin6_scope_id'); // 24
 * ```
 */
export function fieldOffset<L extends StructLayout>(layout: L, name: L['fields'][number][0]): number {
  const field = layout.fields.find((f) => f[0] === name);
  if (!field) throw new Error(`${layout.name} has no field ${name}`);
  return field[2];
}

const SIN_PORT = fieldOffset(SOCKADDR_IN_LAYOUT, 'sin_port');
const SIN_ADDR = fieldOffset(SOCKADDR_IN_LAYOUT, 'sin_addr');
const SIN6_PORT = fieldOffset(SOCKADDR_IN6_LAYOUT, 'sin6_port');
const SIN6_ADDR = fieldOffset(SOCKADDR_IN6_LAYOUT, 'sin6_addr');
const SIN6_SCOPE_ID = fieldOffset(SOCKADDR_IN6_LAYOUT, 'sin6_scope_id');
const SI_FAMILY = fieldOffset(SOCKADDR_INET_LAYOUT, 'si_family');

/** A decoded SOCKADDR_INET. */
export interface DecodedSockaddrInet {
  readonly family: 'inet' | 'inet6';
  /** Canonical text, no zone. */
  readonly address: string;
  /** sin_port / sin6_port in host order. */
  readonly port: number;
  /** sin6_scope_id (0 for IPv4). */
  readonly scopeId: number;
}

/**
 * Decodes the SOCKADDR_INET at `bytes[offset]`: `undefined` when si_family is neither AF_INET (2)
 * nor AF_INET6 (23) or the bytes are too short (a family is never invented).
 *
 * @example
 * ```ts
 * const a = sockaddrInetFromBytes(rowBytes, 0); // { family: 'inet6', address: 'fe80::1', port: 0, scopeId: 7 }
 * ```
 */
export function sockaddrInetFromBytes(bytes: Uint8Array, offset: number): DecodedSockaddrInet | undefined {
  if (offset < 0 || offset + SOCKADDR_INET_LAYOUT.size > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, SOCKADDR_INET_LAYOUT.size);
  // Windows is little-endian for the host-order fields; ports and addresses are network order.
  const family = view.getUint16(SI_FAMILY, true);
  if (family === NATIVE_FAMILY.inet) {
    return { family: 'inet', address: ipAddressText(bytes, offset + SIN_ADDR, 4)!, port: view.getUint16(SIN_PORT, false), scopeId: 0 };
  }
  if (family === NATIVE_FAMILY.inet6) {
    const address = ipAddressText(bytes, offset + SIN6_ADDR, 16)!;
    return { family: 'inet6', address, port: view.getUint16(SIN6_PORT, false), scopeId: view.getUint32(SIN6_SCOPE_ID, true) };
  }
  return undefined;
}
