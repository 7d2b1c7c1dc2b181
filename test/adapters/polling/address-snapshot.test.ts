import type { NetworkInterfaceInfo } from 'node:os';
import { addressSnapshotFromNetworkInterfaces, diffAddressSnapshots } from '../../../adapters/polling/address-snapshot';
import type { IdentityProbe } from '../../../adapters/polling/interface-identity';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

const sysfs = (table: Record<string, { ifindex: number; type: number }>): IdentityProbe => ({
  platform: 'linux',
  readSysfs: (name, attribute) => (table[name] ? String(table[name]![attribute]) : undefined),
});
const v4 = (address: string, cidr: string | null, internal = false): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr }) as NetworkInterfaceInfo;
const v6 = (address: string, cidr: string | null, scopeid: number): NetworkInterfaceInfo =>
  ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr, scopeid }) as NetworkInterfaceInfo;

describe('polling address snapshot', () => {
  const probe = sysfs({ lo: { ifindex: 1, type: 772 }, eth0: { ifindex: 2, type: 1 } });

  it('one row per address: canonical text, prefix from cidr, scope id for IPv6, identity as for interface rows, nothing invented', () => {
    const rows = [...addressSnapshotFromNetworkInterfaces({ lo: [v4('127.0.0.1', '127.0.0.1/8', true)], eth0: [v4('10.9.0.1', '10.9.0.1/24'), v6('FE80::1', 'fe80::1/64', 2)] }, probe).values()];
    expect(rows).toEqual([
      { family: 'inet', address: '10.9.0.1', interfaceLuid: (6n << 48n) | (2n << 24n), interfaceIndex: 2, interfaceName: 'eth0', onLinkPrefixLength: 24, scopeId: 0 },
      { family: 'inet6', address: 'fe80::1', interfaceLuid: (6n << 48n) | (2n << 24n), interfaceIndex: 2, interfaceName: 'eth0', onLinkPrefixLength: 64, scopeId: 2 },
      { family: 'inet', address: '127.0.0.1', interfaceLuid: (24n << 48n) | (1n << 24n), interfaceIndex: 1, interfaceName: 'lo', onLinkPrefixLength: 8, scopeId: 0 },
    ]);
    for (const row of rows) for (const field of ['prefixOrigin', 'suffixOrigin', 'validLifetime', 'preferredLifetime', 'dadState', 'skipAsSource', 'creationTimeStamp'] as const) expect(row[field]).toBeUndefined();
  });

  it('cidr null -> prefix length undefined', () => {
    const [row] = [...addressSnapshotFromNetworkInterfaces({ eth0: [v4('10.9.0.1', null)] }, probe).values()];
    expect(row!.onLinkPrefixLength).toBeUndefined();
  });

  it('diff: delete, add, parameter (prefix length changed), unchanged rows silent', () => {
    const before = addressSnapshotFromNetworkInterfaces({ eth0: [v4('10.9.0.1', '10.9.0.1/24'), v4('10.9.0.2', '10.9.0.2/24'), v4('10.9.0.9', '10.9.0.9/24')] }, probe);
    const after = addressSnapshotFromNetworkInterfaces({ eth0: [v4('10.9.0.1', '10.9.0.1/24'), v4('10.9.0.2', '10.9.0.2/16'), v4('10.9.0.3', '10.9.0.3/24')] }, probe);
    expect(diffAddressSnapshots(before, after).map((c) => `${c.type} ${c.row.address}/${c.row.onLinkPrefixLength}`)).toEqual([
      'delete 10.9.0.9/24',
      'parameter 10.9.0.2/16',
      'add 10.9.0.3/24',
    ]);
  });
});

describeWithNetns('polling address snapshot in a test namespace (os.networkInterfaces() of a node inside it)', () => {
  let ns: TestNetns;
  beforeAll(() => {
    TestNetns.cleanupStale('polladdr');
    ns = TestNetns.create('polladdr');
    ns.addVeth('va', 'vb');
    ns.ip('link', 'set', 'va', 'up');
    ns.ip('link', 'set', 'vb', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'va');
    ns.ip('addr', 'add', '10.9.1.1/16', 'dev', 'va');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'va', 'nodad');
    ns.ip('addr', 'add', '2001:db8:2::1/64', 'dev', 'vb', 'nodad');
  });
  afterAll(() => ns?.delete());

  it('equals `ip -j addr` for every address (address, prefix length, index, name)', () => {
    const interfaces = JSON.parse(ns.exec(process.execPath, '-e', 'process.stdout.write(JSON.stringify(require("os").networkInterfaces()))')) as NodeJS.Dict<NetworkInterfaceInfo[]>;
    const probe: IdentityProbe = { platform: 'linux', readSysfs: (name, attribute) => ns.exec('cat', `/sys/class/net/${name}/${attribute}`).trim() };
    const mine = [...addressSnapshotFromNetworkInterfaces(interfaces, probe).values()].map((r) => `${r.interfaceIndex} ${r.interfaceName} ${r.family} ${r.address}/${r.onLinkPrefixLength}`);
    const links = JSON.parse(ns.ip('-j', 'addr', 'show')) as { ifindex: number; ifname: string; addr_info: { family: string; local: string; prefixlen: number }[] }[];
    const theirs = links.flatMap((l) => l.addr_info.map((a) => `${l.ifindex} ${l.ifname} ${a.family} ${a.local}/${a.prefixlen}`));
    expect(mine.sort()).toEqual(theirs.sort());
    expect(mine.length).toBeGreaterThanOrEqual(6);
  });
});
