/**
 * Linux state -> `IpInterfaceRow` (the mapping table of docs/linux.md). Pure: no koffi, no I/O.
 *
 * @module
 */
import type { InterfaceOffloadFlags, IpInterfaceRow, LinkLocalAddressBehavior, RouterDiscoveryBehavior } from '../../src/ip-interface-row.js';
import { OFFLOAD_FLAG_NAMES, ZONE_INDEX_COUNT } from '../../src/ip-interface-row.js';
import {
  DEVCONF_ACCEPT_DAD, DEVCONF_ACCEPT_RA, DEVCONF_ACCEPT_RA_DEFRTR, DEVCONF_DAD_TRANSMITS, DEVCONF_MTU6, IF_OPER_UNKNOWN,
  IF_OPER_UP, IF_RA_MANAGED, IF_RA_OTHERCONF, IFF_NOARP, IFF_RUNNING, IFF_UP, IN6_ADDR_GEN_MODE_NONE,
} from './netlink-constants.js';
import type { LinkMessage } from './netlink-parser.js';
import { ifTypeOfArphrd } from '../shared/if-type.js';
import { netLuid } from '../shared/net-luid.js';

/** What the adapter knows about one device (merged from link messages): the fields of a link message that feed a row. */
export type LinkState = Pick<LinkMessage, 'ifindex' | 'ifiType' | 'ifiFlags' | 'name' | 'mtu' | 'operstate' | 'inetConf' | 'inet6'>;

/** Per-device neighbour-table parameters (RTM_GETNEIGHTBL), milliseconds. */
export interface NeighParms {
  readonly baseReachableTime?: number | undefined;
  readonly reachableTime?: number | undefined;
  readonly retransTime?: number | undefined;
}

/** Everything besides the link that feeds a row. */
export interface RowExtras {
  /** Latest forwarding value (netconf or devconf, whichever came last). */
  readonly forwarding?: number | undefined;
  readonly neigh?: NeighParms | undefined;
  /** Low 64 bits of the device's first IPv6 link-local address. */
  readonly linkLocalIdentifier?: bigint | undefined;
}

export { ifTypeOfArphrd };

/**
 * Synthesized NET_LUID: Linux has none, so build one as Windows lays it out
 * (IfType << 48 | NetLuidIndex << 24) with the ifindex as NetLuidIndex. Stable for a device's life.
 *
 * @example
 * ```ts
 * synthesizeLuid(1, 2); // (6n << 48n) | (2n << 24n)
 * ```
 */
export function synthesizeLuid(arphrd: number, ifindex: number): bigint {
  return netLuid(ifTypeOfArphrd(arphrd), ifindex);
}

/** Connected: operationally up, or (for drivers that report no operstate, like `lo`) up and running. */
function isConnected(link: LinkState): boolean | undefined {
  if (link.operstate === undefined) return undefined;
  if (link.operstate === IF_OPER_UP) return true;
  return link.operstate === IF_OPER_UNKNOWN && (link.ifiFlags & (IFF_UP | IFF_RUNNING)) === (IFF_UP | IFF_RUNNING);
}

/** What every row of a device shares: built once per (ifindex, ARPHRD), not per notification. */
interface DeviceConstants {
  readonly arphrd: number;
  readonly luid: bigint;
  readonly zones: readonly number[];
}
const deviceCache = new Map<number, DeviceConstants>();
function deviceConstants(arphrd: number, ifindex: number): DeviceConstants {
  let device = deviceCache.get(ifindex);
  if (device === undefined || device.arphrd !== arphrd) {
    // Interface, link and subnet scopes are the interface; admin..organization a single default zone.
    // A plain loop: Array.from with a callback was most of this function in a fresh process (5000 devices).
    const zones: number[] = [];
    for (let i = 0; i < ZONE_INDEX_COUNT; i++) zones.push(i >= 1 && i <= 3 ? ifindex : i >= 4 && i <= 13 ? 1 : 0);
    device = { arphrd, luid: synthesizeLuid(arphrd, ifindex), zones: Object.freeze(zones) };
    if (deviceCache.size > 65536) deviceCache.clear();
    deviceCache.set(ifindex, device);
  }
  return device;
}

function confAt(conf: readonly number[] | undefined, i: number): number | undefined {
  return conf && i < conf.length ? conf[i] : undefined;
}

function routerDiscovery(acceptRa: number | undefined): RouterDiscoveryBehavior | undefined {
  if (acceptRa === undefined) return undefined;
  return acceptRa > 0 ? 'enabled' : 'disabled';
}

function linkLocalBehavior(mode: number | undefined): LinkLocalAddressBehavior | undefined {
  if (mode === undefined) return undefined;
  return mode === IN6_ADDR_GEN_MODE_NONE ? 'alwaysOff' : 'alwaysOn';
}

/**
 * Maps one device's state to the row of one IP interface (`inet` or `inet6`). Fields Linux cannot
 * supply are left out (undefined).
 *
 * @example
 * ```ts
 * const row = mapRow('inet', link, { forwarding: 1 });
 * row.nlMtu === link.mtu; // true
 * ```
 */
export function mapRow(family: 'inet' | 'inet6', link: LinkState, extras: RowExtras = {}): IpInterfaceRow {
  const noArp = (link.ifiFlags & IFF_NOARP) !== 0;
  const neigh = extras.neigh;
  const device = deviceConstants(link.ifiType, link.ifindex);
  const interfaceLuid = device.luid;
  const forwardingEnabled = extras.forwarding === undefined ? undefined : extras.forwarding !== 0;
  if (family === 'inet') {
    return {
      family,
      interfaceLuid,
      interfaceIndex: link.ifindex,
      interfaceName: link.name,
      // Linux is a weak-host system (it accepts and sends on any interface for any local address).
      weakHostSend: true,
      weakHostReceive: true,
      useNeighborUnreachabilityDetection: !noArp,
      supportsNeighborDiscovery: !noArp,
      connected: isConnected(link),
      zoneIndices: device.zones,
      forwardingEnabled,
      baseReachableTime: neigh?.baseReachableTime,
      nlMtu: link.mtu,
      reachableTime: neigh?.reachableTime,
      retransmitTime: neigh?.retransTime,
    };
  }
  const inet6 = link.inet6;
  const conf = inet6?.conf;
  const acceptDad = confAt(conf, DEVCONF_ACCEPT_DAD);
  const dad = confAt(conf, DEVCONF_DAD_TRANSMITS);
  const defrtr = confAt(conf, DEVCONF_ACCEPT_RA_DEFRTR);
  const token = inet6?.token;
  const flags = inet6?.flags;
  return {
    family,
    interfaceLuid,
    interfaceIndex: link.ifindex,
    interfaceName: link.name,
    weakHostSend: true,
    weakHostReceive: true,
    useNeighborUnreachabilityDetection: !noArp,
    supportsNeighborDiscovery: !noArp,
    connected: isConnected(link),
    zoneIndices: device.zones,
    forwardingEnabled,
    baseReachableTime: neigh?.baseReachableTime,
    nlMtu: confAt(conf, DEVCONF_MTU6),
    maxReassemblySize: inet6?.cacheInfo?.maxReasmLen,
    reachableTime: inet6?.cacheInfo?.reachableTime,
    retransmitTime: inet6?.cacheInfo?.retransTime,
    managedAddressConfigurationSupported: flags === undefined ? undefined : (flags & IF_RA_MANAGED) !== 0,
    otherStatefulConfigurationSupported: flags === undefined ? undefined : (flags & IF_RA_OTHERCONF) !== 0,
    routerDiscoveryBehavior: routerDiscovery(confAt(conf, DEVCONF_ACCEPT_RA)),
    dadTransmits: dad === undefined ? undefined : acceptDad !== undefined && acceptDad <= 0 ? 0 : dad,
    disableDefaultRoutes: defrtr === undefined ? undefined : defrtr === 0,
    linkLocalAddressBehavior: linkLocalBehavior(inet6?.addrGenMode),
    interfaceIdentifier: token !== undefined && token !== 0n ? token : extras.linkLocalIdentifier,
  };
}

/** Every field of a row: the compile-time check below fails when the row type gains one. */
const ROW_KEYS = [
  'family', 'interfaceLuid', 'interfaceIndex', 'interfaceName', 'maxReassemblySize', 'interfaceIdentifier',
  'minRouterAdvertisementInterval', 'maxRouterAdvertisementInterval', 'advertisingEnabled', 'forwardingEnabled', 'weakHostSend',
  'weakHostReceive', 'useAutomaticMetric', 'useNeighborUnreachabilityDetection', 'managedAddressConfigurationSupported',
  'otherStatefulConfigurationSupported', 'advertiseDefaultRoute', 'routerDiscoveryBehavior', 'dadTransmits', 'baseReachableTime',
  'retransmitTime', 'pathMtuDiscoveryTimeout', 'linkLocalAddressBehavior', 'linkLocalAddressTimeout', 'zoneIndices',
  'sitePrefixLength', 'metric', 'nlMtu', 'connected', 'supportsWakeUpPatterns', 'supportsNeighborDiscovery',
  'supportsRouterDiscovery', 'reachableTime', 'transmitOffload', 'receiveOffload', 'disableDefaultRoutes',
] as const satisfies readonly (keyof IpInterfaceRow)[];
type UncomparedRowKey = Exclude<keyof IpInterfaceRow, (typeof ROW_KEYS)[number]>;
const everyRowKeyCompared: [UncomparedRowKey] extends [never] ? true : never = true;

/**
 * The fields of a row, for tests that check {@link rowsEqual} sees a difference in each.
 *
 * @example
 * ```ts
 * for (const key of rowKeys()) console.log(key);
 * ```
 */
export function rowKeys(): readonly (keyof IpInterfaceRow)[] {
  return everyRowKeyCompared ? ROW_KEYS : [];
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameOffload(a: InterfaceOffloadFlags | undefined, b: InterfaceOffloadFlags | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  for (const name of OFFLOAD_FLAG_NAMES) if (a[name] !== b[name]) return false;
  return true;
}

/**
 * True when two rows have the same value in every field (arrays and offload flags by value; a field
 * that is absent equals one that is `undefined`). Written out field by field, the fields that change
 * most first: this runs for every notification the kernel sends, and a generic key walk cost more
 * than building the row.
 *
 * @example
 * ```ts
 * rowsEqual(a, { ...a }); // true
 * ```
 */
export function rowsEqual(a: IpInterfaceRow, b: IpInterfaceRow): boolean {
  return (
    a.nlMtu === b.nlMtu &&
    a.connected === b.connected &&
    a.interfaceIndex === b.interfaceIndex &&
    a.family === b.family &&
    a.interfaceName === b.interfaceName &&
    a.forwardingEnabled === b.forwardingEnabled &&
    a.interfaceLuid === b.interfaceLuid &&
    a.baseReachableTime === b.baseReachableTime &&
    a.reachableTime === b.reachableTime &&
    a.retransmitTime === b.retransmitTime &&
    a.maxReassemblySize === b.maxReassemblySize &&
    a.interfaceIdentifier === b.interfaceIdentifier &&
    a.weakHostSend === b.weakHostSend &&
    a.weakHostReceive === b.weakHostReceive &&
    a.useNeighborUnreachabilityDetection === b.useNeighborUnreachabilityDetection &&
    a.supportsNeighborDiscovery === b.supportsNeighborDiscovery &&
    a.managedAddressConfigurationSupported === b.managedAddressConfigurationSupported &&
    a.otherStatefulConfigurationSupported === b.otherStatefulConfigurationSupported &&
    a.routerDiscoveryBehavior === b.routerDiscoveryBehavior &&
    a.dadTransmits === b.dadTransmits &&
    a.disableDefaultRoutes === b.disableDefaultRoutes &&
    a.linkLocalAddressBehavior === b.linkLocalAddressBehavior &&
    a.minRouterAdvertisementInterval === b.minRouterAdvertisementInterval &&
    a.maxRouterAdvertisementInterval === b.maxRouterAdvertisementInterval &&
    a.advertisingEnabled === b.advertisingEnabled &&
    a.useAutomaticMetric === b.useAutomaticMetric &&
    a.advertiseDefaultRoute === b.advertiseDefaultRoute &&
    a.pathMtuDiscoveryTimeout === b.pathMtuDiscoveryTimeout &&
    a.linkLocalAddressTimeout === b.linkLocalAddressTimeout &&
    a.sitePrefixLength === b.sitePrefixLength &&
    a.metric === b.metric &&
    a.supportsWakeUpPatterns === b.supportsWakeUpPatterns &&
    a.supportsRouterDiscovery === b.supportsRouterDiscovery &&
    sameNumbers(a.zoneIndices, b.zoneIndices) &&
    sameOffload(a.transmitOffload, b.transmitOffload) &&
    sameOffload(a.receiveOffload, b.receiveOffload)
  );
}
