import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpInterfaceTableOptions } from './ip-interface-table.js';
import { liveTable, type TableKind } from './live-table.js';
import { unicastAddressKey } from './unicast-address-key.js';
import { unicastIpAddressChanges$ } from './unicast-ip-address-changes.js';
import type { UnicastIpAddressRow } from './unicast-ip-address-row.js';

/**
 * Options of {@link unicastIpAddressTable$}.
 *
 * @example
 * ```ts
 * import { unicastIpAddressTable$, AF_INET, type UnicastIpAddressTableOptions } from 'rxjs-ip-interface';
 * import { createMockAdapter, mockAddressRow } from 'rxjs-ip-interface/adapters/mock';
 *
 * const options: UnicastIpAddressTableOptions = { adapter: createMockAdapter({ addressTable: [mockAddressRow()] }) };
 * unicastIpAddressTable$(AF_INET, options).subscribe((table) => console.log(table.size)); // 1
 * ```
 */
export interface UnicastIpAddressTableOptions {
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first subscribe. */
  adapter?: IpInterfaceAdapter | undefined;
  /** As in {@link IpInterfaceTableOptions}: the last subscriber's handler hears a failed cancel. */
  onCancelError?: IpInterfaceTableOptions['onCancelError'];
}

function isAddressRow(value: unknown): value is UnicastIpAddressRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<UnicastIpAddressRow>;
  return (row.family === AF_INET || row.family === AF_INET6) && typeof row.interfaceLuid === 'bigint' && typeof row.address === 'string';
}

/**
 * Addresses: `unicastIpAddressChanges$` (lifetime-only updates dropped: the table's rows would
 * change, nothing a reader of the table acts on would) plus `getUnicastIpAddressTable`.
 */
const ADDRESS_TABLE: TableKind<UnicastIpAddressRow> = {
  changes$: (family, adapter, onCancelError) => unicastIpAddressChanges$(family, true, { adapter, onCancelError }),
  read: (adapter, family) => adapter.getUnicastIpAddressTable?.(family),
  currentTableMethod: 'currentUnicastIpAddressTable',
  key: unicastAddressKey,
  isRow: isAddressRow,
};

const addressTable = liveTable(ADDRESS_TABLE);

/**
 * The live unicast address table of a family: a `ReadonlyMap` from `unicastAddressKey` to the row,
 * emitted once the table has been read and again after every change. The same machinery and
 * guarantees as `ipInterfaceTable$`: it registers first (`NotifyUnicastIpAddressChange` through
 * {@link unicastIpAddressChanges$}) and reads the table (`GetUnicastIpAddressTable`) only once the
 * registration is live, replaying the changes that raced with the read, so no change after
 * subscribe is missed; subscribers of one (adapter, family) share one registration, one read and
 * one persistent map; each emitted map is immutable. An adapter without the address half errors
 * every subscriber with `NOT_SUPPORTED`. Lifetime-only updates do not emit (the rows in the table
 * keep the lifetimes of their last real change).
 *
 * ```text
 * registration:  ^-----------------!
 * table read:    ^--(rows)                 changes a, b arrive during the read, c after it
 * changes:       -a-b----c-----
 * result:        ---T----U-----            T = rows + a + b, U = T + c
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @example
 * ```ts
 * import { unicastIpAddressTable$, AF_INET } from 'rxjs-ip-interface';
 *
 * unicastIpAddressTable$(AF_INET).subscribe((table) => {
 *   console.log([...table.values()].map((row) => `${row.address}/${row.onLinkPrefixLength ?? '?'}`).join(', '));
 * });
 * ```
 */
export function unicastIpAddressTable$(
  family: AddressFamily,
  options: UnicastIpAddressTableOptions = {},
): Observable<ReadonlyMap<string, UnicastIpAddressRow>> {
  return addressTable(family, options);
}
