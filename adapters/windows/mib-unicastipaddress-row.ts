/**
 * MIB_UNICASTIPADDRESS_ROW (netioapi.h) on x64 (arm64 shares it): layout as data, verified with
 * mingw-w64 `offsetof` (test/adapters/windows/address-route-layout.test.ts) and checked against
 * koffi's layout at load (address-route-types.ts); and the decoder of a row's bytes to the public
 * row. Pure: no koffi.
 *
 * @module
 */
import type { DadState, PrefixOrigin, SuffixOrigin, UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { fieldOffset, sockaddrInetFromBytes, type StructLayout } from './sockaddr-inet.js';

/** MIB_UNICASTIPADDRESS_ROW: 80 bytes, alignment 8 (4 bytes of padding before InterfaceLuid, 2 after SkipAsSource, ...). */
export const MIB_UNICASTIPADDRESS_ROW_LAYOUT = {
  name: 'MIB_UNICASTIPADDRESS_ROW',
  kind: 'struct',
  fields: [
    ['Address', 'SOCKADDR_INET', 0],
    ['InterfaceLuid', 'uint64_t', 32],
    ['InterfaceIndex', 'uint32_t', 40],
    ['PrefixOrigin', 'int32_t', 44],
    ['SuffixOrigin', 'int32_t', 48],
    ['ValidLifetime', 'uint32_t', 52],
    ['PreferredLifetime', 'uint32_t', 56],
    ['OnLinkPrefixLength', 'uint8_t', 60],
    ['SkipAsSource', 'uint8_t', 61],
    ['DadState', 'int32_t', 64],
    ['ScopeId', 'uint32_t', 68],
    ['CreationTimeStamp', 'uint64_t', 72],
  ],
  size: 80,
  align: 8,
} as const satisfies StructLayout;

/** Offset of `Table` in MIB_UNICASTIPADDRESS_TABLE (after ULONG NumEntries and padding). */
export const MIB_UNICASTIPADDRESS_TABLE_ROWS_OFFSET = 8;

const PREFIX_ORIGIN: Readonly<Record<number, PrefixOrigin>> = { 0: 'other', 1: 'manual', 2: 'wellKnown', 3: 'dhcp', 4: 'routerAdvertisement', 16: 'unchanged' };
const SUFFIX_ORIGIN: Readonly<Record<number, SuffixOrigin>> = {
  0: 'other', 1: 'manual', 2: 'wellKnown', 3: 'dhcp', 4: 'linkLayerAddress', 5: 'random', 16: 'unchanged',
};
const DAD_STATE: Readonly<Record<number, DadState>> = { 0: 'invalid', 1: 'tentative', 2: 'duplicate', 3: 'deprecated', 4: 'preferred' };

const at = (name: (typeof MIB_UNICASTIPADDRESS_ROW_LAYOUT)['fields'][number][0]): number => fieldOffset(MIB_UNICASTIPADDRESS_ROW_LAYOUT, name);
const ADDRESS = at('Address');
const LUID = at('InterfaceLuid');
const INDEX = at('InterfaceIndex');
const PREFIX = at('PrefixOrigin');
const SUFFIX = at('SuffixOrigin');
const VALID = at('ValidLifetime');
const PREFERRED = at('PreferredLifetime');
const ONLINK = at('OnLinkPrefixLength');
const SKIP = at('SkipAsSource');
const DAD = at('DadState');
const SCOPE = at('ScopeId');
const CREATED = at('CreationTimeStamp');

/**
 * The row of the MIB_UNICASTIPADDRESS_ROW at `bytes[offset]` (a copy the caller made inside the
 * callback or from the table: the OS's memory is not ours to keep). Enums become string unions (an
 * unknown value: `undefined`), BOOLEAN a boolean, the address canonical text (no zone: ScopeId is its
 * own field). `undefined` when Address.si_family is neither AF_INET nor AF_INET6 or the bytes are
 * too short.
 *
 * @example
 * ```ts
 * const row = unicastIpAddressRowFromBytes(new Uint8Array(koffi.view(pointer, 80)), 0, 'ethernet_32768');
 * ```
 */
export function unicastIpAddressRowFromBytes(bytes: Uint8Array, offset = 0, interfaceName?: string): UnicastIpAddressRow | undefined {
  if (offset < 0 || offset + MIB_UNICASTIPADDRESS_ROW_LAYOUT.size > bytes.length) return undefined;
  const address = sockaddrInetFromBytes(bytes, offset + ADDRESS);
  if (address === undefined) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, MIB_UNICASTIPADDRESS_ROW_LAYOUT.size);
  const row: UnicastIpAddressRow = {
    family: address.family,
    address: address.address,
    interfaceLuid: view.getBigUint64(LUID, true),
    interfaceIndex: view.getUint32(INDEX, true),
    prefixOrigin: PREFIX_ORIGIN[view.getInt32(PREFIX, true)],
    suffixOrigin: SUFFIX_ORIGIN[view.getInt32(SUFFIX, true)],
    validLifetime: view.getUint32(VALID, true),
    preferredLifetime: view.getUint32(PREFERRED, true),
    onLinkPrefixLength: view.getUint8(ONLINK),
    skipAsSource: view.getUint8(SKIP) !== 0,
    dadState: DAD_STATE[view.getInt32(DAD, true)],
    scopeId: view.getUint32(SCOPE, true),
    creationTimeStamp: view.getBigInt64(CREATED, true),
  };
  return interfaceName === undefined ? row : { ...row, interfaceName };
}
