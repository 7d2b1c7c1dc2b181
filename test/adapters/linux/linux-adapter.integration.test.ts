import type { NotificationHandle } from '../../../src/adapter';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';
import { callsFor, recorder, type Call } from './linux-test-helpers';

const QUIET_MS = 300;

describeWithNetns('linux adapter: real kernel events in a test namespace', () => {
  let ns: TestNetns;
  let adapter: LinuxIpInterfaceAdapter;
  const all = recorder();
  const v4 = recorder();
  const v6 = recorder();
  const handles: NotificationHandle[] = [];
  let index = 0;
  let peerIndex = 0;

  beforeAll(async () => {
    TestNetns.cleanupStale('lxint');
    ns = TestNetns.create('lxint');
    adapter = linuxAdapter({ netns: ns.path });
    handles.push(await adapter.notifyIpInterfaceChange('unspec', all.callback, true));
    handles.push(await adapter.notifyIpInterfaceChange('inet', v4.callback, true));
    handles.push(await adapter.notifyIpInterfaceChange('inet6', v6.callback, false));
  });

  afterAll(async () => {
    for (const h of handles) await adapter?.cancelMibChangeNotify2(h).catch(() => undefined);
    ns?.delete();
  });

  it('delivers the initial marker first, before any row', () => {
    expect(all.calls[0]).toMatchObject({ row: null, type: 'initial' });
    expect(v4.calls[0]).toMatchObject({ row: null, type: 'initial' });
    expect(v6.calls.some((c) => c.type === 'initial')).toBe(false);
  });

  it('veth creation: added for inet and inet6 with the right index, name and MTU', async () => {
    ns.addVeth('iv0', 'iv0p');
    index = ns.ifindex('iv0');
    peerIndex = ns.ifindex('iv0p');
    await waitFor(() => callsFor(all.calls, index, { type: 'add' }).length === 2, 'added rows of iv0');
    for (const family of ['inet', 'inet6'] as const) {
      const [added] = callsFor(all.calls, index, { type: 'add', family });
      expect(added?.row).toMatchObject({ family, interfaceIndex: index, interfaceName: 'iv0', nlMtu: 1500, connected: false });
      expect(added?.row?.interfaceLuid).toBe((6n << 48n) | (BigInt(index) << 24n));
    }
    await waitFor(() => callsFor(all.calls, peerIndex, { type: 'add' }).length === 2, 'added rows of the peer');
  });

  it('family filtering: inet and inet6 registrations get only their own rows, unspec both', async () => {
    await waitFor(() => callsFor(v6.calls, index, { type: 'add' }).length === 1, 'the inet6 add');
    await sleep(QUIET_MS);
    expect(v4.calls.every((c) => c.row === null || c.row.family === 'inet')).toBe(true);
    expect(v6.calls.every((c) => c.row === null || c.row.family === 'inet6')).toBe(true);
    expect(callsFor(v4.calls, index, { type: 'add' })).toHaveLength(1);
    expect(callsFor(v6.calls, index, { type: 'add' })).toHaveLength(1);
  });

  it('MTU change: exactly one changed per family with the new nlMtu', async () => {
    const from = all.calls.length;
    ns.ip('link', 'set', 'iv0', 'mtu', '1400');
    await waitFor(() => callsFor(all.calls, index, { from, type: 'parameter' }).length >= 2, 'changed rows');
    await sleep(QUIET_MS);
    for (const family of ['inet', 'inet6'] as const) {
      const changed = callsFor(all.calls, index, { from, family });
      expect(changed.map((c) => c.type)).toEqual(['parameter']);
      expect(changed[0]?.row?.nlMtu).toBe(1400);
    }
  });

  it('up with carrier: connected flips to true, and back to false when the peer goes down', async () => {
    let from = all.calls.length;
    ns.ip('link', 'set', 'iv0', 'up');
    ns.ip('link', 'set', 'iv0p', 'up');
    const connected = (calls: Call[], value: boolean): boolean => calls.some((c) => c.row?.connected === value);
    await waitFor(() => ['inet', 'inet6'].every((family) => connected(callsFor(all.calls, index, { from, family }), true)), 'connected=true');
    from = all.calls.length;
    ns.ip('link', 'set', 'iv0p', 'down');
    await waitFor(() => ['inet', 'inet6'].every((family) => connected(callsFor(all.calls, index, { from, family }), false)), 'connected=false');
    const last = callsFor(all.calls, index, { from }).at(-1);
    expect(last?.row?.connected).toBe(false);
  });

  it('an interface going up re-reads no neighbour table; a base_reachable_time write re-reads it once and is reported', async () => {
    // Issue 12: each up sends an IPv6 link message, after which every device's neighbour table was
    // dumped (O(devices) on the main thread). Now only a message whose reachable time changed asks.
    let dumps = adapter.stats().neighDumps;
    let from = all.calls.length;
    ns.ip('link', 'set', 'iv0', 'up');
    ns.ip('link', 'set', 'iv0p', 'up');
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet' }).some((c) => c.row?.connected === true), 'iv0 connected');
    await sleep(QUIET_MS);
    expect(adapter.stats().neighDumps - dumps).toBe(0);
    dumps = adapter.stats().neighDumps;
    from = all.calls.length;
    ns.sysctl('net.ipv6.neigh.iv0.base_reachable_time_ms', 31000);
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet6' }).some((c) => c.row?.baseReachableTime === 31000), 'baseReachableTime 31000');
    expect(adapter.stats().neighDumps - dumps).toBe(1);
    ns.ip('link', 'set', 'iv0', 'down');
    ns.ip('link', 'set', 'iv0p', 'down');
    await waitFor(() => callsFor(all.calls, index, { family: 'inet' }).at(-1)?.row?.connected === false, 'iv0 down again');
  });

  it('forwarding sysctl: forwardingEnabled flips per family', async () => {
    let from = all.calls.length;
    ns.sysctl('net.ipv4.conf.iv0.forwarding', 1);
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet' }).some((c) => c.row?.forwardingEnabled === true), 'IPv4 forwarding on');
    from = all.calls.length;
    ns.sysctl('net.ipv6.conf.iv0.forwarding', 1);
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet6' }).some((c) => c.row?.forwardingEnabled === true), 'IPv6 forwarding on');
    from = all.calls.length;
    ns.sysctl('net.ipv4.conf.iv0.forwarding', 0);
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet' }).some((c) => c.row?.forwardingEnabled === false), 'IPv4 forwarding off');
  });

  it('IPv6 MTU below 1280: inet6 removed (inet changed), and added again when it comes back', async () => {
    let from = all.calls.length;
    const linkGets = adapter.stats().linkGets;
    ns.ip('link', 'set', 'iv0', 'mtu', '1200');
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet6', type: 'delete' }).length === 1, 'inet6 removed');
    // The kernel's RTM_NEWLINK with MTU 1200 explains the DELNETCONF: no RTM_GETLINK to confirm it.
    expect(adapter.stats().linkGets).toBe(linkGets);
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet' }).some((c) => c.row?.nlMtu === 1200), 'inet MTU 1200');
    await sleep(QUIET_MS);
    expect(callsFor(all.calls, index, { from, family: 'inet' }).map((c) => c.type)).toEqual(['parameter']);
    expect(callsFor(all.calls, index, { from, family: 'inet6' }).map((c) => c.type)).toEqual(['delete']);
    from = all.calls.length;
    ns.ip('link', 'set', 'iv0', 'mtu', '1500');
    await waitFor(() => callsFor(all.calls, index, { from, family: 'inet6', type: 'add' }).length === 1, 'inet6 added again');
    expect(callsFor(all.calls, index, { from, family: 'inet6', type: 'add' })[0]?.row?.nlMtu).toBe(1500);
  });

  it('rename: changed with the new name, never removed and added', async () => {
    await sleep(QUIET_MS);
    const from = all.calls.length;
    ns.ip('link', 'set', 'iv0', 'down');
    ns.ip('link', 'set', 'iv0', 'name', 'iv0renamed');
    await waitFor(
      () => ['inet', 'inet6'].every((family) => callsFor(all.calls, index, { from, family }).some((c) => c.row?.interfaceName === 'iv0renamed')),
      'renamed rows',
    );
    await sleep(QUIET_MS);
    const types = new Set(callsFor(all.calls, index, { from }).map((c) => c.type));
    expect([...types]).toEqual(['parameter']);
  });

  it('a silent sysctl (accept_ra) shows only after resync(), which notifies the difference', async () => {
    await sleep(QUIET_MS);
    const from = all.calls.length;
    ns.sysctl('net.ipv6.conf.iv0renamed.accept_ra', 2);
    await sleep(QUIET_MS);
    expect(callsFor(all.calls, index, { from })).toEqual([]);
    await adapter.resync();
    const changed = callsFor(all.calls, index, { from });
    expect(changed.map((c) => `${c.type} ${c.row?.family}`)).toEqual(['parameter inet6']);
    expect(changed[0]?.row?.routerDiscoveryBehavior).toBe('enabled');
    expect(adapter.stats().resyncs).toBeGreaterThan(0);
  });

  it('the table read agrees with the notifications', async () => {
    const rows = await adapter.getIpInterfaceTable('unspec');
    const mine = rows.filter((r) => r.interfaceIndex === index);
    expect(mine.map((r) => r.family).sort()).toEqual(['inet', 'inet6']);
    expect(mine.every((r) => r.interfaceName === 'iv0renamed')).toBe(true);
    expect(rows.some((r) => r.interfaceName === 'lo')).toBe(true);
  });

  it('deletion: removed for both families of both ends', async () => {
    const from = all.calls.length;
    ns.ip('link', 'del', 'iv0renamed');
    await waitFor(() => callsFor(all.calls, index, { from, type: 'delete' }).length === 2, 'removed rows of iv0');
    await waitFor(() => callsFor(all.calls, peerIndex, { from, type: 'delete' }).length === 2, 'removed rows of the peer');
    for (const ifindex of [index, peerIndex]) {
      expect(callsFor(all.calls, ifindex, { from, type: 'delete' }).map((c) => c.row?.family).sort()).toEqual(['inet', 'inet6']);
    }
    expect(adapter.stats().errors).toBe(0);
  });
});
