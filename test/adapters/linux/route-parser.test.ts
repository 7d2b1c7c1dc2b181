/**
 * The route parser and row mapping on real kernel bytes: RTM_NEWROUTE / RTM_DELROUTE datagrams
 * captured in a test namespace (netlink-capture.c), checked against `ip -j -n NS route show table
 * all`, plus a fuzz of the captured datagrams.
 */
import {
  NLM_F_REPLACE, RTA_TABLE, RTM_DELROUTE, RTNH_F_DEAD, RTNH_F_LINKDOWN, RTM_F_CLONED, RTM_NEWROUTE, RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_ROUTE,
} from '../../../adapters/linux/netlink-constants';
import { NetlinkParseError } from '../../../adapters/linux/netlink-parser';
import { parseRouteMessages, type RouteMessage } from '../../../adapters/linux/route-parser';
import {
  isForwardingRoute, mapRouteRows, type RouteDevice,
} from '../../../adapters/linux/route-row-mapping';
import { synthesizeLuid } from '../../../adapters/linux/row-mapping';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import { routeKey } from '../../../src/route-key';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { captureDump, captureNotifications, removeCaptureProgram } from './netlink-capture';
import { mutate, prng, withoutAttribute } from './netlink-fuzz';

const GROUPS = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
const ARPHRD: Record<string, number> = { ether: 1, loopback: 772 };
const TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };

interface IpNexthop { gateway?: string; dev: string; weight?: number }
interface IpRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  protocol?: string;
  metric?: number;
  expires?: number;
  nexthops?: IpNexthop[];
}
interface IpLink { ifindex: number; ifname: string; link_type: string }

function devices(ns: TestNetns): Map<number, RouteDevice & { name: string }> {
  const links = JSON.parse(ns.ip('-j', 'link', 'show')) as IpLink[];
  return new Map(
    links.map((l) => [l.ifindex, { interfaceLuid: synthesizeLuid(ARPHRD[l.link_type] ?? 0, l.ifindex), interfaceName: l.ifname, loopback: l.link_type === 'loopback', name: l.ifname }]),
  );
}

/** `ip -j route` row -> the rows we expect (one per next hop), as comparable strings. */
function expectedRows(family: 'inet' | 'inet6', r: IpRoute): string[] {
  const zero = family === 'inet' ? '0.0.0.0' : '::';
  const [prefix, length] = r.dst === 'default' ? [zero, 0] : r.dst.includes('/') ? [r.dst.split('/')[0]!, Number(r.dst.split('/')[1])] : [r.dst, family === 'inet' ? 32 : 128];
  const table = r.table === undefined ? 254 : TABLES[r.table] ?? Number(r.table);
  const hops = r.nexthops ?? [{ gateway: r.gateway, dev: r.dev! }];
  return hops.map((h) => `${family} ${table} ${prefix}/${length} via ${h.gateway ?? zero} dev ${h.dev} metric ${r.metric ?? 0}`);
}
const rowText = (row: IpForwardRow): string =>
  `${row.family} ${row.table} ${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength} via ${row.nextHop} dev ${row.interfaceName} metric ${row.metric}`;

describeWithNetns('linux route parser on real kernel bytes', () => {
  let ns: TestNetns;
  let va: number;
  let vb: number;
  let dev: Map<number, RouteDevice & { name: string }>;
  const corpus: Buffer[] = [];
  const lookup = (ifindex: number): RouteDevice | undefined => dev.get(ifindex);
  const rowsOf = (messages: RouteMessage[]): IpForwardRow[] => messages.flatMap((m) => mapRouteRows(m, lookup) ?? []);
  const notified = async (change: () => void): Promise<RouteMessage[]> => {
    const datagrams = await captureNotifications(ns, GROUPS, change);
    corpus.push(...datagrams);
    return datagrams.flatMap((d) => parseRouteMessages(d));
  };
  const dump = (family: number, ifindex = 0, strict = false): RouteMessage[] => {
    const datagrams = captureDump(ns, { what: 'route', family, ifindex, strict });
    corpus.push(...datagrams);
    return datagrams.flatMap((d) => parseRouteMessages(d));
  };

  beforeAll(() => {
    TestNetns.cleanupStale('routeparse');
    ns = TestNetns.create('routeparse');
    ns.addVeth('va', 'vb');
    ns.ip('link', 'set', 'va', 'up');
    ns.ip('link', 'set', 'vb', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'va');
    ns.ip('addr', 'add', '10.9.2.1/24', 'dev', 'vb');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'va', 'nodad');
    ns.ip('addr', 'add', '2001:db8:2::1/64', 'dev', 'vb', 'nodad');
    va = ns.ifindex('va');
    vb = ns.ifindex('vb');
    dev = devices(ns);
  });

  afterAll(() => {
    ns?.delete();
    removeCaptureProgram();
  });

  it('ip route add 10.77.0.0/16 via 10.9.0.2 -> one RTM_NEWROUTE: prefix, next hop, interface, metric 0, main table, netmgmt', async () => {
    const messages = await notified(() => ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2'));
    expect(messages.map((m) => m.type)).toEqual([RTM_NEWROUTE]);
    expect(messages[0]!.priority).toBeUndefined(); // IPv4 metric 0: no RTA_PRIORITY
    expect(rowsOf(messages)).toEqual([
      {
        family: 'inet', destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2', interfaceLuid: synthesizeLuid(1, va),
        interfaceIndex: va, interfaceName: 'va', sitePrefixLength: undefined, validLifetime: 0xffffffff, preferredLifetime: undefined, metric: 0,
        protocol: 'netmgmt', loopback: false, autoconfigureAddress: undefined, publish: undefined, immortal: true, age: undefined,
        origin: 'manual', table: 254,
      },
    ]);
  });

  it('ip route replace with another next hop: one RTM_NEWROUTE with NLM_F_REPLACE, no RTM_DELROUTE', async () => {
    const messages = await notified(() => ns.ip('route', 'replace', '10.77.0.0/16', 'via', '10.9.0.4'));
    expect(messages.map((m) => [m.type, (m.flags & NLM_F_REPLACE) !== 0])).toEqual([[RTM_NEWROUTE, true]]);
    expect(rowsOf(messages).map(rowText)).toEqual([`inet 254 10.77.0.0/16 via 10.9.0.4 dev va metric 0`]);
    // A plain add of a new route does not carry it.
    const added = await notified(() => ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2', 'metric', '5'));
    expect(added.map((m) => [m.type, (m.flags & NLM_F_REPLACE) !== 0])).toEqual([[RTM_NEWROUTE, false]]);
  });

  it('default route and a multipath route (one row per next hop, weight in hops)', async () => {
    const messages = await notified(() => {
      ns.ip('route', 'add', 'default', 'via', '10.9.0.2');
      ns.ip('route', 'add', '10.78.0.0/16', 'nexthop', 'via', '10.9.0.2', 'weight', '1', 'nexthop', 'via', '10.9.2.4', 'weight', '2');
    });
    expect(messages.map((m) => m.multipath)).toEqual([false, true]);
    expect(messages[1]!.nextHops.map((h) => h.hops)).toEqual([0, 1]);
    const rows = rowsOf(messages);
    expect(rows.map(rowText)).toEqual([
      'inet 254 0.0.0.0/0 via 10.9.0.2 dev va metric 0',
      'inet 254 10.78.0.0/16 via 10.9.0.2 dev va metric 0',
      'inet 254 10.78.0.0/16 via 10.9.2.4 dev vb metric 0',
    ]);
    expect(new Set(rows.map(routeKey)).size).toBe(3);
  });

  it('IPv6: gateway route, expiring route, multipath, default with preference', async () => {
    const messages = await notified(() => {
      ns.ip('-6', 'route', 'add', '2001:db8:77::/48', 'via', '2001:db8::2');
      ns.ip('-6', 'route', 'add', '2001:db8:79::/48', 'via', '2001:db8::2', 'expires', '600');
      ns.ip('-6', 'route', 'add', '2001:db8:78::/48', 'nexthop', 'via', '2001:db8::2', 'nexthop', 'via', '2001:db8:2::4');
      ns.ip('-6', 'route', 'add', 'default', 'via', '2001:db8::2', 'pref', 'high');
    });
    const rows = rowsOf(messages);
    expect(rows.map(rowText)).toEqual(
      expect.arrayContaining([
        'inet6 254 2001:db8:77::/48 via 2001:db8::2 dev va metric 1024',
        'inet6 254 2001:db8:79::/48 via 2001:db8::2 dev va metric 1024',
        'inet6 254 2001:db8:78::/48 via 2001:db8::2 dev va metric 1024',
        'inet6 254 2001:db8:78::/48 via 2001:db8:2::4 dev vb metric 1024',
        'inet6 254 ::/0 via 2001:db8::2 dev va metric 1024',
      ]),
    );
    const expiring = rows.find((r) => r.destinationPrefix.prefix === '2001:db8:79::')!;
    expect(expiring.validLifetime).toBeGreaterThan(590);
    expect(expiring.validLifetime).toBeLessThanOrEqual(600);
    expect(expiring.immortal).toBe(false);
    expect(messages.find((m) => m.dstLength === 0)!.preference).toBe(1); // ICMPV6_ROUTER_PREF_HIGH
    // How the kernel reported the IPv6 multipath add (one message with RTA_MULTIPATH or one per hop): either way two rows.
    expect(rows.filter((r) => r.destinationPrefix.prefix === '2001:db8:78::')).toHaveLength(2);
  });

  it('a dump of every table equals `ip -j route show table all` for unicast routes; local/broadcast give no row', () => {
    for (const [family, flag] of [['inet', '-4'], ['inet6', '-6']] as const) {
      const messages = dump(family === 'inet' ? 2 : 10);
      const rows = rowsOf(messages);
      const theirs = (JSON.parse(ns.ip('-j', flag, 'route', 'show', 'table', 'all')) as IpRoute[]).filter((r) => r.type === undefined || r.type === 'unicast');
      expect(rows.map(rowText).sort()).toEqual(theirs.flatMap((r) => expectedRows(family, r)).sort());
      expect(messages.filter((m) => !isForwardingRoute(m)).length).toBeGreaterThan(0); // the local table's entries
      for (const r of rows) expect(r.protocol).toBe(r.destinationPrefix.prefixLength === 0 || r.nextHop !== (family === 'inet' ? '0.0.0.0' : '::') ? 'netmgmt' : 'local');
    }
  });

  it('RTA_TABLE (32 bits) wins over rtm_table: a route in table 1000 reports 1000 (rtm_table says 252)', async () => {
    const messages = await notified(() => ns.ip('route', 'add', '10.90.0.0/16', 'via', '10.9.0.2', 'table', '1000'));
    const datagram = corpus[corpus.length - 1]!;
    expect(datagram.readUInt8(16 + 4)).toBe(252); // RT_TABLE_COMPAT in the header
    expect(rowsOf(messages).map(rowText)).toEqual(['inet 1000 10.90.0.0/16 via 10.9.0.2 dev va metric 0']);
    const withoutTable = parseRouteMessages(withoutAttribute(datagram, RTA_TABLE, 28));
    expect(withoutTable[0]!.table).toBe(252);
  });

  it('RTM_GETROUTE filtered by RTA_OIF: ignored without NETLINK_GET_STRICT_CHK, honoured with it (multipath routes through it included)', () => {
    const all = dump(2);
    const loose = dump(2, vb);
    const strict = dump(2, vb, true);
    expect(loose.length).toBe(all.length);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((m) => m.nextHops.some((h) => h.ifindex === vb))).toBe(true);
    expect(strict.length).toBe(all.filter((m) => m.nextHops.some((h) => h.ifindex === vb)).length);
    expect(strict.some((m) => m.multipath)).toBe(true);
  });

  it('cloned entries and other route types are not forwarding rows', () => {
    const unicast = dump(2).find((m) => isForwardingRoute(m))!;
    expect(mapRouteRows({ ...unicast, routeFlags: unicast.routeFlags | RTM_F_CLONED }, lookup)).toEqual([]);
    expect(mapRouteRows({ ...unicast, routeType: 2 }, lookup)).toEqual([]);
    expect(mapRouteRows({ ...unicast, nexthopId: 7 }, lookup)).toEqual([]);
    // An unknown device: no row with an invented LUID, `undefined` so the caller re-reads its links.
    expect(mapRouteRows(unicast, () => undefined)).toBeUndefined();
  });

  it('ip link set va down: RTM_DELROUTE for the IPv6 routes through va, none for IPv4 (they vanish silently)', async () => {
    const before4 = rowsOf(dump(2)).filter((r) => r.interfaceIndex === va && r.table === 254);
    expect(before4.length).toBeGreaterThan(2);
    const messages = await notified(() => ns.ip('link', 'set', 'va', 'down'));
    const deleted = messages.filter((m) => m.type === RTM_DELROUTE);
    expect(deleted.filter((m) => m.family === 2)).toEqual([]);
    expect(deleted.filter((m) => m.family === 10).length).toBeGreaterThan(0);
    const after = dump(2);
    expect(rowsOf(after).filter((r) => r.interfaceIndex === va && r.table === 254)).toEqual([]);
    // The multipath route stays in the kernel's table with its va hop marked dead (RTNH_F_DEAD | RTNH_F_LINKDOWN): no row for that hop.
    const multipath = after.find((m) => m.multipath && m.family === 2)!;
    expect(multipath.nextHops.find((h) => h.ifindex === va)!.flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)).toBe(RTNH_F_DEAD | RTNH_F_LINKDOWN);
    // Back up: the IPv4 routes stay gone (they were deleted), the dead hop comes back, again without a message for it.
    const revived = await notified(() => ns.ip('link', 'set', 'va', 'up'));
    expect(revived.filter((m) => m.family === 2 && m.type === RTM_NEWROUTE && m.multipath)).toEqual([]);
    expect(rowsOf(dump(2)).filter((r) => r.interfaceIndex === va && r.table === 254).map(rowText)).toEqual([
      'inet 254 10.9.0.0/24 via 0.0.0.0 dev va metric 0',
      'inet 254 10.78.0.0/16 via 10.9.0.2 dev va metric 0',
    ]);
  });

  it('fuzz: mutations of the captured datagrams throw only NetlinkParseError', () => {
    expect(corpus.length).toBeGreaterThan(10);
    const random = prng(0x7007e);
    const int = (n: number): number => Math.floor(random() * n);
    const CASES = 100_000;
    let parsed = 0;
    let rejected = 0;
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const input = mutate(corpus[int(corpus.length)]!, i, int);
      try {
        for (const m of parseRouteMessages(input, input.length)) mapRouteRows(m, () => ({ interfaceLuid: 1n }));
        parsed++;
      } catch (error) {
        if (error instanceof NetlinkParseError) rejected++;
        else failures.push(`case ${i}: ${String(error)} for ${input.toString('hex')}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(parsed + rejected).toBe(CASES);
    expect(rejected).toBeGreaterThan(CASES / 10);
    expect(parsed).toBeGreaterThan(CASES / 10);
  }, 60000);
});
