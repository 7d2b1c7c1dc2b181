import { AF_INET } from '../../src/address-family.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { offloadFlagsFromByte, ZONE_INDEX_COUNT } from '../../src/ip-interface-row.js';

/** IF_TYPE_ETHERNET_CSMACD, used for mock LUIDs. */
const IF_TYPE_ETHERNET = 6n;

/**
 * A LUID built as Windows does (IfType in bits 48..63, NetLuidIndex in bits 24..47).
 *
 * @example
 * ```ts
 * mockLuid(3) === mockRow({ interfaceIndex: 3 }).interfaceLuid; // true
 * ```
 */
export function mockLuid(interfaceIndex: number, ifType: bigint = IF_TYPE_ETHERNET): bigint {
  return (ifType << 48n) | ((BigInt(interfaceIndex) & 0xffffffn) << 24n);
}

/**
 * A complete row with sensible defaults (an up Ethernet interface, MTU 1500), overridden by
 * `partial`. The LUID derives from `interfaceIndex` unless given, so rows with different indexes
 * have different keys.
 *
 * @example
 * ```ts
 * const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 9000 });
 * ```
 */
export function mockRow(partial: Partial<IpInterfaceRow> = {}): IpInterfaceRow {
  const interfaceIndex = partial.interfaceIndex ?? 2;
  const zoneIndices = Array.from({ length: ZONE_INDEX_COUNT }, (_, i) => (i >= 1 && i <= 3 ? interfaceIndex : 0));
  return {
    family: AF_INET,
    interfaceIndex,
    interfaceLuid: mockLuid(interfaceIndex),
    interfaceName: `eth${interfaceIndex}`,
    maxReassemblySize: 65535,
    interfaceIdentifier: 0n,
    minRouterAdvertisementInterval: 200,
    maxRouterAdvertisementInterval: 600,
    advertisingEnabled: false,
    forwardingEnabled: false,
    weakHostSend: false,
    weakHostReceive: false,
    useAutomaticMetric: true,
    useNeighborUnreachabilityDetection: true,
    managedAddressConfigurationSupported: false,
    otherStatefulConfigurationSupported: false,
    advertiseDefaultRoute: false,
    routerDiscoveryBehavior: 'dhcp',
    dadTransmits: 1,
    baseReachableTime: 30000,
    retransmitTime: 1000,
    pathMtuDiscoveryTimeout: 600000,
    linkLocalAddressBehavior: 'delayed',
    linkLocalAddressTimeout: 6000,
    zoneIndices,
    sitePrefixLength: 64,
    metric: 25,
    nlMtu: 1500,
    connected: true,
    supportsWakeUpPatterns: false,
    supportsNeighborDiscovery: true,
    supportsRouterDiscovery: true,
    reachableTime: 30000,
    transmitOffload: offloadFlagsFromByte(0),
    receiveOffload: offloadFlagsFromByte(0),
    disableDefaultRoutes: false,
    ...partial,
  };
}
