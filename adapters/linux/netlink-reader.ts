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
import type { IpInterfaceChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { asOsError } from '../shared/os-error.js';
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
  /** Every table the loop dispatches to (interfaces today; addresses and routes plug in here). */
  private readonly tables: readonly ReaderTable[] = [this.interfaces];
  private readonly hints: number[] = [-1];
  private readonly requester: NetlinkRequester;
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

  private constructor(
    readonly key: string,
    private readonly events: RouteSocket,
    private readonly dumps: RouteSocket,
    receiveBufferBytes: number,
  ) {
    this.libc = events.libc;
    this.fd = events.fd;
    this.requester = new NetlinkRequester(dumps, this.stats);
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
    this.close();
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

  /** Closes the poll handle and both sockets, drops subscribers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.timer.settle();
    this.subscribers.clear();
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
