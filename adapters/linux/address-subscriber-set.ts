/**
 * The address registrations of one reader and the fan-out to them, as subscriber-set.ts does for
 * interfaces: serialized (never re-entrant, contract rule 2), filtered by family (rule 5), guarded
 * (a throwing callback cannot break the reader). A set of its own: the callback takes a third
 * argument (rule A3), and the interface set's hot path stays as it is.
 *
 * @module
 */
import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { UnicastIpAddressChangeCallback, UnicastIpAddressChangeDetail } from '../../src/adapter.js';
import { rethrowLater } from '../shared/safe-callback.js';
import type { AddressTableChange } from './address-table.js';
import type { FanOutCounters } from './subscriber-set.js';

interface AddressSubscriber {
  readonly family: AddressFamily;
  readonly callback: UnicastIpAddressChangeCallback;
  live: boolean;
}

/** What the address table's decisions go to (the sink of {@link AddressReaderTable}). */
export interface AddressChangeSink {
  deliverOne(change: AddressTableChange): void;
  deliver(changes: readonly AddressTableChange[]): void;
}

/** The detail of a lifetime-only refresh: one frozen object, no allocation per refresh. */
const LIFETIME_ONLY: UnicastIpAddressChangeDetail = Object.freeze({ lifetimeOnly: true });

/**
 * The address subscribers of one reader.
 *
 * @example
 * ```ts
 * const subscribers = new AddressSubscriberSet(stats);
 * const unsubscribe = subscribers.subscribe('inet6', (row, type, detail) => console.log(type, row?.address, detail));
 * subscribers.deliver([{ type: 'add', row }]);
 * unsubscribe();
 * ```
 */
export class AddressSubscriberSet implements AddressChangeSink {
  private readonly subscribers = new Set<AddressSubscriber>();
  private readonly queue: AddressTableChange[] = [];
  private delivering = false;

  constructor(private readonly counters: FanOutCounters) {}

  /** Live subscribers. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber; the returned function removes it (idempotent, effective at once, even mid fan-out). */
  subscribe(family: AddressFamily, callback: UnicastIpAddressChangeCallback): () => void {
    const subscriber: AddressSubscriber = { family, callback, live: true };
    this.subscribers.add(subscriber);
    return () => {
      subscriber.live = false;
      this.subscribers.delete(subscriber);
    };
  }

  /** Drops every subscriber and anything queued. */
  clear(): void {
    for (const s of this.subscribers) s.live = false;
    this.subscribers.clear();
    this.queue.length = 0;
  }

  deliver(changes: readonly AddressTableChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.queue.push(change);
    this.drain();
  }

  deliverOne(change: AddressTableChange): void {
    this.queue.push(change);
    this.drain();
  }

  private drain(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let change = this.queue.shift(); change; change = this.queue.shift()) this.emit(change);
    } finally {
      this.delivering = false;
    }
  }

  private emit(change: AddressTableChange): void {
    this.counters.rowsEmitted++;
    const { row, type } = change;
    const subscribers = this.subscribers.size === 1 ? this.subscribers : [...this.subscribers];
    for (const s of subscribers) {
      if (!s.live || !familyMatches(s.family, row.family)) continue;
      this.counters.callbacks++;
      try {
        if (change.lifetimeOnly) s.callback(row, type, LIFETIME_ONLY);
        else s.callback(row, type);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }
}
