import type { NetworkInterfaceInfo } from 'node:os';
import { deriveInterfaceIdentity, nameHash24, SYNTHETIC_INDEX_BASE, type IdentityProbe } from '../../../adapters/polling/interface-identity';
import { synthesizeLuid } from '../../../adapters/linux/row-mapping';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24`,
});
const v6 = (address: string, scopeid: number, internal = false): NetworkInterfaceInfo => ({
  address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal, cidr: `${address}/64`, scopeid,
});

const probe = (platform: NodeJS.Platform, sysfs: Record<string, string> = {}): IdentityProbe & { reads: string[] } => {
  const reads: string[] = [];
  return {
    platform,
    reads,
    readSysfs(name, attribute) {
      reads.push(`${name}/${attribute}`);
      return sysfs[`${name}/${attribute}`];
    },
  };
};

const luid = (ifType: number, index: number, reserved = 0): bigint => (BigInt(ifType) << 48n) | (BigInt(index) << 24n) | BigInt(reserved);

describe('deriveInterfaceIdentity', () => {
  it('on Linux uses sysfs ifindex and maps the ARPHRD type like the linux adapter (ether 6, loopback 24)', () => {
    const p = probe('linux', { 'eth0/ifindex': '2\n', 'eth0/type': '1\n', 'lo/ifindex': '1\n', 'lo/type': '772\n' });
    expect(deriveInterfaceIdentity('eth0', [v4('10.0.0.2')], p)).toEqual({ interfaceIndex: 2, interfaceLuid: luid(6, 2), source: 'sysfs' });
    expect(deriveInterfaceIdentity('lo', [v4('127.0.0.1', true)], p)).toEqual({ interfaceIndex: 1, interfaceLuid: luid(24, 1), source: 'sysfs' });
  });

  it('on Linux gives exactly the LUID the linux adapter synthesizes, for every ARPHRD type', () => {
    // Every ARPHRD value the kernel defines lies in 0..0xffff; the linux adapter's mapping is the reference.
    for (let arphrd = 0; arphrd <= 0xffff; arphrd++) {
      const p = probe('linux', { 'x/ifindex': '42', 'x/type': String(arphrd) });
      const luid = deriveInterfaceIdentity('x', [v4('10.0.0.2')], p).interfaceLuid;
      if (luid !== synthesizeLuid(arphrd, 42)) throw new Error(`ARPHRD ${arphrd}: polling ${luid}, linux ${synthesizeLuid(arphrd, 42)}`);
    }
  });

  it('on Linux an unknown or unreadable ARPHRD type gives IfType 1 (other)', () => {
    const p = probe('linux', { 'x0/ifindex': '7', 'x0/type': '9999', 'y0/ifindex': '8' });
    expect(deriveInterfaceIdentity('x0', [v4('10.0.0.2')], p).interfaceLuid).toBe(luid(1, 7));
    expect(deriveInterfaceIdentity('y0', [v4('10.0.0.3')], p).interfaceLuid).toBe(luid(1, 8));
  });

  it('without sysfs falls back to the scope id of an IPv6 link-local address (the interface index on every OS)', () => {
    const p = probe('linux');
    const id = deriveInterfaceIdentity('eth0', [v4('10.0.0.2'), v6('fd00::2', 0), v6('fe80::1', 5)], p);
    expect(id).toEqual({ interfaceIndex: 5, interfaceLuid: luid(1, 5), source: 'scope-id' });
    expect(p.reads).toEqual(['eth0/ifindex']);
  });

  it('does not read sysfs outside Linux', () => {
    const p = probe('darwin', { 'en0/ifindex': '4' });
    expect(deriveInterfaceIdentity('en0', [v6('fe80::1', 6)], p).interfaceIndex).toBe(6);
    expect(p.reads).toEqual([]);
  });

  it('marks internal interfaces as loopback (IfType 24) when the type is not known', () => {
    expect(deriveInterfaceIdentity('lo0', [v4('127.0.0.1', true), v6('fe80::1', 1, true)], probe('darwin')).interfaceLuid).toBe(luid(24, 1));
  });

  it('ignores scope ids of addresses that are not link-local, and a zero scope id', () => {
    const id = deriveInterfaceIdentity('en1', [v6('fd00::1', 9), v6('fe80::2', 0)], probe('freebsd'));
    expect(id.source).toBe('name-hash');
  });

  it('otherwise synthesizes the index and LUID from a hash of the name, marked by Reserved = 1', () => {
    const h = nameHash24('en5');
    const id = deriveInterfaceIdentity('en5', [v4('192.168.1.5')], probe('darwin'));
    expect(id).toEqual({ interfaceIndex: SYNTHETIC_INDEX_BASE + h, interfaceLuid: luid(1, h, 1), source: 'name-hash' });
    // Stable: the same name always gives the same identity, another name another one.
    expect(deriveInterfaceIdentity('en5', [v4('192.168.9.9')], probe('darwin'))).toEqual(id);
    expect(deriveInterfaceIdentity('en6', [v4('192.168.1.5')], probe('darwin')).interfaceLuid).not.toBe(id.interfaceLuid);
  });

  it('moves a synthetic identity on when its LUID is taken', () => {
    const h = nameHash24('en5');
    const taken = new Set([luid(1, h, 1)]);
    const id = deriveInterfaceIdentity('en5', [v4('192.168.1.5')], probe('darwin'), (l) => taken.has(l));
    expect(id.interfaceLuid).toBe(luid(1, (h % 0xffffff) + 1, 1));
    expect(id.interfaceIndex).toBe(SYNTHETIC_INDEX_BASE + (h % 0xffffff) + 1);
  });
});

describe('nameHash24', () => {
  it('is FNV-1a 32 folded to 24 bits, never 0', () => {
    // FNV-1a 32 of "a" is 0xe40c292c (published test vector); folded: 0x0c292c ^ 0xe4.
    expect(nameHash24('a')).toBe(0x0c292c ^ 0xe4);
    expect(nameHash24('')).toBe((0x811c9dc5 & 0xffffff) ^ 0x81);
    for (const name of ['eth0', 'wlan0', 'Ethernet 2', 'é']) {
      const h = nameHash24(name);
      expect(h).toBeGreaterThan(0);
      expect(h).toBeLessThanOrEqual(0xffffff);
    }
  });
});
