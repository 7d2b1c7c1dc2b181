/**
 * The route table against the kernel: notifications captured in a test namespace are replayed into
 * it, and it must end equal to a dump of every table; where the kernel sends nothing (link down,
 * dead multipath hops) a filtered dump and `reconcile` must bring it back to the kernel's view.
 */
import { LINUX_AF_INET, LINUX_AF_INET6, NLM_F_REPLACE, RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_ROUTE } from '../../../adapters/linux/netlink-constants';
import { parseRouteMessages, type RouteMessage } from '../../../adapters/linux/route-parser';
import { mapRouteRows, routeIdentityOf } from '../../../adapters/linux/route-row-mapping';
import { RouteTable, type RouteTableChange } from '../../../adapters/linux/route-table';
import { synthesizeLuid } from '../../../adapters/linux/row-mapping';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import { routeKey } from '../../../src/route-key';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { captureDump, captureNotifications, deviceTable, removeCaptureProgram, type CapturedDevice } from './netlink-capture';

const text = (r: IpForwardRow): string =>
  `${r.family} ${r.table} ${r.destinationPrefix.prefix}/${r.destinationPrefix.prefixLength} via ${r.nextHop} dev ${r.interfaceName} metric ${r.metric}`;
const changeText = (c: RouteTableChange): string => `${c.type} ${text(c.row)}`;

describeWithNetns('linux route table replaying real kernel notifications', () => {
  let ns: TestNetns;
  let va: number;
  let dev: Map<number, CapturedDevice>;
  const lookup = (ifindex: number): CapturedDevice | undefined => dev.get(ifindex);
  const family = (m: RouteMessage): 'inet' | 'inet6' => (m.family === LINUX_AF_INET ? 'inet' : 'inet6');
  /** Each forwarding message's rows, as one route (a dump of both families, or of one device with strict checking). */
  const dumpRoutes = (ifindex = 0): IpForwardRow[][] =>
    [LINUX_AF_INET, LINUX_AF_INET6].flatMap((f) =>
      captureDump(ns, { what: 'route', family: f, ifindex, strict: ifindex !== 0 }).flatMap((d) => parseRouteMessages(d)).map((m) => mapRouteRows(m, lookup)!).filter((rows) => rows.length > 0),
    );
  const sorted = (rows: IpForwardRow[]): IpForwardRow[] => [...rows].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
  /** Applies captured notifications; returns the changes and whether a resync was asked for. */
  const replay = (table: RouteTable, datagrams: Buffer[]): { changes: string[]; resync: number } => {
    const changes: string[] = [];
    let resync = 0;
    for (const m of datagrams.flatMap((d) => parseRouteMessages(d))) {
      const identity = routeIdentityOf(m);
      if (identity === undefined) continue;
      const rows = mapRouteRows(m, lookup, { includeDeadHops: m.deleted })!;
      const result = table.apply({ deleted: m.deleted, replace: (m.flags & NLM_F_REPLACE) !== 0, family: family(m), rows, route: identity });
      changes.push(...result.changes.map(changeText));
      if (result.resync) resync++;
    }
    return { changes, resync };
  };

  beforeAll(() => {
    TestNetns.cleanupStale('routetable');
    ns = TestNetns.create('routetable');
    ns.addVeth('va', 'vb');
    ns.ip('link', 'set', 'va', 'up');
    ns.ip('link', 'set', 'vb', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'va');
    ns.ip('addr', 'add', '10.9.2.1/24', 'dev', 'vb');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'va', 'nodad');
    ns.ip('addr', 'add', '2001:db8:2::1/64', 'dev', 'vb', 'nodad');
    va = ns.ifindex('va');
    dev = deviceTable(ns, synthesizeLuid);
  });

  afterAll(() => {
    ns?.delete();
    removeCaptureProgram();
  });

  it('add, replace, metric, append, multipath, IPv6 append/del-one-hop/replace, table 1000: the replayed table equals the dump', async () => {
    const table = new RouteTable();
    table.load(dumpRoutes());
    const datagrams = await captureNotifications(ns, RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE, () =>
      ns.ipBatch([
        'route add 10.77.0.0/16 via 10.9.0.2',
        'route replace 10.77.0.0/16 via 10.9.0.4',
        'route add 10.77.0.0/16 via 10.9.0.2 metric 5',
        'route append 10.77.0.0/16 via 10.9.2.4',
        'route add default via 10.9.0.2',
        'route add 10.78.0.0/16 nexthop via 10.9.0.2 weight 1 nexthop via 10.9.2.4 weight 2',
        'route add 10.90.0.0/16 via 10.9.0.2 table 1000',
        'route add 2001:db8:77::/48 via 2001:db8::2',
        'route append 2001:db8:77::/48 via 2001:db8:2::4',
        'route del 2001:db8:77::/48 via 2001:db8::2',
        'route replace 2001:db8:77::/48 via 2001:db8::3',
        'route add 2001:db8:78::/48 nexthop via 2001:db8::2 nexthop via 2001:db8:2::4',
        'route add default via 2001:db8::2 pref high',
        'route del 10.77.0.0/16 via 10.9.0.4',
      ]),
    );
    const { changes, resync } = replay(table, datagrams);
    expect(resync).toBe(0);
    expect(changes).toEqual(
      expect.arrayContaining([
        'add inet 254 10.77.0.0/16 via 10.9.0.2 dev va metric 0',
        'delete inet 254 10.77.0.0/16 via 10.9.0.2 dev va metric 0', // the replace: the old next hop goes
        'add inet 254 10.77.0.0/16 via 10.9.0.4 dev va metric 0',
        'add inet 254 10.77.0.0/16 via 10.9.2.4 dev vb metric 0', // the append: a second route beside it
        'add inet6 254 2001:db8:77::/48 via 2001:db8:2::4 dev vb metric 1024',
        'delete inet6 254 2001:db8:77::/48 via 2001:db8::2 dev va metric 1024',
        'delete inet6 254 2001:db8:77::/48 via 2001:db8:2::4 dev vb metric 1024', // the replace of a one-hop route
        'add inet6 254 2001:db8:77::/48 via 2001:db8::3 dev va metric 1024',
        'add inet 1000 10.90.0.0/16 via 10.9.0.2 dev va metric 0',
      ]),
    );
    expect(sorted(table.rows()).map(text)).toEqual(sorted(dumpRoutes().flat()).map(text));
    expect(sorted(table.rows())).toEqual(sorted(dumpRoutes().flat()));
  });

  it('an IPv4 replace among two same-metric routes asks for a resync; reconcile then matches the kernel', async () => {
    const table = new RouteTable();
    table.load(dumpRoutes());
    // 10.77.0.0/16 metric 0 is there twice now (via 10.9.2.4 and, appended, via 10.9.0.6).
    ns.ip('route', 'append', '10.77.0.0/16', 'via', '10.9.0.6');
    table.load(dumpRoutes());
    const datagrams = await captureNotifications(ns, RTMGRP_IPV4_ROUTE, () => ns.ip('route', 'replace', '10.77.0.0/16', 'via', '10.9.0.7'));
    const { resync } = replay(table, datagrams);
    expect(resync).toBe(1);
    table.reconcile(dumpRoutes());
    expect(sorted(table.rows())).toEqual(sorted(dumpRoutes().flat()));
  });

  it('ip link set va down: no IPv4 RTM_DELROUTE; a strict dump of va + reconcile removes its IPv4 rows and the dead multipath hop', async () => {
    const table = new RouteTable();
    table.load(dumpRoutes());
    const before = table.rows('inet').filter((r) => r.interfaceIndex === va && r.table === 254).length;
    const datagrams = await captureNotifications(ns, RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE, () => ns.ip('link', 'set', 'va', 'down'));
    replay(table, datagrams);
    const stale = table.rows('inet').filter((r) => r.interfaceIndex === va);
    expect(stale.length).toBeGreaterThanOrEqual(before); // nothing told the table
    const changes = table.reconcile(dumpRoutes(va), { interfaceIndex: va });
    expect(changes.filter((c) => c.type === 'delete' && c.row.family === 'inet').map((c) => text(c.row))).toEqual(
      expect.arrayContaining(['inet 254 10.9.0.0/24 via 0.0.0.0 dev va metric 0', 'inet 254 10.78.0.0/16 via 10.9.0.2 dev va metric 0']),
    );
    expect(sorted(table.rows())).toEqual(sorted(dumpRoutes().flat()));
    // Up again: the connected route is notified, the multipath hop revives without a message: reconcile finds it.
    const up = await captureNotifications(ns, RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE, () => ns.ip('link', 'set', 'va', 'up'));
    replay(table, up);
    const revived = table.reconcile(dumpRoutes(va), { interfaceIndex: va });
    expect(revived.map(changeText)).toEqual(expect.arrayContaining(['add inet 254 10.78.0.0/16 via 10.9.0.2 dev va metric 0']));
    expect(sorted(table.rows())).toEqual(sorted(dumpRoutes().flat()));
  });
});
