import { hasRow, type IpInterfaceChange, type IpInterfaceRowChange } from '../ip-interface-change.js';
import { AddressMap, InterfaceMap, RouteMap, type AddressIdentity, type InterfaceIdentity, type RouteIdentity, type RowMap } from './interface-map.js';
import { netEffect, presentBefore } from './net-effect.js';

/**
 * The waiting room of `serialDelivery`: changes that arrived while a handler was running.
 *
 * @internal
 */
export interface DeliveryQueue<T> {
  /** Changes waiting. */
  readonly size: number;
  /** Adds a change; false when the queue is full and the change could not be taken. */
  push(change: T): boolean;
  /** The next change to deliver, or `undefined` when none is waiting. */
  shift(): T | undefined;
  clear(): void;
}

/** FIFO with O(1) push and shift and no per-item allocation (Array#shift is O(n) on big arrays). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head) as T[];
    this.clear();
    return rest;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * `overflow: 'error'`: a plain bounded FIFO.
 *
 * @internal
 */
export class BoundedQueue<T> implements DeliveryQueue<T> {
  private readonly fifo = new Fifo<T>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.fifo.length;
  }

  push(change: T): boolean {
    if (this.fifo.length >= this.max) return false;
    this.fifo.push(change);
    return true;
  }

  shift(): T | undefined {
    return this.fifo.shift();
  }

  clear(): void {
    this.fifo.clear();
  }
}

/** One waiting entry of the coalescing queue: the net effect so far of one or more changes. */
interface Waiting<T> {
  /** The interface (a row of it); `undefined` for the `initial` marker, which is never merged. */
  readonly id: InterfaceIdentity | undefined;
  /** Presence of the interface before the first change merged into this entry. */
  readonly before: boolean;
  /** The latest change merged into this entry. */
  last: T;
}

/**
 * `overflow: 'coalesce'`: keeps every change while there is room. When a change arrives at a full
 * queue, the queue is compacted once (all waiting changes of an interface become one entry, its net
 * effect, at the place of the first), and from then until the queue runs empty every new change of an
 * interface that already waits is merged into that entry (O(1)). Only when `max` different interfaces
 * wait is a change refused. Net effect rules are those of `debounceInterfaceChanges`; an entry whose net
 * effect is nothing (absent -> absent) is skipped when its turn comes.
 *
 * @internal
 */
export class CoalescingQueue<T extends IpInterfaceChange> implements DeliveryQueue<T> {
  private fifo = new Fifo<Waiting<T>>();
  /** The latest waiting entry per interface. */
  private latest: RowMap<InterfaceIdentity, Waiting<T>>;
  private merging = false;

  constructor(
    private readonly max: number,
    private readonly by: 'interface' | 'address' | 'route' = 'interface',
  ) {
    this.latest = this.newMap();
  }

  /** Address rows carry `address`, route rows the routeKey fields (their streams checked them): those maps key on them too. */
  private newMap(): RowMap<InterfaceIdentity, Waiting<T>> {
    if (this.by === 'route') return new RouteMap<Waiting<T>>() as RowMap<RouteIdentity, Waiting<T>> as unknown as RowMap<InterfaceIdentity, Waiting<T>>;
    return this.by === 'address' ? (new AddressMap<Waiting<T>>() as RowMap<AddressIdentity, Waiting<T>> as RowMap<InterfaceIdentity, Waiting<T>>) : new InterfaceMap<Waiting<T>>();
  }

  get size(): number {
    return this.fifo.length;
  }

  push(change: T): boolean {
    const id = hasRow(change) ? change.row : undefined;
    if (!this.merging && this.fifo.length >= this.max) {
      this.compact();
      this.merging = true;
    }
    if (this.merging && id !== undefined) {
      const waiting = this.latest.get(id);
      if (waiting !== undefined) {
        waiting.last = change;
        return true;
      }
    }
    if (this.fifo.length >= this.max) return false;
    const waiting: Waiting<T> = { id, before: hasRow(change) ? presentBefore(change.kind) : false, last: change };
    this.fifo.push(waiting);
    if (id !== undefined) this.latest.set(id, waiting);
    return true;
  }

  shift(): T | undefined {
    for (;;) {
      const waiting = this.fifo.shift();
      if (waiting === undefined) {
        this.merging = false;
        return undefined;
      }
      if (this.fifo.length === 0) this.merging = false;
      if (waiting.id === undefined) return waiting.last;
      if (this.latest.get(waiting.id) === waiting) this.latest.delete(waiting.id);
      // A merged entry carries a constructed change when the net kind differs from the last one.
      const effect = netEffect(waiting.before, waiting.last as T & IpInterfaceRowChange) as T | undefined;
      if (effect !== undefined) return effect;
    }
  }

  clear(): void {
    this.fifo.clear();
    this.latest.clear();
    this.merging = false;
  }

  /** Merges every interface's waiting changes into its first entry. O(n), once per overload. */
  private compact(): void {
    const first = this.newMap();
    const kept = new Fifo<Waiting<T>>();
    for (const waiting of this.fifo.drain()) {
      if (waiting.id === undefined) {
        kept.push(waiting);
        continue;
      }
      const earlier = first.get(waiting.id);
      if (earlier === undefined) {
        first.set(waiting.id, waiting);
        kept.push(waiting);
      } else earlier.last = waiting.last;
    }
    this.fifo = kept;
    this.latest = first;
  }
}
