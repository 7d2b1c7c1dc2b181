/**
 * The reader's route table (contract rules R1-R4 on Linux): RTM_NEWROUTE / RTM_DELROUTE applied as
 * they arrive, and the removals the kernel makes without a message found by re-dumping. It is
 * attached to a reader only while a route registration is live there, for the families registered
 * (each family's multicast group is joined only then), so interface-only subscribers pay nothing.
 *
 * Silent removals (kernel-addresses-routes.md): the kernel sends no RTM_DELROUTE for IPv4 routes
 * that go with their device's link (down), its last address or the address that was their
 * preferred source, or the device itself; an IPv4 multipath hop through a device that went down
 * is marked dead (RTNH_F_DEAD) and comes back alive, both silently. So a device's IPv4 routes (and
 * IPv6, which costs one small request and also covers dead IPv6 hops) are dumped again when
 * RTM_NEWLINK shows its IFF_UP or carrier changed or an IPv4 RTM_DELADDR names it, and the dump
 * replaces what the table holds for that device. The notification comes before the kernel flushes
 * the routes (dev_close sends RTM_NEWLINK, then the NETDEV_DOWN notifiers flush; inet_del_ifa sends
 * RTM_DELADDR first), and route dumps do not wait for the RTNL lock: a dump that still shows a live
 * IPv4 hop through a device that is down, or a route whose preferred source was just deleted, is
 * made again a moment later (`retries` counts them). A deleted device's rows go without a request
 * (it cannot be dumped any more), unless it had multipath hops: then the family is dumped whole.
 *
 * Route messages are not among the interface parser's kinds: they are parsed here from the raw
 * datagram in {@link RouteReaderTable.preview} (one notification per datagram), and delivered at once.
 *
 * @module
 */
import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { MibNotificationType, RouteChangeCallback } from '../../src/adapter.js';
import { ipAddressText } from '../../src/ip-address-text.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import { routeKey } from '../../src/route-key.js';
import { rethrowLater } from '../shared/safe-callback.js';
import { IFF_UP, LINUX_AF_INET, LINUX_AF_INET6, LINUX_AF_UNSPEC, NLM_F_REPLACE, RTM_DELROUTE, RTM_GETLINK, RTM_NEWROUTE, RTNH_F_DEAD } from './netlink-constants.js';
import { NetlinkParseError, type LinkMessage, type NetlinkMessage } from './netlink-parser.js';
import { LITTLE_ENDIAN } from './netlink-walk.js';
import type { NetlinkRequester } from './netlink-requester.js';
import { ifinfomsgWithExtMask } from './netlink-requests.js';
import type { FinishOptions, ReaderTable } from './reader-table.js';
import { parseRouteMessages, type RouteMessage } from './route-parser.js';
import { ARPHRD_LOOPBACK, dumpDeviceRoutes, dumpRoutes, IFF_LOWER_UP, lookupRoute, type RouteRequestCounters } from './route-requests.js';
import { isForwardingRoute, mapRouteRows, routeIdentityOf, type RouteDevice } from './route-row-mapping.js';
import { RouteTable, type RouteTableChange } from './route-table.js';
import { synthesizeLuid } from './row-mapping.js';

/** A route family as rows carry it. */
export type RouteFamily = 'inet' | 'inet6';
/** Which routing tables a registration sees: the main table (254), or every table. */
export type RouteTables = 'main' | 'all';

/** The reader's counters the route table adds to (a ReaderStats has them all). */
export interface RouteTableCounters extends RouteRequestCounters {
  parseErrors: number;
  rowsEmitted: number;
  callbacks: number;
}

const LINUX_FAMILY: Record<RouteFamily, number> = { inet: LINUX_AF_INET, inet6: LINUX_AF_INET6 };
const MAIN_TABLE = 254;
/** A device dump that still shows what the kernel is about to flush is made again after this long... */
const RETRY_MS = 5;
/** ...at most this many times (the flush of a device's routes took well under 1 ms here). */
const MAX_RETRIES = 20;

/** The route dumps the table makes (route-requests.ts on the reader's dump socket; a fake in unit tests). */
export interface RouteDumps {
  /** One device's routes of a Linux family; undefined when the device is gone (ENODEV). */
  device(family: number, ifindex: number): RouteMessage[] | undefined;
  /** Every route of a Linux family. */
  all(family: number): RouteMessage[];
}

interface Device extends RouteDevice {
  readonly flags: number;
}

interface Subscriber {
  readonly family: AddressFamily;
  readonly tables: RouteTables;
  readonly callback: RouteChangeCallback;
  live: boolean;
}

/** One route message's rows (undefined: a device the table does not know yet). */
type MappedRoute = { readonly message: RouteMessage; rows: IpForwardRow[] | undefined };

/**
 * The reader's route table.
 *
 * @example
 * ```ts
 * const routes = new RouteReaderTable(requester, stats, wake);
 * routes.enable('inet');
 * const unsubscribe = routes.subscribe('inet', 'main', callback);
 * ```
 */
export class RouteReaderTable implements ReaderTable {
  private readonly table = new RouteTable();
  private readonly devices = new Map<number, Device>();
  private readonly families = new Set<RouteFamily>();
  private readonly subscribers = new Set<Subscriber>();
  /** Preferred source and device per IPv4 row key (the kernel removes routes whose source address goes). */
  private readonly sources = new Map<string, { readonly source: string; readonly ifindex: number }>();
  /** Rows that came from multipath routes: key -> device. */
  private readonly multipathKeys = new Map<string, number>();
  private readonly queue: RouteTableChange[] = [];
  private delivering = false;
  // Per-batch state.
  private readonly redump = new Set<number>();
  private readonly deleted = new Set<number>();
  private readonly deletedSources = new Set<string>();
  private readonly fullReload = new Set<RouteFamily>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retries = 0;
  /** Device route dumps made because of a link or address event (the silent removals). */
  deviceDumps = 0;
  /** Device dumps made again because the kernel had not flushed yet. */
  dumpRetries = 0;

  private readonly dumps: RouteDumps;

  constructor(
    private readonly requester: Pick<NetlinkRequester, 'socket' | 'dump' | 'getLink'>,
    private readonly counters: RouteTableCounters,
    /** Runs the reader's quiet completion (a retry of a device dump). */
    private readonly wake: () => void,
    dumps?: RouteDumps,
  ) {
    this.dumps = dumps ?? {
      device: (family, ifindex) => dumpDeviceRoutes(requester.socket, counters, family, ifindex),
      all: (family) => dumpRoutes(requester.socket, counters, family),
    };
  }

  /** Rows held. */
  get size(): number {
    return this.table.size;
  }

  /** Live subscribers. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The families whose routes are held (their groups are joined by the reader). */
  get activeFamilies(): ReadonlySet<RouteFamily> {
    return this.families;
  }

  /** The rows of `family` (`unspec`: both) in the tables asked for. */
  rows(family: AddressFamily, tables: RouteTables): IpForwardRow[] {
    return this.table.rows().filter((row) => familyMatches(family, row.family) && inTables(row, tables));
  }

  /** Starts holding `family`'s routes (the reader has joined its group): links if needed, then a dump, loaded silently. */
  enable(family: RouteFamily): void {
    if (this.families.has(family)) return;
    if (this.devices.size === 0) this.loadDevices();
    const mapped = this.mapAll(this.dumps.all(LINUX_FAMILY[family]));
    this.families.add(family);
    this.table.reconcile(mapped, { family });
  }

  /** Stops holding `family`'s routes (the reader leaves its group). */
  disable(family: RouteFamily): void {
    if (!this.families.delete(family)) return;
    this.table.reconcile([], { family });
    for (const key of [...this.sources.keys()]) if (key.startsWith(`${family}|`)) this.sources.delete(key);
    for (const key of [...this.multipathKeys.keys()]) if (key.startsWith(`${family}|`)) this.multipathKeys.delete(key);
  }

  /** Adds a subscriber; the returned function removes it (idempotent). */
  subscribe(family: AddressFamily, tables: RouteTables, callback: RouteChangeCallback): () => void {
    const subscriber: Subscriber = { family, tables, callback, live: true };
    this.subscribers.add(subscriber);
    return () => {
      subscriber.live = false;
      this.subscribers.delete(subscriber);
    };
  }

  /** Stops the retry timer and drops subscribers (the reader closes or detaches the table). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const s of this.subscribers) s.live = false;
    this.subscribers.clear();
    this.queue.length = 0;
  }

  /** Route notifications are parsed from the raw datagram here and applied at once. */
  preview(datagram: Buffer, length: number): number {
    if (!hasRouteMessage(datagram, length)) return -1;
    let messages: RouteMessage[];
    try {
      messages = parseRouteMessages(datagram, length);
    } catch (error) {
      if (!(error instanceof NetlinkParseError)) throw error;
      // The loop's parse of the same datagram may pass (its parser skips route bodies): heal here.
      this.counters.parseErrors++;
      for (const family of this.families) this.fullReload.add(family);
      return -1;
    }
    for (const m of messages) this.applyRoute(m);
    return -1;
  }

  /** Link and address events that remove IPv4 routes silently, and the device names rows carry. */
  apply(m: NetlinkMessage): void {
    if (m.kind === 'link' && m.family === LINUX_AF_UNSPEC) {
      if (m.deleted) {
        this.deleted.add(m.ifindex);
        return;
      }
      const known = this.devices.get(m.ifindex);
      this.storeDevice(m);
      // A rename changes every row's interfaceName: the dump turns them into `parameter` changes.
      if (known !== undefined && (((known.flags ^ m.ifiFlags) & (IFF_UP | IFF_LOWER_UP)) !== 0 || (m.name !== undefined && m.name !== known.interfaceName))) {
        this.redump.add(m.ifindex);
      }
    } else if (m.kind === 'address' && m.deleted && m.family === LINUX_AF_INET && this.families.has('inet')) {
      this.redump.add(m.ifindex);
      const text = m.address ? ipAddressText(m.address) : undefined;
      if (text !== undefined) this.deletedSources.add(text);
    }
  }

  get batchPending(): boolean {
    return this.redump.size > 0 || this.deleted.size > 0 || this.fullReload.size > 0 || this.deletedSources.size > 0;
  }

  get hasCostlyCompletion(): boolean {
    return false;
  }

  get hasUnansweredRemoval(): boolean {
    return false;
  }

  /** Dumps what the batch's link and address events may have removed silently, and delivers the differences. */
  finishBatch(_resolver: unknown, _options: FinishOptions): void {
    const changes: RouteTableChange[] = [];
    let again = false;
    // Routes whose preferred source was deleted may be on any device: the family is dumped whole.
    if (this.deletedSources.size > 0) for (const { source, ifindex } of this.sources.values()) {
      if (this.deletedSources.has(source) && !this.redump.has(ifindex)) {
        this.fullReload.add('inet');
        break;
      }
    }
    for (const ifindex of this.deleted) {
      const hadMultipath = [...this.multipathKeys.values()].includes(ifindex);
      for (const family of this.families) {
        if (hadMultipath) this.fullReload.add(family);
        else changes.push(...this.table.reconcile([], { family, interfaceIndex: ifindex }));
      }
      this.redump.delete(ifindex);
      this.devices.delete(ifindex);
    }
    for (const family of this.fullReload) {
      if (!this.families.has(family)) continue;
      changes.push(...this.reconcileFamily(family));
    }
    for (const ifindex of this.redump) {
      for (const family of this.families) {
        if (this.fullReload.has(family)) continue;
        const routes = this.dumps.device(LINUX_FAMILY[family], ifindex);
        this.deviceDumps++;
        if (routes === undefined) {
          changes.push(...this.table.reconcile([], { family, interfaceIndex: ifindex }));
          continue;
        }
        if (family === 'inet' && this.notFlushedYet(routes, ifindex)) again = true;
        changes.push(...this.table.reconcile(this.mapAll(routes), { family, interfaceIndex: ifindex }));
      }
    }
    const keep = again && this.retries < MAX_RETRIES ? new Set(this.redump) : undefined;
    const keepSources = keep ? new Set(this.deletedSources) : undefined;
    this.clearBatch();
    this.deliver(changes);
    if (keep) {
      for (const i of keep) this.redump.add(i);
      for (const s of keepSources!) this.deletedSources.add(s);
      this.scheduleRetry();
    } else this.retries = 0;
  }

  /** Everything again (ENOBUFS, a datagram that did not parse, `resync()`): links, then each active family. */
  reload(_requester: NetlinkRequester, announce: boolean): void {
    this.loadDevices();
    const changes: RouteTableChange[] = [];
    for (const family of this.families) changes.push(...this.reconcileFamily(family));
    this.clearBatch();
    if (announce) this.deliver(changes);
  }

  private reconcileFamily(family: RouteFamily): RouteTableChange[] {
    const mapped = this.mapAll(this.dumps.all(LINUX_FAMILY[family]));
    return this.table.reconcile(mapped, { family });
  }

  /**
   * True when a device dump shows what the kernel is about to flush: a live IPv4 hop through a
   * device that is down, or a route whose preferred source was just deleted.
   */
  private notFlushedYet(routes: readonly RouteMessage[], ifindex: number): boolean {
    const down = ((this.devices.get(ifindex)?.flags ?? IFF_UP) & IFF_UP) === 0;
    for (const m of routes) {
      if (!isForwardingRoute(m)) continue;
      if (down && m.nextHops.some((hop) => hop.ifindex === ifindex && (hop.flags & RTNH_F_DEAD) === 0)) return true;
      const source = m.preferredSource ? ipAddressText(m.preferredSource) : undefined;
      if (source !== undefined && this.deletedSources.has(source)) return true;
    }
    return false;
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retries++;
    this.dumpRetries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private clearBatch(): void {
    this.redump.clear();
    this.deleted.clear();
    this.deletedSources.clear();
    this.fullReload.clear();
  }

  private applyRoute(m: RouteMessage): void {
    const identity = routeIdentityOf(m);
    if (identity === undefined) return;
    const family = identity.family;
    if (!this.families.has(family)) return;
    if (m.type !== RTM_NEWROUTE && m.type !== RTM_DELROUTE) return;
    const deleted = m.type === RTM_DELROUTE;
    let rows = mapRouteRows(m, this.lookup, { includeDeadHops: deleted });
    if (rows === undefined) {
      // A device not known yet (its RTM_NEWLINK is behind this message): read it, once.
      for (const hop of m.nextHops) if (hop.ifindex !== undefined && !this.devices.has(hop.ifindex)) this.fetchDevice(hop.ifindex);
      rows = mapRouteRows(m, this.lookup, { includeDeadHops: deleted });
      if (rows === undefined) {
        this.fullReload.add(family);
        return;
      }
    }
    const result = this.table.apply({ deleted, replace: (m.flags & NLM_F_REPLACE) !== 0, family, rows, route: identity });
    this.track(m, rows, deleted);
    if (result.resync) {
      this.fullReload.add(family);
      return;
    }
    this.deliver(result.changes);
  }

  private track(m: RouteMessage, rows: readonly IpForwardRow[], deleted: boolean): void {
    const source = m.preferredSource ? ipAddressText(m.preferredSource) : undefined;
    for (const row of rows) {
      const key = routeKey(row);
      if (deleted) {
        this.sources.delete(key);
        this.multipathKeys.delete(key);
        continue;
      }
      if (row.family === 'inet' && source !== undefined) this.sources.set(key, { source, ifindex: row.interfaceIndex });
      if (m.multipath) this.multipathKeys.set(key, row.interfaceIndex);
    }
  }

  private mapAll(routes: readonly RouteMessage[]): IpForwardRow[][] {
    const out: IpForwardRow[][] = [];
    const pending: MappedRoute[] = [];
    for (const message of routes) {
      if (!isForwardingRoute(message)) continue;
      const rows = mapRouteRows(message, this.lookup);
      pending.push({ message, rows });
    }
    if (pending.some((p) => p.rows === undefined)) {
      this.loadDevices();
      for (const p of pending) if (p.rows === undefined) p.rows = mapRouteRows(p.message, this.lookup);
    }
    for (const p of pending) {
      if (p.rows === undefined || p.rows.length === 0) continue;
      this.track(p.message, p.rows, false);
      out.push(p.rows);
    }
    return out;
  }

  /** The device of `ifindex` as rows carry it, when the table knows it. */
  readonly lookup = (ifindex: number): RouteDevice | undefined => this.devices.get(ifindex);

  private storeDevice(m: Pick<LinkMessage, 'ifindex' | 'ifiType' | 'ifiFlags' | 'name'>): void {
    const known = this.devices.get(m.ifindex);
    this.devices.set(m.ifindex, {
      interfaceLuid: synthesizeLuid(m.ifiType, m.ifindex),
      interfaceName: m.name ?? known?.interfaceName,
      loopback: m.ifiType === ARPHRD_LOOPBACK,
      flags: m.ifiFlags,
    });
  }

  private loadDevices(): void {
    const { messages } = this.requester.dump(RTM_GETLINK, ifinfomsgWithExtMask(0));
    const seen = new Set<number>();
    for (const m of messages) {
      if (m.kind !== 'link' || m.family !== LINUX_AF_UNSPEC) continue;
      seen.add(m.ifindex);
      this.storeDevice(m);
    }
    for (const ifindex of [...this.devices.keys()]) if (!seen.has(ifindex)) this.devices.delete(ifindex);
  }

  private fetchDevice(ifindex: number): void {
    const link = this.requester.getLink(ifindex);
    if (link) this.storeDevice(link);
  }

  /** Fans changes out in order, never re-entrantly (a callback's own effects wait in the queue). */
  private deliver(changes: readonly RouteTableChange[]): void {
    if (changes.length === 0) return;
    if (this.delivering) {
      for (const c of changes) this.queue.push(c);
      return;
    }
    this.delivering = true;
    try {
      for (const c of changes) this.emit(c);
      for (let c = this.queue.shift(); c; c = this.queue.shift()) this.emit(c);
    } finally {
      this.delivering = false;
    }
  }

  private emit(change: RouteTableChange): void {
    this.counters.rowsEmitted++;
    const { row, type } = change;
    const subscribers = this.subscribers.size === 1 ? this.subscribers : [...this.subscribers];
    for (const s of subscribers) {
      if (!s.live || !familyMatches(s.family, row.family) || !inTables(row, s.tables)) continue;
      this.counters.callbacks++;
      try {
        s.callback(row, type satisfies Exclude<MibNotificationType, 'initial'>);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }
}

const inTables = (row: IpForwardRow, tables: RouteTables): boolean => tables === 'all' || row.table === MAIN_TABLE;

/** True when some message of the datagram is an RTM_NEWROUTE / RTM_DELROUTE (header walk only). */
function hasRouteMessage(datagram: Buffer, length: number): boolean {
  for (let offset = 0; offset + 16 <= length; ) {
    const len = LITTLE_ENDIAN ? datagram.readUInt32LE(offset) : datagram.readUInt32BE(offset);
    const type = LITTLE_ENDIAN ? datagram.readUInt16LE(offset + 4) : datagram.readUInt16BE(offset + 4);
    if (type === RTM_NEWROUTE || type === RTM_DELROUTE) return true;
    if (len < 16) return false;
    offset += (len + 3) & ~3;
  }
  return false;
}


/**
 * Zeroed counters for a table read once.
 *
 * @example
 * ```ts
 * const counters = zeroRouteCounters();
 * ```
 */
export function zeroRouteCounters(): RouteTableCounters {
  return { dumps: 0, droppedForeign: 0, requestMs: 0, parseErrors: 0, rowsEmitted: 0, callbacks: 0 };
}

/**
 * The routes of `family` (`unspec`: both) in `tables`, from a fresh link and route dump (a table
 * filled once, delivering nothing).
 *
 * @example
 * ```ts
 * const rows = readRouteRows(requester, zeroRouteCounters(), 'inet', 'main');
 * ```
 */
export function readRouteRows(requester: NetlinkRequester, counters: RouteTableCounters, family: AddressFamily, tables: RouteTables): IpForwardRow[] {
  const table = new RouteReaderTable(requester, counters, () => undefined);
  for (const f of ['inet', 'inet6'] as const) if (familyMatches(family, f)) table.enable(f);
  return table.rows(family, tables);
}

/**
 * The route the kernel would use for `destination` (getBestRoute2), as one row: the FIB entry of
 * `ip route get fibmatch`, the hop the kernel chose when it is multipath. Null when unreachable or
 * when the entry is not a unicast route (a local address answers the local table's `local` entry).
 *
 * @example
 * ```ts
 * const row = bestRouteRow(requester, counters, 'inet', addressBytes('inet', '192.0.2.1')!, (i) => undefined);
 * ```
 */
export function bestRouteRow(
  requester: NetlinkRequester,
  counters: RouteTableCounters,
  family: RouteFamily,
  destination: Uint8Array,
  known: (ifindex: number) => RouteDevice | undefined,
): IpForwardRow | null {
  const answer = lookupRoute(requester.socket, counters, LINUX_FAMILY[family], destination);
  if (answer === undefined || !isForwardingRoute(answer.match)) return null;
  const lookup = (ifindex: number): RouteDevice | undefined => {
    const device = known(ifindex);
    if (device) return device;
    const link = requester.getLink(ifindex);
    return link ? { interfaceLuid: synthesizeLuid(link.ifiType, ifindex), interfaceName: link.name, loopback: link.ifiType === ARPHRD_LOOPBACK } : undefined;
  };
  const rows = mapRouteRows(answer.match, lookup);
  if (rows === undefined || rows.length === 0) return null;
  const hop = answer.chosen?.nextHops[0];
  if (rows.length > 1 && hop !== undefined) {
    const gateway = hop.gateway ?? hop.via?.address;
    const nextHop = gateway === undefined ? (family === 'inet' ? '0.0.0.0' : '::') : ipAddressText(gateway);
    return rows.find((row) => row.interfaceIndex === hop.ifindex && row.nextHop === nextHop) ?? rows[0]!;
  }
  return rows[0]!;
}
