/**
 * The reader's registrations and the fan-out to them: serialized (never re-entrant, contract rule
 * 2), filtered by family (rule 5), guarded (a throwing callback cannot break the reader).
 *
 * @module
 */
import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceChangeCallback } from '../../src/adapter.js';
import type { IpInterfaceError } from '../../src/ip-interface-error.js';
import { callSafely, rethrowLater } from '../shared/safe-callback.js';
import type { ChangeSink, TableChange } from './table-change.js';

/** Counters the fan-out keeps (part of the reader's statistics). */
export interface FanOutCounters {
  /** Notifications produced, before fan-out to registrations. */
  rowsEmitted: number;
  /** Callback invocations (notifications times matching registrations). */
  callbacks: number;
}

interface Subscriber {
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  readonly ended: ((error: IpInterfaceError) => void) | undefined;
  live: boolean;
}

/**
 * The subscribers of one reader. It is the {@link ChangeSink} of the reader's tables.
 *
 * @example
 * ```ts
 * const subscribers = new SubscriberSet(stats);
 * const unsubscribe = subscribers.subscribe('inet', (row, type) => console.log(type, row?.interfaceName));
 * subscribers.deliver([{ type: 'add', row }]);
 * unsubscribe();
 * ```
 */
export class SubscriberSet implements ChangeSink {
  private readonly subscribers = new Set<Subscriber>();
  private readonly queue: TableChange[] = [];
  private delivering = false;

  constructor(private readonly counters: FanOutCounters) {}

  /** Live subscribers. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Adds a subscriber for rows of `family`; the returned function removes it (idempotent). From the
   * moment it returns, no change reaches the callback, even one being fanned out right now.
   * `ended` is called by {@link end} (rule 10), synchronously: the adapter's own hook, which takes
   * the registration out of its live set and tells the subscriber (see Registrations.end).
   */
  subscribe(family: AddressFamily, callback: IpInterfaceChangeCallback, ended?: (error: IpInterfaceError) => void): () => void {
    const subscriber: Subscriber = { family, callback, ended, live: true };
    this.subscribers.add(subscriber);
    return () => {
      subscriber.live = false;
      this.subscribers.delete(subscriber);
    };
  }

  /** Drops every subscriber and anything queued (the reader closed). */
  clear(): void {
    for (const s of this.subscribers) s.live = false;
    this.subscribers.clear();
    this.queue.length = 0;
  }

  /**
   * Rule 10: the reader lost its namespace. Drops every subscriber and anything queued (as
   * {@link clear}), then calls each one's `ended(error)`, in subscription order; a throwing hook
   * cannot stop the others (it is rethrown later). The reader calls this for each of its
   * subscriber sets (interfaces, addresses, routes) before it closes.
   */
  end(error: IpInterfaceError): void {
    const ending = [...this.subscribers];
    this.clear();
    for (const s of ending) {
      if (s.ended === undefined) continue;
      try {
        s.ended(error);
      } catch (thrown) {
        rethrowLater(thrown);
      }
    }
  }

  /** Fans notifications out in order; during a fan-out they wait in the queue. */
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

  /** One decided change (the per-message path): no array around it unless a fan-out is running. */
  deliverOne(change: TableChange): void {
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
    this.counters.rowsEmitted++;
    const row = change.row;
    // A callback may cancel registrations (the set changes under iteration): iterate a copy, except
    // for the common single registration, where nothing can be skipped or revisited.
    const subscribers = this.subscribers.size === 1 ? this.subscribers : [...this.subscribers];
    for (const s of subscribers) {
      if (!s.live || !familyMatches(s.family, row.family)) continue;
      this.counters.callbacks++;
      callSafely(s.callback, row, change.type);
    }
  }
}
