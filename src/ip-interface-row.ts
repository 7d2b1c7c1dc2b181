import type { AddressFamily } from './address-family.js';

/**
 * NL_ROUTER_DISCOVERY_BEHAVIOR (RouterDiscoveryDisabled 0, Enabled 1, Dhcp 2, Unchanged -1).
 *
 * @example
 * ```ts
 * import type { IpInterfaceRow, RouterDiscoveryBehavior } from 'rxjs-ip-interface';
 *
 * function acceptsRouterAdvertisements(row: IpInterfaceRow): boolean | undefined {
 *   const behavior: RouterDiscoveryBehavior | undefined = row.routerDiscoveryBehavior;
 *   return behavior === undefined ? undefined : behavior !== 'disabled'; // undefined: platform cannot tell
 * }
 * ```
 */
export type RouterDiscoveryBehavior = 'disabled' | 'enabled' | 'dhcp' | 'unchanged';

/**
 * NL_LINK_LOCAL_ADDRESS_BEHAVIOR (LinkLocalAlwaysOff 0, Delayed 1, AlwaysOn 2, Unchanged -1).
 *
 * @example
 * ```ts
 * import type { IpInterfaceRow, LinkLocalAddressBehavior } from 'rxjs-ip-interface';
 *
 * function hasNoLinkLocalAddress(row: IpInterfaceRow): boolean {
 *   const behavior: LinkLocalAddressBehavior | undefined = row.linkLocalAddressBehavior;
 *   return behavior === 'alwaysOff';
 * }
 * ```
 */
export type LinkLocalAddressBehavior = 'alwaysOff' | 'delayed' | 'alwaysOn' | 'unchanged';

/**
 * NL_INTERFACE_OFFLOAD_ROD: the eight one-bit flags of TransmitOffload / ReceiveOffload, bit 0 first.
 *
 * @example
 * ```ts
 * import type { InterfaceOffloadFlags, IpInterfaceRow } from 'rxjs-ip-interface';
 *
 * function supportsLargeSendOffload(row: IpInterfaceRow): boolean {
 *   const tx: InterfaceOffloadFlags | undefined = row.transmitOffload; // undefined where the platform cannot tell
 *   return tx?.tlLargeSendOffloadSupported ?? false;
 * }
 * ```
 */
export interface InterfaceOffloadFlags {
  readonly nlChecksumSupported: boolean;
  readonly nlOptionsSupported: boolean;
  readonly tlDatagramChecksumSupported: boolean;
  readonly tlStreamChecksumSupported: boolean;
  readonly tlStreamOptionsSupported: boolean;
  readonly fastPathCompatible: boolean;
  readonly tlLargeSendOffloadSupported: boolean;
  readonly tlGiantSendOffloadSupported: boolean;
}

/**
 * Bit order of {@link InterfaceOffloadFlags} in the native byte (bit 0 first).
 *
 * @example
 * ```ts
 * import { OFFLOAD_FLAG_NAMES, type InterfaceOffloadFlags } from 'rxjs-ip-interface';
 *
 * // The native byte back from the flags (the inverse of offloadFlagsFromByte):
 * const toByte = (flags: InterfaceOffloadFlags): number =>
 *   OFFLOAD_FLAG_NAMES.reduce((byte, name, bit) => (flags[name] ? byte | (1 << bit) : byte), 0);
 * ```
 */
export const OFFLOAD_FLAG_NAMES = [
  'nlChecksumSupported',
  'nlOptionsSupported',
  'tlDatagramChecksumSupported',
  'tlStreamChecksumSupported',
  'tlStreamOptionsSupported',
  'fastPathCompatible',
  'tlLargeSendOffloadSupported',
  'tlGiantSendOffloadSupported',
] as const satisfies readonly (keyof InterfaceOffloadFlags)[];

/**
 * Decodes an NL_INTERFACE_OFFLOAD_ROD byte.
 *
 * @example
 * ```ts
 * offloadFlagsFromByte(0b1).nlChecksumSupported; // true
 * ```
 */
export function offloadFlagsFromByte(byte: number): InterfaceOffloadFlags {
  const flags: Record<string, boolean> = {};
  OFFLOAD_FLAG_NAMES.forEach((name, bit) => {
    flags[name] = (byte & (1 << bit)) !== 0;
  });
  return flags as unknown as InterfaceOffloadFlags;
}

/**
 * Number of entries of MIB_IPINTERFACE_ROW.ZoneIndices (one per SCOPE_LEVEL).
 *
 * @example
 * ```ts
 * import { ZONE_INDEX_COUNT, type IpInterfaceRow } from 'rxjs-ip-interface';
 *
 * // The link-scope zone (SCOPE_LEVEL 2), where the platform supplies all zone indices:
 * const linkZone = (row: IpInterfaceRow): number | undefined =>
 *   row.zoneIndices?.length === ZONE_INDEX_COUNT ? row.zoneIndices[2] : undefined;
 * ```
 */
export const ZONE_INDEX_COUNT = 16;

/**
 * One IP interface: every field of Windows' `MIB_IPINTERFACE_ROW` in camelCase, plus `interfaceName`.
 *
 * `family`, `interfaceLuid` and `interfaceIndex` are always present. Any other field that a platform
 * cannot supply is `undefined`, never invented; see `docs/event-model.md` for what each adapter fills.
 *
 * @example
 * ```ts
 * ipInterfaceChanges$(AF_INET).subscribe((c) => {
 *   if (c.kind !== 'initial') console.log(c.row.interfaceName, c.row.nlMtu, c.row.connected);
 * });
 * ```
 */
export interface IpInterfaceRow {
  readonly family: Exclude<AddressFamily, 'unspec'>;
  /** NET_LUID as a 64-bit value (NetLuidIndex in bits 24..47, IfType in bits 48..63). */
  readonly interfaceLuid: bigint;
  readonly interfaceIndex: number;
  /** The interface's name where the platform knows it (Linux `eth0`, Windows `ethernet_32768`). */
  readonly interfaceName?: string | undefined;
  readonly maxReassemblySize?: number | undefined;
  readonly interfaceIdentifier?: bigint | undefined;
  readonly minRouterAdvertisementInterval?: number | undefined;
  readonly maxRouterAdvertisementInterval?: number | undefined;
  readonly advertisingEnabled?: boolean | undefined;
  readonly forwardingEnabled?: boolean | undefined;
  readonly weakHostSend?: boolean | undefined;
  readonly weakHostReceive?: boolean | undefined;
  readonly useAutomaticMetric?: boolean | undefined;
  readonly useNeighborUnreachabilityDetection?: boolean | undefined;
  readonly managedAddressConfigurationSupported?: boolean | undefined;
  readonly otherStatefulConfigurationSupported?: boolean | undefined;
  readonly advertiseDefaultRoute?: boolean | undefined;
  readonly routerDiscoveryBehavior?: RouterDiscoveryBehavior | undefined;
  readonly dadTransmits?: number | undefined;
  /** Milliseconds. */
  readonly baseReachableTime?: number | undefined;
  /** Milliseconds. */
  readonly retransmitTime?: number | undefined;
  /** Milliseconds. */
  readonly pathMtuDiscoveryTimeout?: number | undefined;
  readonly linkLocalAddressBehavior?: LinkLocalAddressBehavior | undefined;
  /** Milliseconds. */
  readonly linkLocalAddressTimeout?: number | undefined;
  /** 16 zone indices in SCOPE_LEVEL order (index 1 = interface, 2 = link, 3 = subnet, ...). */
  readonly zoneIndices?: readonly number[] | undefined;
  readonly sitePrefixLength?: number | undefined;
  readonly metric?: number | undefined;
  /** The network-layer MTU of this IP interface, in bytes. */
  readonly nlMtu?: number | undefined;
  /** Media connected (operationally up). */
  readonly connected?: boolean | undefined;
  readonly supportsWakeUpPatterns?: boolean | undefined;
  readonly supportsNeighborDiscovery?: boolean | undefined;
  readonly supportsRouterDiscovery?: boolean | undefined;
  /** Milliseconds. */
  readonly reachableTime?: number | undefined;
  readonly transmitOffload?: InterfaceOffloadFlags | undefined;
  readonly receiveOffload?: InterfaceOffloadFlags | undefined;
  readonly disableDefaultRoutes?: boolean | undefined;
}
