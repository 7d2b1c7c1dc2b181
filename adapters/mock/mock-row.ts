import { AF_INET } from '../../src/address-family.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { offloadFlagsFromByte, ZONE_INDEX_COUNT } from '../../src/ip-interface-row.js';
import { INFINITE_LIFETIME, type UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { RT_TABLE_MAIN, type IpForwardRow } from '../../src/ip-forward-row.js';

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

/**
 * A complete address row with sensible defaults (`10.0.0.<interfaceIndex>/24` on `eth<interfaceIndex>`,
 * manual, preferred, forever), overridden by `partial`. The LUID derives from `interfaceIndex`
 * unless given, as in {@link mockRow}, so the address belongs to that mock interface.
 *
 * @example
 * ```ts
 * import { mockAddressRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * const v6 = mockAddressRow({ family: 'inet6', address: '2001:db8::1', onLinkPrefixLength: 64, interfaceIndex: 3 });
 * ```
 */
export function mockAddressRow(partial: Partial<UnicastIpAddressRow> = {}): UnicastIpAddressRow {
  const interfaceIndex = partial.interfaceIndex ?? 2;
  const family = partial.family ?? AF_INET;
  return {
    family,
    address: family === AF_INET ? `10.0.0.${interfaceIndex & 0xff}` : `fe80::${(interfaceIndex & 0xffff).toString(16)}`,
    interfaceLuid: mockLuid(interfaceIndex),
    interfaceIndex,
    interfaceName: `eth${interfaceIndex}`,
    prefixOrigin: 'manual',
    suffixOrigin: 'manual',
    validLifetime: INFINITE_LIFETIME,
    preferredLifetime: INFINITE_LIFETIME,
    onLinkPrefixLength: family === AF_INET ? 24 : 64,
    skipAsSource: false,
    dadState: 'preferred',
    scopeId: family === AF_INET ? 0 : interfaceIndex,
    creationTimeStamp: undefined,
    ...partial,
  };
}

/**
 * A complete route row with sensible defaults (the IPv4 default route via `10.0.0.1` on
 * `eth<interfaceIndex>`, main table, metric 0, manual, forever; for `family: 'inet6'` the IPv6 default
 * via `fe80::1`), overridden by `partial`. The LUID derives from `interfaceIndex` unless given, as in
 * {@link mockRow}, so the route goes out of that mock interface.
 *
 * @example
 * ```ts
 * import { mockRouteRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * const lan = mockRouteRow({ destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2', interfaceIndex: 3 });
 * ```
 */
export function mockRouteRow(partial: Partial<IpForwardRow> = {}): IpForwardRow {
  const interfaceIndex = partial.interfaceIndex ?? 2;
  const family = partial.family ?? AF_INET;
  return {
    family,
    destinationPrefix: family === AF_INET ? { prefix: '0.0.0.0', prefixLength: 0 } : { prefix: '::', prefixLength: 0 },
    nextHop: family === AF_INET ? '10.0.0.1' : 'fe80::1',
    interfaceLuid: mockLuid(interfaceIndex),
    interfaceIndex,
    interfaceName: `eth${interfaceIndex}`,
    sitePrefixLength: 0,
    validLifetime: INFINITE_LIFETIME,
    preferredLifetime: INFINITE_LIFETIME,
    metric: 0,
    protocol: 'netmgmt',
    loopback: false,
    autoconfigureAddress: false,
    publish: false,
    immortal: true,
    age: 0,
    origin: 'manual',
    table: RT_TABLE_MAIN,
    ...partial,
  };
}
