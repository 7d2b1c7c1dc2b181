/**
 * The machinery every live table shares (`ipInterfaceTable$`, `unicastIpAddressTable$`): register
 * first, read the table once the registration is live, replay the changes that raced with the read,
 * one share per (adapter, family), persistent maps. A registration the adapter lost (contract rule
 * 10: namespace deleted, adapter disposed) errors the change stream, which ends the share: every
 * subscriber gets that error, the dead handle is not cancelled, and a later subscriber starts a new
 * share (registers and reads afresh). What differs between the tables is a {@link TableKind}.
 *
 * @module
 */
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { isAddressFamily, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { IpInterfaceError } from './ip-interface-error.js';
import { loadAdapter } from './default-adapter.js';
import type { NotificationChange } from './notification-changes.js';
import { PersistentMap } from './persistent-map.js';
import { toIpInterfaceError } from './to-ip-interface-error.js';

/** The options every live table takes. */
export interface LiveTableOptions {
  adapter?: IpInterfaceAdapter | undefined;
  onCancelError?: IpInterfaceChangesOptions['onCancelError'];
}

type RowChange<Row> = Extract<NotificationChange<Row>, { row: Row }>;

/** What one kind of live table is made of. */
export interface TableKind<Row> {
  /** The change stream (with `initial` true) the table follows. */
  changes$(family: AddressFamily, adapter: IpInterfaceAdapter, onCancelError: (error: IpInterfaceError) => void): Observable<NotificationChange<Row>>;
  /** The table read (`getIpInterfaceTable`); may throw or return anything: it is checked. */
  read(adapter: IpInterfaceAdapter, family: AddressFamily): unknown;
  /**
   * The optional adapter method that hands out the table its live registrations have been told
   * (duck-typed): after the registration's `initial` marker, that table plus the changes delivered
   * from then on is the live table, so it is taken instead of a fresh read (which costs the linux
   * adapter a second full kernel dump). An array is taken in the same tick; a promise like a read.
   */
  readonly currentTableMethod?: string;
  key(row: Row): string;
  isRow(value: unknown): value is Row;
}

type Table<Row> = ReadonlyMap<string, Row>;

/**
 * One live table per (adapter, family), shared by every subscriber of that pair: one registration,
 * one table read, one persistent map. A subscriber costs one entry in `subscribers`.
 */
class SharedTable<Row> {
  readonly subscribers = new Set<Subscriber<Table<Row>>>();
  /** Undefined until the table has been read. */
  table: PersistentMap<Row> | undefined;
  /** Until the table has been read: the changes that raced with the read, in order. */
  private raced: RowChange<Row>[] | undefined = [];
  private changes: Subscription | undefined;
  private ended = false;
  /** The onCancelError of the subscriber whose leaving cancels the registration. */
  private cancelHandler: LiveTableOptions['onCancelError'];

  constructor(
    private readonly kind: TableKind<Row>,
    private readonly adapter: IpInterfaceAdapter,
    private readonly family: AddressFamily,
    private readonly registry: Map<AddressFamily, SharedTable<Row>>,
  ) {}

  /** Registers for changes; once live, reads the table. Runs once, for the first subscriber. */
  start(): void {
    const changes = this.kind.changes$(this.family, this.adapter, (error) => this.cancelHandler?.(error)).subscribe({
      next: (change) => {
        // The marker says the registration is live: from here on no change can be missed.
        if (change.kind === 'initial') this.read();
        else this.onChange(change);
      },
      error: (error: unknown) => this.end((s) => s.error(error)),
      complete: () => this.end((s) => s.complete()),
    });
    // The share may have ended during that subscribe (a synchronous failure of the read).
    if (this.ended) changes.unsubscribe();
    else this.changes = changes;
  }

  /** Adds a subscriber; it gets the current table at once when the table is known. */
  join(subscriber: Subscriber<Table<Row>>): void {
    this.subscribers.add(subscriber);
    if (this.table) subscriber.next(this.table);
  }

  /** Removes a subscriber; the last one cancels the registration (exactly once). */
  leave(subscriber: Subscriber<Table<Row>>, onCancelError: LiveTableOptions['onCancelError']): void {
    if (!this.subscribers.delete(subscriber) || this.subscribers.size > 0 || this.ended) return;
    this.cancelHandler = onCancelError;
    this.ended = true;
    this.detach();
    this.changes?.unsubscribe();
    this.changes = undefined;
  }

  private detach(): void {
    if (this.registry.get(this.family) === this) this.registry.delete(this.family);
    this.table = undefined;
    this.raced = undefined;
  }

  /** Ends the share for everyone (error or completion); a later subscriber starts a new one. */
  private end(notify: (s: Subscriber<Table<Row>>) => void): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    const changes = this.changes;
    this.changes = undefined;
    for (const s of subscribers) notify(s);
    changes?.unsubscribe();
  }

  private fail(error: IpInterfaceError): void {
    this.end((s) => s.error(error));
  }

  private read(): void {
    let pending: Promise<unknown>;
    try {
      const method = this.kind.currentTableMethod;
      const current = method === undefined ? undefined : (this.adapter as unknown as Record<string, unknown>)[method];
      if (typeof current === 'function') {
        const rows: unknown = (current as (family: AddressFamily) => unknown).call(this.adapter, this.family);
        // The registrations' own table is usually at hand: loaded at once, in the same tick as the marker.
        if (Array.isArray(rows)) {
          this.load(rows);
          return;
        }
        pending = Promise.resolve(rows);
      } else {
        // Promise.resolve: an adapter returning a non-promise (or a hostile thenable) fails in the
        // promise, where it is handled, not in this call.
        pending = Promise.resolve(this.kind.read(this.adapter, this.family));
      }
    } catch (error) {
      this.fail(adapterError(error, this.adapter));
      return;
    }
    pending.then(
      (list) => this.load(list),
      (error: unknown) => {
        if (!this.ended) this.fail(adapterError(error, this.adapter));
      },
    );
  }

  /** Takes the rows read, replays the changes that raced with the read on top, emits the first table. */
  private load(list: unknown): void {
    if (this.ended) return;
    let table: PersistentMap<Row>;
    try {
      table = PersistentMap.fromValues(checkedRows(this.kind, list, this.adapter), this.kind.key);
      for (const change of this.raced ?? []) table = apply(this.kind, table, change);
    } catch (error) {
      this.fail(adapterError(error, this.adapter));
      return;
    }
    this.raced = undefined;
    this.table = table;
    this.emit(table);
  }

  private onChange(change: RowChange<Row>): void {
    let row = false;
    try {
      row = this.kind.isRow(change.row);
    } catch {
      // a row whose getters throw is not a row
    }
    if (!row) {
      this.fail(new IpInterfaceError('OS_ERROR', `${adapterName(this.adapter)} adapter delivered a ${change.kind} change without a row: ${describe(change.row)}`, {
        adapter: adapterName(this.adapter),
      }));
      return;
    }
    if (this.raced !== undefined) {
      this.raced.push(change);
      return;
    }
    if (!this.table) return;
    this.table = apply(this.kind, this.table, change);
    this.emit(this.table);
  }

  /**
   * Emits to the subscribers present now; one that joins during this (from a `next`) already has it
   * from `join`. A `next` may cause a newer table (a change delivered synchronously): that one has
   * gone to everyone, so this older one stops rather than overtake it (red-team: [2, 1] seen).
   */
  private emit(table: Table<Row>): void {
    if (this.subscribers.size === 1) {
      const [only] = this.subscribers; // not the live set: a subscriber joining in `next` has it already
      only!.next(table);
      return;
    }
    for (const s of [...this.subscribers]) {
      if (this.table !== table) return;
      if (this.subscribers.has(s)) s.next(table);
    }
  }
}

/** Live shares of one kind: per adapter (weakly: a dropped adapter takes its entry with it), per family. */
type Shares<Row> = WeakMap<IpInterfaceAdapter, Map<AddressFamily, SharedTable<Row>>>;

function shareOf<Row>(kind: TableKind<Row>, shares: Shares<Row>, adapter: IpInterfaceAdapter, family: AddressFamily): { share: SharedTable<Row>; fresh: boolean } {
  let byFamily = shares.get(adapter);
  if (!byFamily) {
    byFamily = new Map();
    shares.set(adapter, byFamily);
  }
  const live = byFamily.get(family);
  if (live) return { share: live, fresh: false };
  const share = new SharedTable(kind, adapter, family, byFamily);
  byFamily.set(family, share);
  return { share, fresh: true };
}

/** The live-table function of one kind: each call makes a cold Observable sharing per (adapter, family). */
export function liveTable<Row>(kind: TableKind<Row>): (family: AddressFamily, options?: LiveTableOptions) => Observable<ReadonlyMap<string, Row>> {
  const shares: Shares<Row> = new WeakMap();
  return (family, options = {}) => new Observable<Table<Row>>((subscriber) => {
    if (!isAddressFamily(family)) {
      subscriber.error(
        new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${String(family)}: use AF_UNSPEC, AF_INET or AF_INET6`),
      );
      return;
    }
    let closed = false;
    let share: SharedTable<Row> | undefined;

    const attach = (adapter: IpInterfaceAdapter): void => {
      const found = shareOf(kind, shares, adapter, family);
      share = found.share;
      // Join first: a start that fails synchronously then errors this subscriber too.
      share.join(subscriber);
      if (found.fresh) share.start();
    };

    if (options.adapter) attach(options.adapter);
    else
      loadAdapter().then(
        (adapter) => {
          if (!closed) attach(adapter);
        },
        (error: unknown) => {
          if (!closed) subscriber.error(adapterError(error, 'default'));
        },
      );

    return () => {
      closed = true;
      share?.leave(subscriber, options.onCancelError);
    };
  });
}

function apply<Row>(kind: TableKind<Row>, table: PersistentMap<Row>, change: RowChange<Row>): PersistentMap<Row> {
  return change.kind === 'removed' ? table.delete(kind.key(change.row)) : table.set(kind.key(change.row), change.row);
}

/** The rows of a table read, checked: an adapter that resolves anything but rows is an error. */
function checkedRows<Row>(kind: TableKind<Row>, list: unknown, adapter: IpInterfaceAdapter): readonly Row[] {
  if (!Array.isArray(list)) {
    throw new IpInterfaceError('OS_ERROR', `${adapterName(adapter)} adapter's table read resolved ${describe(list)}, not an array of rows`, {
      adapter: adapterName(adapter),
    });
  }
  // Copied as checked: each element is read once (a hostile array could answer differently twice).
  const rows = new Array<Row>(list.length);
  for (let i = 0; i < list.length; i++) {
    const row: unknown = list[i];
    if (!kind.isRow(row)) {
      throw new IpInterfaceError('OS_ERROR', `${adapterName(adapter)} adapter's table read gave ${describe(row)} at index ${i}, not a row`, {
        adapter: adapterName(adapter),
      });
    }
    rows[i] = row;
  }
  return rows;
}

function adapterName(adapter: IpInterfaceAdapter | string): string {
  if (typeof adapter === 'string') return adapter;
  try {
    return typeof adapter.name === 'string' ? adapter.name : 'unnamed';
  } catch {
    return 'unnamed';
  }
}

/** What an adapter failed with, as an IpInterfaceError, whatever it threw (even an object whose toString throws). */
function adapterError(error: unknown, adapter: IpInterfaceAdapter | string): IpInterfaceError {
  const name = adapterName(adapter);
  try {
    return toIpInterfaceError(error, name);
  } catch {
    return new IpInterfaceError('OS_ERROR', `${name} adapter failed with ${describe(error)}`, { adapter: name, cause: error });
  }
}

/** A short description of a value that never throws (hostile objects included). */
function describe(value: unknown): string {
  try {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return typeof value === 'string' ? `'${value.slice(0, 40)}'` : typeof value === 'bigint' ? `${value}n` : String(value);
    }
    return Array.isArray(value) ? 'an array' : `an ${typeof value} that is not a row`;
  } catch {
    return 'a value that cannot be described';
  }
}
