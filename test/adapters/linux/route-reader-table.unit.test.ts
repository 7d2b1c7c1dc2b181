import type { MibNotificationType } from '../../../src/adapter';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import { IFF_UP, RTM_DELLINK, RTM_NEWLINK, RTM_NEWROUTE, RTNH_F_DEAD } from '../../../adapters/linux/netlink-constants';
import type { AddressMessage, LinkMessage } from '../../../adapters/linux/netlink-parser';
import type { NetlinkRequester } from '../../../adapters/linux/netlink-requester';
import type { RouteMessage, RouteNextHop } from '../../../adapters/linux/route-parser';
import { RouteReaderTable, zeroRouteCounters, type RouteDumps } from '../../../adapters/linux/route-reader-table';
import { IFF_LOWER_UP } from '../../../adapters/linux/route-requests';
import type { RouteSocket } from '../../../adapters/linux/route-socket';

const UP = IFF_UP | IFF_LOWER_UP;
const link = (ifindex: number, flags: number, deleted = false): LinkMessage => ({
  type: deleted ? RTM_DELLINK : RTM_NEWLINK, flags: 0, seq: 0, pid: 0, kind: 'link', deleted, family: 0, ifindex, ifiType: 1, ifiFlags: flags, name: `d${ifindex}`,
});
const hop = (ifindex: number, gw: number, flags = 0): RouteNextHop => ({ ifindex, gateway: new Uint8Array([10, 9, 0, gw]), flags, hops: 0 });
function route(dst: number, hops: RouteNextHop[], table = 254, source?: number): RouteMessage {
  return {
    type: RTM_NEWROUTE, flags: 0, seq: 0, pid: 0, kind: 'route', deleted: false, family: 2, dstLength: 16, srcLength: 0, tos: 0, table, protocol: 4, scope: 0,
    routeType: 1, routeFlags: 0, destination: new Uint8Array([10, dst, 0, 0]), nextHops: hops, multipath: hops.length > 1,
    preferredSource: source === undefined ? undefined : new Uint8Array([10, 9, 0, source]),
  };
}

function setup(initial: RouteMessage[]) {
  let all = initial;
  const deviceAnswers: (RouteMessage[] | undefined)[] = [];
  const calls = { device: 0, all: 0 };
  const dumps: RouteDumps = {
    device: (_family, ifindex) => {
      calls.device++;
      const next = deviceAnswers.length > 1 ? deviceAnswers.shift() : deviceAnswers[0];
      return next ?? all.filter((m) => m.nextHops.some((h) => h.ifindex === ifindex));
    },
    all: (family) => {
      calls.all++;
      return family === 2 ? all : [];
    },
  };
  const links = [link(3, UP), link(4, UP)];
  const requester = {
    socket: {} as RouteSocket,
    dump: () => ({ messages: links, intr: false }),
    getLink: (i: number) => links.find((l) => l.ifindex === i),
  } as unknown as NetlinkRequester;
  const wakes: number[] = [];
  const table = new RouteReaderTable(requester, zeroRouteCounters(), () => wakes.push(Date.now()), dumps);
  table.enable('inet');
  const seen: { type: MibNotificationType; row: IpForwardRow }[] = [];
  table.subscribe('inet', 'main', (row, type) => seen.push({ type, row: row! }));
  const finish = (): void => table.finishBatch(undefined, { confirmRemovals: true, rereadNeighbours: true });
  return { table, seen, calls, deviceAnswers, wakes, finish, setAll: (m: RouteMessage[]) => (all = m) };
}

describe('RouteReaderTable (fake dumps): the removals the kernel makes without a message', () => {
  afterEach(() => jest.useRealTimers());

  it('link down: the device dump decides; rows gone from it are deleted', () => {
    const t = setup([route(77, [hop(3, 2)]), route(78, [hop(4, 2)])]);
    expect(t.table.rows('inet', 'main')).toHaveLength(2);
    t.setAll([route(78, [hop(4, 2)])]);
    t.table.apply(link(3, 0));
    expect(t.table.batchPending).toBe(true);
    t.finish();
    expect(t.calls.device).toBe(1);
    expect(t.seen.map((c) => `${c.type} ${c.row.destinationPrefix.prefix} ${c.row.interfaceIndex}`)).toEqual(['delete 10.77.0.0 3']);
    expect(t.table.batchPending).toBe(false);
  });

  it('a dump that still shows a live hop through the down device is made again 5 ms later (the flush had not happened yet)', () => {
    jest.useFakeTimers();
    const t = setup([route(77, [hop(3, 2)])]);
    t.deviceAnswers.push([route(77, [hop(3, 2)])], []);
    t.table.apply(link(3, 0));
    t.finish();
    expect(t.seen).toEqual([]);
    expect(t.table.dumpRetries).toBe(1);
    expect(t.table.batchPending).toBe(true);
    jest.advanceTimersByTime(5);
    expect(t.wakes).toHaveLength(1);
    t.finish(); // what the reader's quiet completion does
    expect(t.seen.map((c) => c.type)).toEqual(['delete']);
    expect(t.table.batchPending).toBe(false);
  });

  it('a multipath hop marked dead is deleted; alive again, added', () => {
    const t = setup([route(88, [hop(3, 2), hop(4, 3)])]);
    t.setAll([route(88, [hop(3, 2), hop(4, 3, RTNH_F_DEAD)])]);
    t.table.apply(link(4, 0));
    t.finish();
    expect(t.seen.map((c) => `${c.type} ${c.row.nextHop}`)).toEqual(['delete 10.9.0.3']);
    t.setAll([route(88, [hop(3, 2), hop(4, 3)])]);
    t.table.apply(link(4, UP));
    t.finish();
    expect(t.seen.map((c) => `${c.type} ${c.row.nextHop}`)).toEqual(['delete 10.9.0.3', 'add 10.9.0.3']);
  });

  it('device deletion: its rows go without a request; with a multipath hop, the family is dumped whole', () => {
    const t = setup([route(77, [hop(3, 2)]), route(88, [hop(3, 2), hop(4, 3)])]);
    t.setAll([route(88, [hop(3, 2), hop(4, 3)])]);
    t.table.apply(link(4, 0, true));
    t.setAll([]); // the kernel removed the multipath route whole
    t.finish();
    expect(t.calls.all).toBe(2); // enable + the whole-family dump
    expect(t.seen.map((c) => `${c.type} ${c.row.destinationPrefix.prefix} ${c.row.nextHop}`).sort()).toEqual([
      'delete 10.77.0.0 10.9.0.2', 'delete 10.88.0.0 10.9.0.2', 'delete 10.88.0.0 10.9.0.3',
    ]);
    const u = setup([route(77, [hop(3, 2)]), route(78, [hop(4, 2)])]);
    u.table.apply(link(3, 0, true));
    u.finish();
    expect([u.calls.device, u.calls.all]).toEqual([0, 1]);
    expect(u.seen.map((c) => `${c.type} ${c.row.destinationPrefix.prefix}`)).toEqual(['delete 10.77.0.0']);
  });

  it('IPv4 RTM_DELADDR: the device is dumped; a route elsewhere that used the address as source makes it a whole-family dump', () => {
    const t = setup([route(77, [hop(3, 2)]), route(66, [hop(4, 2)], 254, 5)]);
    const deladdr: AddressMessage = { type: 21, flags: 0, seq: 0, pid: 0, kind: 'address', deleted: true, family: 2, ifindex: 3, scope: 0, address: new Uint8Array([10, 9, 0, 5]), prefixLength: 24, headerFlags: 0, addressFlags: 0 };
    t.setAll([route(77, [hop(3, 2)])]);
    t.table.apply(deladdr);
    t.finish();
    expect(t.calls.all).toBe(2);
    expect(t.seen.map((c) => `${c.type} ${c.row.destinationPrefix.prefix}`)).toEqual(['delete 10.66.0.0']);
  });

  it('a rename: the device is dumped again, its rows change (parameter) to the new name', () => {
    const t = setup([route(77, [hop(3, 2)])]);
    t.table.apply({ ...link(3, UP), name: 'renamed' });
    t.finish();
    expect(t.seen.map((c) => `${c.type} ${c.row.interfaceName}`)).toEqual(['parameter renamed']);
  });

  it("tables: a 'main' subscriber never sees another table's rows; 'all' does", () => {
    const t = setup([route(77, [hop(3, 2)], 100)]);
    const all: IpForwardRow[] = [];
    t.table.subscribe('inet', 'all', (row) => all.push(row!));
    expect(t.table.rows('inet', 'main')).toEqual([]);
    expect(t.table.rows('inet', 'all')).toHaveLength(1);
    t.setAll([]);
    t.table.apply(link(3, 0));
    t.finish();
    expect(t.seen).toEqual([]);
    expect(all.map((r) => r.table)).toEqual([100]);
  });
});
