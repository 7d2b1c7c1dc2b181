import type { NetworkInterfaceInfo } from 'node:os';
import { snapshotFromNetworkInterfaces } from '../../../adapters/polling/interface-snapshot';
import { nameHash24, type IdentityProbe } from '../../../adapters/polling/interface-identity';
import { interfaceKey } from '../../../src/interface-key';

const addr = (family: 'IPv4' | 'IPv6', address: string, internal = false): NetworkInterfaceInfo =>
  family === 'IPv4'
    ? { address, netmask: '255.0.0.0', family, mac: '00:00:00:00:00:00', internal, cidr: `${address}/8` }
    : { address, netmask: 'ffff::', family, mac: '00:00:00:00:00:00', internal, cidr: `${address}/16`, scopeid: 0 };

const sysfs = (entries: Record<string, [index: number, arphrd: number]>): IdentityProbe => ({
  platform: 'linux',
  readSysfs: (name, attribute) => {
    const e = entries[name];
    return e === undefined ? undefined : String(attribute === 'ifindex' ? e[0] : e[1]);
  },
});

describe('snapshotFromNetworkInterfaces', () => {
  it('makes one row per interface and family that has an address, with only family, index, LUID and name', () => {
    const snapshot = snapshotFromNetworkInterfaces(
      {
        lo: [addr('IPv4', '127.0.0.1', true), addr('IPv6', '::1', true)],
        veth0: [addr('IPv4', '10.1.0.1'), addr('IPv4', '10.1.0.2')],
        veth1: [addr('IPv6', 'fd00::1')],
        empty: [],
      },
      sysfs({ lo: [1, 772], veth0: [3, 1], veth1: [2, 1] }),
    );
    const rows = [...snapshot.values()];
    expect(rows).toEqual([
      { family: 'inet', interfaceLuid: (24n << 48n) | (1n << 24n), interfaceIndex: 1, interfaceName: 'lo' },
      { family: 'inet6', interfaceLuid: (24n << 48n) | (1n << 24n), interfaceIndex: 1, interfaceName: 'lo' },
      { family: 'inet6', interfaceLuid: (6n << 48n) | (2n << 24n), interfaceIndex: 2, interfaceName: 'veth1' },
      { family: 'inet', interfaceLuid: (6n << 48n) | (3n << 24n), interfaceIndex: 3, interfaceName: 'veth0' },
    ]);
    expect([...snapshot.keys()]).toEqual(rows.map(interfaceKey));
  });

  it('keeps keys unique when two names claim one index (a /sys of another namespace): the first by name wins', () => {
    const snapshot = snapshotFromNetworkInterfaces(
      { b: [addr('IPv4', '10.0.0.2')], a: [addr('IPv4', '10.0.0.1')] },
      sysfs({ a: [4, 1], b: [4, 1] }),
    );
    expect([...snapshot.values()].map((r) => r.interfaceName)).toEqual(['a']);
  });

  it('keeps synthetic identities unique when names hash alike', () => {
    const probe: IdentityProbe = { platform: 'darwin', readSysfs: () => undefined };
    // Find two names whose 24-bit hashes collide (birthday search over a small space).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const name = `if${i}`;
      const other = seen.get(nameHash24(name));
      if (other !== undefined) pair = [other, name];
      else seen.set(nameHash24(name), name);
    }
    const snapshot = snapshotFromNetworkInterfaces({ [pair[0]]: [addr('IPv4', '10.0.0.1')], [pair[1]]: [addr('IPv4', '10.0.0.2')] }, probe);
    expect(snapshot.size).toBe(2);
    expect(new Set([...snapshot.values()].map((r) => r.interfaceIndex)).size).toBe(2);
  });
});
