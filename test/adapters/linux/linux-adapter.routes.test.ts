import { readdirSync } from 'node:fs';
import type { MibNotificationType, NotificationHandle } from '../../../src/adapter';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import { routeKey } from '../../../src/route-key';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';

interface RouteCall {
  readonly row: IpForwardRow | null;
  readonly type: MibNotificationType;
}

function routeRecorder(): { calls: RouteCall[]; callback: (row: IpForwardRow | null, type: MibNotificationType) => void } {
  const calls: RouteCall[] = [];
  return { calls, callback: (row, type) => calls.push({ row, type }) };
}

const cidr = (row: IpForwardRow): string => `${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength}`;

/** Calls since `from` about destination `prefix` (optionally of one type). */
function callsAbout(calls: readonly RouteCall[], prefix: string, type?: MibNotificationType, from = 0): RouteCall[] {
  return calls.slice(from).filter((c) => c.row !== null && cidr(c.row) === prefix && (type === undefined || c.type === type));
}

/** The table a subscriber would hold after applying the calls. */
function applyRouteCalls(calls: readonly RouteCall[], table = new Map<string, IpForwardRow>()): Map<string, IpForwardRow> {
  for (const c of calls) {
    if (!c.row) continue;
    if (c.type === 'delete') table.delete(routeKey(c.row));
    else table.set(routeKey(c.row), c.row);
  }
  return table;
}

/** One line per next hop: "prefix metric nexthop dev", as compared with `ip -j route show`. */
const describe1 = (row: IpForwardRow): string => `${cidr(row)} ${row.metric ?? 0} ${row.nextHop} ${row.interfaceName ?? row.interfaceIndex}`;

interface IpJsonRoute {
  dst: string;
  type?: string;
  gateway?: string;
  dev?: string;
  metric?: number;
  flags?: string[];
  nexthops?: { gateway?: string; dev?: string; flags?: string[] }[];
}

/** `ip -j route show table main` (or -6) as the same lines: unicast only, dead hops left out, as the adapter maps them. */
function kernelLines(ns: TestNetns, family: 'inet' | 'inet6'): string[] {
  const routes = JSON.parse(ns.ip(...(family === 'inet6' ? ['-6'] : ['-4']), '-j', 'route', 'show', 'table', 'main')) as IpJsonRoute[];
  const zero = family === 'inet' ? '0.0.0.0' : '::';
  const lines: string[] = [];
  for (const r of routes) {
    if (r.type !== undefined && r.type !== 'unicast') continue;
    let dst = r.dst === 'default' ? (family === 'inet' ? '0.0.0.0/0' : '::/0') : r.dst;
    if (!dst.includes('/')) dst += family === 'inet' ? '/32' : '/128';
    const metric = r.metric ?? 0;
    const hops = r.nexthops ?? [{ gateway: r.gateway, dev: r.dev, flags: r.flags }];
    for (const hop of hops) {
      if (hop.flags?.includes('dead')) continue;
      lines.push(`${dst} ${metric} ${hop.gateway ?? zero} ${hop.dev}`);
    }
  }
  return lines.sort();
}

function adapterLines(table: Map<string, IpForwardRow>, family: 'inet' | 'inet6'): string[] {
  return [...table.values()].filter((r) => r.family === family && r.table === 254).map(describe1).sort();
}

describeWithNetns('linux adapter: routes in a test namespace (real kernel events)', () => {
  let ns: TestNetns;
  let adapter: LinuxIpInterfaceAdapter;
  const v4 = routeRecorder();
  const v6 = routeRecorder();
  const both = routeRecorder();
  const handles: NotificationHandle[] = [];
  let ra = 0;
  let initial4: IpForwardRow[] = [];
  let initial6: IpForwardRow[] = [];
  /** What the inet / inet6 registrations hold: the table before they registered plus their calls. */
  const table4 = (): Map<string, IpForwardRow> => applyRouteCalls(v4.calls, new Map(initial4.map((r) => [routeKey(r), r])));
  const table6 = (): Map<string, IpForwardRow> => applyRouteCalls(v6.calls, new Map(initial6.map((r) => [routeKey(r), r])));

  beforeAll(async () => {
    TestNetns.cleanupStale('lxroute');
    ns = TestNetns.create('lxroute');
    ns.addVeth('ra', 'rap');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'ra');
    ns.ip('-6', 'addr', 'add', '2001:db8:9::1/64', 'dev', 'ra', 'nodad');
    ns.ip('link', 'set', 'rap', 'up');
    ns.ip('link', 'set', 'ra', 'up');
    ra = ns.ifindex('ra');
    adapter = linuxAdapter({ netns: ns.path });
    initial4 = await adapter.getIpForwardTable2('inet');
    initial6 = await adapter.getIpForwardTable2('inet6');
    handles.push(await adapter.notifyRouteChange2('inet', v4.callback, true));
    handles.push(await adapter.notifyRouteChange2('inet6', v6.callback, true));
    handles.push(await adapter.notifyRouteChange2('unspec', both.callback, false));
  });

  afterAll(async () => {
    for (const h of handles) await adapter?.cancelMibChangeNotify2(h).catch(() => undefined);
    ns?.delete();
  });

  /** The subscriber's table (initial table + calls) equals the kernel's main table, both families. */
  async function expectTablesMatchKernel(): Promise<void> {
    const initial = await adapter.getIpForwardTable2('unspec');
    expect(initial.every((r) => r.table === 254)).toBe(true);
    for (const family of ['inet', 'inet6'] as const) {
      await waitFor(
        () => JSON.stringify(adapterLines(new Map(initial.map((r) => [routeKey(r), r])), family)) === JSON.stringify(kernelLines(ns, family)),
        `getIpForwardTable2(${family}) equal to ip route show`,
      );
    }
  }

  it('delivers the initial marker first; getIpForwardTable2 equals `ip route show table main`', async () => {
    expect(v4.calls[0]).toEqual({ row: null, type: 'initial' });
    expect(v6.calls[0]).toEqual({ row: null, type: 'initial' });
    expect(both.calls.some((c) => c.type === 'initial')).toBe(false);
    await expectTablesMatchKernel();
    const rows = await adapter.getIpForwardTable2('inet');
    expect(rows.find((r) => cidr(r) === '10.9.0.0/24')).toMatchObject({ nextHop: '0.0.0.0', interfaceIndex: ra, interfaceName: 'ra', protocol: 'local', table: 254 });
  });

  it('ip route add 10.77.0.0/16 via 10.9.0.2 -> add with prefix, next hop and interface', async () => {
    const from = v4.calls.length;
    ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => callsAbout(v4.calls, '10.77.0.0/16', 'add', from).length === 1, 'the add');
    const [added] = callsAbout(v4.calls, '10.77.0.0/16', 'add', from);
    expect(added!.row).toMatchObject({
      family: 'inet', destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2', interfaceIndex: ra, interfaceName: 'ra',
      interfaceLuid: (6n << 48n) | (BigInt(ra) << 24n), metric: 0, table: 254, protocol: 'netmgmt', origin: 'manual', immortal: true,
    });
    expect(v6.calls.slice(1).every((c) => c.row?.family === 'inet6')).toBe(true);
    await waitFor(() => callsAbout(both.calls, '10.77.0.0/16', 'add').length === 1, 'the unspec registration sees it too');
  });

  it('ip route replace with another next hop -> delete of the old hop, add of the new (the kernel sends one RTM_NEWROUTE with NLM_F_REPLACE)', async () => {
    const from = v4.calls.length;
    ns.ip('route', 'replace', '10.77.0.0/16', 'via', '10.9.0.3');
    await waitFor(() => callsAbout(v4.calls, '10.77.0.0/16', undefined, from).length === 2, 'replace notifications');
    await sleep(100);
    const calls = callsAbout(v4.calls, '10.77.0.0/16', undefined, from);
    expect(calls.map((c) => `${c.type} ${c.row!.nextHop}`)).toEqual(['delete 10.9.0.2', 'add 10.9.0.3']);
  });

  it('ip route del -> delete', async () => {
    const from = v4.calls.length;
    ns.ip('route', 'del', '10.77.0.0/16');
    await waitFor(() => callsAbout(v4.calls, '10.77.0.0/16', 'delete', from).length === 1, 'the delete');
    expect(callsAbout(v4.calls, '10.77.0.0/16', 'delete', from)[0]!.row).toMatchObject({ nextHop: '10.9.0.3', interfaceIndex: ra });
  });

  it('getBestRoute2: the default route, a lower-metric default wins, unreachable is null, bad arguments INVALID_PARAMETER', async () => {
    expect(await adapter.getBestRoute2('inet', '192.0.2.1')).toBeNull();
    ns.ip('route', 'add', 'default', 'via', '10.9.0.2', 'metric', '100');
    expect(await adapter.getBestRoute2('inet', '192.0.2.1')).toMatchObject({
      destinationPrefix: { prefix: '0.0.0.0', prefixLength: 0 }, nextHop: '10.9.0.2', metric: 100, interfaceIndex: ra, interfaceName: 'ra',
    });
    ns.ip('route', 'add', 'default', 'via', '10.9.0.3', 'metric', '10');
    expect(await adapter.getBestRoute2('inet', '192.0.2.1')).toMatchObject({ nextHop: '10.9.0.3', metric: 10 });
    // A connected destination answers the connected route (on-link).
    expect(await adapter.getBestRoute2('inet', '10.9.0.7')).toMatchObject({ destinationPrefix: { prefix: '10.9.0.0', prefixLength: 24 }, nextHop: '0.0.0.0' });
    await expect(adapter.getBestRoute2('inet', '2001:db8::1')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(adapter.getBestRoute2('inet6', '10.0.0.1')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(adapter.getBestRoute2('inet', '300.1.1.1')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(adapter.getBestRoute2('unspec' as 'inet', '10.0.0.1')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expectTablesMatchKernel();
  });

  it('IPv6: add, replace, del, and getBestRoute2 for defaults', async () => {
    let from = v6.calls.length;
    ns.ip('-6', 'route', 'add', '2001:db8:77::/48', 'via', '2001:db8:9::2');
    await waitFor(() => callsAbout(v6.calls, '2001:db8:77::/48', 'add', from).length === 1, 'the IPv6 add');
    expect(callsAbout(v6.calls, '2001:db8:77::/48', 'add', from)[0]!.row).toMatchObject({ family: 'inet6', nextHop: '2001:db8:9::2', interfaceIndex: ra, metric: 1024 });
    from = v6.calls.length;
    ns.ip('-6', 'route', 'replace', '2001:db8:77::/48', 'via', '2001:db8:9::3');
    await waitFor(() => callsAbout(v6.calls, '2001:db8:77::/48', undefined, from).length === 2, 'the IPv6 replace');
    expect(callsAbout(v6.calls, '2001:db8:77::/48', undefined, from).map((c) => `${c.type} ${c.row!.nextHop}`).sort()).toEqual(['add 2001:db8:9::3', 'delete 2001:db8:9::2']);
    from = v6.calls.length;
    ns.ip('-6', 'route', 'del', '2001:db8:77::/48');
    await waitFor(() => callsAbout(v6.calls, '2001:db8:77::/48', 'delete', from).length === 1, 'the IPv6 delete');

    expect(await adapter.getBestRoute2('inet6', '2001:db8:ffff::1')).toBeNull();
    ns.ip('-6', 'route', 'add', 'default', 'via', '2001:db8:9::2', 'metric', '100');
    expect(await adapter.getBestRoute2('inet6', '2001:db8:ffff::1')).toMatchObject({ destinationPrefix: { prefix: '::', prefixLength: 0 }, nextHop: '2001:db8:9::2', metric: 100 });
    ns.ip('-6', 'route', 'add', 'default', 'via', '2001:db8:9::3', 'metric', '10');
    expect(await adapter.getBestRoute2('inet6', '2001:db8:ffff::1')).toMatchObject({ nextHop: '2001:db8:9::3', metric: 10 });
    await expectTablesMatchKernel();
  });

  it('multipath: one row per next hop (IPv4 and IPv6); getBestRoute2 answers one of the hops', async () => {
    const from4 = v4.calls.length;
    const from6 = v6.calls.length;
    ns.ip('route', 'add', '10.88.0.0/16', 'nexthop', 'via', '10.9.0.2', 'nexthop', 'via', '10.9.0.3');
    ns.ip('-6', 'route', 'add', '2001:db8:88::/48', 'nexthop', 'via', '2001:db8:9::2', 'nexthop', 'via', '2001:db8:9::3');
    await waitFor(() => callsAbout(v4.calls, '10.88.0.0/16', 'add', from4).length === 2, 'two IPv4 multipath rows');
    await waitFor(() => callsAbout(v6.calls, '2001:db8:88::/48', 'add', from6).length === 2, 'two IPv6 multipath rows');
    expect(callsAbout(v4.calls, '10.88.0.0/16', 'add', from4).map((c) => c.row!.nextHop).sort()).toEqual(['10.9.0.2', '10.9.0.3']);
    expect(callsAbout(v6.calls, '2001:db8:88::/48', 'add', from6).map((c) => c.row!.nextHop).sort()).toEqual(['2001:db8:9::2', '2001:db8:9::3']);
    const best = await adapter.getBestRoute2('inet', '10.88.1.1');
    expect(['10.9.0.2', '10.9.0.3']).toContain(best?.nextHop);
    expect(best?.destinationPrefix).toEqual({ prefix: '10.88.0.0', prefixLength: 16 });
    await expectTablesMatchKernel();
  });

  it('ip link set DEV down -> delete for every IPv4 route through DEV though no RTM_DELROUTE comes; getBestRoute2 null', async () => {
    ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => table4().size === kernelLines(ns, 'inet').length, 'the IPv4 table before');
    const before = [...table4().values()].filter((r) => r.interfaceIndex === ra);
    expect(before.map(cidr).sort()).toEqual(['0.0.0.0/0', '0.0.0.0/0', '10.77.0.0/16', '10.88.0.0/16', '10.88.0.0/16', '10.9.0.0/24']);
    const from = v4.calls.length;
    const dumpsBefore = adapter.stats().routeDeviceDumps;
    ns.ip('link', 'set', 'ra', 'down');
    await waitFor(() => v4.calls.slice(from).filter((c) => c.type === 'delete').length === before.length, 'a delete per IPv4 route through ra');
    expect(kernelLines(ns, 'inet')).toEqual([]);
    expect(new Set(v4.calls.slice(from).map((c) => routeKey(c.row!)))).toEqual(new Set(before.map(routeKey)));
    expect(adapter.stats().routeDeviceDumps).toBeGreaterThan(dumpsBefore);
    const { routeDeviceDumps, routeDumpRetries } = adapter.stats();
    console.log(`link down: ${JSON.stringify({ deviceDumps: routeDeviceDumps - dumpsBefore, routeDumpRetries })}`);
    expect(await adapter.getBestRoute2('inet', '192.0.2.1')).toBeNull();
    // IPv6: the kernel sends RTM_DELROUTE for every route through ra.
    await waitFor(() => adapterLines(table6(), 'inet6').length === kernelLines(ns, 'inet6').length, 'the IPv6 table after down');
    expect(adapterLines(table6(), 'inet6')).toEqual(kernelLines(ns, 'inet6'));
    expect(await adapter.getBestRoute2('inet6', '2001:db8:ffff::1')).toBeNull();
    await sleep(200);
    expect(adapterLines(table4(), 'inet')).toEqual([]);
  });

  it('link up again: the connected route comes back (RTM_NEWROUTE); deleting the address removes its routes silently', async () => {
    const from = v4.calls.length;
    ns.ip('link', 'set', 'ra', 'up');
    await waitFor(() => callsAbout(v4.calls, '10.9.0.0/24', 'add', from).length === 1, 'the connected route back');
    ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => callsAbout(v4.calls, '10.77.0.0/16', 'add', from).length === 1, 'the route re-added');
    const at = v4.calls.length;
    ns.ip('addr', 'del', '10.9.0.1/24', 'dev', 'ra');
    await waitFor(() => callsAbout(v4.calls, '10.77.0.0/16', 'delete', at).length === 1 && callsAbout(v4.calls, '10.9.0.0/24', 'delete', at).length === 1, 'routes of the deleted address');
    expect(adapterLines(table4(), 'inet')).toEqual(kernelLines(ns, 'inet'));
  });

  it('device deletion -> delete for every route through it (IPv4 without RTM_DELROUTE)', async () => {
    ns.addVeth('rb', 'rbp');
    ns.ip('addr', 'add', '10.10.0.1/24', 'dev', 'rb');
    ns.ip('link', 'set', 'rbp', 'up');
    ns.ip('link', 'set', 'rb', 'up');
    const rb = ns.ifindex('rb');
    ns.ip('route', 'add', '10.99.0.0/16', 'via', '10.10.0.2');
    await waitFor(() => callsAbout(v4.calls, '10.99.0.0/16', 'add').length === 1, 'the route via rb');
    const from = v4.calls.length;
    ns.ip('link', 'del', 'rb');
    await waitFor(
      () => callsAbout(v4.calls, '10.99.0.0/16', 'delete', from).length === 1 && callsAbout(v4.calls, '10.10.0.0/24', 'delete', from).length === 1,
      'deletes of the routes through rb',
    );
    expect(v4.calls.slice(from).every((c) => c.type === 'delete' && c.row!.interfaceIndex === rb)).toBe(true);
    expect(adapterLines(table4(), 'inet')).toEqual(kernelLines(ns, 'inet'));
    expect(adapterLines(table6(), 'inet6')).toEqual(kernelLines(ns, 'inet6'));
  });

  it("tables: 'all' sees policy-routing tables; the default adapter only main", async () => {
    const all = linuxAdapter({ netns: ns.path, tables: 'all' });
    const seen = routeRecorder();
    const handle = await all.notifyRouteChange2('inet', seen.callback, false);
    try {
      ns.ip('link', 'set', 'ra', 'up');
      ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'ra');
      const from = v4.calls.length;
      ns.ip('route', 'add', '10.66.0.0/16', 'via', '10.9.0.2', 'table', '100');
      await waitFor(() => callsAbout(seen.calls, '10.66.0.0/16', 'add').length === 1, "the table-100 route on tables: 'all'");
      expect(callsAbout(seen.calls, '10.66.0.0/16', 'add')[0]!.row).toMatchObject({ table: 100 });
      await sleep(200);
      expect(callsAbout(v4.calls, '10.66.0.0/16', undefined, from)).toEqual([]);
      expect((await all.getIpForwardTable2('inet')).some((r) => r.table === 100)).toBe(true);
      expect((await adapter.getIpForwardTable2('inet')).some((r) => r.table !== 254)).toBe(false);
      // Local-table entries are not unicast routes: never rows.
      expect((await all.getIpForwardTable2('inet')).some((r) => r.table === 255)).toBe(false);
    } finally {
      await all.cancelMibChangeNotify2(handle);
    }
    expect(() => linuxAdapter({ tables: 'some' as 'all' })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });

  it('the route groups are joined only while route registrations are live', async () => {
    const own = TestNetns.create('lxroute');
    try {
      own.addVeth('ga', 'gap');
      own.ip('addr', 'add', '10.5.0.1/24', 'dev', 'ga');
      own.ip('link', 'set', 'gap', 'up');
      own.ip('link', 'set', 'ga', 'up');
      const a = linuxAdapter({ netns: own.path });
      const ifs = await a.notifyIpInterfaceChange('inet', () => undefined, false);
      const messages = (): number => a.stats().messages;
      const before = messages();
      own.ip('route', 'add', '10.55.0.0/16', 'via', '10.5.0.2');
      await sleep(200);
      expect(messages()).toBe(before); // an interface-only reader receives no route messages
      const r = routeRecorder();
      const routes = await a.notifyRouteChange2('inet', r.callback, false);
      own.ip('route', 'del', '10.55.0.0/16');
      await waitFor(() => callsAbout(r.calls, '10.55.0.0/16', 'delete').length === 1, 'the delete on the route registration');
      expect(a.stats().routeRows).toBeGreaterThan(0);
      await a.cancelMibChangeNotify2(routes);
      await sleep(50);
      const after = messages();
      own.ip('route', 'add', '10.55.0.0/16', 'via', '10.5.0.2');
      await sleep(200);
      expect(messages()).toBe(after); // left again
      expect(a.stats().routeRows).toBe(0);
      await a.cancelMibChangeNotify2(ifs);
    } finally {
      own.delete();
    }
  });

  it('misuse: bad family or callback INVALID_PARAMETER; cancelling twice INVALID_HANDLE; a throwing callback does not break the reader', async () => {
    await expect(adapter.notifyRouteChange2('bogus' as 'inet', () => undefined, false)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(adapter.notifyRouteChange2('inet', 42 as unknown as () => void, false)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(adapter.getIpForwardTable2('bogus' as 'inet')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    // rethrowLater queues the subscriber's throw in a microtask: captured here, as subscriber-set.test.ts does.
    const queued: (() => void)[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (task) => void queued.push(task);
    let h: NotificationHandle;
    try {
      h = await adapter.notifyRouteChange2('inet', () => {
        throw new Error('subscriber bug');
      }, false);
      const from = v4.calls.length;
      ns.ip('route', 'add', '10.44.0.0/16', 'via', '10.9.0.2');
      await waitFor(() => callsAbout(v4.calls, '10.44.0.0/16', 'add', from).length === 1 && queued.length > 0, 'the other registration still served');
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(queued).toHaveLength(1);
    expect(() => queued[0]!()).toThrow('subscriber bug');
    await adapter.cancelMibChangeNotify2(h);
    await expect(adapter.cancelMibChangeNotify2(h)).rejects.toMatchObject({ code: 'INVALID_HANDLE' });
  });
});

describeWithNetns('linux adapter: route registrations leave nothing behind', () => {
  it('300 route register/cancel cycles, with the reader kept open and with it opened each time: fds, timers and rows back', async () => {
    const ns = TestNetns.create('lxrleak');
    try {
      ns.addVeth('la', 'lap');
      ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'la');
      ns.ip('link', 'set', 'la', 'up');
      const adapter = linuxAdapter({ netns: ns.path });
      const fds = (): number => readdirSync('/proc/self/fd').length;
      // Warm-up: koffi, the namespace worker, the shared buffers.
      await adapter.cancelMibChangeNotify2(await adapter.notifyRouteChange2('unspec', () => undefined, true));
      const before = fds();
      const held = await adapter.notifyIpInterfaceChange('inet', () => undefined, false);
      for (let i = 0; i < 150; i++) await adapter.cancelMibChangeNotify2(await adapter.notifyRouteChange2(i % 2 ? 'inet' : 'unspec', () => undefined, true));
      expect(adapter.stats().routeRows).toBe(0);
      await adapter.cancelMibChangeNotify2(held);
      for (let i = 0; i < 150; i++) await adapter.cancelMibChangeNotify2(await adapter.notifyRouteChange2('inet6', () => undefined, false));
      await sleep(50);
      expect(fds()).toBe(before);
      expect(adapter.liveRegistrations).toBe(0);
      expect(adapter.stats().open).toBe(false);
    } finally {
      ns.delete();
    }
  }, 60_000);
});

describeWithNetns('linux adapter: a 5000-route burst with a small receive buffer', () => {
  it('ends with the subscriber table equal to `ip route show table main`, 3 runs', async () => {
    const ns = TestNetns.create('lxrburst');
    try {
      ns.addVeth('ba', 'bap');
      ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'ba');
      ns.ip('link', 'set', 'bap', 'up');
      ns.ip('link', 'set', 'ba', 'up');
      const adapter = linuxAdapter({ netns: ns.path, receiveBufferBytes: 32 * 1024 });
      const r = routeRecorder();
      const initial = await adapter.getIpForwardTable2('inet');
      const handle = await adapter.notifyRouteChange2('inet', r.callback, false);
      try {
        const table = (): Map<string, IpForwardRow> => applyRouteCalls(r.calls, new Map(initial.map((row) => [routeKey(row), row])));
        const lines = (n: number, verb: string): string[] =>
          Array.from({ length: n }, (_, i) => `route ${verb} 10.${100 + (i >> 8)}.${i & 255}.0/24${verb === 'add' ? ' via 10.9.0.2' : ''}`);
        for (let run = 1; run <= 3; run++) {
          ns.ipBatch(lines(5000, 'add'));
          await waitFor(() => table().size === 5001, `run ${run}: 5000 routes added`, 30_000, () => `${table().size} rows; ${JSON.stringify(adapter.stats())}`);
          expect(adapterLines(table(), 'inet')).toEqual(kernelLines(ns, 'inet'));
          ns.ipBatch(lines(5000, 'del'));
          await waitFor(() => table().size === 1, `run ${run}: 5000 routes deleted`, 30_000, () => `${table().size} rows`);
          expect(adapterLines(table(), 'inet')).toEqual(kernelLines(ns, 'inet'));
        }
        console.log(`route burst: ${JSON.stringify({ overruns: adapter.stats().overruns, resyncs: adapter.stats().resyncs, callbacks: r.calls.length })}`);
      } finally {
        await adapter.cancelMibChangeNotify2(handle);
      }
    } finally {
      ns.delete();
    }
  }, 120_000);
});
