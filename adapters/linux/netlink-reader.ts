/**
 * The read loop: one event socket per network namespace, watched by a libuv poll handle on the Node
 * event loop (no thread, no cross-thread hop). Each wake-up drains the socket, checks each
 * datagram's sender, parses it, and dispatches the messages to the reader's tables; lost messages
 * (ENOBUFS, truncation, a datagram that does not parse) and failures heal by a full re-read.
 *
 * Its rooms: the registry that shares readers (reader-registry.ts), the batch timer that decides
 * when a batch completes (batch-timer.ts), the subscribers and fan-out (subscriber-set.ts), the
 * sockets (route-socket.ts, netlink-requester.ts), and the tables (reader-table.ts).
 *
 * @module
 */
import type { AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceChangeCallback, UnicastIpAddressChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { asOsError } from '../shared/os-error.js';
import { AddressReaderTable } from './address-reader-table.js';
import { AddressSubscriberSet } from './address-subscriber-set.js';
import { rethrowLater } from '../shared/safe-callback.js';
import { registrationEnded } from '../shared/registration-ended.js';
import { BatchTimer } from './batch-timer.js';
import { InterfaceTable } from './interface-table.js';
import { loadLibc, osError, type Libc, type PollHandle } from './libc.js';
import {
  EAGAIN, EINTR, ENOBUFS, ENOENT, ESTALE, MSG_DONTWAIT, MSG_TRUNC, RTMGRP_IPV6_IFADDR, RTMGRP_IPV6_IFINFO, RTMGRP_LINK, RTNLGRP_IPV4_NETCONF,
  RTNLGRP_IPV6_NETCONF,
} from './netlink-constants.js';
import { NetlinkParseError, parseNetlinkMessages } from './netlink-parser.js';
import { watchNamespaceFile } from './namespace-watch.js';
import { NetlinkRequester } from './netlink-requester.js';
import type { ReaderTable } from './reader-table.js';
import { forgetReader, namespaceKey, type RegisteredReader } from './reader-registry.js';
import { RouteSocket, type ReceiveBufferOption } from './route-socket.js';
import { SubscriberSet } from './subscriber-set.js';
import { DISCARD } from './table-change.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import type { RouteChangeCallback } from '../../src/adapter.js';
import { bestRouteRow, readRouteRows, RouteReaderTable, type RouteFamily, type RouteTables } from './route-reader-table.js';
import { NETLINK_DROP_MEMBERSHIP, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE } from './route-requests.js';
import { NETLINK_ADD_MEMBERSHIP, SOL_NETLINK } from './netlink-constants.js';
import { u32 } from './netlink-requests.js';

/**
 * Diagnostics of one reader (see `LinuxIpInterfaceAdapter.stats`).
 *
 * @example
 * ```ts
 * import { linuxAdapter, type ReaderStats } from 'rxjs-ip-interface/adapters/linux';
 *
 * const lossRate = (s: ReaderStats): number => (s.messages === 0 ? 0 : s.overruns / s.messages);
 * console.log(lossRate(linuxAdapter().stats()));
 * ```
 */
export interface ReaderStats {
  /** Netlink messages received on the event socket and applied. */
  messages: number;
  /** Notifications produced (added/changed/removed), before fan-out to registrations. */
  rowsEmitted: number;
  /** Callback invocations (notifications times matching registrations). */
  callbacks: number;
  /** Full re-reads (dump + diff) after lost messages or an explicit `resync()`. */
  resyncs: number;
  /** ENOBUFS (or truncation) seen on the event socket: messages the kernel could not queue. */
  overruns: number;
  /** Messages dropped because their sender was not the kernel (port id != 0). */
  droppedForeign: number;
  /** Datagrams that did not parse (each also forces a resync). */
  parseErrors: number;
  /** Times the event loop woke the reader. */
  wakeups: number;
  /** Requests sent on the dump socket (dumps and single gets). */
  dumps: number;
  /** Socket or dump failures healed by a later re-read. */
  errors: number;
  /** RTM_GETNEIGHTBL dumps made to complete rows (each O(devices)). */
  neighDumps: number;
  /** Single-index RTM_GETLINK requests (completing adds, confirming lone removals). */
  linkGets: number;
  /** Wall time spent in dump-socket requests, in ms. */
  requestMs: number;
  /** Lifetime-only address updates (router-advertisement refreshes), delivered marked `lifetimeOnly` (rule A3). */
  addressLifetimeOnly: number;
  /** Per-device RTM_GETADDR dumps made because a carrier came up. */
  addressDeviceDumps: number;
}

/**
 * Fresh zeroed statistics.
 *
 * @example
 * ```ts
 * const stats = zeroReaderStats();
 * ```
 */
export function zeroReaderStats(): ReaderStats {
  return {
    messages: 0, rowsEmitted: 0, callbacks: 0, resyncs: 0, overruns: 0, droppedForeign: 0, parseErrors: 0, wakeups: 0, dumps: 0, errors: 0,
    neighDumps: 0, linkGets: 0, requestMs: 0,
    addressLifetimeOnly: 0, addressDeviceDumps: 0,
  };
}

const EVENT_GROUPS = RTMGRP_LINK | RTMGRP_IPV6_IFINFO | RTMGRP_IPV6_IFADDR;
const EVENT_EXTRA_GROUPS = [RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF] as const;
const DUMP_TIMEOUT_MS = 5000;
/** Messages handled per wake-up before yielding to the event loop (the poll fires again at once). */
const MAX_DATAGRAMS_PER_WAKEUP = 4096;
const RETRY_MS = 1000;

let eventBuffer: Buffer | undefined;
/**
 * One receive buffer per module copy (see adapters/shared/process-state.ts): a wake-up reads and parses
 * synchronously into fresh objects, so readers of different namespaces never use it at the same time.
 */
function sharedEventBuffer(): Buffer {
  return (eventBuffer ??= Buffer.alloc(64 * 1024));
}

/**
 * Opens a dump socket (bound, with a receive timeout) and runs `use` with a requester on it.
 *
 * @example
 * ```ts
 * const rows = await withDumpSocket(undefined, (requester) => readInterfaceRows(requester));
 * ```
 */
export async function withDumpSocket<T>(netnsPath: string | undefined, use: (requester: NetlinkRequester) => T): Promise<T> {
  const libc = await loadLibc();
  const [socket] = await RouteSocket.open(libc, 1, netnsPath);
  try {
    socket!.bind(0);
    socket!.setReceiveTimeout(DUMP_TIMEOUT_MS);
    return use(new NetlinkRequester(socket!, zeroReaderStats()));
  } finally {
    socket!.close();
  }
}

/**
 * The rows of a fresh dump (a table filled once, delivering nothing).
 *
 * @example
 * ```ts
 * const rows = readInterfaceRows(requester);
 * ```
 */
export function readInterfaceRows(requester: NetlinkRequester): IpInterfaceRow[] {
  const table = new InterfaceTable(DISCARD);
  table.reload(requester, false);
  return table.currentRows();
}

/**
 * One rtnetlink event reader, its subscribers and its tables.
 *
 * @example
 * ```ts
 * const reader = await acquireReader(key, () => NetlinkReader.open(key, undefined, 8 << 20));
 * const unsubscribe = reader.subscribe('unspec', callback);
 * // ...
 * unsubscribe();
 * releaseReader(reader);
 * ```
 */
export class NetlinkReader implements RegisteredReader {
  readonly stats: ReaderStats = zeroReaderStats();
  /** Which option set the receive buffer. */
  readonly receiveBufferOption: ReceiveBufferOption;
  /** The event socket's netlink port id (nl_pid). */
  readonly portId: number;
  /** The last socket or dump failure the reader healed from (see `stats.errors`). */
  lastError: IpInterfaceError | undefined;
  private readonly subscribers = new SubscriberSet(this.stats);
  private readonly interfaces = new InterfaceTable(this.subscribers);
  private readonly requester: NetlinkRequester;
  private readonly addressSubscribers = new AddressSubscriberSet(this.stats);
  /** Idle (one branch per message) until an address registration or read activates it. */
  private readonly addresses: AddressReaderTable;
  /** Every table the loop dispatches to (interfaces, addresses; routes plug in here). */
  private readonly tables: readonly ReaderTable[];
  private readonly hints: number[];
  private readonly timer: BatchTimer;
  private readonly libc: Libc;
  private readonly fd: number;
  private readonly buf = sharedEventBuffer();
  // sockaddr_nl and its length as 32-bit words: read and written per datagram without Buffer's
  // checked accessors; the byte views are what recvfrom fills.
  private readonly from32 = new Uint32Array(3);
  private readonly fromLen32 = new Uint32Array(1);
  private readonly from = new Uint8Array(this.from32.buffer);
  private readonly fromLen = new Uint8Array(this.fromLen32.buffer);
  private poll: PollHandle | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Stops the watch of the namespace file (see {@link watchNamespace}). */
  private unwatch: (() => void) | undefined;
  /** True once the namespace file no longer names this reader's namespace. */
  private gone = false;
  /** The route table, in `tables` while route registrations are live (see {@link subscribeRoutes}). */
  private routes: RouteReaderTable | undefined;
  /** Route registrations per family: a family's groups are joined while its count is above 0. */
  private readonly routeFamilyRefs = new Map<RouteFamily, number>();
  /** Namespace-loss hooks of address and route registrations (see onNamespaceLost). */
  private readonly lostHooks = new Set<(error: IpInterfaceError) => void>();
  /** Joins of each dynamically joined multicast group (see setMembership). */
  private readonly groupRefs = new Map<number, number>();

  private constructor(
    readonly key: string,
    private readonly events: RouteSocket,
    private readonly dumps: RouteSocket,
    receiveBufferBytes: number,
  ) {
    this.libc = events.libc;
    this.fd = events.fd;
    this.requester = new NetlinkRequester(dumps, this.stats);
    this.addresses = new AddressReaderTable(this.addressSubscribers, (ifindex) => this.interfaces.link(ifindex), this.requester, this.stats);
    this.tables = [this.interfaces, this.addresses];
    this.hints = this.tables.map(() => -1);
    this.timer = NetlinkReader.quietHandler(this);
    try {
      this.receiveBufferOption = events.setReceiveBuffer(receiveBufferBytes);
      this.portId = events.bind(EVENT_GROUPS, EVENT_EXTRA_GROUPS);
      dumps.bind(0);
      dumps.setReceiveTimeout(DUMP_TIMEOUT_MS);
      // Bound first, then dumped: anything that changes after the dump is already queued as an event.
      this.reload(false);
      this.poll = this.libc.poll(this.fd, NetlinkReader.readableHandler(this));
    } catch (error) {
      this.closeSockets();
      throw error;
    }
  }

  /**
   * Callbacks made outside the constructor: an arrow made in the constructor kept every closed
   * reader (and its table) alive through V8's young-generation GCs until the next full GC, which
   * grew the young generation by 30+ MiB over a few thousand subscribe/unsubscribe cycles (the churn
   * benchmark).
   */
  private static readableHandler(reader: NetlinkReader): () => void {
    return () => reader.guarded(false);
  }

  private static quietHandler(reader: NetlinkReader): BatchTimer {
    return new BatchTimer(() => reader.guarded(true));
  }

  /** Opens a reader (sockets, bind, groups, first dump, poll handle). */
  static async open(key: string, netnsPath: string | undefined, receiveBufferBytes: number): Promise<NetlinkReader> {
    const libc = await loadLibc();
    const [events, dumps] = await RouteSocket.open(libc, 2, netnsPath);
    // The key came from a stat on the main thread, the sockets from the worker's open of the same
    // path later: if the path named another namespace by then (deleted and re-created, a link
    // moved), a reader under this key would watch the wrong namespace for everyone who asks for it.
    if (netnsPath !== undefined && `ns:${events!.namespaceIdentity}` !== key) {
      events!.close();
      dumps!.close();
      throw new IpInterfaceError('OS_ERROR', `${netnsPath} named another network namespace when it was opened than when it was looked up (deleted and re-created, or a link moved, meanwhile)`, {
        adapter: 'linux',
        osCode: ESTALE,
      });
    }
    const reader = new NetlinkReader(key, events!, dumps!, receiveBufferBytes);
    if (netnsPath !== undefined) reader.watchNamespace(netnsPath);
    return reader;
  }

  /**
   * Watches the directory of the namespace file (inotify through fs.watch: no timer, no CPU while
   * nothing changes). `ip netns del` unmounts and unlinks the file; our sockets would keep the now
   * anonymous namespace and its devices alive, watched by nobody's name. When the path no longer
   * names this namespace (gone, or re-created: another dev:ino), the reader ends (see
   * {@link namespaceGone}). A directory that cannot be watched (/proc/PID/ns) is not watched: such a
   * namespace lives as long as anything holds it, and the process's exit is not its deletion.
   */
  private watchNamespace(path: string): void {
    // One watcher per directory for the whole process (namespace-watch.ts: a watcher per reader grew churn RSS).
    this.unwatch = watchNamespaceFile(path, NetlinkReader.namespaceHandler(this, path));
    // Deleted between the open and the watch: nothing would fire for it.
    if (namespaceKey(path) !== this.key) this.namespaceGone(path);
  }

  private static namespaceHandler(reader: NetlinkReader, path: string): () => void {
    return () => {
      if (!reader.closed && namespaceKey(path) !== reader.key) reader.namespaceGone(path);
    };
  }

  /**
   * The namespace was deleted: the sockets are closed at once (releasing it), the reader leaves the
   * registry (its key, an nsfs inode number, may be reused by a later namespace) and records
   * `OS_ERROR` `ENOENT` as its `lastError`. Every live subscriber is ended with that error (contract
   * rule 10, through its `ended` hook: the adapter takes the registration and tells its owner); a
   * subscriber set added to the reader (addresses, routes) is ended here too, with one line each.
   */
  private namespaceGone(path: string): void {
    if (this.gone) return;
    this.gone = true;
    this.stats.errors++;
    this.lastError = registrationEnded('linux', `network namespace ${path} was deleted (or now names another namespace)`, { osCode: ENOENT });
    forgetReader(this);
    this.subscribers.end(this.lastError);
    // Address and route registrations (their subscriber sets carry no hook): told the same way.
    const lost = [...this.lostHooks];
    this.lostHooks.clear();
    for (const hook of lost) {
      try {
        hook(this.lastError);
      } catch (thrown) {
        rethrowLater(thrown);
      }
    }
    this.close();
  }

  /**
   * Rule 10 for registrations that are not interface subscribers (addresses, routes): `hook` is
   * called once if the namespace is deleted under it; the returned function withdraws it.
   */
  onNamespaceLost(hook: (error: IpInterfaceError) => void): () => void {
    this.lostHooks.add(hook);
    return () => {
      this.lostHooks.delete(hook);
    };
  }

  /** True once the namespace was deleted under the reader ({@link namespaceGone}). */
  get namespaceDeleted(): boolean {
    return this.gone;
  }

  /** IP interfaces in the table. */
  get tableSize(): number {
    return this.interfaces.size;
  }

  /** Live subscribers. */
  get liveSubscribers(): number {
    return this.subscribers.size;
  }

  /** True until closed. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Adds a subscriber; the returned function removes it. `ended`: see {@link namespaceGone}. */
  subscribe(family: AddressFamily, callback: IpInterfaceChangeCallback, ended?: (error: IpInterfaceError) => void): () => void {
    return this.subscribers.subscribe(family, callback, ended);
  }

  /**
   * Adds an address subscriber; the returned function removes it. The first one activates the
   * address table: joins RTNLGRP_IPV4_IFADDR (the IPv6 address group is always joined, for the
   * interface rows' link-local identifiers) and dumps; the last one leaves the group and drops the
   * table, so interface-only registrations never pay for addresses. Throws what the join or dump throws.
   */
  subscribeAddresses(family: AddressFamily, callback: UnicastIpAddressChangeCallback): () => void {
    if (!this.addresses.isActive && !this.closed) {
      this.setMembership(RTNLGRP_IPV4_IFADDR, true);
      try {
        this.guardParse(() => this.addresses.activate());
      } catch (error) {
        this.setMembership(RTNLGRP_IPV4_IFADDR, false);
        throw error;
      }
    }
    const unsubscribe = this.addressSubscribers.subscribe(family, callback);
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      unsubscribe();
      if (this.addressSubscribers.size === 0 && this.addresses.isActive) {
        this.addresses.deactivate();
        if (!this.closed) this.setMembership(RTNLGRP_IPV4_IFADDR, false);
      }
    };
  }

  /** Live address subscribers. */
  get liveAddressSubscribers(): number {
    return this.addressSubscribers.size;
  }

  /** Addresses in the reader's address table (0 while idle). */
  get addressTableSize(): number {
    return this.addresses.size;
  }

  /** The address table's rows (what address subscribers have been told); undefined while idle. */
  currentAddressRows(): UnicastIpAddressRow[] | undefined {
    return this.addresses.isActive ? this.addresses.rows() : undefined;
  }

  /** A fresh RTM_GETADDR dump as rows, named by this reader's devices (the table is not touched). */
  dumpAddressRows(): UnicastIpAddressRow[] {
    return this.guardParse(() => this.addresses.dumpRows());
  }

  /** A fresh kernel dump mapped to rows (does not touch the event table). */
  dumpRows(): IpInterfaceRow[] {
    return this.guardParse(() => readInterfaceRows(this.requester));
  }

  /** The reader's own table (what subscribers have been told). */
  currentRows(): IpInterfaceRow[] {
    return this.interfaces.currentRows();
  }

  /** Re-reads everything and notifies the differences (for the sysctls the kernel changes silently). */
  resync(): void {
    if (this.closed) return;
    this.stats.resyncs++;
    this.timer.settle();
    this.reload(true);
  }

  /**
   * Adds a route subscriber (contract rules R1-R4): the first one for a family joins that family's
   * route group (IPv4 also RTMGRP_IPV4_IFADDR: an address removal removes routes silently), then
   * dumps its routes; the route table is in the loop's tables only while route subscribers exist.
   * Throws (nothing joined, nothing kept) when the dump fails.
   */
  subscribeRoutes(family: AddressFamily, tables: RouteTables, callback: RouteChangeCallback): () => void {
    const routes = (this.routes ??= this.attachRoutes());
    const families = (['inet', 'inet6'] as const).filter((f) => family === 'unspec' || family === f);
    const taken: RouteFamily[] = [];
    try {
      for (const f of families) {
        this.retainRouteFamily(routes, f);
        taken.push(f);
      }
    } catch (error) {
      for (const f of taken) this.releaseRouteFamily(routes, f);
      this.detachRoutesIfIdle();
      throw error;
    }
    const unsubscribe = routes.subscribe(family, tables, callback);
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      unsubscribe();
      if (this.closed) return;
      for (const f of families) this.releaseRouteFamily(routes, f);
      this.detachRoutesIfIdle();
    };
  }

  /** A fresh route dump (getIpForwardTable2), on this reader's dump socket. */
  dumpRouteRows(family: AddressFamily, tables: RouteTables): IpForwardRow[] {
    return readRouteRows(this.requester, this.stats, family, tables);
  }

  /** The kernel's route lookup for `destination` (getBestRoute2). */
  bestRoute(family: RouteFamily, destination: Uint8Array): IpForwardRow | null {
    const routes = this.routes;
    return bestRouteRow(this.requester, this.stats, family, destination, (i) => routes?.lookup(i));
  }

  /** Route rows held and the route table's own counters (undefined while no route registration is live). */
  get routeStats(): { readonly rows: number; readonly deviceDumps: number; readonly dumpRetries: number } | undefined {
    const routes = this.routes;
    return routes && { rows: routes.size, deviceDumps: routes.deviceDumps, dumpRetries: routes.dumpRetries };
  }

  private attachRoutes(): RouteReaderTable {
    const routes = new RouteReaderTable(this.requester, this.stats, NetlinkReader.quietCompletion(this));
    // `tables` is read-only to the loop; attaching is the one write (a push: a loop running now
    // simply includes it). Detaching waits for a microtask: the loop may be iterating it.
    (this.tables as ReaderTable[]).push(routes);
    return routes;
  }

  private static quietCompletion(reader: NetlinkReader): () => void {
    return () => reader.guarded(true);
  }

  private detachRoutesIfIdle(): void {
    const routes = this.routes;
    if (!routes || routes.subscriberCount > 0 || routes.activeFamilies.size > 0) return;
    routes.close();
    this.routes = undefined;
    queueMicrotask(() => {
      const list = this.tables as ReaderTable[];
      const at = list.indexOf(routes);
      if (at >= 0) list.splice(at, 1);
    });
  }

  private retainRouteFamily(routes: RouteReaderTable, family: RouteFamily): void {
    const refs = this.routeFamilyRefs.get(family) ?? 0;
    if (refs === 0) {
      const groups = routeGroups(family);
      const joined: number[] = [];
      try {
        for (const group of groups) {
          this.setMembership(group, true);
          joined.push(group);
        }
        // Joined first, then dumped: a change after the dump is already queued as an event.
        this.guardParse(() => routes.enable(family));
      } catch (error) {
        for (const group of joined) this.setMembership(group, false);
        throw error;
      }
    }
    this.routeFamilyRefs.set(family, refs + 1);
  }

  private releaseRouteFamily(routes: RouteReaderTable, family: RouteFamily): void {
    const refs = (this.routeFamilyRefs.get(family) ?? 0) - 1;
    if (refs > 0) {
      this.routeFamilyRefs.set(family, refs);
      return;
    }
    this.routeFamilyRefs.delete(family);
    routes.disable(family);
    for (const group of routeGroups(family)) this.setMembership(group, false);
  }

  /**
   * Joins or leaves a multicast group on the event socket, counted per group: the address table and
   * the IPv4 route table both need RTNLGRP_IPV4_IFADDR, and one leaving must not drop the other's
   * membership. Never leaves a group the bind joined.
   */
  private setMembership(group: number, join: boolean): void {
    const refs = this.groupRefs.get(group) ?? 0;
    if (join) {
      if (refs > 0) {
        this.groupRefs.set(group, refs + 1);
        return;
      }
    } else {
      if (refs === 0) return;
      if (refs > 1) {
        this.groupRefs.set(group, refs - 1);
        return;
      }
      this.groupRefs.delete(group);
    }
    if (!join && group <= 32 && (EVENT_GROUPS & (1 << (group - 1))) !== 0) return;
    const { libc } = this;
    if (libc.setsockopt(this.fd, SOL_NETLINK, join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP, u32(group), 4) !== 0) {
      const errno = libc.errno();
      if (join) throw osError(libc, `setsockopt(NETLINK_ADD_MEMBERSHIP, ${group})`, errno);
    }
    if (join) this.groupRefs.set(group, 1);
  }

  /** Closes the poll handle and both sockets, drops subscribers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.routes?.close();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.timer.settle();
    this.subscribers.clear();
    this.addressSubscribers.clear();
    this.addresses.deactivate();
    this.unwatch?.();
    this.unwatch = undefined;
    this.closeSockets();
  }

  private closeSockets(): void {
    // uv_poll_stop removes the fd from epoll synchronously, so closing the fd right after is safe.
    this.poll?.close();
    this.poll = undefined;
    this.events.close();
    this.dumps.close();
  }

  private reload(announce: boolean): void {
    this.guardParse(() => {
      for (const table of this.tables) table.reload(this.requester, announce);
    });
  }

  /** Counts a malformed dump reply as a parse error before it propagates. */
  private guardParse<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof IpInterfaceError && error.cause instanceof NetlinkParseError) this.stats.parseErrors++;
      throw error;
    }
  }

  /** Nothing may escape into the event loop from a poll or timer callback: record it and heal. */
  private guarded(quiet: boolean): void {
    try {
      this.onReadable(quiet);
    } catch (error) {
      this.fail(error instanceof IpInterfaceError ? error : new IpInterfaceError('OS_ERROR', `linux reader failed: ${String(error)}`, { adapter: 'linux', cause: error }));
    }
  }

  /**
   * One wake-up: drain what is queued, resolve the batch, deliver. `quiet` is set by the batch
   * timer: the socket has been quiet, so the batch is completed whatever it costs.
   */
  private onReadable(quiet: boolean): void {
    if (this.closed) return;
    if (!quiet) this.stats.wakeups++;
    let lost = false;
    let received = false;
    let fatal: IpInterfaceError | undefined;
    const { tables, hints } = this;
    for (let i = 0; i < MAX_DATAGRAMS_PER_WAKEUP; i++) {
      this.fromLen32[0] = 12; // host order, as the kernel reads it
      const n = this.libc.recvfrom(this.fd, this.buf, this.buf.length, MSG_DONTWAIT | MSG_TRUNC, this.from, this.fromLen);
      if (n < 0) {
        const errno = this.libc.errno();
        if (errno === EAGAIN) break;
        if (errno === EINTR) continue;
        if (errno === ENOBUFS) {
          this.stats.overruns++;
          lost = true;
          continue;
        }
        fatal = osError(this.libc, 'recvfrom(netlink events)', errno);
        break;
      }
      // The sender first, before anything about the datagram counts: a forged datagram (too long,
      // malformed, after a loss) must neither count as an overrun nor force a re-read.
      if (this.from32[1] !== 0) { // nl_pid of the sender, host order
        this.stats.droppedForeign++;
        continue;
      }
      received = true;
      if (lost) continue; // everything queued now is superseded by the re-read below
      if (n > this.buf.length) {
        this.stats.overruns++;
        lost = true;
        continue;
      }
      for (let t = 0; t < tables.length; t++) hints[t] = tables[t]!.preview(this.buf, n);
      if (this.closed) return; // a callback cancelled the last registration
      let messages;
      try {
        messages = parseNetlinkMessages(this.buf, n);
      } catch (error) {
        if (!(error instanceof NetlinkParseError)) throw error;
        this.stats.parseErrors++;
        lost = true;
        continue;
      }
      this.stats.messages += messages.length;
      // Parameter changes are final as soon as their message is applied: the tables deliver them
      // from inside apply rather than after draining the socket.
      for (let m = 0; m < messages.length; m++) {
        for (let t = 0; t < tables.length; t++) {
          tables[t]!.apply(messages[m]!, m === 0 ? hints[t]! : -1);
          if (this.closed) return; // a callback cancelled the last registration
        }
      }
    }
    if (fatal) {
      this.fail(fatal);
      return;
    }
    try {
      if (lost) {
        this.stats.resyncs++;
        this.timer.settle();
        this.reload(true);
      } else if (this.batchPending()) {
        // A quiet timer that finds messages waiting was only starved (a busy main thread runs
        // timers before polling): the socket was not quiet.
        this.finishBatch(quiet && !received);
      }
    } catch (error) {
      this.fail(asOsError(error, 'linux'));
    }
  }

  private batchPending(): boolean {
    for (const table of this.tables) if (table.batchPending) return true;
    return false;
  }

  /**
   * Completes the batch now, or later when that would cost requests while more messages are likely
   * on their way (the rules are the batch timer's): a removal no message answered yet waits for its
   * DELLINK or NEWNETCONF; new interfaces within a burst wait to share one neighbour-table dump.
   * Messages keep being applied meanwhile (the batch simply grows); parameter changes of present
   * interfaces are delivered as they come.
   */
  private finishBatch(quiet: boolean): void {
    const now = this.timer.clock.now();
    const costly = this.tables.some((table) => table.hasCostlyCompletion);
    if (this.timer.shouldDefer(now, { costly }, quiet)) return;
    // Unanswered removals and neighbour re-reads are carried until the socket is quiet (or carried
    // too long): resolving them by a request while messages still flow could block on the RTNL
    // lock for as long as the flow lasts.
    const options = { confirmRemovals: this.timer.mustConfirm(now, quiet), rereadNeighbours: quiet };
    const requests = this.stats.dumps;
    for (const table of this.tables) {
      if (table.batchPending) table.finishBatch(this.requester, options);
      if (this.closed) return;
    }
    this.timer.completed(now, this.stats.dumps !== requests);
    if (this.batchPending()) this.timer.carry(now, this.tables.some((table) => table.hasUnansweredRemoval));
    else this.timer.settle();
  }

  /**
   * A socket or dump failure. The adapter contract has no error path for a live registration, so the
   * reader records it (`stats.errors`, `lastError`) and heals with a full re-read a moment later.
   */
  private fail(error: IpInterfaceError): void {
    this.stats.errors++;
    this.lastError = error;
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      try {
        this.resync();
      } catch (e) {
        this.fail(asOsError(e, 'linux'));
      }
    }, RETRY_MS);
    this.retryTimer.unref();
  }
}

/** The multicast groups a family's routes need (IPv4: also its addresses, whose removal removes routes silently). */
function routeGroups(family: RouteFamily): readonly number[] {
  return family === 'inet' ? [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_IFADDR] : [RTNLGRP_IPV6_ROUTE];
}
