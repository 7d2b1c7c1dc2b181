import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import { ipInterfaceChanges$, type IpInterfaceChangesOptions } from './ip-interface-changes.js';
import type { IpInterfaceRow } from './ip-interface-row.js';
import { interfaceKey } from './interface-key.js';
import { liveTable, type TableKind } from './live-table.js';

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

/** Interfaces: `ipInterfaceChanges$` plus `getIpInterfaceTable` (or `currentIpInterfaceTable`). */
const INTERFACE_TABLE: TableKind<IpInterfaceRow> = {
  changes$: (family, adapter, onCancelError) => ipInterfaceChanges$(family, true, { adapter, onCancelError }),
  read: (adapter, family) => adapter.getIpInterfaceTable(family),
  currentTableMethod: 'currentIpInterfaceTable',
  key: interfaceKey,
  isRow: isInterfaceRow,
};

const interfaceTable = liveTable(INTERFACE_TABLE);

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
  return interfaceTable(family, options);
}

function isInterfaceRow(value: unknown): value is IpInterfaceRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<IpInterfaceRow>;
  return (row.family === AF_INET || row.family === AF_INET6) && typeof row.interfaceLuid === 'bigint';
}

