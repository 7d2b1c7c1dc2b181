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

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function ipv6Bytes(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = ipv4Bytes(part);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...tail].flatMap((g) => [g >> 8, g & 0xff]);
}

/**
 * The SOCKADDR_INET bytes (28, port 0, scope 0) of `address`, the text of an address of `family`
 * (dotted quad; IPv6 with `::` and a trailing dotted quad, no zone), or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * sockaddrInetBytes('inet', '192.0.2.1'); // Uint8Array(28) [2, 0, 0, 0, 192, 0, 2, 1, ...]
 * sockaddrInetBytes('inet', '2001:db8::1'); // undefined (not IPv4)
 * ```
 */
export function sockaddrInetBytes(family: 'inet' | 'inet6', address: string): Uint8Array | undefined {
  if (typeof address !== 'string') return undefined;
  const bytes = family === 'inet' ? ipv4Bytes(address) : ipv6Bytes(address);
  if (!bytes) return undefined;
  const out = new Uint8Array(SOCKADDR_INET_LAYOUT.size);
  new DataView(out.buffer).setUint16(SI_FAMILY, NATIVE_FAMILY[family], true);
  out.set(bytes, family === 'inet' ? SIN_ADDR : SIN6_ADDR);
  return out;
}
