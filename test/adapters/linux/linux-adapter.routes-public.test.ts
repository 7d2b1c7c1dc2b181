import type { Subscription } from 'rxjs';
import { defaultRoute$ } from '../../../src/default-route';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import type { RouteChange } from '../../../src/route-change';
import { routeChanges$ } from '../../../src/route-changes';
import { routeTable$ } from '../../../src/route-table';
import { linuxAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { waitFor } from '../../helpers/wait-for';

/**
 * Issue 14's "Done when", through the public API (routeChanges$, routeTable$, defaultRoute$) over the
 * linux adapter in a test namespace. The adapter-level cases (replace, multipath, 5000-route burst)
 * are in linux-adapter.routes.test.ts.
 */
const cidr = (row: IpForwardRow): string => `${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength}`;
const about = (changes: readonly RouteChange[], prefix: string, kind: string, from = 0): IpForwardRow[] =>
  changes.slice(from).flatMap((c) => (c.kind !== 'initial' && c.kind === kind && cidr(c.row) === prefix ? [c.row] : []));

describeWithNetns('routes through the public API over the linux adapter (real kernel, test namespace)', () => {
  let ns: TestNetns;
  const subs: Subscription[] = [];
  const v4: RouteChange[] = [];
  const v6: RouteChange[] = [];
  const defaults4: (IpForwardRow | null)[] = [];
  const defaults6: (IpForwardRow | null)[] = [];
  let table4: ReadonlyMap<string, IpForwardRow> = new Map();
  let ifindex = 0;

  beforeAll(async () => {
    TestNetns.cleanupStale('lxrtpub');
    ns = TestNetns.create('lxrtpub');
    ns.addVeth('rp0');
    ns.ip('link', 'set', 'rp0', 'up');
    ns.ip('link', 'set', 'rp0p', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'rp0');
    ns.ip('addr', 'add', '2001:db8:9::1/64', 'dev', 'rp0', 'nodad');
    ifindex = ns.ifindex('rp0');
    const adapter = linuxAdapter({ netns: ns.path });
    subs.push(routeChanges$('inet', true, { adapter }).subscribe((c) => v4.push(c)));
    subs.push(routeChanges$('inet6', true, { adapter }).subscribe((c) => v6.push(c)));
    subs.push(routeTable$('inet', { adapter }).subscribe((t) => (table4 = t)));
    subs.push(defaultRoute$('inet', { adapter }).subscribe((r) => defaults4.push(r)));
    subs.push(defaultRoute$('inet6', { adapter }).subscribe((r) => defaults6.push(r)));
    await waitFor(() => v4.length > 0 && v6.length > 0 && defaults4.length > 0 && defaults6.length > 0, 'markers and first answers');
  });

  afterAll(() => {
    for (const s of subs) s.unsubscribe();
    ns?.delete();
  });

  it('starts with no default route: defaultRoute$ emits null for both families', () => {
    expect(v4[0]).toEqual({ kind: 'initial', family: 'inet' });
    expect(defaults4).toEqual([null]);
    expect(defaults6).toEqual([null]);
  });

  it('ip route add 10.77.0.0/16 via 10.9.0.2: added with prefix, next hop and interface; routeTable$ has it', async () => {
    ns.ip('route', 'add', '10.77.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => about(v4, '10.77.0.0/16', 'added').length === 1, 'the added route');
    expect(about(v4, '10.77.0.0/16', 'added')[0]).toMatchObject({
      family: 'inet', destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2', interfaceIndex: ifindex, interfaceName: 'rp0', table: 254,
    });
    await waitFor(() => [...table4.values()].some((r) => cidr(r) === '10.77.0.0/16'), 'routeTable$ has the route');
  });

  it('ip route del: removed', async () => {
    ns.ip('route', 'del', '10.77.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => about(v4, '10.77.0.0/16', 'removed').length === 1, 'the removed route');
    await waitFor(() => ![...table4.values()].some((r) => cidr(r) === '10.77.0.0/16'), 'routeTable$ dropped it');
  });

  it('a default route: defaultRoute$ emits it; a second default with a lower metric makes it switch', async () => {
    ns.ip('route', 'add', 'default', 'via', '10.9.0.2', 'metric', '100');
    await waitFor(() => defaults4.at(-1)?.nextHop === '10.9.0.2', 'defaultRoute$ answers the default');
    expect(defaults4.at(-1)).toMatchObject({ destinationPrefix: { prefix: '0.0.0.0', prefixLength: 0 }, metric: 100, interfaceIndex: ifindex });
    ns.ip('route', 'add', 'default', 'via', '10.9.0.3', 'metric', '50');
    await waitFor(() => defaults4.at(-1)?.nextHop === '10.9.0.3', 'defaultRoute$ switched to the lower metric');
    const n = defaults4.length;
    // A change that does not move the answer emits nothing.
    ns.ip('route', 'add', '10.88.0.0/16', 'via', '10.9.0.2');
    await waitFor(() => about(v4, '10.88.0.0/16', 'added').length === 1, 'an unrelated route');
    expect(defaults4.length).toBe(n);
  });

  it('IPv6 the same: added, a default, a lower-metric default', async () => {
    ns.ip('-6', 'route', 'add', '2001:db8:77::/48', 'via', '2001:db8:9::2');
    await waitFor(() => about(v6, '2001:db8:77::/48', 'added').length === 1, 'the IPv6 route');
    ns.ip('-6', 'route', 'add', 'default', 'via', '2001:db8:9::2', 'metric', '100');
    await waitFor(() => defaults6.at(-1)?.nextHop === '2001:db8:9::2', 'the IPv6 default');
    ns.ip('-6', 'route', 'add', 'default', 'via', '2001:db8:9::3', 'metric', '50');
    await waitFor(() => defaults6.at(-1)?.nextHop === '2001:db8:9::3', 'the lower-metric IPv6 default');
  });

  it('ip link set DEV down: removed for every IPv4 route through DEV (no RTM_DELROUTE comes), and defaultRoute$ emits null', async () => {
    const from = v4.length;
    const through = [...table4.values()].filter((r) => r.interfaceIndex === ifindex).map(cidr).sort();
    expect(through).toEqual(expect.arrayContaining(['0.0.0.0/0', '10.88.0.0/16', '10.9.0.0/24']));
    ns.ip('link', 'set', 'rp0', 'down');
    await waitFor(() => defaults4.at(-1) === null, 'defaultRoute$ emits null');
    await waitFor(() => ![...table4.values()].some((r) => r.interfaceIndex === ifindex), 'routeTable$ holds no route through rp0');
    const removed = v4.slice(from).flatMap((c) => (c.kind === 'removed' ? [cidr(c.row)] : [])).sort();
    for (const prefix of new Set(through)) expect(removed).toContain(prefix);
    expect(JSON.parse(ns.ip('-4', '-j', 'route', 'show', 'table', 'main'))).toEqual([]);
    await waitFor(() => defaults6.at(-1) === null, 'the IPv6 defaultRoute$ emits null too');
  });
});
