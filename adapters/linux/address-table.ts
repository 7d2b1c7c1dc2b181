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
  /** Set on a `parameter` that only moved the lifetimes (rule A3), notified with `lifetimeUpdates`. */
  readonly lifetimeOnly?: true | undefined;
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
  /** Keys per interface index: a device's dump or deletion touches only its own rows, whatever the table size. */
  private readonly byDevice = new Map<number, Set<string>>();
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
    this.clear();
    for (const row of rows) this.put(unicastAddressKey(row), row);
  }

  /** Forgets every row (notifies nothing). */
  clear(): void {
    this.byKey.clear();
    this.byDevice.clear();
  }

  /** The rows of one interface index. */
  deviceRows(interfaceIndex: number): UnicastIpAddressRow[] {
    const keys = this.byDevice.get(interfaceIndex);
    return keys ? [...keys].map((key) => this.byKey.get(key)!) : [];
  }

  /** The device is gone: a `delete` for each row it still has (the kernel does not announce a tentative one's removal). */
  removeDevice(interfaceIndex: number): AddressTableChange[] {
    const changes: AddressTableChange[] = [];
    for (const row of this.deviceRows(interfaceIndex)) {
      this.remove(unicastAddressKey(row), row);
      changes.push({ type: 'delete', row });
    }
    return changes;
  }

  private put(key: string, row: UnicastIpAddressRow): void {
    this.byKey.set(key, row);
    let keys = this.byDevice.get(row.interfaceIndex);
    if (!keys) this.byDevice.set(row.interfaceIndex, (keys = new Set()));
    keys.add(key);
  }

  private remove(key: string, row: UnicastIpAddressRow): void {
    this.byKey.delete(key);
    const keys = this.byDevice.get(row.interfaceIndex);
    keys?.delete(key);
    if (keys?.size === 0) this.byDevice.delete(row.interfaceIndex);
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
      this.remove(key, known);
      return { type: 'delete', row: known };
    }
    this.put(key, row);
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
    const candidates = scope.interfaceIndex === undefined ? [...this.byKey.values()] : this.deviceRows(scope.interfaceIndex);
    for (const row of candidates) {
      const key = unicastAddressKey(row);
      if (inScope(row) && !seen.has(key)) {
        this.remove(key, row);
        changes.push({ type: 'delete', row });
      }
    }
    return changes;
  }

  private changeOf(known: UnicastIpAddressRow, row: UnicastIpAddressRow): AddressTableChange | undefined {
    if (addressRowsEqual(known, row)) return undefined;
    if (isLifetimeOnlyChange(known, row)) {
      this.lifetimeOnly++;
      return this.lifetimeUpdates ? { type: 'parameter', row, lifetimeOnly: true } : undefined;
    }
    return { type: 'parameter', row };
  }
}
