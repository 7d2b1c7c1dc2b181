/**
 * MIB_IPFORWARD_ROW2 (netioapi.h) on x64 (arm64 shares it), with IP_ADDRESS_PREFIX inside: layout as
 * data, verified with mingw-w64 `offsetof` (test/adapters/windows/address-route-layout.test.ts) and
 * checked against koffi's layout at load (address-route-types.ts); and the decoder of a row's bytes
 * to the public row. Pure: no koffi.
 *
 * @module
 */
import type { IpForwardRow, RouteOrigin, RouteProtocol } from '../../src/ip-forward-row.js';
import { fieldOffset, sockaddrInetFromBytes, type StructLayout } from './sockaddr-inet.js';

/** IP_ADDRESS_PREFIX: SOCKADDR_INET Prefix, UINT8 PrefixLength; 32 bytes, alignment 4. */
export const IP_ADDRESS_PREFIX_LAYOUT = {
  name: 'IP_ADDRESS_PREFIX',
  kind: 'struct',
  fields: [
    ['Prefix', 'SOCKADDR_INET', 0],
    ['PrefixLength', 'uint8_t', 28],
  ],
  size: 32,
  align: 4,
} as const satisfies StructLayout;

/** MIB_IPFORWARD_ROW2: 104 bytes, alignment 8. */
export const MIB_IPFORWARD_ROW2_LAYOUT = {
  name: 'MIB_IPFORWARD_ROW2',
  kind: 'struct',
  fields: [
    ['InterfaceLuid', 'uint64_t', 0],
    ['InterfaceIndex', 'uint32_t', 8],
    ['DestinationPrefix', 'IP_ADDRESS_PREFIX', 12],
    ['NextHop', 'SOCKADDR_INET', 44],
    ['SitePrefixLength', 'uint8_t', 72],
    ['ValidLifetime', 'uint32_t', 76],
    ['PreferredLifetime', 'uint32_t', 80],
    ['Metric', 'uint32_t', 84],
    ['Protocol', 'int32_t', 88],
    ['Loopback', 'uint8_t', 92],
    ['AutoconfigureAddress', 'uint8_t', 93],
    ['Publish', 'uint8_t', 94],
    ['Immortal', 'uint8_t', 95],
    ['Age', 'uint32_t', 96],
    ['Origin', 'int32_t', 100],
  ],
  size: 104,
  align: 8,
} as const satisfies StructLayout;

/** Offset of `Table` in MIB_IPFORWARD_TABLE2 (after ULONG NumEntries and padding). */
export const MIB_IPFORWARD_TABLE2_ROWS_OFFSET = 8;

/** NL_ROUTE_PROTOCOL / MIB_IPPROTO_* values. */
const PROTOCOL: Readonly<Record<number, RouteProtocol>> = {
  1: 'other', 2: 'local', 3: 'netmgmt', 4: 'icmp', 5: 'egp', 6: 'ggp', 7: 'hello', 8: 'rip', 9: 'isIs', 10: 'esIs', 11: 'cisco', 12: 'bbn',
  13: 'ospf', 14: 'bgp', 15: 'idpr', 16: 'eigrp', 17: 'dvmrp', 18: 'rpl', 19: 'dhcp', 10002: 'ntAutostatic', 10006: 'ntStatic',
  10007: 'ntStaticNonDod',
};
const ORIGIN: Readonly<Record<number, RouteOrigin>> = { 0: 'manual', 1: 'wellKnown', 2: 'dhcp', 3: 'routerAdvertisement', 4: '6to4' };

const at = (name: (typeof MIB_IPFORWARD_ROW2_LAYOUT)['fields'][number][0]): number => fieldOffset(MIB_IPFORWARD_ROW2_LAYOUT, name);
const LUID = at('InterfaceLuid');
const INDEX = at('InterfaceIndex');
const DESTINATION = at('DestinationPrefix');
const PREFIX = DESTINATION + fieldOffset(IP_ADDRESS_PREFIX_LAYOUT, 'Prefix');
const PREFIX_LENGTH = DESTINATION + fieldOffset(IP_ADDRESS_PREFIX_LAYOUT, 'PrefixLength');
const NEXT_HOP = at('NextHop');
const SITE = at('SitePrefixLength');
const VALID = at('ValidLifetime');
const PREFERRED = at('PreferredLifetime');
const METRIC = at('Metric');
const PROTO = at('Protocol');
const LOOPBACK = at('Loopback');
const AUTOCONF = at('AutoconfigureAddress');
const PUBLISH = at('Publish');
const IMMORTAL = at('Immortal');
const AGE = at('Age');
const ROUTE_ORIGIN = at('Origin');

/**
 * The row of the MIB_IPFORWARD_ROW2 at `bytes[offset]` (a copy). Enums become string unions (an
 * unknown value: `undefined`), BOOLEANs booleans, prefix and next hop canonical text (an unspecified
 * next hop, all zeros, is `'0.0.0.0'` / `'::'`: on-link). `undefined` when the prefix's family is
 * neither AF_INET nor AF_INET6, or the bytes are too short. A next hop of another family than the
 * prefix (Windows has none such) is reported as it is; one with no family (zeroed) is on-link.
 *
 * @example
 * ```ts
 * const row = ipForwardRowFromBytes(new Uint8Array(koffi.view(pointer, 104)), 0, 'ethernet_32768');
 * ```
 */
export function ipForwardRowFromBytes(bytes: Uint8Array, offset = 0, interfaceName?: string): IpForwardRow | undefined {
  if (offset < 0 || offset + MIB_IPFORWARD_ROW2_LAYOUT.size > bytes.length) return undefined;
  const prefix = sockaddrInetFromBytes(bytes, offset + PREFIX);
  if (prefix === undefined) return undefined;
  const nextHop = sockaddrInetFromBytes(bytes, offset + NEXT_HOP);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, MIB_IPFORWARD_ROW2_LAYOUT.size);
  const row: IpForwardRow = {
    family: prefix.family,
    destinationPrefix: { prefix: prefix.address, prefixLength: view.getUint8(PREFIX_LENGTH) },
    nextHop: nextHop?.address ?? (prefix.family === 'inet' ? '0.0.0.0' : '::'),
    interfaceLuid: view.getBigUint64(LUID, true),
    interfaceIndex: view.getUint32(INDEX, true),
    sitePrefixLength: view.getUint8(SITE),
    validLifetime: view.getUint32(VALID, true),
    preferredLifetime: view.getUint32(PREFERRED, true),
    metric: view.getUint32(METRIC, true),
    protocol: PROTOCOL[view.getInt32(PROTO, true)],
    loopback: view.getUint8(LOOPBACK) !== 0,
    autoconfigureAddress: view.getUint8(AUTOCONF) !== 0,
    publish: view.getUint8(PUBLISH) !== 0,
    immortal: view.getUint8(IMMORTAL) !== 0,
    age: view.getUint32(AGE, true),
    origin: ORIGIN[view.getInt32(ROUTE_ORIGIN, true)],
  };
  return interfaceName === undefined ? row : { ...row, interfaceName };
}
