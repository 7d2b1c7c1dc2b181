import { InterfaceTable } from '../../../adapters/linux/interface-table';
import type { TableResolver } from '../../../adapters/linux/reader-table';
import type { TableSnapshot } from '../../../adapters/linux/interface-table-snapshot';
import type { LinkMessage, LinkSummary, NeighTableMessage, NetconfMessage, NetlinkMessage } from '../../../adapters/linux/netlink-parser';
import type { TableChange } from '../../../adapters/linux/table-change';
import {
  RTM_DELLINK, RTM_DELNETCONF, RTM_NEWLINK, RTM_NEWNEIGHTBL, RTM_NEWNETCONF,
} from '../../../adapters/linux/netlink-constants';

const header = { flags: 0, seq: 0, pid: 0 };

function inet6Conf(mtu6: number): number[] {
  const conf = new Array<number>(32).fill(0);
  conf[2] = mtu6;
  return conf;
}

function link(ifindex: number, over: Partial<LinkMessage> = {}): LinkMessage {
  const mtu = over.mtu ?? 1500;
  return {
    ...header,
    type: RTM_NEWLINK,
    kind: 'link',
    deleted: false,
    family: 0,
    ifindex,
    ifiType: 1,
    ifiFlags: 0x1003,
    name: `eth${ifindex}`,
    mtu,
    operstate: 6,
    inetConf: [0],
    inet6: mtu >= 1280 ? { conf: inet6Conf(mtu), flags: 0, cacheInfo: { maxReasmLen: 65535, reachableTime: 30000, retransTime: 1000 } } : undefined,
    ...over,
  };
}

const delLink = (ifindex: number): LinkMessage => ({ ...link(ifindex), type: RTM_DELLINK, deleted: true });

function netconf(family: 2 | 10, ifindex: number, deleted = false, forwarding?: number): NetconfMessage {
  return { ...header, type: deleted ? RTM_DELNETCONF : RTM_NEWNETCONF, kind: 'netconf', deleted, family, ifindex, forwarding: deleted ? undefined : forwarding };
}

const neigh = (family: number, ifindex: number): NeighTableMessage => ({
  ...header,
  type: RTM_NEWNEIGHTBL,
  kind: 'neightbl',
  family,
  tableName: family === 2 ? 'arp_cache' : 'ndisc_cache',
  ifindex,
  baseReachableTime: 30000,
  reachableTime: 27000,
  retransTime: 1000,
});

/** The table with a sink that records: every exit of the table is that sink. */
class RecordingTable extends InterfaceTable {
  constructor(readonly out: TableChange[] = []) {
    super({ deliverOne: (c) => void out.push(c), deliver: (cs) => void out.push(...cs) });
  }

  /** What the sink received since the last take. */
  take(): TableChange[] {
    return this.out.splice(0);
  }

  /** Applies a message that no fast-path decision preceded (unless `hint` says so). */
  override apply(m: NetlinkMessage, hint = -1): void {
    super.apply(m, hint);
  }

  /** Finishes the batch; returns everything delivered since the last take (per-message changes first). */
  finish(resolver: TableResolver, confirmRemovals = true, rereadNeighbours = confirmRemovals): TableChange[] {
    this.finishBatch(resolver, { confirmRemovals, rereadNeighbours });
    return this.take();
  }

  /** Loads a snapshot, announcing the differences; returns them. */
  load(snapshot: TableSnapshot): TableChange[] {
    this.loadSnapshot(snapshot, true);
    return this.take();
  }

  /** decideInetEarly, returning the change it delivered, if any (it must be judged to deliver). */
  early(summary: LinkSummary): TableChange | undefined {
    const judged = this.decideInetEarly(summary);
    const delivered = this.take();
    if (!judged && delivered.length > 0) throw new Error('delivered without judging');
    return delivered[0];
  }
}

/** A fake kernel for the few reads the table makes. */
class FakeKernel implements TableResolver {
  readonly links = new Map<number, LinkMessage>();
  getLinkCalls = 0;
  neighCalls = 0;
  getLink(ifindex: number): LinkMessage | undefined {
    this.getLinkCalls++;
    return this.links.get(ifindex);
  }
  neighTables(family: number): NeighTableMessage[] {
    this.neighCalls++;
    return [...this.links.keys()].map((i) => neigh(family, i));
  }
}

function withDevice(table: RecordingTable, kernel: FakeKernel, ifindex: number): void {
  kernel.links.set(ifindex, link(ifindex));
  table.load({
    links: [...kernel.links.values()],
    netconf: [...kernel.links.keys()].flatMap((i) => [netconf(2, i, false, 0), netconf(10, i, false, 0)]),
    neigh: [...kernel.links.keys()].flatMap((i) => [neigh(2, i), neigh(10, i)]),
    addresses: [],
  });
}

describe('InterfaceTable', () => {
  it('device creation: netconf before the link message, completed from the link of the same batch', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    kernel.links.set(5, link(5));
    for (const m of [netconf(2, 5, false, 0), netconf(10, 5, false, 0), link(5)]) table.apply(m);
    const changes = table.finish(kernel);
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceName} ${c.row.nlMtu}`)).toEqual(['add inet eth5 1500', 'add inet6 eth5 1500']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(changes[0]?.row.baseReachableTime).toBe(30000);
  });

  it('decideInetEarly: the IPv4 row of a link message decided first is the one apply would build, never emitted twice', () => {
    const early = new RecordingTable();
    const plain = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(early, kernel, 5);
    withDevice(plain, kernel, 5);
    const m = link(5, { mtu: 1400, inetConf: [1] });
    const summary = { ifindex: 5, ifiType: m.ifiType, ifiFlags: m.ifiFlags, name: m.name, mtu: m.mtu, operstate: m.operstate, inetForwarding: 1 };
    const decided = early.early(summary);
    expect(decided?.type).toBe('parameter');
    early.apply(m, 5); // the loop passes the judged ifindex for the message it previewed
    plain.apply(m);
    const rest = early.finish(kernel);
    const all = plain.finish(kernel);
    expect(all.map((c) => `${c.type} ${c.row.family}`)).toEqual(['parameter inet', 'parameter inet6']);
    expect(decided?.row).toEqual(all[0]?.row);
    expect(rest.map((c) => `${c.type} ${c.row.family}`)).toEqual(['parameter inet6']);
    expect(early.currentRows()).toEqual(plain.currentRows());
    // Nothing changed, or forwarding absent from the message (kept): judged, nothing delivered.
    expect(early.decideInetEarly(summary)).toBe(true);
    expect(early.take()).toEqual([]);
    expect(early.early(summary)).toBeUndefined();
    expect(early.early({ ...summary, inetForwarding: undefined })).toBeUndefined();
    // The hint is an argument: a judged summary whose message never comes (the loop applies other
    // messages with -1) leaves later messages of the device alone.
    expect(early.early({ ...summary, mtu: 1300 })?.row.nlMtu).toBe(1300);
    early.apply(netconf(10, 5, false, 0));
    early.apply(link(5, { mtu: 1350, inetConf: [1] }));
    expect(early.finish(kernel).map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`)).toEqual(['parameter inet 1350', 'parameter inet6 1350']);
    // Unknown interfaces and pending adds or removals are left to the ordinary path.
    expect(early.decideInetEarly({ ...summary, ifindex: 9, mtu: 1300 })).toBe(false);
    early.apply(netconf(2, 5, true));
    expect(early.decideInetEarly({ ...summary, mtu: 1300 })).toBe(false);
    expect(early.take()).toEqual([]);
  });

  it('device creation split across wake-ups: an RTM_GETLINK completes the row at once', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    kernel.links.set(5, link(5, { name: 'fresh' }));
    table.apply(netconf(2, 5, false, 0));
    const changes = table.finish(kernel);
    expect(kernel.getLinkCalls).toBe(1);
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceName}`)).toEqual(['add inet fresh']);
    // The link message arriving later changes nothing we map: no duplicate.
    table.apply(link(5, { name: 'fresh' }));
    expect(table.finish(kernel)).toEqual([]);
  });

  it('a device created and deleted within one batch is reported added, then deleted (what the kernel reported)', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    const kinds = (cs: TableChange[]): string[] => cs.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceIndex}`);
    for (const m of [netconf(2, 6), link(6), netconf(2, 6, true), delLink(6)]) table.apply(m);
    expect(kinds(table.finish(kernel))).toEqual(['add inet 6', 'delete inet 6']);
    expect(table.size).toBe(0);
    // Without its NEWLINK in the batch (the DELLINK carries the device's state).
    for (const m of [netconf(2, 7), netconf(2, 7, true), delLink(7)]) table.apply(m);
    expect(kinds(table.finish(kernel))).toEqual(['add inet 7', 'delete inet 7']);
    // Renamed right after creation (DEL + NEW netconf): an add only.
    kernel.links.set(8, link(8));
    for (const m of [netconf(2, 8), link(8), netconf(2, 8, true), netconf(2, 8)]) table.apply(m);
    expect(kinds(table.finish(kernel))).toEqual(['add inet 8']);
    // The RTM_GETLINK of a pending add finds nothing (the device is gone, its messages still queued):
    // the add waits for them, then add and delete are reported.
    table.apply(netconf(2, 9));
    expect(kinds(table.finish(kernel))).toEqual([]);
    for (const m of [link(9), netconf(2, 9, true), delLink(9)]) table.apply(m);
    expect(kinds(table.finish(kernel))).toEqual(['add inet 9', 'delete inet 9']);
    expect(table.size).toBe(1);
    // An add no message ever answers is dropped after 3 batches (no request and timer forever).
    table.apply(netconf(2, 10));
    const gets = kernel.getLinkCalls;
    for (let i = 0; i < 5; i++) expect(table.finish(kernel)).toEqual([]);
    expect(kernel.getLinkCalls - gets).toBe(3);
    expect(table.batchPending).toBe(false);
  });

  it('rename: DEL + NEW netconf is a change, also when the NEW arrives in a later batch', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 3);
    kernel.links.set(3, link(3, { name: 'renamed' }));
    for (const m of [link(3, { name: 'renamed' }), netconf(2, 3, true), netconf(2, 3)]) table.apply(m);
    expect(table.finish(kernel).map((c) => `${c.type} ${c.row.family} ${c.row.interfaceName}`).sort()).toEqual([
      'parameter inet renamed',
      'parameter inet6 renamed',
    ]);
    // Split: the lone DELNETCONF is checked with RTM_GETLINK; the device still has IPv6, so no removal.
    table.apply(netconf(10, 3, true));
    expect(table.finish(kernel)).toEqual([]);
    table.apply(netconf(10, 3));
    expect(table.finish(kernel)).toEqual([]);
    expect(table.size).toBe(2);
  });

  it('IPv6 MTU below 1280: the DELNETCONF inet6 is explained by the MTU and removes the row without a request', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 4);
    kernel.links.set(4, link(4, { mtu: 1200 }));
    // As the kernel sends it: the RTM_NEWLINK first, still with the old IPv6 block, then the DELNETCONF.
    for (const m of [link(4, { mtu: 1200, inet6: link(4).inet6 }), netconf(10, 4, true)]) table.apply(m);
    expect(table.hasUnansweredRemoval).toBe(false);
    // Even when the caller allows no requests, nothing is carried.
    const changes = table.finish(kernel, false);
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`).sort()).toEqual(['delete inet6 1500', 'parameter inet 1200']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(table.batchPending).toBe(false);
  });

  it('IPv4 MTU below 68: the DELNETCONF inet is explained by the MTU; MTU back up brings both rows back', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 5);
    for (const m of [link(5, { mtu: 60, inetConf: [0], inet6: undefined }), netconf(10, 5, true), netconf(2, 5, true)]) table.apply(m);
    expect(table.hasUnansweredRemoval).toBe(false);
    // In event order: the MTU change (the RTM_NEWLINK), then both removals.
    expect(table.finish(kernel, false).map((c) => `${c.type} ${c.row.family}`)).toEqual(['parameter inet', 'parameter inet6', 'delete inet6', 'delete inet']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(table.size).toBe(0);
    kernel.links.set(5, link(5));
    for (const m of [link(5), netconf(2, 5, false, 0), netconf(10, 5, false, 0)]) table.apply(m);
    expect(table.finish(kernel).map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`).sort()).toEqual(['add inet 1500', 'add inet6 1500']);
  });

  it('an unanswered removal carried without a request is settled by the DELLINK of a later batch', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 6);
    withDevice(table, kernel, 7);
    // Group delete, split mid-device: 7 is fully gone, 6 has only its DELNETCONF so far.
    for (const m of [netconf(10, 7, true), netconf(2, 7, true), delLink(7), netconf(10, 6, true)]) table.apply(m);
    expect(table.hasUnansweredRemoval).toBe(true);
    const first = table.finish(kernel, false);
    expect(first.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceIndex}`).sort()).toEqual(['delete inet 7', 'delete inet6 7']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(table.batchPending).toBe(true);
    kernel.links.delete(6);
    for (const m of [netconf(2, 6, true), delLink(6)]) table.apply(m);
    expect(table.hasUnansweredRemoval).toBe(false);
    const second = table.finish(kernel, false);
    expect(second.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceIndex}`).sort()).toEqual(['delete inet 6', 'delete inet6 6']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(table.batchPending).toBe(false);
    expect(table.size).toBe(0);
  });

  it('a carried lone DELNETCONF no message explains is confirmed by RTM_GETLINK once the caller allows requests', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 8);
    // The device is still there with MTU 1500 but without its IPv6 part: only a request can tell.
    kernel.links.set(8, link(8, { inet6: undefined }));
    for (const m of [link(8, { mtu: 1400 }), netconf(10, 8, true)]) table.apply(m);
    expect(table.hasUnansweredRemoval).toBe(true);
    // Held back: the MTU changes go out, the removal waits.
    expect(table.finish(kernel, false).map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`)).toEqual(['parameter inet 1400', 'parameter inet6 1400']);
    expect(kernel.getLinkCalls).toBe(0);
    expect(table.finish(kernel).map((c) => `${c.type} ${c.row.family}`)).toEqual(['delete inet6']);
    expect(kernel.getLinkCalls).toBe(1);
    expect(table.batchPending).toBe(false);
  });

  it('MTU change: the inet6 row gets the new MTU although the message still carries the old mtu6', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 2);
    table.apply(link(2, { mtu: 1400, inet6: { conf: inet6Conf(1500) } }));
    const changes = table.finish(kernel);
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`)).toEqual(['parameter inet 1400', 'parameter inet6 1400']);
  });

  it('changed only on a real difference; forwarding from a partial netconf', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 2);
    table.apply(link(2));
    expect(table.finish(kernel)).toEqual([]);
    table.apply(netconf(2, 2, false, 1));
    const changes = table.finish(kernel);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.row).toMatchObject({ family: 'inet', forwardingEnabled: true });
  });

  it('netconf pseudo entries -1 and -2 are not interfaces', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    table.apply(netconf(2, -1, false, 1));
    table.apply(netconf(10, -2, false, 1));
    expect(table.finish(kernel)).toEqual([]);
    expect(kernel.getLinkCalls).toBe(0);
  });

  it('a snapshot after loss synthesizes added, changed and removed against what was emitted', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 2);
    withDevice(table, kernel, 3);
    const changes = table.load({
      links: [link(2, { mtu: 1400 }), link(7)],
      netconf: [netconf(2, 2), netconf(10, 2), netconf(2, 7), netconf(10, 7), netconf(2, -1), netconf(10, -2)],
      neigh: [],
      addresses: [],
    });
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.interfaceIndex}`).sort()).toEqual([
      'add inet 7',
      'add inet6 7',
      'delete inet 3',
      'delete inet6 3',
      'parameter inet 2',
      'parameter inet6 2',
    ]);
  });
});

describe('InterfaceTable per-message decisions', () => {
  it('two changes within one batch are two notifications (1500 -> 1400 -> 1500 is not silence)', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 2);
    table.apply(link(2, { mtu: 1400 }));
    table.apply(link(2, { mtu: 1500 }));
    const changes = table.finish(kernel);
    expect(changes.map((c) => `${c.type} ${c.row.family} ${c.row.nlMtu}`)).toEqual([
      'parameter inet 1400',
      'parameter inet6 1400',
      'parameter inet 1500',
      'parameter inet6 1500',
    ]);
  });
});

describe('InterfaceTable neighbour re-reads (issue 12: no per-change work that grows with the device count)', () => {
  /** An RTNLGRP_IPV6_IFINFO message (family 10) for `ifindex` with the given reachable time. */
  const inet6Link = (ifindex: number, reachableTime: number, flags = 0): LinkMessage => ({
    ...link(ifindex),
    family: 10,
    inet6: { flags, conf: inet6Conf(1500), cacheInfo: { maxReasmLen: 65535, reachableTime, retransTime: 1000 } },
  });

  it('an IPv6 link message with the reachable time unchanged (an interface going up) dumps no neighbour table', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 3);
    table.apply(inet6Link(3, 30000));
    table.finish(kernel);
    expect(kernel.neighCalls).toBe(0);
    expect(table.batchPending).toBe(false);
  });

  it('a changed reachable time (the kernel re-randomizes it on a base_reachable_time write) re-reads the neighbour table once', () => {
    const table = new RecordingTable();
    const kernel = new FakeKernel();
    withDevice(table, kernel, 3);
    table.apply(inet6Link(3, 19084));
    expect(table.batchPending).toBe(true);
    // While messages flow (not quiet) the re-read waits; then it happens once.
    table.finish(kernel, true, false);
    expect(kernel.neighCalls).toBe(0);
    table.finish(kernel, true, true);
    expect(kernel.neighCalls).toBe(1);
    expect(table.batchPending).toBe(false);
  });
});
