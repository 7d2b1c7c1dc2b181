/**
 * The address table against the kernel: notifications captured in a test namespace are replayed into
 * it and it must end equal to a dump; lifetime-only refreshes are counted, not notified (unless
 * asked); a kernel link-local address, never notified while tentative, is found by the filtered dump
 * on link up.
 */
import { parseAddressMessages } from '../../../adapters/linux/address-parser';
import { isLifetimeOnlyChange, mapAddressRow } from '../../../adapters/linux/address-row-mapping';
import { AddressTable, type AddressTableChange } from '../../../adapters/linux/address-table';
import { LINUX_AF_INET6, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR } from '../../../adapters/linux/netlink-constants';
import { synthesizeLuid } from '../../../adapters/linux/row-mapping';
import { unicastAddressKey } from '../../../src/unicast-address-key';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { captureDump, captureNotifications, deviceTable, removeCaptureProgram, type CapturedDevice } from './netlink-capture';

const GROUPS = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
const changeText = (c: AddressTableChange): string => `${c.type} ${c.row.interfaceName} ${c.row.address} ${c.row.dadState}`;

describeWithNetns('linux address table replaying real kernel notifications', () => {
  let ns: TestNetns;
  let dev: Map<number, CapturedDevice>;
  // Device rows of deleted devices stay known here: RTM_DELADDR of a deleted device comes with the device gone.
  const known = new Map<number, CapturedDevice>();
  const device = (ifindex: number): CapturedDevice => dev.get(ifindex) ?? known.get(ifindex)!;
  const refreshDevices = (): void => {
    dev = deviceTable(ns, synthesizeLuid);
    for (const [i, d] of dev) known.set(i, d);
  };
  const dumpRows = (family = 0, ifindex = 0): UnicastIpAddressRow[] =>
    captureDump(ns, { what: 'addr', family, ifindex, strict: ifindex !== 0 || family !== 0 })
      .flatMap((d) => parseAddressMessages(d))
      .map((m) => mapAddressRow(m, device(m.ifindex))!);
  const replay = (table: AddressTable, datagrams: Buffer[]): string[] =>
    datagrams
      .flatMap((d) => parseAddressMessages(d))
      .map((m) => table.apply(mapAddressRow(m, device(m.ifindex))!, m.deleted))
      .filter((c): c is AddressTableChange => c !== undefined)
      .map(changeText);
  /** Table and dump agree on every row; finite lifetimes may have ticked between the two reads. */
  const expectSame = (table: AddressTable): void => {
    const byKey = new Map(dumpRows().map((r) => [unicastAddressKey(r), r]));
    expect(table.rows().map(unicastAddressKey).sort()).toEqual([...byKey.keys()].sort());
    for (const row of table.rows()) {
      const kernel = byKey.get(unicastAddressKey(row))!;
      if (!isLifetimeOnlyChange(row, kernel)) expect(row).toEqual(kernel);
    }
  };

  beforeAll(() => {
    TestNetns.cleanupStale('addrtable');
    ns = TestNetns.create('addrtable');
    ns.addVeth('va', 'vb');
    ns.ip('link', 'add', 'vc', 'type', 'veth', 'peer', 'name', 'vd');
    for (const d of ['va', 'vb', 'vc', 'vd']) ns.ip('link', 'set', d, 'up');
    refreshDevices();
  });

  afterAll(() => {
    ns?.delete();
    removeCaptureProgram();
  });

  it('adds, changes, lifetime refreshes, DAD, deletes, link down (IPv6 addresses go), device deletion: the replayed table equals the dump', async () => {
    const table = new AddressTable();
    table.load(dumpRows());
    const datagrams = await captureNotifications(
      ns,
      GROUPS,
      () =>
        ns.ipBatch([
          'addr add 10.9.0.1/24 dev va',
          'addr add 10.9.0.3/24 dev va',
          'addr add 2001:db8::1/64 dev va nodad',
          'addr add 10.9.3.1/24 dev va valid_lft 3600 preferred_lft 1800',
          'addr change 10.9.3.1/24 dev va valid_lft 3000 preferred_lft 1500',
          'addr change 2001:db8::1/64 dev va preferred_lft 0 nodad',
          'addr add 2001:db8::2/64 dev va',
          'addr add 10.9.7.1/24 dev vc',
          'addr add 2001:db8:7::1/64 dev vc nodad',
          'addr add 10.9.8.1/24 dev vd',
          'addr add 2001:db8:9::1/64 dev vb nodad',
          'addr del 10.9.0.3/24 dev va',
        ]),
      3000,
    );
    // Separately: vb down takes va's carrier, which would stall va's DAD above.
    const downs = await captureNotifications(ns, GROUPS, () => ns.ipBatch(['link set vb down', 'link del vc']));
    const changes = [...replay(table, datagrams), ...replay(table, downs)];
    expect(changes).toEqual(
      expect.arrayContaining([
        'add va 10.9.0.1 preferred',
        'add va 2001:db8::2 tentative',
        'parameter va 2001:db8::2 preferred',
        'delete va 10.9.0.3 preferred',
        'delete vb 2001:db8:9::1 preferred', // link down removes IPv6 addresses
        'delete vc 10.9.7.1 preferred', // device deletion: both ends' addresses
        'delete vc 2001:db8:7::1 preferred',
        'delete vd 10.9.8.1 preferred',
      ]),
    );
    expect(changes.filter((c) => c.includes('10.9.3.1'))).toEqual(['add va 10.9.3.1 preferred']); // the refresh is lifetime-only
    // IPv6 RTM_NEWADDR of an add is sent from the kernel's DAD work, with the state of that moment: the
    // `change ... preferred_lft 0` right behind it in the batch may already show in it ('add ... deprecated'
    // then nothing), or come as its own change. Either way the last word is deprecated.
    const one = changes.filter((c) => c.includes(' 2001:db8::1 '));
    expect(one[0]).toMatch(/^add va 2001:db8::1 /);
    expect(one[one.length - 1]).toMatch(/ deprecated$/);
    expect(table.lifetimeOnlyUpdates).toBe(1);
    refreshDevices();
    expectSame(table);
  }, 20000);

  it('lifetimeUpdates: true notifies the refresh as a parameter change', async () => {
    const table = new AddressTable({ lifetimeUpdates: true });
    table.load(dumpRows());
    const datagrams = await captureNotifications(ns, GROUPS, () => ns.ip('addr', 'change', '10.9.3.1/24', 'dev', 'va', 'valid_lft', '2000', 'preferred_lft', '1000'));
    expect(replay(table, datagrams)).toEqual(['parameter va 10.9.3.1 preferred']);
    expect(table.lifetimeOnlyUpdates).toBe(1);
  });

  it('link up with a kernel link-local: no notification while tentative, the filtered dump finds it; then the DAD-done notification', async () => {
    const table = new AddressTable();
    table.load(dumpRows());
    ns.ip('link', 'add', 'vx', 'type', 'veth', 'peer', 'name', 'vy');
    for (const d of ['vx', 'vy']) ns.sysctl(`net.ipv6.conf.${d}.addr_gen_mode`, 0);
    refreshDevices();
    const ve = ns.ifindex('vx');
    let found: string[] = [];
    const datagrams = await captureNotifications(
      ns,
      RTMGRP_IPV6_IFADDR,
      () => {
        ns.ip('link', 'set', 'vy', 'up');
        ns.ip('link', 'set', 'vx', 'up');
        // The link-local appears when the carrier comes up (linkwatch, asynchronous): dump until it is there.
        let rows: UnicastIpAddressRow[] = [];
        for (let i = 0; i < 100 && rows.length === 0; i++) {
          rows = dumpRows(LINUX_AF_INET6, ve);
          if (rows.length === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        }
        found = table.reconcile(rows, { family: 'inet6', interfaceIndex: ve }).map(changeText);
      },
      3000,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^add vx fe80::[0-9a-f:]+ tentative$/);
    // What the kernel said meanwhile: only DAD completion, for each end.
    const later = replay(table, datagrams);
    expect(later.filter((c) => c.startsWith('parameter vx fe80::') && c.endsWith(' preferred'))).toHaveLength(1);
    expect(later.filter((c) => c.includes('tentative'))).toEqual([]);
    expectSame(table);
  }, 20000);
});
