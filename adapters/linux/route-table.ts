/**
 * The route half of the Linux adapter's model: every forwarding row (one per next hop, keyed by
 * {@link routeKey}) and the decision, per RTM_NEWROUTE / RTM_DELROUTE or per dump, of what to
 * notify. Pure: the adapter parses and maps (route-parser.ts, route-row-mapping.ts) first.
 *
 * How the kernel reports route changes (observed on 6.18, kernel-addresses-routes.md), and what the
 * table does with each. A "route" is what one message describes: one destination in one table with
 * one metric (IPv4: and TOS), with one or more next hops.
 * - IPv6 RTM_NEWROUTE (add, `replace`, `append`) carries the route's whole next-hop set after the
 *   change: the route's rows become exactly the message's (rows it no longer has are `delete`d).
 * - IPv6 RTM_DELROUTE names the hops removed (one, for `ip -6 route del ... via X` of a multipath
 *   route): those rows are `delete`d.
 * - IPv4 keeps several routes with the same destination and metric side by side (`ip route append`
 *   adds one: its own RTM_NEWROUTE with NLM_F_APPEND and only its hops). A plain add or append adds
 *   the message's rows. NLM_F_REPLACE (`ip route replace`, also when nothing was there) replaces one
 *   of them: when the table holds one route for that destination/metric, its rows are replaced;
 *   when it holds several it cannot know which one, and asks for a resync (`resync: true`).
 * - IPv4 RTM_DELROUTE names the route removed: its rows are `delete`d.
 * - No message at all for IPv4 routes removed with their device's link or address, nor for a
 *   multipath hop going dead and coming back: the adapter re-dumps (the device's routes, with
 *   NETLINK_GET_STRICT_CHK) and calls {@link RouteTable.reconcile}.
 *
 * @module
 */
import type { MibNotificationType } from '../../src/adapter.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import { routeKey } from '../../src/route-key.js';
import { routeRowsEqual } from './route-row-mapping.js';

/** One notification the table decided on. */
export interface RouteTableChange {
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly row: IpForwardRow;
}

/** What one route message meant for the table. */
export interface RouteTableResult {
  readonly changes: RouteTableChange[];
  /** The message was ambiguous for the table (an IPv4 replace among several same-metric routes): dump and {@link RouteTable.reconcile}. */
  readonly resync: boolean;
}

/** One route message, as the table needs it. */
export interface RouteEvent {
  readonly deleted: boolean;
  /** nlmsg_flags has NLM_F_REPLACE. */
  readonly replace: boolean;
  readonly family: 'inet' | 'inet6';
  /** The message's rows (mapRouteRows), one per live next hop; may be empty (every hop dead). */
  readonly rows: readonly IpForwardRow[];
  /** The route's identity when `rows` is empty: table, destination, metric (from the message). */
  readonly route?: Pick<IpForwardRow, 'family' | 'table' | 'destinationPrefix' | 'metric'> | undefined;
}

/** Which rows a dump covers (all when empty). */
export interface RouteDumpScope {
  readonly family?: 'inet' | 'inet6' | undefined;
  readonly interfaceIndex?: number | undefined;
  readonly table?: number | undefined;
}

type RouteIdentity = Pick<IpForwardRow, 'family' | 'table' | 'destinationPrefix' | 'metric'>;
const routeIdOf = (r: RouteIdentity): string =>
  `${r.family}|${r.table ?? ''}|${r.destinationPrefix.prefix}/${r.destinationPrefix.prefixLength}|${r.metric ?? ''}`;

/**
 * The table.
 *
 * @example
 * ```ts
 * const table = new RouteTable();
 * table.load(dumpRows);
 * const { changes, resync } = table.apply({ deleted: m.deleted, replace: (m.flags & NLM_F_REPLACE) !== 0, family, rows });
 * ```
 */
export class RouteTable {
  private readonly byKey = new Map<string, IpForwardRow>();
  /** Route identity -> the routes there (IPv4 may hold several), each as the keys of its rows. */
  private readonly routes = new Map<string, Set<string>[]>();

  /** Number of rows held. */
  get size(): number {
    return this.byKey.size;
  }

  /** Starts from a dump without notifying anything (each message's rows as one route). */
  load(routes: readonly (readonly IpForwardRow[])[]): void {
    this.byKey.clear();
    this.routes.clear();
    for (const rows of routes) this.addRoute(rows);
  }

  /** The rows held, optionally of one family. */
  rows(family?: 'inet' | 'inet6'): IpForwardRow[] {
    const out: IpForwardRow[] = [];
    for (const row of this.byKey.values()) if (family === undefined || row.family === family) out.push(row);
    return out;
  }

  /** One RTM_NEWROUTE / RTM_DELROUTE. */
  apply(event: RouteEvent): RouteTableResult {
    const identity = event.rows[0] ?? event.route;
    if (identity === undefined) return { changes: [], resync: false };
    const id = routeIdOf(identity);
    const changes: RouteTableChange[] = [];
    if (event.deleted) {
      for (const row of event.rows) this.removeRow(routeKey(row), changes);
      return { changes, resync: false };
    }
    const existing = this.routes.get(id) ?? [];
    if (event.family === 'inet6' || event.replace) {
      if (event.family === 'inet' && existing.length > 1) return { changes: [], resync: true };
      const next = new Set(event.rows.map(routeKey));
      for (const route of existing) for (const key of route) if (!next.has(key)) this.removeRow(key, changes);
      this.routes.delete(id);
    }
    this.addRoute(event.rows, changes);
    return { changes, resync: false };
  }

  /**
   * A dump of `scope` (each message's rows as one route): what it says replaces what the table
   * holds there.
   */
  reconcile(routes: readonly (readonly IpForwardRow[])[], scope: RouteDumpScope = {}): RouteTableChange[] {
    const inScope = (row: IpForwardRow): boolean =>
      (scope.family === undefined || row.family === scope.family) &&
      (scope.interfaceIndex === undefined || row.interfaceIndex === scope.interfaceIndex) &&
      (scope.table === undefined || row.table === scope.table);
    const changes: RouteTableChange[] = [];
    const seen = new Set<string>();
    for (const rows of routes) {
      const kept = rows.filter(inScope);
      for (const row of kept) seen.add(routeKey(row));
    }
    for (const [key, row] of [...this.byKey]) if (inScope(row) && !seen.has(key)) this.removeRow(key, changes);
    for (const rows of routes) {
      const kept = rows.filter(inScope);
      if (kept.length > 0) this.mergeRoute(kept, changes);
    }
    return changes;
  }

  private addRoute(rows: readonly IpForwardRow[], changes?: RouteTableChange[]): void {
    if (rows.length === 0) return;
    const id = routeIdOf(rows[0]!);
    const keys = new Set<string>();
    for (const row of rows) {
      const key = routeKey(row);
      keys.add(key);
      const known = this.byKey.get(key);
      this.byKey.set(key, row);
      if (known === undefined) changes?.push({ type: 'add', row });
      else if (!routeRowsEqual(known, row)) changes?.push({ type: 'parameter', row });
    }
    const list = this.routes.get(id) ?? [];
    // A key lives in one route only: an add that repeats known rows moves them (no duplicate entries).
    for (const route of list) for (const key of keys) route.delete(key);
    this.routes.set(id, [...list.filter((r) => r.size > 0), keys]);
  }

  /** Rows of one route from a dump: rows known under another grouping are updated in place. */
  private mergeRoute(rows: readonly IpForwardRow[], changes: RouteTableChange[]): void {
    const id = routeIdOf(rows[0]!);
    const list = this.routes.get(id) ?? [];
    const keys = new Set(rows.map(routeKey));
    const same = list.find((route) => [...keys].some((k) => route.has(k)));
    if (same) for (const k of keys) same.add(k);
    for (const row of rows) {
      const key = routeKey(row);
      const known = this.byKey.get(key);
      this.byKey.set(key, row);
      if (known === undefined) changes.push({ type: 'add', row });
      else if (!routeRowsEqual(known, row)) changes.push({ type: 'parameter', row });
    }
    if (!same) this.routes.set(id, [...list, keys]);
  }

  private removeRow(key: string, changes: RouteTableChange[]): void {
    const row = this.byKey.get(key);
    if (row === undefined) return;
    this.byKey.delete(key);
    const id = routeIdOf(row);
    const list = this.routes.get(id);
    if (list) {
      for (const route of list) route.delete(key);
      const left = list.filter((r) => r.size > 0);
      if (left.length > 0) this.routes.set(id, left);
      else this.routes.delete(id);
    }
    changes.push({ type: 'delete', row });
  }
}
