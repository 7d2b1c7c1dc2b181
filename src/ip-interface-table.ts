import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { AF_INET, AF_INET6, isAddressFamily, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpInterfaceRowChange } from './ip-interface-change.js';
import { ipInterfaceChanges$, type IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { IpInterfaceError } from './ip-interface-error.js';
import type { IpInterfaceRow } from './ip-interface-row.js';
import { interfaceKey } from './interface-key.js';
import { loadAdapter } from './default-adapter.js';
import { PersistentMap } from './persistent-map.js';
import { toIpInterfaceError } from './to-ip-interface-error.js';

/**
 * Options of {@link ipInterfaceTable$}.
 *
 * @example
 * ```ts
 * import { ipInterfaceTable$, AF_INET, type IpInterfaceTableOptions } from 'rxjs-ip-interface';
 * import { createMockAdapter, mockRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * const options: IpInterfaceTableOptions = { adapter: createMockAdapter({ table: [mockRow()] }) };
 * ipInterfaceTable$(AF_INET, options).subscribe((table) => console.log(table.size));
 * ```
 */
export interface IpInterfaceTableOptions {
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first subscribe. */
  adapter?: IpInterfaceAdapter | undefined;
  /**
   * Called when cancelling the (shared) registration fails after unsubscribe: the handler of the
   * subscriber whose unsubscribe cancelled it, the last one to leave. Default: ignored.
   */
  onCancelError?: IpInterfaceChangesOptions['onCancelError'];
}

/**
 * An adapter that can also hand out the table its live registrations have been told (an optional
 * capability, duck-typed): after the registration's `initial` marker, that table plus the changes
 * delivered from then on is the live table, so {@link ipInterfaceTable$} takes it instead of a fresh
 * `getIpInterfaceTable` (which costs the linux adapter a second full kernel dump). An array is
 * taken in the same tick; a promise like a table read.
 */
interface RegisteredTableSource {
  currentIpInterfaceTable(family: AddressFamily): Promise<IpInterfaceRow[]> | IpInterfaceRow[];
}

type Table = ReadonlyMap<string, IpInterfaceRow>;

/**
 * One live table per (adapter, family), shared by every subscriber of that pair: one registration,
 * one table read, one persistent map. A subscriber costs one entry in `subscribers`.
 */
class SharedTable {
  readonly subscribers = new Set<Subscriber<Table>>();
  /** Undefined until the table has been read. */
  table: PersistentMap<IpInterfaceRow> | undefined;
  /** Until the table has been read: the changes that raced with the read, in order. */
  private raced: IpInterfaceRowChange[] | undefined = [];
  private changes: Subscription | undefined;
  private ended = false;
  /** The onCancelError of the subscriber whose leaving cancels the registration. */
  private cancelHandler: IpInterfaceTableOptions['onCancelError'];

  constructor(
    private readonly adapter: IpInterfaceAdapter,
    private readonly family: AddressFamily,
    private readonly registry: Map<AddressFamily, SharedTable>,
  ) {}

  /** Registers for changes; once live, reads the table. Runs once, for the first subscriber. */
  start(): void {
    const changes = ipInterfaceChanges$(this.family, true, {
      adapter: this.adapter,
      onCancelError: (error) => this.cancelHandler?.(error),
    }).subscribe({
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
  join(subscriber: Subscriber<Table>): void {
    this.subscribers.add(subscriber);
    if (this.table) subscriber.next(this.table);
  }

  /** Removes a subscriber; the last one cancels the registration (exactly once). */
  leave(subscriber: Subscriber<Table>, onCancelError: IpInterfaceTableOptions['onCancelError']): void {
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
  private end(notify: (s: Subscriber<Table>) => void): void {
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
      const source = this.adapter as Partial<RegisteredTableSource>;
      if (typeof source.currentIpInterfaceTable === 'function') {
        const rows = source.currentIpInterfaceTable(this.family);
        // The registrations' own table is usually at hand: loaded at once, in the same tick as the marker.
        if (Array.isArray(rows)) {
          this.load(rows);
          return;
        }
        pending = Promise.resolve(rows);
      } else {
        // Promise.resolve: an adapter returning a non-promise (or a hostile thenable) fails in the
        // promise, where it is handled, not in this call.
        pending = Promise.resolve(this.adapter.getIpInterfaceTable(this.family));
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
    let table: PersistentMap<IpInterfaceRow>;
    try {
      table = PersistentMap.from(rowEntries(list, this.adapter));
      for (const change of this.raced ?? []) table = apply(table, change);
    } catch (error) {
      this.fail(adapterError(error, this.adapter));
      return;
    }
    this.raced = undefined;
    this.table = table;
    this.emit(table);
  }

  private onChange(change: IpInterfaceRowChange): void {
    let row = false;
    try {
      row = isRow(change.row);
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
    this.table = apply(this.table, change);
    this.emit(this.table);
  }

  /** Emits to the subscribers present now; one that joins during this (from a `next`) already has it. */
  private emit(table: Table): void {
    if (this.subscribers.size === 1) {
      for (const s of this.subscribers) s.next(table);
      return;
    }
    for (const s of [...this.subscribers]) if (this.subscribers.has(s)) s.next(table);
  }
}

/** Live shares: per adapter (weakly: a dropped adapter takes its entry with it), per family. */
const shares = new WeakMap<IpInterfaceAdapter, Map<AddressFamily, SharedTable>>();

function shareOf(adapter: IpInterfaceAdapter, family: AddressFamily): { share: SharedTable; fresh: boolean } {
  let byFamily = shares.get(adapter);
  if (!byFamily) {
    byFamily = new Map();
    shares.set(adapter, byFamily);
  }
  const live = byFamily.get(family);
  if (live) return { share: live, fresh: false };
  const share = new SharedTable(adapter, family, byFamily);
  byFamily.set(family, share);
  return { share, fresh: true };
}

/**
 * The live IP interface table of a family: a `ReadonlyMap` from {@link interfaceKey} to the row,
 * emitted once the table has been read and again after every change.
 *
 * It registers for changes first (`NotifyIpInterfaceChange` through {@link ipInterfaceChanges$}),
 * and only once the registration is live reads the table (`GetIpInterfaceTable`). Changes that
 * arrive while the read is in flight are buffered and applied on top of the rows read (applying a
 * change the read already saw is harmless: rows are replaced, not merged), so no change that happens
 * after subscribe is ever missed. Every change emits, even one that leaves the table as it was (a
 * `removed` of an unknown interface).
 *
 * Subscribers of the same family on the same adapter share one registration, one table read and
 * one table: the first subscriber registers, later ones get the current table at once and every
 * change from then on, and the last one to unsubscribe cancels the registration (a later
 * subscriber registers again). Each emission is an immutable map (a persistent hash trie): a
 * change costs the same whatever the table's size, emitted maps share their unchanged parts, and a
 * map once emitted never changes, so a subscriber may keep it. Its iteration order is not the
 * order of insertion.
 *
 * Errors are `IpInterfaceError`s (an invalid family: `INVALID_PARAMETER`, before anything
 * registers; a failed registration or table read: the adapter's code; an adapter whose table read
 * resolves something other than an array of rows, or a change without a row: `OS_ERROR`) and reach
 * every subscriber of the share. Unsubscribing ignores a table read still in flight.
 *
 * ```text
 * registration:  ^-----------------!
 * table read:    ^--(rows)                 changes a, b arrive during the read, c after it
 * changes:       -a-b----c-----
 * result:        ---T----U-----            T = rows + a + b (one snapshot), U = T + c
 * second subscriber (joins at j, shares it):
 *                ------j-c-----
 * result:        ------T-U-----            T at once, then the same U
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @example
 * ```ts
 * import { ipInterfaceTable$, AF_INET } from 'rxjs-ip-interface';
 *
 * ipInterfaceTable$(AF_INET).subscribe((table) => {
 *   const mtus = [...table.values()].map((row) => `${row.interfaceName ?? row.interfaceIndex}: ${row.nlMtu}`);
 *   console.log(mtus.join(', '));
 * });
 * ```
 */
export function ipInterfaceTable$(
  family: AddressFamily,
  options: IpInterfaceTableOptions = {},
): Observable<ReadonlyMap<string, IpInterfaceRow>> {
  return new Observable<Table>((subscriber) => {
    if (!isAddressFamily(family)) {
      subscriber.error(
        new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${String(family)}: use AF_UNSPEC, AF_INET or AF_INET6`),
      );
      return;
    }
    let closed = false;
    let share: SharedTable | undefined;

    const attach = (adapter: IpInterfaceAdapter): void => {
      const found = shareOf(adapter, family);
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

function apply(table: PersistentMap<IpInterfaceRow>, change: IpInterfaceRowChange): PersistentMap<IpInterfaceRow> {
  return change.kind === 'removed' ? table.delete(interfaceKey(change.row)) : table.set(interfaceKey(change.row), change.row);
}

function isRow(value: unknown): value is IpInterfaceRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<IpInterfaceRow>;
  return (row.family === AF_INET || row.family === AF_INET6) && typeof row.interfaceLuid === 'bigint';
}

/** The entries of a table read, checked: an adapter that resolves anything but rows is an error. */
function* rowEntries(list: unknown, adapter: IpInterfaceAdapter): Generator<[string, IpInterfaceRow]> {
  if (!Array.isArray(list)) {
    throw new IpInterfaceError('OS_ERROR', `${adapterName(adapter)} adapter's table read resolved ${describe(list)}, not an array of rows`, {
      adapter: adapterName(adapter),
    });
  }
  for (let i = 0; i < list.length; i++) {
    const row: unknown = list[i];
    if (!isRow(row)) {
      throw new IpInterfaceError('OS_ERROR', `${adapterName(adapter)} adapter's table read gave ${describe(row)} at index ${i}, not a row`, {
        adapter: adapterName(adapter),
      });
    }
    yield [interfaceKey(row), row];
  }
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
