/**
 * The adapter's model of the kernel: device state per ifindex, which IP interfaces exist per
 * (family, ifindex), and the last row emitted for each. Events are applied as they arrive and
 * resolved once per batch (one wake-up's worth of messages), which is where `added`, `changed` and
 * `removed` are decided. Pure: the few kernel reads it needs go through {@link TableResolver}, and
 * everything it decides leaves through one {@link ChangeSink}.
 * (TableResolver and FinishOptions, the loop's side of the contract, live in reader-table.ts.)
 *
 * @module
 */
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { dumpInterfaceSnapshot, type TableSnapshot } from './interface-table-snapshot.js';
import {
  DEVCONF_FORWARDING, DEVCONF_MTU6, IPV4_DEVCONF_FORWARDING_INDEX, LINUX_AF_INET, LINUX_AF_INET6, LINUX_AF_UNSPEC, RT_SCOPE_LINK,
} from './netlink-constants.js';
import { emptyLinkSummary, summarizeLink, type AddressMessage, type Inet6Info, type LinkMessage, type LinkSummary, type NeighTableMessage, type NetconfMessage, type NetlinkMessage } from './netlink-parser.js';
import type { NetlinkRequester } from './netlink-requester.js';
import type { FinishOptions, ReaderTable, TableResolver } from './reader-table.js';
import { mapRow, rowsEqual, type LinkState, type NeighParms } from './row-mapping.js';
import type { ChangeSink, TableChange } from './table-change.js';

/** An IP interface family as rows carry it. */
export type RowFamily = 'inet' | 'inet6';



/** What the resolve steps of `finishBatch` found, handed from step to step. */
interface BatchResolution {
  /** Keys whose interface goes away in this batch. */
  readonly removed: Set<number>;
  /** Keys whose removal waits for a later batch (unanswered, not confirmed now). */
  readonly carried: Set<number>;
  /** Keys whose interface appears in this batch. */
  readonly added: Set<number>;
  /** Families whose neighbour tables were re-read in this batch. */
  readonly neighRead: Set<RowFamily>;
}

/** The IP interfaces a snapshot says exist: their keys in load order, and membership. */
interface ExistingKeys {
  readonly keys: readonly number[];
  has(key: number): boolean;
}

/** RTM_GETLINK per ifindex at most once per batch; a fetched link is stored. */
type LinkFetch = (ifindex: number) => LinkMessage | undefined;

/** Batches a pending add whose RTM_GETLINK finds nothing waits for its queued messages (see addWaits). */
const MAX_ADD_WAITS = 3;
/** IPv6 needs links of at least this MTU (below it the kernel removes the device's IPv6 part). */
const IPV6_MIN_MTU = 1280;
/** The kernel destroys a device's IPv4 part below this MTU (inetdev_valid_mtu). */
const IPV4_MIN_MTU = 68;
const NEIGH_TABLE: Record<RowFamily, string> = { inet: 'arp_cache', inet6: 'ndisc_cache' };
const LINUX_FAMILY: Record<RowFamily, number> = { inet: LINUX_AF_INET, inet6: LINUX_AF_INET6 };

// Numeric keys (ifindex * 2 + family bit): cheaper than strings on the per-message path.
const keyOf = (family: RowFamily, ifindex: number): number => ifindex * 2 + (family === 'inet6' ? 1 : 0);
const familyOfLinux = (family: number): RowFamily | undefined =>
  family === LINUX_AF_INET ? 'inet' : family === LINUX_AF_INET6 ? 'inet6' : undefined;
const parseKey = (key: number): [RowFamily, number] => [key % 2 === 1 ? 'inet6' : 'inet', Math.floor(key / 2)];

function linkLocalIdentifier(address: Uint8Array | undefined): bigint | undefined {
  if (!address || address.length !== 16 || address[0] !== 0xfe || (address[1]! & 0xc0) !== 0x80) return undefined;
  let id = 0n;
  for (let i = 8; i < 16; i++) id = (id << 8n) | BigInt(address[i]!);
  return id;
}

/**
 * The table. Everything it decides goes to the sink given to its constructor: parameter changes
 * while a message is applied, the rest when the batch is finished.
 *
 * @example
 * ```ts
 * const table = new InterfaceTable(sink);
 * table.loadSnapshot(snapshot, false);
 * for (const m of messages) table.apply(m, -1);
 * table.finishBatch(resolver, { confirmRemovals: true, rereadNeighbours: true });
 * ```
 */
export class InterfaceTable implements ReaderTable {
  constructor(private readonly sink: ChangeSink) {}

  /** The fast path's scratch summary (one per table: a datagram is previewed synchronously). */
  private readonly summary = emptyLinkSummary();

  private readonly links = new Map<number, LinkState>();
  /** Keys of IP interfaces that exist (netconf said so) and were emitted. */
  private readonly present = new Set<number>();
  private readonly rows = new Map<number, IpInterfaceRow>();
  private readonly forwarding = new Map<number, number>();
  private readonly neigh = new Map<number, NeighParms>();
  private readonly neighDefaults = new Map<RowFamily, NeighParms>();
  private readonly linkLocal = new Map<number, bigint>();
  /** Bumped on every full link message per ifindex, to know whether a pending add saw a fresh one. */
  private readonly linkVersion = new Map<number, number>();

  // Per-batch state.
  private readonly dirty = new Set<number>();
  private readonly pendingAdd = new Map<number, number>();
  private readonly pendingRemove = new Set<number>();
  /**
   * Interfaces that appeared and went again within this batch (NEWNETCONF then DELNETCONF, or a
   * DELLINK, before any notification): reported `add` then `delete` when the batch finishes, as the
   * kernel reported them (issue 12: one `ip -batch` add+del was reported as nothing). A NEWNETCONF
   * before then (a rename right after creation) makes it a pending add again.
   */
  private readonly addedThenRemoved = new Set<number>();
  /** Pending adds whose RTM_GETLINK found nothing: their NEWLINK, DELNETCONF, DELLINK are still queued. */
  private readonly addsNotYet = new Map<number, number>();
  /**
   * How many batches each such add has waited. The queued messages come with the next wake-up; an
   * add no message ever answers (its device gone without a trace) is dropped after
   * {@link MAX_ADD_WAITS} instead of keeping the reader's quiet timer (and a request) alive forever.
   */
  private readonly addWaits = new Map<number, number>();
  private readonly deletedLinks = new Set<number>();
  private readonly neighStale = new Set<RowFamily>();

  /** Number of IP interfaces currently in the table. */
  get size(): number {
    return this.rows.size;
  }

  /** The stored state of a device (the address table names and identifies its addresses' devices by it). */
  link(ifindex: number): LinkState | undefined {
    return this.links.get(ifindex);
  }

  /** The current rows (both families). */
  currentRows(): IpInterfaceRow[] {
    return [...this.rows.values()];
  }

  /**
   * The fast path: the common event is one device message, and its IPv4 row goes out before the
   * full parse ({@link decideInetEarly}). Returns the ifindex judged, for `apply`, or -1.
   */
  preview(datagram: Buffer, length: number): number {
    return summarizeLink(datagram, length, this.summary) && this.decideInetEarly(this.summary) ? this.summary.ifindex : -1;
  }

  /** Dumps the kernel's state and loads it ({@link loadSnapshot}). */
  reload(requester: NetlinkRequester, announce: boolean): void {
    this.loadSnapshot(dumpInterfaceSnapshot(requester), announce);
  }

  /**
   * Applies one event message (dump replies go through `loadSnapshot`). `inetDecided` is the ifindex
   * whose IPv4 row {@link decideInetEarly} already judged from this very message (its summary), or
   * -1: that row is then not built again.
   */
  apply(m: NetlinkMessage, inetDecided: number): void {
    switch (m.kind) {
      case 'link':
        if (m.deleted) {
          if (m.family === LINUX_AF_UNSPEC) {
            this.deletedLinks.add(m.ifindex);
            // A device created and deleted within the batch may have no stored state yet: the
            // DELLINK carries it all (name, MTU, both families' blocks).
            if (!this.links.has(m.ifindex)) this.storeLink(m);
          }
        } else if (m.family === LINUX_AF_UNSPEC) {
          this.storeLink(m);
          // The IPv4 row was already built from this message and compared (decideInetEarly).
          if (inetDecided !== m.ifindex) this.touch(keyOf('inet', m.ifindex));
          this.touch(keyOf('inet6', m.ifindex));
        } else if (m.family === LINUX_AF_INET6 && m.inet6) {
          const link = this.links.get(m.ifindex);
          if (link) {
            const reachable = m.inet6.cacheInfo?.reachableTime;
            const storedReachable = link.inet6?.cacheInfo?.reachableTime;
            this.links.set(m.ifindex, linkState(link, mergeInet6(link.inet6, m.inet6)));
            this.touch(keyOf('inet6', m.ifindex));
            // A base_reachable_time write arrives as this message, which does not carry the value;
            // the kernel re-randomizes the device's reachable time with it (ndisc_ifinfo_sysctl_change),
            // which the message does carry. Only then is the neighbour table re-read: every interface
            // going up sends this message too, with the reachable time unchanged, and the re-read (an
            // RTM_GETNEIGHTBL dump, which the kernel cannot filter by device) blocked the main thread
            // 11-15 ms at 5000 devices for each up (issue 12).
            if (reachable !== undefined && reachable !== storedReachable) this.neighStale.add('inet6');
          }
        }
        break;
      case 'netconf': {
        const family = familyOfLinux(m.family);
        if (!family || m.ifindex === undefined || m.ifindex <= 0) break; // -1 all, -2 default: not interfaces
        const key = keyOf(family, m.ifindex);
        if (m.forwarding !== undefined) this.forwarding.set(key, m.forwarding);
        if (m.deleted) {
          if (this.pendingAdd.delete(key)) this.addedThenRemoved.add(key); // stays dirty: reported in diff
          else if (this.present.has(key)) {
            this.pendingRemove.add(key);
            this.dirty.add(key);
          }
        } else if (this.present.has(key)) {
          // DEL then NEW for the same interface: a rename, not a removal.
          this.pendingRemove.delete(key);
          this.touch(key);
        } else if (this.addedThenRemoved.delete(key)) {
          this.pendingAdd.set(key, this.linkVersion.get(m.ifindex) ?? 0); // renamed right after creation
        } else if (!this.pendingAdd.has(key)) {
          this.pendingAdd.set(key, this.linkVersion.get(m.ifindex) ?? 0);
          this.dirty.add(key);
        }
        break;
      }
      case 'address':
        if (this.recordAddress(m)) this.touch(keyOf('inet6', m.ifindex));
        break;
      default:
        break;
    }
  }

  /**
   * Decides the IPv4 row of an existing interface from a device RTM_NEWLINK's summary, before that
   * message is parsed and applied in full, so the row reaches subscribers without waiting for the
   * rest (the IPv6 block above all). The row is exactly what applying the message would build (a
   * device message replaces the link state; forwarding comes from its IPv4 block or stays); a changed
   * row goes to the sink at once and is recorded as emitted. Returns true when the row was judged:
   * the caller then passes `s.ifindex` as `inetDecided` when it applies that message, so nothing is
   * built or emitted twice. False when the interface is not plainly present (an add or removal
   * pending, unknown).
   */
  decideInetEarly(s: LinkSummary): boolean {
    const key = keyOf('inet', s.ifindex);
    // Rows exist only for present interfaces; the pending sets are nearly always empty.
    const previous = this.rows.get(key);
    if (!previous || (this.pendingRemove.size !== 0 && this.pendingRemove.has(key)) || (this.pendingAdd.size !== 0 && this.pendingAdd.has(key))) {
      return false;
    }
    if (!this.present.has(key) || !this.links.has(s.ifindex)) return false;
    const row = mapRow('inet', s, {
      forwarding: s.inetForwarding ?? this.forwarding.get(key),
      neigh: this.neigh.get(key) ?? this.neighDefaults.get('inet'),
    });
    if (!rowsEqual(previous, row)) {
      this.rows.set(key, row);
      this.sink.deliverOne({ type: 'parameter', row });
    }
    return true;
  }

  /** True when the current batch has anything to resolve. */
  get batchPending(): boolean {
    return this.dirty.size > 0 || this.deletedLinks.size > 0 || this.neighStale.size > 0;
  }

  /**
   * True when the batch holds a removal no message answered yet (a DELNETCONF without the device's
   * DELLINK or a following NEWNETCONF): finishing now would confirm it with an RTM_GETLINK.
   */
  get hasUnansweredRemoval(): boolean {
    for (const key of this.pendingRemove) if (!this.deletedLinks.has(Math.floor(key / 2)) && !this.removedByMtu(key)) return true;
    return false;
  }

  /**
   * A DELNETCONF explained by the device's MTU: the kernel drops a family's part of a device when
   * the MTU falls below that family's minimum, and sends the RTM_NEWLINK with the new MTU first, so
   * the link state already shows it. No request is needed to confirm such a removal.
   */
  private removedByMtu(key: number): boolean {
    const [family, ifindex] = parseKey(key);
    const mtu = this.links.get(ifindex)?.mtu;
    return mtu !== undefined && mtu < (family === 'inet' ? IPV4_MIN_MTU : IPV6_MIN_MTU);
  }

  /** True when finishing the batch would dump the neighbour tables or fetch links for new interfaces. */
  get hasCostlyCompletion(): boolean {
    for (const key of this.pendingAdd.keys()) if (!this.deletedLinks.has(Math.floor(key / 2))) return true;
    return false;
  }

  /**
   * Resolves the batch and delivers its notifications in event order: resolve removals, collect
   * adds, re-read neighbours, diff, carry over what waits (see {@link FinishOptions}).
   */
  finishBatch(resolver: TableResolver, options: FinishOptions): void {
    const fetch = this.linkFetcher(resolver);
    const removed = new Set<number>();
    const carried = this.resolveRemovals(fetch, removed, options.confirmRemovals);
    const added = this.collectAdds(fetch);
    const neighRead = this.rereadNeighbours(resolver, added, options.rereadNeighbours);
    const changes = this.diff({ removed, carried, added, neighRead });
    this.carryOver({ removed, carried, added, neighRead });
    this.sink.deliver(changes);
  }

  private linkFetcher(resolver: TableResolver): LinkFetch {
    const fetched = new Map<number, LinkMessage | undefined>();
    return (ifindex) => {
      if (!fetched.has(ifindex)) {
        const link = resolver.getLink(ifindex);
        fetched.set(ifindex, link);
        if (link) this.storeLink(link);
      }
      return fetched.get(ifindex);
    };
  }

  /**
   * Step 1: which pending removals happen now (into `removed`); returns those that wait (a lone
   * DELNETCONF while `confirm` is false). Every family of a deleted device goes too.
   */
  private resolveRemovals(fetch: LinkFetch, removed: Set<number>, confirm: boolean): Set<number> {
    const carried = new Set<number>();
    for (const key of this.pendingRemove) {
      const [family, ifindex] = parseKey(key);
      if (this.deletedLinks.has(ifindex) || this.removedByMtu(key)) {
        removed.add(key);
        continue;
      }
      if (!confirm) {
        carried.add(key);
        continue;
      }
      // A lone DELNETCONF no message explains: the family went away unless this is half of a
      // rename, in which case the device still has that family's part.
      const link = fetch(ifindex);
      const hasFamily = link !== undefined && (family === 'inet' ? link.inetConf !== undefined : link.inet6 !== undefined);
      if (!hasFamily) removed.add(key);
    }
    for (const ifindex of this.deletedLinks) {
      for (const family of ['inet', 'inet6'] as const) {
        const key = keyOf(family, ifindex);
        if (this.present.has(key) && !removed.has(key)) {
          removed.add(key);
          this.dirty.add(key);
        }
      }
    }
    return carried;
  }

  /** Step 2: the pending adds whose device is known (netconf comes before the link message at creation). */
  private collectAdds(fetch: LinkFetch): Set<number> {
    const added = new Set<number>();
    for (const [key, version] of this.pendingAdd) {
      const ifindex = parseKey(key)[1];
      if (this.deletedLinks.has(ifindex)) {
        // Created and deleted within the batch, its DELNETCONF not seen: still an add, then a delete.
        this.addWaits.delete(key);
        this.addedThenRemoved.add(key);
        continue;
      }
      // No link message since the netconf: complete the row from a fresh one.
      if ((this.linkVersion.get(ifindex) ?? 0) === version && !fetch(ifindex)) {
        // Gone already: its NEWLINK, DELNETCONF and DELLINK are still queued. Keep it for them.
        const waits = (this.addWaits.get(key) ?? 0) + 1;
        if (waits < MAX_ADD_WAITS) {
          this.addsNotYet.set(key, version);
          this.addWaits.set(key, waits);
        } else this.addWaits.delete(key);
        continue;
      }
      this.addWaits.delete(key);
      if (!this.links.has(ifindex)) continue;
      added.add(key);
    }
    return added;
  }

  /** Step 3: neighbour tables for new interfaces, and (when allowed) for IPv6 messages that asked. */
  private rereadNeighbours(resolver: TableResolver, added: Set<number>, stale: boolean): Set<RowFamily> {
    const needNeigh = new Set<RowFamily>(stale ? this.neighStale : []);
    for (const key of added) {
      const [family, ifindex] = parseKey(key);
      if (!this.neigh.has(key) && this.links.get(ifindex)) needNeigh.add(family);
    }
    for (const family of needNeigh) this.loadNeigh(family, resolver.neighTables(LINUX_FAMILY[family]));
    return needNeigh;
  }

  /** Step 4: the notifications of every dirty interface, in event order. */
  private diff(batch: BatchResolution): TableChange[] {
    const changes: TableChange[] = [];
    for (const key of this.dirty) {
      if (batch.carried.has(key)) continue; // decided with its removal, later
      const [family, ifindex] = parseKey(key);
      if (this.addedThenRemoved.has(key)) {
        const row = this.rowFor(family, ifindex);
        if (row) changes.push({ type: 'add', row }, { type: 'delete', row });
        continue;
      }
      if (batch.removed.has(key)) {
        const row = this.rows.get(key);
        this.present.delete(key);
        this.rows.delete(key);
        this.forwarding.delete(key);
        this.neigh.delete(key);
        if (row) changes.push({ type: 'delete', row });
        continue;
      }
      if (batch.added.has(key)) this.present.add(key);
      if (!this.present.has(key)) continue;
      const row = this.rowFor(family, ifindex);
      if (!row) continue;
      const previous = this.rows.get(key);
      this.rows.set(key, row);
      if (!previous) changes.push({ type: 'add', row });
      else if (!rowsEqual(previous, row)) changes.push({ type: 'parameter', row });
    }
    return changes;
  }

  /** Step 5: forget deleted devices, clear the batch, keep what waits for the next one. */
  private carryOver(batch: BatchResolution): void {
    for (const ifindex of this.deletedLinks) this.forgetDevice(ifindex);
    const staleLeft = [...this.neighStale].filter((family) => !batch.neighRead.has(family));
    this.clearBatch();
    for (const family of staleLeft) this.neighStale.add(family);
    for (const key of batch.carried) {
      this.pendingRemove.add(key);
      this.dirty.add(key);
    }
    for (const [key, version] of this.addsNotYet) {
      this.pendingAdd.set(key, version);
      this.dirty.add(key);
    }
    this.addsNotYet.clear();
  }

  /**
   * Replaces the whole model with a fresh dump. With `announce`, the differences to what was emitted
   * go to the sink (the synthesized notifications that heal lost messages); without, the table is
   * only filled (the first load, before anyone subscribed).
   */
  loadSnapshot(snapshot: TableSnapshot, announce: boolean): void {
    // Without announce nothing is delivered: no change objects either (10,000 at 5000 devices).
    const changes: TableChange[] | undefined = announce ? [] : undefined;
    this.clearBatch();
    this.links.clear();
    // Versions only tell whether a link message came since a pending add was recorded (equality
    // within a batch; a load clears the batch): a loaded device starts at 0, as if never seen.
    this.linkVersion.clear();
    this.forwarding.clear();
    this.neigh.clear();
    this.neighDefaults.clear();
    this.linkLocal.clear();
    for (const link of snapshot.links) if (link.family === LINUX_AF_UNSPEC && !link.deleted) this.storeLink(link, false);
    // One pass over both families' tables (in dump order per family, as loading them one by one).
    for (const m of snapshot.neigh) {
      const family = familyOfLinux(m.family);
      if (family) this.loadNeighOne(family, m);
    }
    for (const m of snapshot.addresses) this.recordAddress(m);
    const exists = snapshot.netconf === undefined ? this.existingFromLinks() : this.existingFromNetconf(snapshot.netconf);
    this.dirty.clear();
    if (this.rows.size !== 0) {
      for (const [key, row] of this.rows) {
        if (!exists.has(key)) {
          this.rows.delete(key);
          this.present.delete(key);
          changes?.push({ type: 'delete', row });
        }
      }
    }
    for (const key of exists.keys) {
      const row = this.rowFor(key % 2 === 1 ? 'inet6' : 'inet', (key - (key % 2)) / 2);
      if (!row) continue;
      this.present.add(key);
      const previous = this.rows.get(key);
      this.rows.set(key, row);
      if (!changes) continue;
      if (!previous) changes.push({ type: 'add', row });
      else if (!rowsEqual(previous, row)) changes.push({ type: 'parameter', row });
    }
    if (this.present.size !== exists.keys.length) for (const key of [...this.present]) if (!exists.has(key)) this.present.delete(key);
    if (changes) this.sink.deliver(changes);
  }

  /**
   * The IP interfaces of a snapshot without netconf dumps: a device's IPv4 (IPv6) part exists exactly
   * when its link message carries the IFLA_AF_SPEC AF_INET (AF_INET6) block (the kernel fills it
   * from the same in_device / inet6_dev the netconf dump walks, and leaves it out without one), and
   * the block's devconf carries the same forwarding value. IPv4 keys first, then IPv6, each in
   * link-dump order: the order the two netconf dumps gave. No set: the links answer `has`.
   */
  private existingFromLinks(): ExistingKeys {
    const keys: number[] = [];
    for (const link of this.links.values()) if (link.inetConf) keys.push(keyOf('inet', link.ifindex));
    for (const link of this.links.values()) if (link.inet6) keys.push(keyOf('inet6', link.ifindex));
    const links = this.links;
    return {
      keys,
      has: (key) => {
        const link = links.get((key - (key % 2)) / 2);
        return link !== undefined && (key % 2 === 1 ? link.inet6 !== undefined : link.inetConf !== undefined);
      },
    };
  }

  /** The IP interfaces of a snapshot with netconf dumps: both dumps must agree. */
  private existingFromNetconf(netconf: readonly NetconfMessage[]): ExistingKeys {
    const exists = new Set<number>();
    for (const m of netconf) {
      const family = familyOfLinux(m.family);
      if (!family || m.ifindex === undefined || m.ifindex <= 0 || m.deleted) continue;
      const key = keyOf(family, m.ifindex);
      if (m.forwarding !== undefined) this.forwarding.set(key, m.forwarding);
      // A device in only one of them is mid-creation or mid-deletion and its events are still on their way.
      const link = this.links.get(m.ifindex);
      if (link && (family === 'inet' ? link.inetConf : link.inet6)) exists.add(key);
    }
    return { keys: [...exists], has: (key) => exists.has(key) };
  }

  private rowFor(family: RowFamily, ifindex: number): IpInterfaceRow | undefined {
    const link = this.links.get(ifindex);
    if (!link) return undefined;
    const key = keyOf(family, ifindex);
    return mapRow(family, link, {
      forwarding: this.forwarding.get(key),
      neigh: this.neigh.get(key) ?? this.neighDefaults.get(family),
      linkLocalIdentifier: family === 'inet6' ? this.linkLocal.get(ifindex) : undefined,
    });
  }

  /** Stores a device's link state; `versioned` (every event) bumps its {@link linkVersion}. */
  private storeLink(m: LinkMessage, versioned = true): void {
    const previous = this.links.get(m.ifindex);
    let inet6 = m.inet6;
    const conf = inet6?.conf;
    // The kernel sends RTM_NEWLINK for an MTU change before IPv6 copies the new MTU into mtu6
    // (addrconf's NETDEV_CHANGEMTU handler runs after rtnetlink's), and nothing announces the copy.
    // Apply the kernel's rule here: mtu6 becomes the device MTU when that is at least 1280.
    if (inet6 && conf && previous?.mtu !== undefined && m.mtu !== undefined && m.mtu !== previous.mtu && m.mtu >= IPV6_MIN_MTU &&
      DEVCONF_MTU6 < conf.length) {
      const patched = [...conf];
      patched[DEVCONF_MTU6] = m.mtu;
      inet6 = { ...inet6, conf: patched };
    }
    this.links.set(m.ifindex, linkState(m, inet6));
    if (versioned) this.linkVersion.set(m.ifindex, (this.linkVersion.get(m.ifindex) ?? 0) + 1);
    const v4 = m.inetConf?.[IPV4_DEVCONF_FORWARDING_INDEX];
    if (v4 !== undefined) this.forwarding.set(keyOf('inet', m.ifindex), v4);
    const v6 = m.inet6?.conf?.[DEVCONF_FORWARDING];
    if (v6 !== undefined) this.forwarding.set(keyOf('inet6', m.ifindex), v6);
  }

  /** Tracks the first IPv6 link-local address per device (for interfaceIdentifier); true when relevant. */
  private recordAddress(m: AddressMessage): boolean {
    if (m.family !== LINUX_AF_INET6 || m.scope !== RT_SCOPE_LINK) return false;
    const id = linkLocalIdentifier(m.address);
    if (id === undefined) return false;
    const current = this.linkLocal.get(m.ifindex);
    if (m.deleted) {
      if (current === id) this.linkLocal.delete(m.ifindex);
    } else if (current === undefined) this.linkLocal.set(m.ifindex, id);
    return true;
  }

  /**
   * A parameter of an existing interface changed: decide now, per message, so two changes within one
   * batch are two notifications (1500 -> 1400 -> 1500 is not silence). Interfaces with an add or a
   * removal pending wait for the end of the batch.
   */
  private touch(key: number): void {
    if (!this.present.has(key)) return;
    if (this.pendingRemove.has(key) || this.pendingAdd.has(key)) {
      this.dirty.add(key);
      return;
    }
    // No tuple from parseKey here: this runs for every link message.
    const row = this.rowFor(key % 2 === 1 ? 'inet6' : 'inet', (key - (key % 2)) / 2);
    if (!row) return;
    const previous = this.rows.get(key);
    if (previous && rowsEqual(previous, row)) return;
    this.rows.set(key, row);
    this.sink.deliverOne({ type: previous ? 'parameter' : 'add', row });
  }

  private loadNeigh(family: RowFamily, messages: readonly NeighTableMessage[]): void {
    for (const m of messages) this.loadNeighOne(family, m);
  }

  private loadNeighOne(family: RowFamily, m: NeighTableMessage): void {
    if (m.tableName !== undefined && m.tableName !== NEIGH_TABLE[family]) return;
    if (m.ifindex === undefined) return;
    const parms: NeighParms = { baseReachableTime: m.baseReachableTime, reachableTime: m.reachableTime, retransTime: m.retransTime };
    if (m.ifindex === 0) this.neighDefaults.set(family, parms);
    else {
      const key = keyOf(family, m.ifindex);
      const previous = this.neigh.get(key);
      this.neigh.set(key, parms);
      if (this.present.has(key) && (!previous || previous.baseReachableTime !== parms.baseReachableTime ||
        previous.reachableTime !== parms.reachableTime || previous.retransTime !== parms.retransTime)) this.dirty.add(key);
    }
  }

  private forgetDevice(ifindex: number): void {
    this.links.delete(ifindex);
    this.linkVersion.delete(ifindex);
    this.linkLocal.delete(ifindex);
    for (const family of ['inet', 'inet6'] as const) {
      const key = keyOf(family, ifindex);
      if (!this.present.has(key)) {
        this.forwarding.delete(key);
        this.neigh.delete(key);
      }
    }
  }

  private clearBatch(): void {
    this.addedThenRemoved.clear();
    if (this.pendingAdd.size === 0) this.addWaits.clear();
    this.dirty.clear();
    this.pendingAdd.clear();
    this.pendingRemove.clear();
    this.deletedLinks.clear();
    this.neighStale.clear();
  }
}

/**
 * The stored state of a device: the fields of `from` (a link message or an earlier state) with the
 * IPv6 block given. Field by field, so every stored state has one shape whatever it came from.
 */
function linkState(from: LinkState, inet6: Inet6Info | undefined): LinkState {
  return {
    ifindex: from.ifindex,
    ifiType: from.ifiType,
    ifiFlags: from.ifiFlags,
    name: from.name,
    mtu: from.mtu,
    operstate: from.operstate,
    inetConf: from.inetConf,
    inet6,
  };
}

/**
 * The IPv6 block of an RTNLGRP_IPV6_IFINFO message over the stored one: what the message carries
 * wins. Field by field, never spread: this runs on every IPv6 link message, and spread objects
 * change shape and cost a young-generation GC more.
 */
// Every key listed (the return type requires them all), so a field added to Inet6Info must be merged here.
function mergeInet6(stored: Inet6Info | undefined, update: Inet6Info): { [K in keyof Required<Inet6Info>]: Inet6Info[K] } {
  return {
    flags: update.flags ?? stored?.flags,
    conf: update.conf ?? stored?.conf,
    cacheInfo: update.cacheInfo ?? stored?.cacheInfo,
    token: update.token ?? stored?.token,
    addrGenMode: update.addrGenMode ?? stored?.addrGenMode,
  };
}
