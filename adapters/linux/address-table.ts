/**
 * The address half of the Linux adapter's model: the last row of every address (keyed by
 * {@link unicastAddressKey}) and the decision, per RTM_NEWADDR / RTM_DELADDR or per dump, of what to
 * notify. Pure: rows in, changes out (the adapter maps messages with address-row-mapping.ts first).
 *
 * What it decides (kernel behaviour in kernel-addresses-routes.md of the shared reference):
 * - a new key -> `add`; a known key whose row differs -> `parameter`, except a lifetime-only
 *   difference (a router-advertisement refresh), which is counted and notified only with
 *   `lifetimeUpdates`; the same row again -> nothing; RTM_DELADDR of a known key -> `delete` with
 *   the last row known (an unknown one -> nothing).
 * - a dump (all addresses, or one device's or one family's) replaces what the table holds in that
 *   scope: rows it lacks are `delete`d, new ones `add`ed, different ones changed as above. That is
 *   the resync after ENOBUFS, and the per-device check on link up (the kernel does not notify a
 *   link-local address while it is tentative), and the answer to `ip link set DEV down`, which
 *   removes IPv6 addresses.
 *
 * @module
 */
import type { MibNotificationType } from '../../src/adapter.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { addressRowsEqual, isLifetimeOnlyChange } from './address-row-mapping.js';

/** One notification the table decided on. */
export interface AddressTableChange {
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly row: UnicastIpAddressRow;
}

/** Which rows a dump covers (all when empty). */
export interface AddressDumpScope {
  readonly family?: 'inet' | 'inet6' | undefined;
  readonly interfaceIndex?: number | undefined;
}

/** Options of {@link AddressTable}. */
export interface AddressTableOptions {
  /** Notify lifetime-only changes as `parameter` (default false: only counted). */
  readonly lifetimeUpdates?: boolean | undefined;
}

/**
 * The table.
 *
 * @example
 * ```ts
 * const table = new AddressTable();
 * table.load(dumpRows);
 * const change = table.apply(row, message.deleted); // AddressTableChange | undefined
 * ```
 */
export class AddressTable {
  private readonly byKey = new Map<string, UnicastIpAddressRow>();
  private readonly lifetimeUpdates: boolean;
  private lifetimeOnly = 0;

  constructor(options: AddressTableOptions = {}) {
    this.lifetimeUpdates = options.lifetimeUpdates ?? false;
  }

  /** Lifetime-only updates seen (notified or not). */
  get lifetimeOnlyUpdates(): number {
    return this.lifetimeOnly;
  }

  /** Number of addresses held. */
  get size(): number {
    return this.byKey.size;
  }

  /** Starts from a dump without notifying anything (the initial table). */
  load(rows: readonly UnicastIpAddressRow[]): void {
    this.byKey.clear();
    for (const row of rows) this.byKey.set(unicastAddressKey(row), row);
  }

  /** The rows held, optionally of one family. */
  rows(family?: 'inet' | 'inet6'): UnicastIpAddressRow[] {
    const out: UnicastIpAddressRow[] = [];
    for (const row of this.byKey.values()) if (family === undefined || row.family === family) out.push(row);
    return out;
  }

  /** One RTM_NEWADDR (`deleted` false) or RTM_DELADDR (`deleted` true), mapped to its row. */
  apply(row: UnicastIpAddressRow, deleted: boolean): AddressTableChange | undefined {
    const key = unicastAddressKey(row);
    const known = this.byKey.get(key);
    if (deleted) {
      if (known === undefined) return undefined;
      this.byKey.delete(key);
      return { type: 'delete', row: known };
    }
    this.byKey.set(key, row);
    if (known === undefined) return { type: 'add', row };
    return this.changeOf(known, row);
  }

  /** A dump of `scope`: what it says replaces what the table holds there. */
  reconcile(rows: readonly UnicastIpAddressRow[], scope: AddressDumpScope = {}): AddressTableChange[] {
    const inScope = (row: UnicastIpAddressRow): boolean =>
      (scope.family === undefined || row.family === scope.family) && (scope.interfaceIndex === undefined || row.interfaceIndex === scope.interfaceIndex);
    const seen = new Set<string>();
    const changes: AddressTableChange[] = [];
    for (const row of rows) {
      if (!inScope(row)) continue;
      const key = unicastAddressKey(row);
      seen.add(key);
      const change = this.apply(row, false);
      if (change) changes.push(change);
    }
    for (const [key, row] of this.byKey) {
      if (inScope(row) && !seen.has(key)) {
        this.byKey.delete(key);
        changes.push({ type: 'delete', row });
      }
    }
    return changes;
  }

  private changeOf(known: UnicastIpAddressRow, row: UnicastIpAddressRow): AddressTableChange | undefined {
    if (addressRowsEqual(known, row)) return undefined;
    if (isLifetimeOnlyChange(known, row)) {
      this.lifetimeOnly++;
      return this.lifetimeUpdates ? { type: 'parameter', row } : undefined;
    }
    return { type: 'parameter', row };
  }
}
