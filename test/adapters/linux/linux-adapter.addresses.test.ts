/**
 * The Linux address half through the public API (issue 13, "Done when"): unicastIpAddressChanges$ and
 * unicastIpAddressTable$ with linuxAdapter({ netns }) against real kernel changes in a test namespace.
 */
import type { Subscription } from 'rxjs';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import type { AddressFamily } from '../../../src/address-family';
import { ipInterfaceChanges$ } from '../../../src/ip-interface-changes';
import { unicastAddressKey } from '../../../src/unicast-address-key';
import type { UnicastIpAddressChange } from '../../../src/unicast-ip-address-change';
import { unicastIpAddressChanges$ } from '../../../src/unicast-ip-address-changes';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { unicastIpAddressTable$ } from '../../../src/unicast-ip-address-table';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';
import { kernelAddresses } from './linux-test-helpers';

const line = (r: UnicastIpAddressRow): string => `${r.family} ${r.interfaceIndex} ${r.interfaceName} ${r.address}/${r.onLinkPrefixLength}`;
const text = (c: UnicastIpAddressChange): string => (c.kind === 'initial' ? `initial ${c.family}` : `${c.kind} ${c.row.interfaceName} ${c.row.address} ${c.row.dadState}`);

/** A recording subscription of unicastIpAddressChanges$. */
function watch(adapter: LinuxIpInterfaceAdapter, family: AddressFamily, lifetimeUpdates = false): { changes: UnicastIpAddressChange[]; sub: Subscription } {
  const changes: UnicastIpAddressChange[] = [];
  const sub = unicastIpAddressChanges$(family, true, { adapter, lifetimeUpdates }).subscribe({ next: (c) => changes.push(c), error: (e: unknown) => changes.push({ kind: 'initial', family: `ERROR ${String(e)}` } as never) });
  return { changes, sub };
}

describeWithNetns('linux adapter: unicast address changes in a test namespace', () => {
  let ns: TestNetns;
  let adapter: LinuxIpInterfaceAdapter;
  let va: number;

  beforeAll(() => {
    TestNetns.cleanupStale('lxaddr');
    ns = TestNetns.create('lxaddr');
    // Both ends up in the namespace: DAD on va completes (its probes reach vb, nobody answers).
    ns.addVeth('va', 'vb');
    ns.ip('link', 'set', 'va', 'up');
    ns.ip('link', 'set', 'vb', 'up');
    va = ns.ifindex('va');
    adapter = linuxAdapter({ netns: ns.path });
  });
  afterAll(() => ns?.delete());

  it('ip addr add 10.9.0.1/24 -> added (address, /24, index, name, manual, preferred); ip addr del -> removed', async () => {
    const w = watch(adapter, 'unspec');
    await waitFor(() => w.changes.length > 0, 'the initial marker');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'va');
    await waitFor(() => w.changes.some((c) => c.kind === 'added'), 'added');
    const added = w.changes.find((c) => c.kind === 'added')!;
    expect(added.kind === 'added' && added.row).toMatchObject({
      family: 'inet', address: '10.9.0.1', onLinkPrefixLength: 24, interfaceIndex: va, interfaceName: 'va', prefixOrigin: 'manual',
      suffixOrigin: 'manual', dadState: 'preferred', validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, scopeId: 0,
    });
    expect(typeof (added.kind === 'added' && added.row.creationTimeStamp)).toBe('bigint');
    ns.ip('addr', 'del', '10.9.0.1/24', 'dev', 'va');
    await waitFor(() => w.changes.some((c) => c.kind === 'removed'), 'removed');
    w.sub.unsubscribe();
    expect(w.changes.map(text)).toEqual(['initial unspec', 'added va 10.9.0.1 preferred', 'removed va 10.9.0.1 preferred']);
    expect(adapter.liveRegistrations).toBe(0);
  });

  it('inet6 nodad -> added preferred; preferred_lft 0 -> changed deprecated; with DAD: added tentative -> changed preferred', async () => {
    const w = watch(adapter, 'inet6');
    await waitFor(() => w.changes.length > 0, 'the initial marker');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'va', 'nodad');
    await waitFor(() => w.changes.some((c) => text(c) === 'added va 2001:db8::1 preferred'), 'inet6 added');
    ns.ip('addr', 'change', '2001:db8::1/64', 'dev', 'va', 'preferred_lft', '0', 'nodad');
    await waitFor(() => w.changes.some((c) => text(c) === 'changed va 2001:db8::1 deprecated'), 'deprecated');
    ns.ip('addr', 'add', '2001:db8::2/64', 'dev', 'va');
    await waitFor(() => w.changes.some((c) => text(c) === 'changed va 2001:db8::2 preferred'), 'DAD done', 8000);
    w.sub.unsubscribe();
    const two = w.changes.map(text).filter((t) => t.includes('2001:db8::2'));
    expect(two).toEqual(['added va 2001:db8::2 tentative', 'changed va 2001:db8::2 preferred']);
    const row = w.changes.find((c) => c.kind === 'added' && c.row.address === '2001:db8::1');
    expect(row?.kind === 'added' && row.row).toMatchObject({ family: 'inet6', onLinkPrefixLength: 64, interfaceIndex: va, interfaceName: 'va', prefixOrigin: 'manual', scopeId: 0 });
    ns.ip('addr', 'del', '2001:db8::1/64', 'dev', 'va');
    ns.ip('addr', 'del', '2001:db8::2/64', 'dev', 'va');
  }, 15000);

  it('family filters: inet sees only IPv4, inet6 only IPv6, unspec both', async () => {
    const w4 = watch(adapter, 'inet');
    const w6 = watch(adapter, 'inet6');
    const wu = watch(adapter, 'unspec');
    await waitFor(() => [w4, w6, wu].every((w) => w.changes.length > 0), 'the markers');
    ns.ip('addr', 'add', '10.9.1.1/24', 'dev', 'va');
    ns.ip('addr', 'add', '2001:db8:1::1/64', 'dev', 'va', 'nodad');
    await waitFor(() => wu.changes.length >= 3 && w4.changes.length >= 2 && w6.changes.length >= 2, 'both additions');
    await sleep(200);
    for (const w of [w4, w6, wu]) w.sub.unsubscribe();
    expect(w4.changes.map(text)).toEqual(['initial inet', 'added va 10.9.1.1 preferred']);
    expect(w6.changes.map(text)).toEqual(['initial inet6', 'added va 2001:db8:1::1 preferred']);
    expect(wu.changes.map(text)).toEqual(['initial unspec', 'added va 10.9.1.1 preferred', 'added va 2001:db8:1::1 preferred']);
  });

  it('lifetime-only updates: silent by default, counted in stats; emitted as changed with lifetimeUpdates: true', async () => {
    ns.ip('addr', 'add', '10.9.3.1/24', 'dev', 'va', 'valid_lft', '3600', 'preferred_lft', '1800');
    const quiet = watch(adapter, 'inet');
    const loud = watch(adapter, 'inet', true);
    await waitFor(() => quiet.changes.length > 0 && loud.changes.length > 0, 'the markers');
    const before = adapter.stats().addressLifetimeOnly;
    ns.ip('addr', 'change', '10.9.3.1/24', 'dev', 'va', 'valid_lft', '3000', 'preferred_lft', '1500');
    await waitFor(() => loud.changes.length > 1, 'the refresh');
    ns.ip('addr', 'add', '10.9.3.2/24', 'dev', 'va');
    await waitFor(() => quiet.changes.length > 1, 'a real change after it');
    quiet.sub.unsubscribe();
    loud.sub.unsubscribe();
    expect(quiet.changes.map(text)).toEqual(['initial inet', 'added va 10.9.3.2 preferred']);
    expect(loud.changes.map(text)).toEqual(['initial inet', 'changed va 10.9.3.1 preferred', 'added va 10.9.3.2 preferred']);
    const refreshed = loud.changes[1]!;
    expect(refreshed.kind === 'changed' && [refreshed.row.validLifetime, refreshed.row.preferredLifetime]).toEqual([3000, 1500]);
    expect(adapter.stats().addressLifetimeOnly).toBe(before + 1);
  });

  it('a carrier coming up: the kernel link-local is found by the device dump (tentative), then changed preferred', async () => {
    const w = watch(adapter, 'inet6');
    await waitFor(() => w.changes.length > 0, 'the marker');
    ns.ip('link', 'add', 've', 'type', 'veth', 'peer', 'name', 'vh'); // ('vf' is a keyword of `ip link set`)
    ns.sysctl('net.ipv6.conf.ve.addr_gen_mode', 0);
    const dumpsBefore = adapter.stats().addressDeviceDumps;
    ns.ip('link', 'set', 'vh', 'up');
    ns.ip('link', 'set', 've', 'up');
    await waitFor(() => w.changes.some((c) => /^changed ve fe80::\S+ preferred$/.test(text(c))), 'the link-local preferred', 8000);
    w.sub.unsubscribe();
    const ve = w.changes.map(text).filter((t) => / ve fe80::/.test(t));
    expect(ve[0]).toMatch(/^added ve fe80::[0-9a-f:]+ tentative$/);
    expect(ve[ve.length - 1]).toMatch(/ preferred$/);
    // One dump per device whose carrier came up (ve, vh), not one per change nor a full dump.
    expect(adapter.stats().addressDeviceDumps - dumpsBefore).toBeGreaterThanOrEqual(1);
    expect(adapter.stats().addressDeviceDumps - dumpsBefore).toBeLessThanOrEqual(2);
  }, 15000);

  it('deleting a device: removed for each of its addresses (and its peer\'s), the table then equals the kernel', async () => {
    ns.ip('link', 'add', 'vc', 'type', 'veth', 'peer', 'name', 'vd');
    ns.ip('addr', 'add', '10.9.7.1/24', 'dev', 'vc');
    ns.ip('addr', 'add', '2001:db8:7::1/64', 'dev', 'vc', 'nodad');
    ns.ip('addr', 'add', '10.9.8.1/24', 'dev', 'vd');
    ns.ip('link', 'set', 'vc', 'up');
    ns.ip('link', 'set', 'vd', 'up');
    const tables: ReadonlyMap<string, UnicastIpAddressRow>[] = [];
    const tsub = unicastIpAddressTable$('unspec', { adapter }).subscribe((t) => tables.push(t));
    const w = watch(adapter, 'unspec');
    await waitFor(() => tables.length > 0 && w.changes.length > 0, 'the first table');
    // The link-locals may still be tentative (never notified): the table holds them from the carrier dump or the first dump.
    await sleep(300);
    const held = [...tables[tables.length - 1]!.values()].filter((r) => r.interfaceName === 'vc' || r.interfaceName === 'vd');
    expect(held.map((r) => r.address)).toEqual(expect.arrayContaining(['10.9.7.1', '2001:db8:7::1', '10.9.8.1']));
    ns.ip('link', 'del', 'vc');
    await waitFor(() => [...tables[tables.length - 1]!.values()].every((r) => r.interfaceName !== 'vc' && r.interfaceName !== 'vd'), 'both devices\' addresses gone');
    w.sub.unsubscribe();
    tsub.unsubscribe();
    const removed = w.changes.filter((c) => c.kind === 'removed').map((c) => c.kind === 'removed' && unicastAddressKey(c.row));
    expect(removed.sort()).toEqual(held.map(unicastAddressKey).sort());
    expect([...tables[tables.length - 1]!.values()].map(line).sort()).toEqual(kernelAddresses(ns));
  }, 15000);

  it('getUnicastIpAddressTable equals `ip -j addr`, with and without a live registration', async () => {
    expect((await adapter.getUnicastIpAddressTable('unspec')).map(line).sort()).toEqual(kernelAddresses(ns));
    expect((await adapter.getUnicastIpAddressTable('inet')).every((r) => r.family === 'inet')).toBe(true);
    const w = watch(adapter, 'inet6');
    await waitFor(() => w.changes.length > 0, 'the marker');
    expect((await adapter.getUnicastIpAddressTable('unspec')).map(line).sort()).toEqual(kernelAddresses(ns));
    expect(adapter.stats().addressTableSize).toBe(kernelAddresses(ns).length);
    w.sub.unsubscribe();
    expect(adapter.stats().addressTableSize).toBe(0);
  });

  it('interface-only registrations do not pay for addresses: no IPv4 address message reaches an idle reader', async () => {
    const sub = ipInterfaceChanges$('unspec', true, { adapter }).subscribe();
    await waitFor(() => adapter.stats().open, 'the reader');
    await sleep(100);
    const before = adapter.stats().messages;
    ns.ip('addr', 'add', '10.9.9.1/24', 'dev', 'va');
    ns.ip('addr', 'del', '10.9.9.1/24', 'dev', 'va');
    await sleep(300);
    expect(adapter.stats().messages).toBe(before);
    // An address registration joins the group; its end leaves it again.
    const w = watch(adapter, 'inet');
    await waitFor(() => w.changes.length > 0, 'the marker');
    ns.ip('addr', 'add', '10.9.9.2/24', 'dev', 'va');
    await waitFor(() => w.changes.length > 1, 'the IPv4 address');
    w.sub.unsubscribe();
    const after = adapter.stats().messages;
    ns.ip('addr', 'del', '10.9.9.2/24', 'dev', 'va');
    await sleep(300);
    expect(adapter.stats().messages).toBe(after);
    sub.unsubscribe();
  });
});
