/**
 * The fake iphlpapi's test controls (the fake_* exports of fake-iphlpapi.c), bound with koffi, and the
 * fixture rows it serves. Runs under jest, in child processes, and under Windows node.exe in Wine.
 */
import koffi from 'koffi';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { offloadFlagsFromByte } from '../../../src/ip-interface-row';

/** Functions whose next call `setNextError` can make fail. */
export const FAKE_FUNCTION = {
  notify: 0, cancel: 1, table: 2, entry: 3, name: 4, addressNotify: 5, addressEntry: 6, addressTable: 7, routeNotify: 8, routeEntry: 9, routeTable: 10, bestRoute: 11,
} as const;
/** Options of `setOption`. */
export const FAKE_OPTION = { waitInitial: 0, nullHandle: 1, sparseRows: 2, entryNotFound: 3, registerDelayMs: 4, deliveryDelayMs: 5, returnDelayMs: 6, holdReturn: 7, threadPerRegistration: 8, ratePerSecond: 9, cancelDelayMs: 10 } as const;
/** Native family numbers. */
export const NATIVE = { unspec: 0, inet: 2, inet6: 23 } as const;
/** Notification types. */
export const MIB = { parameter: 0, add: 1, delete: 2 } as const;

/** Interfaces in the fixture table (each for AF_INET and AF_INET6). */
export const FAKE_INTERFACES = [1, 2, 3] as const;

/** Counters of the fake's delivery thread. */
export interface FakeStats {
  /** Callbacks delivered. */
  readonly callbacks: number;
  /** Total time the delivery thread was blocked in callbacks, ns. */
  readonly totalNs: number;
  /** Longest single callback, ns. */
  readonly maxNs: number;
  /** Registrations ever made. */
  readonly registrations: number;
  /** Most callbacks in flight at once (native threads blocked in a callback at the same time), since the last reset. */
  readonly maxInFlight: number;
  /** Per-registration delivery threads running now. */
  readonly registrationThreads: number;
  /** Most registrations live at once, since the last reset. */
  readonly maxLive: number;
  /** GetIpInterfaceEntry calls. */
  readonly entryCalls: number;
  /** ConvertInterfaceLuidToNameW calls. */
  readonly nameCalls: number;
}

/** The controls. */
export interface FakeControls {
  readonly path: string;
  /** Queues a notification for interface `index` (family 0: both); add creates it, delete removes it. */
  trigger(family: number, type: number, index: number): number;
  /** Sets NlMtu and queues a parameter notification; 0 or 1168. */
  setMtu(family: number, index: number, mtu: number): number;
  /**
   * Adds (type 1), changes (0) or deletes (2) address `host` of interface `index` and queues the
   * notification; lifetimes and DAD state (native number) are set where given. 0, 1168 (no such address) or 8.
   */
  addressChange(family: number, type: number, index: number, host: number, set?: { valid?: number; preferred?: number; dad?: number }): number;
  /** Adds, changes or deletes route `dest` of interface `index` (see fill_route), the metric set where given. 0, 1168 or 8. */
  routeChange(family: number, type: number, index: number, dest: number, metric?: number): number;
  setNextError(fn: number, code: number): void;
  setOption(option: number, value: number): void;
  /** Fixture table, options and errors back to defaults. */
  reset(): void;
  liveRegistrations(): number;
  outstandingTables(): number;
  /** Blocks until a callback is in flight (true) or `timeoutMs` passed (false). Never waits for the callback. */
  waitInFlight(timeoutMs: number): boolean;
  stats(): FakeStats;
  /** The 168 bytes of the fixture row. */
  rowBytes(family: number, index: number): Buffer;
  /** Cancels every registration natively, asynchronously (it waits for callbacks in flight). */
  cancelAll(): Promise<number>;
  /** The raw NotifyIpInterfaceChange / CancelMibChangeNotify2, for the control scenarios that show the deadlocks. */
  readonly raw: {
    readonly callbackType: ReturnType<typeof koffi.pointer>;
    notify(family: number, callback: bigint, initial: boolean): { status: number; handle: bigint | null };
    cancel(handle: bigint): number;
  };
}

/** Binds the controls of the fake at `path` (the same file the adapter loads). */
export function fakeControls(path: string): FakeControls {
  const lib = koffi.load(path);
  const trigger = lib.func('int fake_trigger(uint16_t family, int32_t type, uint32_t index)');
  const setMtu = lib.func('int fake_set_mtu(uint16_t family, uint32_t index, uint32_t mtu)');
  const setNextError = lib.func('void fake_set_next_error(int32_t fn, uint32_t code)');
  const setOption = lib.func('void fake_set_option(int32_t option, int32_t value)');
  const reset = lib.func('void fake_reset(void)');
  const live = lib.func('int fake_live_registrations(void)');
  const tables = lib.func('int fake_outstanding_tables(void)');
  const waitInFlight = lib.func('int fake_wait_in_flight(int32_t timeout_ms)');
  const stat = lib.func('uint64_t fake_stat(int32_t stat)');
  const rowBytes = lib.func('void fake_row_bytes(uint16_t family, uint32_t index, _Out_ uint8_t *out)');
  const cancelAll = lib.func('int fake_cancel_all(void)');
  const addressChange = lib.func('int fake_address_change(uint16_t family, int32_t type, uint32_t index, uint32_t host, int64_t valid, int64_t preferred, int32_t dad)');
  const routeChange = lib.func('int fake_route_change(uint16_t family, int32_t type, uint32_t index, uint32_t dest, int64_t metric)');
  // Named (koffi caches pointer types by name; anonymous ones can collide), defined once per process.
  let proto: ReturnType<typeof koffi.proto>;
  try {
    proto = koffi.type('FAKE_CHANGE_CALLBACK');
  } catch {
    proto = koffi.proto('FAKE_CHANGE_CALLBACK', 'void', ['void *', 'void *', 'int32_t']);
  }
  const callbackType = koffi.pointer(proto);
  const notify = lib.func('NotifyIpInterfaceChange', 'uint32_t', ['uint16_t', callbackType, 'void *', 'uint8_t', koffi.out(koffi.pointer('void *'))]);
  const cancel = lib.func('uint32_t CancelMibChangeNotify2(void *handle)');
  const num = (v: unknown): number => Number(v as number | bigint);
  return {
    path,
    trigger: (family, type, index) => trigger(family, type, index) as number,
    setMtu: (family, index, mtu) => setMtu(family, index, mtu) as number,
    addressChange: (family, type, index, host, set = {}) => addressChange(family, type, index, host, set.valid ?? -1, set.preferred ?? -1, set.dad ?? -1) as number,
    routeChange: (family, type, index, dest, metric) => routeChange(family, type, index, dest, metric ?? -1) as number,
    setNextError: (fn, code) => setNextError(fn, code >>> 0),
    setOption: (option, value) => setOption(option, value),
    reset: () => reset(),
    liveRegistrations: () => live() as number,
    outstandingTables: () => tables() as number,
    waitInFlight: (timeoutMs) => (waitInFlight(timeoutMs) as number) === 1,
    stats: () => ({
      callbacks: num(stat(0)),
      totalNs: num(stat(1)),
      maxNs: num(stat(2)),
      registrations: num(stat(3)),
      maxInFlight: num(stat(4)),
      registrationThreads: num(stat(5)),
      maxLive: num(stat(6)),
      entryCalls: num(stat(7)),
      nameCalls: num(stat(8)),
    }),
    rowBytes: (family, index) => {
      const out = Buffer.alloc(168);
      rowBytes(family, index, out);
      return out;
    },
    cancelAll: () =>
      new Promise((resolve, reject) => cancelAll.async((error: unknown, n: number) => (error ? reject(error) : resolve(n)))),
    raw: {
      callbackType,
      notify: (family, callback, initial) => {
        const handle: (bigint | null)[] = [null];
        const status = notify(family, callback, null, initial ? 1 : 0, handle) as number;
        return { status, handle: handle[0] ?? null };
      },
      cancel: (handle) => cancel(handle) as number,
    },
  };
}

const BEHAVIOR = [0, 1, 2, -1] as const;
const ROUTER: Record<number, IpInterfaceRow['routerDiscoveryBehavior']> = { 0: 'disabled', 1: 'enabled', 2: 'dhcp', [-1]: 'unchanged' };
const LINK_LOCAL: Record<number, IpInterfaceRow['linkLocalAddressBehavior']> = { 0: 'alwaysOff', 1: 'delayed', 2: 'alwaysOn', [-1]: 'unchanged' };

/** LUID of fixture interface `index` (IfType 24 loopback, 6 ethernet, 71 wireless; NetLuidIndex index*4096). */
export function fakeLuid(index: number): bigint {
  const ifType = index === 1 ? 24n : index === 3 ? 71n : 6n;
  return (ifType << 48n) | (BigInt(index * 4096) << 24n);
}

/** The name ConvertInterfaceLuidToNameW of the fake gives. */
export function fakeName(index: number): string {
  const kind = index === 1 ? 'loopback' : index === 3 ? 'wireless' : 'ethernet';
  return `${kind}_${index * 4096}`;
}

/** The row the fake serves for (index, family): the same formulas as fill_row() in fake-iphlpapi.c. */
export function expectedFakeRow(index: number, family: 'inet' | 'inet6', overrides: Partial<IpInterfaceRow> = {}): IpInterfaceRow {
  const v6 = family === 'inet6';
  return {
    family,
    interfaceLuid: fakeLuid(index),
    interfaceIndex: index,
    interfaceName: fakeName(index),
    maxReassemblySize: 65535 - index,
    interfaceIdentifier: 0x02005efffe000000n + BigInt(index),
    minRouterAdvertisementInterval: 200 + index,
    maxRouterAdvertisementInterval: 600 + index,
    advertisingEnabled: (index & 1) === 1,
    forwardingEnabled: ((index >> 1) & 1) === 1,
    weakHostSend: v6,
    weakHostReceive: !v6,
    useAutomaticMetric: true,
    useNeighborUnreachabilityDetection: true,
    managedAddressConfigurationSupported: false,
    otherStatefulConfigurationSupported: true,
    advertiseDefaultRoute: false,
    routerDiscoveryBehavior: ROUTER[BEHAVIOR[index % 4]!],
    dadTransmits: v6 ? index : 0,
    baseReachableTime: 30000 + index,
    retransmitTime: 1000 + index,
    pathMtuDiscoveryTimeout: 600000 + index,
    linkLocalAddressBehavior: LINK_LOCAL[BEHAVIOR[(index + 1) % 4]!],
    linkLocalAddressTimeout: 1800000 + index,
    zoneIndices: Array.from({ length: 16 }, (_, i) => index * 100 + i),
    sitePrefixLength: v6 ? 64 : 0,
    metric: 25 + index,
    nlMtu: index === 1 ? 0xffffffff : 1500,
    connected: index !== 3,
    supportsWakeUpPatterns: index === 2,
    supportsNeighborDiscovery: v6,
    supportsRouterDiscovery: v6,
    reachableTime: 15000 + index,
    transmitOffload: offloadFlagsFromByte(0xa5 ^ index),
    receiveOffload: offloadFlagsFromByte(0x5a ^ index),
    disableDefaultRoutes: index === 3,
    ...overrides,
  };
}

const PREFIX_ORIGINS = ['other', 'manual', 'wellKnown', 'dhcp', 'routerAdvertisement'] as const;
const SUFFIX_ORIGINS = ['other', 'manual', 'wellKnown', 'dhcp', 'linkLayerAddress', 'random'] as const;

/** The address the fake serves for (index, family, host): the formulas of fill_addr() in fake-iphlpapi.c. */
export function expectedFakeAddress(index: number, family: 'inet' | 'inet6', host = 1, overrides: Partial<UnicastIpAddressRow> = {}): UnicastIpAddressRow {
  const v6 = family === 'inet6' ? 1 : 0;
  return {
    family,
    address: v6 ? `fe80::${index.toString(16)}:${host.toString(16)}` : `10.0.${index}.${host}`,
    interfaceLuid: fakeLuid(index),
    interfaceIndex: index,
    prefixOrigin: PREFIX_ORIGINS[(index + host + v6) % 5],
    suffixOrigin: SUFFIX_ORIGINS[(index + host + 2 * v6) % 6],
    validLifetime: index === 1 ? 0xffffffff : 86400 + index * 10 + host,
    preferredLifetime: index === 1 ? 0xffffffff : 14400 + index * 10 + host,
    onLinkPrefixLength: v6 ? 64 : 24,
    skipAsSource: host === 3,
    dadState: 'preferred',
    scopeId: v6 ? index : 0,
    creationTimeStamp: 0x01da000000000000n + BigInt(index * 1000 + host),
    interfaceName: fakeName(index),
    ...overrides,
  };
}

/** The fixture addresses: host 1 of interfaces 1-3, both families. */
export const FAKE_ADDRESSES = FAKE_INTERFACES.flatMap((index) => (['inet', 'inet6'] as const).map((family) => ({ index, family, host: 1 })));

/** The route the fake serves for (index, family, dest): the formulas of fill_route() in fake-iphlpapi.c. */
export function expectedFakeRoute(index: number, family: 'inet' | 'inet6', dest: number, overrides: Partial<IpForwardRow> = {}): IpForwardRow {
  const v6 = family === 'inet6';
  const prefix = v6
    ? dest === 0 ? { prefix: 'fe80::', prefixLength: 64 } : dest === 1 ? { prefix: '::', prefixLength: 0 } : { prefix: `2001:db8:${dest.toString(16)}::`, prefixLength: 48 }
    : dest === 0 ? { prefix: `10.0.${index}.0`, prefixLength: 24 } : dest === 1 ? { prefix: '0.0.0.0', prefixLength: 0 } : { prefix: `10.${dest}.0.0`, prefixLength: 16 };
  return {
    family,
    destinationPrefix: prefix,
    nextHop: dest === 0 ? (v6 ? '::' : '0.0.0.0') : v6 ? fakeGateway6(index) : `10.0.${index}.254`,
    interfaceLuid: fakeLuid(index),
    interfaceIndex: index,
    interfaceName: fakeName(index),
    sitePrefixLength: 0,
    validLifetime: 0xffffffff,
    preferredLifetime: 0xffffffff,
    metric: dest === 0 ? 256 : dest === 1 ? 0 : 10 * dest,
    protocol: dest === 0 ? 'local' : 'netmgmt',
    loopback: index === 1,
    autoconfigureAddress: false,
    publish: false,
    immortal: dest !== 1,
    age: 100 * index + dest,
    origin: dest === 0 ? 'wellKnown' : 'manual',
    ...overrides,
  };
}

/** fe80::index:fe as fill_route writes it (byte 13 = index, byte 15 = 0xfe: groups 6 and 7). */
function fakeGateway6(index: number): string {
  return `fe80::${index.toString(16)}:fe`;
}

/** The fixture routes: the connected route of interfaces 1-3 and a default route on 2, both families. */
export const FAKE_ROUTES = [
  ...FAKE_INTERFACES.flatMap((index) => (['inet', 'inet6'] as const).map((family) => ({ index, family, dest: 0 }))),
  ...(['inet', 'inet6'] as const).map((family) => ({ index: 2, family, dest: 1 })),
];
