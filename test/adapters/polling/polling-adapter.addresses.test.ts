import { networkInterfaces } from 'node:os';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../../src/address-family';
import type { MibNotificationType } from '../../../src/adapter';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';
import { unicastAddressKey } from '../../../src/unicast-address-key';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { unicastIpAddressChanges$ } from '../../../src/unicast-ip-address-changes';
import { createPollingAdapter, pollingAdapter } from '../../../adapters/polling/polling-adapter';
import type { AddressSnapshot } from '../../../adapters/polling/address-snapshot';
import type { InterfaceSnapshot } from '../../../adapters/polling/interface-snapshot';
import { activePollTimers } from '../../../adapters/polling/poll-timer';
import type { NetworkInterfaceListing } from '../../../adapters/polling/read-interface-snapshot';
import { addressSnapshotFromNetworkInterfaces } from '../../../adapters/polling/address-snapshot';
import { snapshotFromNetworkInterfaces } from '../../../adapters/polling/interface-snapshot';
import { assertValidAddressRow } from '../../contract/address-cases';
import { waitFor } from '../../helpers/wait-for';

const luid = (index: number): bigint => (6n << 48n) | (BigInt(index) << 24n);
const lo: IpInterfaceRow = { family: AF_INET, interfaceIndex: 1, interfaceName: 'lo', interfaceLuid: luid(1) };
const address = (text: string, family: 'inet' | 'inet6' = AF_INET, onLinkPrefixLength = 24): UnicastIpAddressRow => ({
  family, address: text, interfaceLuid: luid(4), interfaceIndex: 4, interfaceName: 'if4', onLinkPrefixLength, scopeId: 0,
});
const snap = (...rows: UnicastIpAddressRow[]): AddressSnapshot => new Map(rows.map((r) => [unicastAddressKey(r), r]));

describe('pollingAdapter: addresses', () => {
  afterEach(() => expect(activePollTimers()).toEqual([]));

  it('reads the real addresses of this namespace: every address Node lists, valid shapes, Node-invisible fields undefined', async () => {
    const rows = await pollingAdapter().getUnicastIpAddressTable(AF_UNSPEC);
    const listed = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
    expect(rows.length).toBeGreaterThan(0); // at least lo's 127.0.0.1
    for (const row of rows) {
      assertValidAddressRow(row, AF_UNSPEC);
      expect(listed.some((a) => a.address.toLowerCase() === row.address)).toBe(true);
      expect([row.dadState, row.validLifetime, row.prefixOrigin, row.creationTimeStamp]).toEqual([undefined, undefined, undefined, undefined]);
    }
    expect(rows.find((r) => r.address === '127.0.0.1')).toMatchObject({ onLinkPrefixLength: 8, interfaceName: 'lo', scopeId: 0 });
  });

  it('diffs per poll: added, changed prefix, removed; one timer for interface and address registrations of one adapter', async () => {
    const interfaces: InterfaceSnapshot = new Map([[interfaceKey(lo), lo]]);
    const system = { current: snap(address('10.9.0.1')) };
    const adapter = createPollingAdapter(10, () => interfaces, () => system.current);
    const calls: [MibNotificationType, string | undefined, number | undefined][] = [];
    const h1 = await adapter.notifyUnicastIpAddressChange(AF_UNSPEC, (row, type) => calls.push([type, row?.address, row?.onLinkPrefixLength]), true);
    const h2 = await adapter.notifyIpInterfaceChange(AF_UNSPEC, () => undefined, false);
    expect(activePollTimers()).toEqual([{ intervalMs: 10, listeners: 1 }]);
    system.current = snap(address('10.9.0.1'), address('2001:db8::1', AF_INET6, 64));
    await waitFor(() => calls.length >= 2, 'added');
    system.current = snap(address('10.9.0.1', AF_INET, 16), address('2001:db8::1', AF_INET6, 64));
    await waitFor(() => calls.length >= 3, 'changed');
    system.current = snap(address('10.9.0.1', AF_INET, 16));
    await waitFor(() => calls.length >= 4, 'removed');
    expect(calls).toEqual([
      ['initial', undefined, undefined],
      ['add', '2001:db8::1', 64],
      ['parameter', '10.9.0.1', 16],
      ['delete', '2001:db8::1', 64],
    ]);
    await adapter.cancelMibChangeNotify2(h1);
    expect(activePollTimers()).toEqual([{ intervalMs: 10, listeners: 1 }]);
    await adapter.cancelMibChangeNotify2(h2);
  });

  it('a failing address read rejects the registration with an IpInterfaceError and leaves no timer', async () => {
    const adapter = createPollingAdapter(10, () => new Map(), () => {
      throw new Error('no interfaces');
    });
    await expect(adapter.notifyUnicastIpAddressChange(AF_INET, () => undefined, false)).rejects.toMatchObject({ code: 'OS_ERROR', adapter: 'polling' });
    await expect(adapter.getUnicastIpAddressTable(AF_INET)).rejects.toMatchObject({ code: 'OS_ERROR' });
  });

  it('unicastIpAddressChanges$ over it: marker, the family filter, unsubscribe leaves no timer', async () => {
    const system = { current: snap() };
    const adapter = createPollingAdapter(10, () => new Map(), () => system.current);
    const seen: string[] = [];
    const sub = unicastIpAddressChanges$(AF_INET6, true, { adapter }).subscribe((c) => seen.push(c.kind === 'initial' ? 'initial' : `${c.kind} ${c.row.address}`));
    system.current = snap(address('10.9.0.1'), address('2001:db8::1', AF_INET6, 64));
    await waitFor(() => seen.length >= 2, 'the inet6 address');
    sub.unsubscribe();
    expect(seen).toEqual(['initial', 'added 2001:db8::1']);
  });

  it('lists the interfaces once per tick for interface and address registrations together (an injected reader counts the calls)', async () => {
    // One fake os.networkInterfaces(): if4 with one address per family; both snapshots are built from its result.
    const entry = (address: string, family: 'IPv4' | 'IPv6', cidr: string) => ({ address, family, cidr, netmask: '', mac: '02:00:00:00:00:04', internal: false, scopeid: 0 });
    let current: NetworkInterfaceListing = { if4: [entry('10.9.0.1', 'IPv4', '10.9.0.1/24'), entry('2001:db8::1', 'IPv6', '2001:db8::1/64')] };
    let lists = 0;
    let snapshots = 0;
    const list = (): NetworkInterfaceListing => {
      lists++;
      return current;
    };
    const probe = { platform: 'darwin' as NodeJS.Platform, readSysfs: () => undefined };
    const readInterfaces = (listing: NetworkInterfaceListing): InterfaceSnapshot => {
      snapshots++;
      return snapshotFromNetworkInterfaces(listing, probe);
    };
    const readAddresses = (listing: NetworkInterfaceListing): AddressSnapshot => {
      snapshots++;
      return addressSnapshotFromNetworkInterfaces(listing, probe);
    };
    const adapter = createPollingAdapter(10, readInterfaces, readAddresses, list);
    const interfaceCalls: string[] = [];
    const addressCalls: string[] = [];
    const h1 = await adapter.notifyIpInterfaceChange(AF_UNSPEC, (row, type) => interfaceCalls.push(`${type} ${row?.family}`), false);
    const h2 = await adapter.notifyUnicastIpAddressChange(AF_UNSPEC, (row, type) => addressCalls.push(`${type} ${row?.address}`), false);
    expect(lists).toBe(2); // one per registration (its baseline)
    const ticks = (): number => lists - 2;
    await waitFor(() => ticks() >= 3, 'three ticks');
    // Every tick listed once and built both snapshots from it.
    const settled = ticks();
    expect(snapshots - 2).toBe(2 * settled);
    current = { if4: [entry('10.9.0.1', 'IPv4', '10.9.0.1/24')] };
    await waitFor(() => addressCalls.length >= 1 && interfaceCalls.length >= 1, 'the inet6 address and row gone');
    await adapter.cancelMibChangeNotify2(h1);
    await adapter.cancelMibChangeNotify2(h2);
    expect(addressCalls).toEqual(['delete 2001:db8::1']);
    expect(interfaceCalls).toEqual(['delete inet6']);
    expect(snapshots - 2).toBe(2 * ticks());
  });
});
