/**
 * The address table of a reader (issue 13): RTM_NEWADDR / RTM_DELADDR applied as they arrive, each
 * decision delivered at once; per batch, the devices that went (their remaining addresses) and the
 * devices whose carrier came up (a filtered dump of that device's IPv6 addresses: the kernel does not
 * announce a link-local address while it is tentative). Idle until {@link activate}: a reader
 * with interface registrations only pays one branch per message for it.
 *
 * @module
 */
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { mapAddressRow, type AddressDevice, type AddressFacts } from './address-row-mapping.js';
import type { AddressChangeSink } from './address-subscriber-set.js';
import { AddressTable, type AddressTableChange } from './address-table.js';
import { bootFiletime, dumpAddressMessages } from './address-table-snapshot.js';
import { IFF_LOWER_UP, IFF_UP, LINUX_AF_INET6, LINUX_AF_UNSPEC } from './netlink-constants.js';
import type { LinkMessage, NetlinkMessage } from './netlink-parser.js';
import type { NetlinkRequester } from './netlink-requester.js';
import type { FinishOptions, ReaderTable } from './reader-table.js';
import { synthesizeLuid, type LinkState } from './row-mapping.js';

/** Counters the address table adds to the reader's statistics. */
export interface AddressCounters {
  /** Lifetime-only address updates (router-advertisement refreshes), delivered marked `lifetimeOnly` (rule A3). */
  addressLifetimeOnly: number;
  /** Per-device RTM_GETADDR dumps made because a carrier came up. */
  addressDeviceDumps: number;
}

const CARRIER = IFF_UP | IFF_LOWER_UP;

/**
 * The table.
 *
 * @example
 * ```ts
 * const addresses = new AddressReaderTable(sink, (i) => interfaces.link(i), requester, stats);
 * addresses.activate(); // on the first address registration, after joining the IPv4 address group
 * ```
 */
export class AddressReaderTable implements ReaderTable {
  private readonly table = new AddressTable({ lifetimeUpdates: true });
  private active = false;
  private boot = 0n;
  /** The last device seen per ifindex that has addresses: an RTM_DELADDR behind its device's deletion still finds its row. */
  private readonly devices = new Map<number, AddressDevice>();
  /** Carrier (IFF_UP and IFF_LOWER_UP) per ifindex, as last seen. */
  private readonly carrier = new Map<number, boolean>();
  private readonly carrierUp = new Set<number>();
  private readonly deletedDevices = new Set<number>();

  constructor(
    private readonly sink: AddressChangeSink,
    private readonly linkOf: (ifindex: number) => LinkState | undefined,
    private readonly requester: NetlinkRequester,
    private readonly counters: AddressCounters,
  ) {}

  /** True while an address registration (or read) keeps the table. */
  get isActive(): boolean {
    return this.active;
  }

  /** Addresses held. */
  get size(): number {
    return this.table.size;
  }

  /** Fills the table from a dump (the caller joined the address groups first). Throws what the dump throws. */
  activate(): void {
    if (this.active) return;
    this.boot = bootFiletime();
    this.table.load(this.rowsOf(dumpAddressMessages(this.requester)));
    this.active = true;
  }

  /** Forgets everything (the last address registration went). */
  deactivate(): void {
    this.active = false;
    this.table.clear();
    this.devices.clear();
    this.carrier.clear();
    this.carrierUp.clear();
    this.deletedDevices.clear();
  }

  /** The rows held (what address registrations have been told). */
  rows(family?: 'inet' | 'inet6'): UnicastIpAddressRow[] {
    return this.table.rows(family);
  }

  /** A fresh dump as rows (the table is not touched), named by the reader's devices. */
  dumpRows(): UnicastIpAddressRow[] {
    if (this.active) return this.rowsOf(dumpAddressMessages(this.requester));
    this.boot = bootFiletime();
    try {
      return this.rowsOf(dumpAddressMessages(this.requester));
    } finally {
      this.devices.clear(); // an idle table keeps nothing
    }
  }

  preview(): number {
    return -1;
  }

  apply(m: NetlinkMessage, _hint: number): void {
    if (!this.active) return;
    if (m.kind === 'address') {
      const change = this.applyAddress(m);
      if (change) this.sink.deliverOne(change);
    } else if (m.kind === 'link' && m.family === LINUX_AF_UNSPEC) this.applyLink(m);
  }

  get batchPending(): boolean {
    return this.active && (this.carrierUp.size !== 0 || this.deletedDevices.size !== 0);
  }

  get hasCostlyCompletion(): boolean {
    return false;
  }

  get hasUnansweredRemoval(): boolean {
    return false;
  }

  finishBatch(_resolver: unknown, _options: FinishOptions): void {
    const changes: AddressTableChange[] = [];
    for (const ifindex of this.deletedDevices) {
      // The kernel sends RTM_DELADDR for the notified addresses of a deleted device, not for a
      // tentative one it never announced (found by the carrier-up dump): those go here.
      changes.push(...this.table.removeDevice(ifindex));
      this.devices.delete(ifindex);
      this.carrierUp.delete(ifindex);
    }
    this.deletedDevices.clear();
    for (const ifindex of this.carrierUp) {
      this.counters.addressDeviceDumps++;
      const rows = this.rowsOf(dumpAddressMessages(this.requester, LINUX_AF_INET6, ifindex));
      changes.push(...this.counted(this.table.reconcile(rows, { family: 'inet6', interfaceIndex: ifindex })));
    }
    this.carrierUp.clear();
    this.sink.deliver(changes);
  }

  reload(_requester: NetlinkRequester, announce: boolean): void {
    if (!this.active) return;
    this.carrierUp.clear();
    this.deletedDevices.clear();
    const changes = this.counted(this.table.reconcile(this.rowsOf(dumpAddressMessages(this.requester))));
    if (announce) this.sink.deliver(changes);
  }

  private counted(changes: AddressTableChange[]): AddressTableChange[] {
    for (const c of changes) if (c.lifetimeOnly) this.counters.addressLifetimeOnly++;
    return changes;
  }

  private applyAddress(m: AddressFacts): AddressTableChange | undefined {
    const device = this.deviceOf(m.ifindex, !m.deleted);
    if (!device) return undefined;
    const row = mapAddressRow(m, device, this.boot);
    if (!row) return undefined;
    const change = this.table.apply(row, m.deleted);
    if (change?.lifetimeOnly) this.counters.addressLifetimeOnly++;
    return change;
  }

  private applyLink(m: LinkMessage): void {
    if (m.deleted) {
      this.deletedDevices.add(m.ifindex);
      this.carrier.delete(m.ifindex);
      return;
    }
    const up = (m.ifiFlags & CARRIER) === CARRIER;
    if (up && this.carrier.get(m.ifindex) !== true) this.carrierUp.add(m.ifindex);
    this.carrier.set(m.ifindex, up);
    const known = this.devices.get(m.ifindex);
    if (known && m.name !== undefined && known.interfaceName !== m.name) {
      // A rename: every address row of the device names it.
      this.devices.set(m.ifindex, { interfaceLuid: known.interfaceLuid, interfaceName: m.name });
      for (const row of this.table.deviceRows(m.ifindex)) {
        const change = this.table.apply({ ...row, interfaceName: m.name }, false);
        if (change) this.sink.deliverOne(change);
      }
    }
  }

  /** The device of an address: the interface table's link, else the last one seen, else (`fetch`) one RTM_GETLINK. */
  private deviceOf(ifindex: number, fetch: boolean): AddressDevice | undefined {
    const link = this.linkOf(ifindex) ?? (fetch && !this.devices.has(ifindex) ? this.requester.getLink(ifindex) : undefined);
    if (!link) return this.devices.get(ifindex);
    const known = this.devices.get(ifindex);
    if (known && known.interfaceName === link.name) return known;
    const device: AddressDevice = { interfaceLuid: synthesizeLuid(link.ifiType, ifindex), interfaceName: link.name };
    this.devices.set(ifindex, device);
    return device;
  }

  private rowsOf(messages: readonly AddressFacts[]): UnicastIpAddressRow[] {
    const rows: UnicastIpAddressRow[] = [];
    for (const m of messages) {
      const device = this.deviceOf(m.ifindex, true);
      const row = device && mapAddressRow(m, device, this.boot);
      if (row) rows.push(row);
    }
    return rows;
  }
}
