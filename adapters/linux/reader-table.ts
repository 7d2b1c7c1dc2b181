/**
 * What the read loop needs of a table. The loop receives and parses; each table applies the
 * messages it cares about, decides, and delivers through its own sink. The interface table is the
 * one today; an address table (RTM_*ADDR) and a route table (RTM_*ROUTE) plug in beside it by
 * implementing this and being listed in `NetlinkReader`'s tables (plus their multicast groups):
 * the loop itself does not change.
 *
 * @module
 */
import type { NetlinkMessage } from './netlink-parser.js';
import type { NetlinkRequester } from './netlink-requester.js';
import type { LinkMessage, NeighTableMessage } from './netlink-parser.js';

/**
 * Synchronous kernel reads a table needs to complete a batch (the reader's requester).
 *
 * @example
 * ```ts
 * const resolver: TableResolver = requester;
 * ```
 */
export interface TableResolver {
  /** RTM_GETLINK for one index; undefined when the device is gone (ENODEV). */
  getLink(ifindex: number): LinkMessage | undefined;
  /** RTM_GETNEIGHTBL dump of one family (2 = arp_cache, 10 = ndisc_cache). */
  neighTables(family: number): readonly NeighTableMessage[];
}

/**
 * How a batch is finished (the reader's batch timer decides): with `confirmRemovals` false, removals
 * no message answered stay pending for a later batch instead of being confirmed by an RTM_GETLINK
 * (during a group delete the kernel holds the RTNL lock, so the request would wait for the whole
 * delete while the answer is already on its way); with `rereadNeighbours` false, neighbour-parameter
 * re-reads asked for by IPv6 messages wait too.
 *
 * @example
 * ```ts
 * table.finishBatch(requester, { confirmRemovals: quiet, rereadNeighbours: quiet });
 * ```
 */
export interface FinishOptions {
  readonly confirmRemovals: boolean;
  readonly rereadNeighbours: boolean;
}

/**
 * One table of the reader.
 *
 * @example
 * ```ts
 * const hint = table.preview(buf, n); // may deliver a change at once (the fast path)
 * for (const m of parseNetlinkMessages(buf, n)) table.apply(m, hint);
 * if (table.batchPending) table.finishBatch(requester, { confirmRemovals: true, rereadNeighbours: true });
 * ```
 */
export interface ReaderTable {
  /**
   * Looks at a raw datagram before it is parsed and may deliver at once. Returns a hint that the
   * loop passes back to `apply` for the datagram's first message (-1: none): the decision is an
   * explicit argument, not state hidden between two calls.
   */
  preview(datagram: Buffer, length: number): number;
  /** Applies one event message; `hint` is what `preview` returned for it, else -1. */
  apply(message: NetlinkMessage, hint: number): void;
  /** True when the current batch has anything to resolve. */
  readonly batchPending: boolean;
  /** True when finishing the batch would make requests whose cost grows with the device count. */
  readonly hasCostlyCompletion: boolean;
  /** True when the batch holds a removal only a request could confirm now. */
  readonly hasUnansweredRemoval: boolean;
  /** Resolves the batch and delivers its notifications. */
  finishBatch(resolver: TableResolver, options: FinishOptions): void;
  /** Dumps everything again and loads it; with `announce`, the differences are delivered. */
  reload(requester: NetlinkRequester, announce: boolean): void;
}
