import { Observable, type Subscription } from 'rxjs';
import { isAddressFamily, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpInterfaceRowChange } from './ip-interface-change.js';
import { ipInterfaceChanges$, type IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { IpInterfaceError } from './ip-interface-error.js';
import type { IpInterfaceRow } from './ip-interface-row.js';
import { interfaceKey } from './interface-key.js';
import { loadAdapter } from './default-adapter.js';
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
  /** Called when cancelling the registration fails after unsubscribe. Default: ignored. */
  onCancelError?: IpInterfaceChangesOptions['onCancelError'];
}

/**
 * The live IP interface table of a family: a `ReadonlyMap` from {@link interfaceKey} to the row,
 * emitted once the table has been read and again after every change.
 *
 * It registers for changes first (`NotifyIpInterfaceChange` through {@link ipInterfaceChanges$}),
 * and only once the registration is live reads the table (`GetIpInterfaceTable`). Changes that
 * arrive while the read is in flight are buffered and applied on top of the rows read (applying a
 * change the read already saw is harmless: rows are replaced, not merged), so no change that happens
 * after subscribe is ever missed. Each emission is a new `Map` that the library never touches again;
 * treat it as immutable (it is typed `ReadonlyMap`). Every change emits, even one that leaves the
 * table as it was (a `removed` of an unknown interface).
 *
 * Errors are `IpInterfaceError`s (an invalid family: `INVALID_PARAMETER`, before anything
 * registers; a failed registration or table read: the adapter's code). Unsubscribing cancels the
 * registration and ignores a table read still in flight.
 *
 * ```text
 * registration:  ^-----------------!
 * table read:    ^--(rows)                 changes a, b arrive during the read, c after it
 * changes:       -a-b----c-----
 * result:        ---T----U-----            T = rows + a + b (one snapshot), U = T + c
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
  return new Observable<ReadonlyMap<string, IpInterfaceRow>>((subscriber) => {
    if (!isAddressFamily(family)) {
      subscriber.error(
        new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${String(family)}: use AF_UNSPEC, AF_INET or AF_INET6`),
      );
      return;
    }
    let closed = false;
    let changes: Subscription | undefined;

    const start = (adapter: IpInterfaceAdapter): void => {
      // Until the table has been read: the changes that raced with the read, in order.
      let raced: IpInterfaceRowChange[] | undefined = [];
      let table = new Map<string, IpInterfaceRow>();

      const read = (): void => {
        let rows: Promise<IpInterfaceRow[]>;
        try {
          rows = adapter.getIpInterfaceTable(family);
        } catch (error) {
          subscriber.error(toIpInterfaceError(error, adapter.name));
          return;
        }
        rows.then(
          (list) => {
            if (closed) return;
            const fresh = new Map<string, IpInterfaceRow>();
            for (const row of list) fresh.set(interfaceKey(row), row);
            for (const change of raced ?? []) apply(fresh, change);
            raced = undefined;
            table = fresh;
            subscriber.next(table);
          },
          (error: unknown) => {
            if (!closed) subscriber.error(toIpInterfaceError(error, adapter.name));
          },
        );
      };

      changes = ipInterfaceChanges$(family, true, { adapter, onCancelError: options.onCancelError }).subscribe({
        next: (change) => {
          // The marker says the registration is live: from here on no change can be missed.
          if (change.kind === 'initial') read();
          else if (raced !== undefined) raced.push(change);
          else {
            table = apply(new Map(table), change);
            subscriber.next(table);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      // The subscriber may have gone during that subscribe (a synchronous failure of the read).
      if (closed) changes.unsubscribe();
    };

    if (options.adapter) start(options.adapter);
    else
      loadAdapter().then(
        (adapter) => {
          if (!closed) start(adapter);
        },
        (error: unknown) => {
          if (!closed) subscriber.error(toIpInterfaceError(error, 'default'));
        },
      );

    return () => {
      closed = true;
      changes?.unsubscribe();
    };
  });
}

function apply(table: Map<string, IpInterfaceRow>, change: IpInterfaceRowChange): Map<string, IpInterfaceRow> {
  if (change.kind === 'removed') table.delete(interfaceKey(change.row));
  else table.set(interfaceKey(change.row), change.row);
  return table;
}
