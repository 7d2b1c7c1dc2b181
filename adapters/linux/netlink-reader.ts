/**
 * The shared reader: one event socket per process per network namespace, watched by a libuv poll
 * handle on the Node event loop (no thread, no cross-thread hop), reference-counted by every
 * registration of every family and every adapter instance.
 *
 * @module
 */
import type { AddressFamily } from '../../src/address-family.js';
import { familyMatches } from '../../src/address-family.js';
import type { IpInterfaceChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { InterfaceTable, type TableChange } from './interface-table.js';
import { loadLibc, osError, type Libc, type PollHandle } from './libc.js';
import {
  EAGAIN, EINTR, ENOBUFS, MSG_DONTWAIT, MSG_TRUNC, RTMGRP_IPV6_IFADDR, RTMGRP_IPV6_IFINFO, RTMGRP_LINK, RTNLGRP_IPV4_NETCONF,
  RTNLGRP_IPV6_NETCONF,
} from './netlink-constants.js';
import { emptyLinkSummary, NetlinkParseError, parseNetlinkMessages, summarizeLink } from './netlink-parser.js';
import { bindRouteSocket, NetlinkRequester, openRouteSockets, setReceiveBuffer, setReceiveTimeout } from './netlink-socket.js';

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

/** A registration as the reader sees it. */
export interface ReaderSubscriber {
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  live: boolean;
}

const EVENT_GROUPS = RTMGRP_LINK | RTMGRP_IPV6_IFINFO | RTMGRP_IPV6_IFADDR;
const DUMP_TIMEOUT_MS = 5000;
/** Messages handled per wake-up before yielding to the event loop (the poll fires again at once). */
const MAX_DATAGRAMS_PER_WAKEUP = 4096;
const RETRY_MS = 1000;
/**
 * Completing a batch of new interfaces needs requests whose cost grows with the device count (a
 * neighbour-table dump walks every device). Within a burst, that completion waits until the socket
 * has been quiet this long, so one dump serves many devices...
 */
const QUIET_MS = 3;
/** ...but never longer than this, nor than a multiple of what the last such completion cost. */
const MIN_DEFER_MS = 20;
const DEFER_COST_FACTOR = 4;
/** A costly completion this recent means a burst: the next one waits (a lone change does not). */
const BURST_WINDOW_MS = 100;
/**
 * A neighbour re-read asked for by an IPv6 parameter message waits for a longer quiet: a group
 * delete sends such messages, then stalls (synchronize_net) with the RTNL lock held, and a dump made
 * in that stall waits for the whole delete.
 */
const STALE_QUIET_MS = 50;
/**
 * A removal no message answered yet (a DELNETCONF without its device's DELLINK, not explained by the
 * MTU) is confirmed by an RTM_GETLINK only after this much quiet. In a group delete the DELLINKs
 * follow a stall (synchronize_net) with the RTNL lock held; a request made in the stall blocked the
 * main thread for all of it (461 ms for 2000 veth pairs), while the DELLINKs answer it for free.
 */
const UNANSWERED_QUIET_MS = 1000;
/** Carried removals are confirmed after this long, quiet or not. */
const MAX_CARRY_MS = 2000;

let eventBuffer: Buffer | undefined;
/**
 * One receive buffer per process: a wake-up reads and parses synchronously into fresh objects, so
 * readers of different namespaces never use it at the same time.
 */
function sharedEventBuffer(): Buffer {
  return (eventBuffer ??= Buffer.alloc(64 * 1024));
}

/** Where a reader lives: the key shares readers; `path` is undefined for this process's namespace. */
export interface NamespaceTarget {
  readonly key: string;
  readonly path: string | undefined;
}

/**
 * One rtnetlink event reader and the table it keeps.
 *
 * @example
 * ```ts
 * const reader = await acquireReader({ key: '', path: undefined }, 8 << 20);
 * reader.subscribers.add({ family: 'unspec', callback, live: true });
 * // ...
 * releaseReader(reader);
 * ```
 */
export class NetlinkReader {
  readonly subscribers = new Set<ReaderSubscriber>();
  readonly stats: ReaderStats = {
    messages: 0, rowsEmitted: 0, callbacks: 0, resyncs: 0, overruns: 0, droppedForeign: 0, parseErrors: 0, wakeups: 0, dumps: 0, errors: 0,
    neighDumps: 0, linkGets: 0, requestMs: 0,
  };
  /** Registrations plus table reads holding this reader. */
  refs = 0;
  /** Which option set the receive buffer. */
  readonly receiveBufferOption: string;
  /** The event socket's netlink port id (nl_pid). */
  readonly portId: number;
  private readonly table = new InterfaceTable();
  private readonly requester: NetlinkRequester;
  private readonly buf = sharedEventBuffer();
  // sockaddr_nl and its length as 32-bit words: read and written per datagram without Buffer's
  // checked accessors; the byte views are what recvfrom fills.
  private readonly from32 = new Uint32Array(3);
  private readonly fromLen32 = new Uint32Array(1);
  private readonly from = new Uint8Array(this.from32.buffer);
  private readonly fromLen = new Uint8Array(this.fromLen32.buffer);
  private readonly summary = emptyLinkSummary();
  private poll: PollHandle | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The last socket or dump failure the reader healed from (see `stats.errors`). */
  lastError: IpInterfaceError | undefined;
  private closed = false;
  private delivering = false;
  /** Quiet timer of a deferred batch completion. */
  private deferTimer: NodeJS.Timeout | undefined;
  /** When the socket counts as quiet (performance.now() ms), and when the pending timer fires. */
  private quietAt = 0;
  private timerAt = 0;
  /** When the pending completion was first deferred (0: not deferred). */
  private deferredSince = 0;
  /** When unanswered removals or a neighbour re-read were first carried to a later batch (0: none). */
  private carriedSince = 0;
  /** When the last completion that made requests ended, and what it cost (ms). */
  private lastCostlyAt = -Infinity;
  private lastCostlyMs = 0;
  private readonly queue: TableChange[] = [];

  private constructor(
    private readonly libc: Libc,
    readonly target: NamespaceTarget,
    private readonly fd: number,
    dumpFd: number,
    receiveBufferBytes: number,
  ) {
    this.requester = new NetlinkRequester(libc, dumpFd, this.stats);
    try {
      this.receiveBufferOption = setReceiveBuffer(libc, fd, receiveBufferBytes);
      this.portId = bindRouteSocket(libc, fd, EVENT_GROUPS, [RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF]);
      bindRouteSocket(libc, dumpFd, 0, []);
      setReceiveTimeout(libc, dumpFd, DUMP_TIMEOUT_MS);
      // Bound first, then dumped: anything that changes after the dump is already queued as an event.
      this.table.loadSnapshot(this.guardedSnapshot());
      this.table.onDecided = NetlinkReader.decidedSink(this);
      this.poll = libc.poll(fd, () => {
        try {
          this.onReadable();
        } catch (error) {
          // Nothing may escape into the event loop from here; record it and heal by a re-read.
          this.fail(error instanceof IpInterfaceError ? error : new IpInterfaceError('OS_ERROR', `linux reader failed: ${String(error)}`, { adapter: 'linux', cause: error }));
        }
      });
    } catch (error) {
      this.closeFds();
      throw error;
    }
  }

  /**
   * The table's per-message delivery callback, made outside the constructor: the same arrow made in
   * the constructor kept every closed reader (and its table) alive through V8's young-generation GCs
   * until the next full GC, which grew the young generation by 30+ MiB over a few thousand
   * subscribe/unsubscribe cycles (the churn benchmark).
   */
  private static decidedSink(reader: NetlinkReader): (change: TableChange) => void {
    return (change) => reader.deliverOne(change);
  }

  /** Opens a reader (sockets, bind, groups, first dump, poll handle). */
  static async open(target: NamespaceTarget, receiveBufferBytes: number): Promise<NetlinkReader> {
    const libc = await loadLibc();
    const [fd, dumpFd] = await openRouteSockets(libc, 2, target.path);
    return new NetlinkReader(libc, target, fd!, dumpFd!, receiveBufferBytes);
  }

  /** IP interfaces in the table. */
  get tableSize(): number {
    return this.table.size;
  }

  /** Live registrations. */
  get liveSubscribers(): number {
    return this.subscribers.size;
  }

  /** A fresh kernel dump mapped to rows (does not touch the event table). */
  dumpRows(): IpInterfaceRow[] {
    const table = new InterfaceTable();
    table.loadSnapshot(this.guardedSnapshot());
    return table.currentRows();
  }

  /** The reader's own table (what subscribers have been told). */
  currentRows(): IpInterfaceRow[] {
    return this.table.currentRows();
  }

  /** Re-reads everything and notifies the differences (for the sysctls the kernel changes silently). */
  resync(): void {
    if (this.closed) return;
    this.stats.resyncs++;
    this.cancelDeferral();
    this.deliver(this.table.loadSnapshot(this.guardedSnapshot()));
  }

  /** Closes the poll handle and both sockets. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.cancelDeferral();
    this.subscribers.clear();
    this.queue.length = 0;
    this.closeFds();
  }

  private closeFds(): void {
    // uv_poll_stop removes the fd from epoll synchronously, so closing the fd right after is safe.
    this.poll?.close();
    this.poll = undefined;
    this.libc.close(this.fd);
    this.libc.close(this.requester.fd);
  }

  private guardedSnapshot(): ReturnType<NetlinkRequester['snapshot']> {
    try {
      return this.requester.snapshot();
    } catch (error) {
      if (error instanceof IpInterfaceError && error.cause instanceof NetlinkParseError) this.stats.parseErrors++;
      throw error;
    }
  }

  /**
   * One wake-up: drain what is queued, resolve the batch, deliver. `quiet` is set by the deferral
   * timer: the socket has been quiet, so the batch is completed whatever it costs.
   */
  private onReadable(quiet = false): void {
    if (this.closed) return;
    if (!quiet) this.stats.wakeups++;
    let lost = false;
    let received = false;
    let fatal: IpInterfaceError | undefined;
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
      received = true;
      if (lost) continue; // everything queued now is superseded by the re-read below
      if (n > this.buf.length) {
        this.stats.overruns++;
        lost = true;
        continue;
      }
      if (this.from32[1] !== 0) { // nl_pid of the sender, host order
        this.stats.droppedForeign++;
        continue;
      }
      // The common event is one device message: its IPv4 row goes out before the full parse.
      if (summarizeLink(this.buf, n, this.summary)) {
        const early = this.table.decideInetEarly(this.summary);
        if (early) {
          this.deliverOne(early);
          if (this.closed) return; // a callback cancelled the last registration
        }
      }
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
      // Parameter changes are final as soon as their message is applied: they are delivered from
      // inside apply (table.onDecided) rather than after draining the socket.
      for (const m of messages) {
        this.table.apply(m);
        if (this.closed) return; // a callback cancelled the last registration
      }
    }
    if (fatal) {
      this.fail(fatal);
      return;
    }
    try {
      if (lost) {
        this.stats.resyncs++;
        this.cancelDeferral();
        this.deliver(this.table.loadSnapshot(this.guardedSnapshot()));
      } else if (this.table.batchPending) {
        // A quiet timer that finds messages waiting was only starved (a busy main thread runs
        // timers before polling): the socket was not quiet.
        this.finishBatch(quiet && !received);
      }
    } catch (error) {
      this.fail(error instanceof IpInterfaceError ? error : new IpInterfaceError('OS_ERROR', String(error), { adapter: 'linux', cause: error }));
    }
  }

  /**
   * Completes the batch now, or later when that would cost requests while more messages are likely
   * on their way (see QUIET_MS): a removal no message answered yet waits for its DELLINK or
   * NEWNETCONF; new interfaces within a burst wait to share one neighbour-table dump. Messages keep
   * being applied meanwhile (the batch simply grows); parameter changes of present interfaces are
   * delivered as they come.
   */
  private finishBatch(quiet: boolean): void {
    const now = performance.now();
    // New interfaces within a burst: the whole batch waits, so one neighbour dump serves them all.
    if (!quiet && this.table.hasCostlyCompletion && now - this.lastCostlyAt < BURST_WINDOW_MS) {
      const since = this.deferredSince || now;
      if (now - since < Math.max(MIN_DEFER_MS, DEFER_COST_FACTOR * this.lastCostlyMs)) {
        this.deferredSince = since;
        this.armQuietTimer(QUIET_MS);
        return;
      }
    }
    this.deferredSince = 0;
    // Everything else is delivered now. Unanswered removals and neighbour re-reads are carried
    // until the socket is quiet (or carried too long): resolving them by a request while messages
    // still flow could block on the RTNL lock for as long as the flow lasts.
    // A removal must not wait forever under a steady flow; a neighbour re-read (a sysctl change) can.
    const confirm = quiet || (this.carriedSince !== 0 && now - this.carriedSince > MAX_CARRY_MS);
    const requests = this.stats.dumps;
    this.deliver(this.table.finishBatch(this.requester, confirm, quiet));
    if (this.stats.dumps !== requests) {
      this.lastCostlyAt = performance.now();
      this.lastCostlyMs = this.lastCostlyAt - now;
    }
    if (this.closed) return;
    if (this.table.batchPending) {
      if (this.carriedSince === 0) this.carriedSince = now;
      this.armQuietTimer(this.table.hasUnansweredRemoval ? UNANSWERED_QUIET_MS : STALE_QUIET_MS);
    } else {
      this.cancelDeferral();
    }
  }

  /** (Re)starts the quiet timer: it fires only after `ms` without a wake-up that re-arms it. */
  private armQuietTimer(ms: number): void {
    const now = performance.now();
    this.quietAt = now + ms;
    // Re-arming on every wake-up of a burst only moves the deadline: a timer that fires before it
    // sets itself again for the rest. It is replaced only when it would fire too late.
    if (this.deferTimer && this.timerAt <= this.quietAt) return;
    if (this.deferTimer) clearTimeout(this.deferTimer);
    this.startTimer(now, ms);
  }

  private startTimer(now: number, ms: number): void {
    this.timerAt = now + ms;
    this.deferTimer = setTimeout(() => this.onQuiet(), ms);
  }

  private onQuiet(): void {
    this.deferTimer = undefined;
    const now = performance.now();
    // Within 1 ms counts as due: libuv's timer clock has millisecond steps.
    if (this.quietAt - now >= 1) {
      this.startTimer(now, Math.ceil(this.quietAt - now));
      return;
    }
    try {
      this.onReadable(true);
    } catch (error) {
      this.fail(error instanceof IpInterfaceError ? error : new IpInterfaceError('OS_ERROR', `linux reader failed: ${String(error)}`, { adapter: 'linux', cause: error }));
    }
  }

  private cancelDeferral(): void {
    if (this.deferTimer) clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    this.deferredSince = 0;
    this.carriedSince = 0;
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
        this.fail(e instanceof IpInterfaceError ? e : new IpInterfaceError('OS_ERROR', String(e), { adapter: 'linux', cause: e }));
      }
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  /** Fans notifications out to matching live registrations, serialized (never re-entrant). */
  deliver(changes: readonly TableChange[]): void {
    if (changes.length === 0) return;
    if (this.delivering) {
      for (const change of changes) this.queue.push(change);
      return;
    }
    this.delivering = true;
    try {
      for (const change of changes) this.emit(change);
      this.drainQueue();
    } finally {
      this.delivering = false;
    }
  }

  /** One decided change (the per-message path): no array around it unless a delivery is running. */
  private deliverOne(change: TableChange): void {
    if (this.delivering) {
      this.queue.push(change);
      return;
    }
    this.delivering = true;
    try {
      this.emit(change);
      this.drainQueue();
    } finally {
      this.delivering = false;
    }
  }

  private drainQueue(): void {
    for (let change = this.queue.shift(); change; change = this.queue.shift()) this.emit(change);
  }

  private emit(change: TableChange): void {
    this.stats.rowsEmitted++;
    const row = change.row;
    // A callback may cancel registrations (the set changes under iteration): iterate a copy, except
    // for the common single registration, where nothing can be skipped or revisited.
    const subscribers = this.subscribers.size === 1 ? this.subscribers : [...this.subscribers];
    for (const s of subscribers) {
      if (!s.live || !familyMatches(s.family, row.family)) continue;
      this.stats.callbacks++;
      try {
        s.callback(row, change.type);
      } catch (error) {
        // A throwing callback must not break the reader; surface it like any uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

interface RegistryEntry {
  reader: NetlinkReader | undefined;
  opening: Promise<NetlinkReader> | undefined;
  refs: number;
}

// Shared by every copy of this module in the process (CommonJS and ESM builds): one reader per namespace.
const REGISTRY_KEY = Symbol.for('rxjs-ip-interface.linux.readers');
const registry: Map<string, RegistryEntry> =
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, RegistryEntry> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, RegistryEntry>()) as Map<string, RegistryEntry>;

/**
 * Takes a reference on the namespace's reader, opening it on first use. Pair every successful call
 * with {@link releaseReader}.
 *
 * @example
 * ```ts
 * const reader = await acquireReader({ key: '', path: undefined }, 8 << 20);
 * releaseReader(reader);
 * ```
 */
export async function acquireReader(target: NamespaceTarget, receiveBufferBytes: number): Promise<NetlinkReader> {
  let entry = registry.get(target.key);
  if (!entry) {
    const created: RegistryEntry = { reader: undefined, opening: undefined, refs: 0 };
    created.opening = NetlinkReader.open(target, receiveBufferBytes).then(
      (reader) => {
        created.reader = reader;
        created.opening = undefined;
        return reader;
      },
      (error: unknown) => {
        if (registry.get(target.key) === created) registry.delete(target.key);
        throw error;
      },
    );
    registry.set(target.key, created);
    entry = created;
  }
  entry.refs++;
  let reader: NetlinkReader;
  try {
    reader = entry.reader ?? (await entry.opening!);
  } catch (error) {
    entry.refs--;
    throw error;
  }
  reader.refs = entry.refs;
  return reader;
}

/**
 * Drops one reference; the last one closes the reader (poll handle and sockets).
 *
 * @example
 * ```ts
 * releaseReader(reader);
 * ```
 */
export function releaseReader(reader: NetlinkReader): void {
  const entry = registry.get(reader.target.key);
  if (!entry || entry.reader !== reader) {
    reader.close();
    return;
  }
  entry.refs--;
  reader.refs = entry.refs;
  if (entry.refs <= 0) {
    registry.delete(reader.target.key);
    reader.close();
  }
}

/**
 * The open reader of a namespace, if any (no reference taken).
 *
 * @example
 * ```ts
 * peekReader('')?.stats.messages;
 * ```
 */
export function peekReader(key: string): NetlinkReader | undefined {
  return registry.get(key)?.reader;
}
