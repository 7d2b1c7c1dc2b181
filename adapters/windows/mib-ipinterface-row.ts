import type { IpInterfaceRow, LinkLocalAddressBehavior, RouterDiscoveryBehavior } from '../../src/ip-interface-row.js';
import { offloadFlagsFromByte, ZONE_INDEX_COUNT } from '../../src/ip-interface-row.js';
import { familyFromNative } from './native-family.js';

/** Fixed-width koffi type of a MIB_IPINTERFACE_ROW field (never `long`: 4 bytes on Win64, 8 on Linux). */
export type NativeFieldType = 'uint8_t' | 'uint16_t' | 'uint32_t' | 'int32_t' | 'uint64_t' | 'uint32_t[16]';

/**
 * MIB_IPINTERFACE_ROW on x64 (arm64 shares it): every field in declaration order with its type and
 * the offset verified against the C compiler (168 bytes, alignment 8). The koffi struct is built
 * from this table and checked against these offsets when the library loads.
 */
export const MIB_IPINTERFACE_ROW_LAYOUT = [
  ['Family', 'uint16_t', 0],
  ['InterfaceLuid', 'uint64_t', 8],
  ['InterfaceIndex', 'uint32_t', 16],
  ['MaxReassemblySize', 'uint32_t', 20],
  ['InterfaceIdentifier', 'uint64_t', 24],
  ['MinRouterAdvertisementInterval', 'uint32_t', 32],
  ['MaxRouterAdvertisementInterval', 'uint32_t', 36],
  ['AdvertisingEnabled', 'uint8_t', 40],
  ['ForwardingEnabled', 'uint8_t', 41],
  ['WeakHostSend', 'uint8_t', 42],
  ['WeakHostReceive', 'uint8_t', 43],
  ['UseAutomaticMetric', 'uint8_t', 44],
  ['UseNeighborUnreachabilityDetection', 'uint8_t', 45],
  ['ManagedAddressConfigurationSupported', 'uint8_t', 46],
  ['OtherStatefulConfigurationSupported', 'uint8_t', 47],
  ['AdvertiseDefaultRoute', 'uint8_t', 48],
  ['RouterDiscoveryBehavior', 'int32_t', 52],
  ['DadTransmits', 'uint32_t', 56],
  ['BaseReachableTime', 'uint32_t', 60],
  ['RetransmitTime', 'uint32_t', 64],
  ['PathMtuDiscoveryTimeout', 'uint32_t', 68],
  ['LinkLocalAddressBehavior', 'int32_t', 72],
  ['LinkLocalAddressTimeout', 'uint32_t', 76],
  ['ZoneIndices', 'uint32_t[16]', 80],
  ['SitePrefixLength', 'uint32_t', 144],
  ['Metric', 'uint32_t', 148],
  ['NlMtu', 'uint32_t', 152],
  ['Connected', 'uint8_t', 156],
  ['SupportsWakeUpPatterns', 'uint8_t', 157],
  ['SupportsNeighborDiscovery', 'uint8_t', 158],
  ['SupportsRouterDiscovery', 'uint8_t', 159],
  ['ReachableTime', 'uint32_t', 160],
  ['TransmitOffload', 'uint8_t', 164],
  ['ReceiveOffload', 'uint8_t', 165],
  ['DisableDefaultRoutes', 'uint8_t', 166],
] as const satisfies readonly (readonly [string, NativeFieldType, number])[];

/** sizeof(MIB_IPINTERFACE_ROW) on x64 and arm64. */
export const MIB_IPINTERFACE_ROW_SIZE = 168;

/** Offset of `Table` in MIB_IPINTERFACE_TABLE (after ULONG NumEntries and padding). */
export const MIB_IPINTERFACE_TABLE_ROWS_OFFSET = 8;

/** Name of a MIB_IPINTERFACE_ROW field. */
export type NativeFieldName = (typeof MIB_IPINTERFACE_ROW_LAYOUT)[number][0];

/**
 * A MIB_IPINTERFACE_ROW as koffi decodes it. uint64 fields come back as a Number when the value fits
 * in 2^53 and as a BigInt otherwise, so both are accepted and converted explicitly.
 */
export type NativeIpInterfaceRow = {
  [K in NativeFieldName]: K extends 'ZoneIndices' ? readonly number[] : K extends 'InterfaceLuid' | 'InterfaceIdentifier' ? number | bigint : number;
};

const ROUTER_DISCOVERY: Record<number, RouterDiscoveryBehavior> = { 0: 'disabled', 1: 'enabled', 2: 'dhcp', [-1]: 'unchanged' };
const LINK_LOCAL: Record<number, LinkLocalAddressBehavior> = { 0: 'alwaysOff', 1: 'delayed', 2: 'alwaysOn', [-1]: 'unchanged' };

/**
 * A 64-bit field as an unsigned BigInt, whichever way koffi decoded it.
 *
 * @example
 * ```ts
 * toUint64(1689399632855040); // 1689399632855040n (koffi gave a Number: it fits in 2^53)
 * toUint64(19984724082016256n); // unchanged (koffi gave a BigInt)
 * ```
 */
export function toUint64(value: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/**
 * The IpInterfaceRow of a decoded MIB_IPINTERFACE_ROW: all fields, enums as string unions (an
 * unknown enum value becomes `undefined`), BOOLEANs as booleans, offload bytes as named flags.
 * Returns `undefined` for a row whose Family is neither AF_INET nor AF_INET6.
 *
 * @example
 * ```ts
 * const row = ipInterfaceRowFromNative(koffi.decode(pointer, rowType), 'ethernet_32768');
 * ```
 */
export function ipInterfaceRowFromNative(n: NativeIpInterfaceRow, interfaceName?: string): IpInterfaceRow | undefined {
  const family = familyFromNative(n.Family);
  if (family === undefined) return undefined;
  const row: IpInterfaceRow = {
    ...identityFromNative(n, family, interfaceName),
    maxReassemblySize: n.MaxReassemblySize,
    interfaceIdentifier: toUint64(n.InterfaceIdentifier),
    minRouterAdvertisementInterval: n.MinRouterAdvertisementInterval,
    maxRouterAdvertisementInterval: n.MaxRouterAdvertisementInterval,
    advertisingEnabled: n.AdvertisingEnabled !== 0,
    forwardingEnabled: n.ForwardingEnabled !== 0,
    weakHostSend: n.WeakHostSend !== 0,
    weakHostReceive: n.WeakHostReceive !== 0,
    useAutomaticMetric: n.UseAutomaticMetric !== 0,
    useNeighborUnreachabilityDetection: n.UseNeighborUnreachabilityDetection !== 0,
    managedAddressConfigurationSupported: n.ManagedAddressConfigurationSupported !== 0,
    otherStatefulConfigurationSupported: n.OtherStatefulConfigurationSupported !== 0,
    advertiseDefaultRoute: n.AdvertiseDefaultRoute !== 0,
    routerDiscoveryBehavior: ROUTER_DISCOVERY[n.RouterDiscoveryBehavior],
    dadTransmits: n.DadTransmits,
    baseReachableTime: n.BaseReachableTime,
    retransmitTime: n.RetransmitTime,
    pathMtuDiscoveryTimeout: n.PathMtuDiscoveryTimeout,
    linkLocalAddressBehavior: LINK_LOCAL[n.LinkLocalAddressBehavior],
    linkLocalAddressTimeout: n.LinkLocalAddressTimeout,
    zoneIndices: Array.from({ length: ZONE_INDEX_COUNT }, (_, i) => n.ZoneIndices[i] ?? 0),
    sitePrefixLength: n.SitePrefixLength,
    metric: n.Metric,
    nlMtu: n.NlMtu,
    connected: n.Connected !== 0,
    supportsWakeUpPatterns: n.SupportsWakeUpPatterns !== 0,
    supportsNeighborDiscovery: n.SupportsNeighborDiscovery !== 0,
    supportsRouterDiscovery: n.SupportsRouterDiscovery !== 0,
    reachableTime: n.ReachableTime,
    transmitOffload: offloadFlagsFromByte(n.TransmitOffload),
    receiveOffload: offloadFlagsFromByte(n.ReceiveOffload),
    disableDefaultRoutes: n.DisableDefaultRoutes !== 0,
  };
  return row;
}

/**
 * Only the fields Windows guarantees in a notification's row (Family, InterfaceLuid,
 * InterfaceIndex), for when the full row cannot be had and none is known: nothing is invented.
 *
 * @example
 * ```ts
 * identityRowFromNative(delivered, 'ethernet_32768'); // { family, interfaceLuid, interfaceIndex, interfaceName }
 * ```
 */
export function identityRowFromNative(n: NativeIpInterfaceRow, interfaceName?: string): IpInterfaceRow | undefined {
  const family = familyFromNative(n.Family);
  return family === undefined ? undefined : identityFromNative(n, family, interfaceName);
}

function identityFromNative(n: NativeIpInterfaceRow, family: 'inet' | 'inet6', interfaceName: string | undefined): IpInterfaceRow {
  const identity = { family, interfaceLuid: toUint64(n.InterfaceLuid), interfaceIndex: n.InterfaceIndex };
  return interfaceName === undefined ? identity : { ...identity, interfaceName };
}
