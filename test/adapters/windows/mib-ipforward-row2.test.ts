import { ipForwardRowFromBytes, MIB_IPFORWARD_ROW2_LAYOUT } from '../../../adapters/windows/mib-ipforward-row2';
import { fe80_1, forwardRowBytes } from './mib-address-route-rows';

const base = {
  luid: 0x0006000001000000n, index: 7, prefix: [0, 0, 0, 0], prefixLength: 0, nextHop: [192, 168, 1, 1], site: 0, valid: 0xffffffff,
  preferred: 0xffffffff, metric: 25, protocol: 3, loopback: 0, autoconf: 1, publish: 0, immortal: 0, age: 1234, origin: 2,
};

describe('MIB_IPFORWARD_ROW2 decoding (hand-built bytes at the reference offsets)', () => {
  it('an IPv4 default route via a gateway: every field', () => {
    expect(ipForwardRowFromBytes(forwardRowBytes(base), 0, 'ethernet_32768')).toEqual({
      family: 'inet', destinationPrefix: { prefix: '0.0.0.0', prefixLength: 0 }, nextHop: '192.168.1.1', interfaceLuid: 0x0006000001000000n,
      interfaceIndex: 7, interfaceName: 'ethernet_32768', sitePrefixLength: 0, validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, metric: 25,
      protocol: 'netmgmt', loopback: false, autoconfigureAddress: true, publish: false, immortal: false, age: 1234, origin: 'dhcp',
    });
  });

  it('IPv6 on-link prefix (NextHop family set, address zero; or NextHop all zeros) -> "::"', () => {
    const prefix = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const withFamily = ipForwardRowFromBytes(forwardRowBytes({ ...base, prefix, prefixLength: 64, nextHop: new Array<number>(16).fill(0) }))!;
    const zeroed = ipForwardRowFromBytes(forwardRowBytes({ ...base, prefix, prefixLength: 64, nextHop: undefined }))!;
    for (const row of [withFamily, zeroed]) expect(row).toMatchObject({ family: 'inet6', destinationPrefix: { prefix: '2001:db8::', prefixLength: 64 }, nextHop: '::' });
    expect(ipForwardRowFromBytes(forwardRowBytes({ ...base, prefix, prefixLength: 0, nextHop: fe80_1 }))!.nextHop).toBe('fe80::1');
  });

  it('every NL_ROUTE_PROTOCOL and NL_ROUTE_ORIGIN value (unknown -> undefined), BOOLEANs', () => {
    const protocols = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 10002, 10006, 10007, 0, 20].map(
      (p) => ipForwardRowFromBytes(forwardRowBytes({ ...base, protocol: p }))!.protocol,
    );
    expect(protocols).toEqual([
      'other', 'local', 'netmgmt', 'icmp', 'egp', 'ggp', 'hello', 'rip', 'isIs', 'esIs', 'cisco', 'bbn', 'ospf', 'bgp', 'idpr', 'eigrp', 'dvmrp',
      'rpl', 'dhcp', 'ntAutostatic', 'ntStatic', 'ntStaticNonDod', undefined, undefined,
    ]);
    expect([0, 1, 2, 3, 4, 5].map((o) => ipForwardRowFromBytes(forwardRowBytes({ ...base, origin: o }))!.origin)).toEqual([
      'manual', 'wellKnown', 'dhcp', 'routerAdvertisement', '6to4', undefined,
    ]);
    expect(ipForwardRowFromBytes(forwardRowBytes({ ...base, loopback: 1, autoconf: 0, publish: 1, immortal: 1, site: 48 }))).toMatchObject({
      loopback: true, autoconfigureAddress: false, publish: true, immortal: true, sitePrefixLength: 48,
    });
  });

  it('a row inside a table (offset), an unknown prefix family, too few bytes', () => {
    const table = Buffer.concat([Buffer.alloc(8), forwardRowBytes(base), forwardRowBytes({ ...base, prefix: [10, 77, 0, 0], prefixLength: 16 })]);
    expect([8, 112].map((o) => ipForwardRowFromBytes(table, o)!.destinationPrefix)).toEqual([
      { prefix: '0.0.0.0', prefixLength: 0 },
      { prefix: '10.77.0.0', prefixLength: 16 },
    ]);
    const unknown = forwardRowBytes(base);
    unknown.writeUInt16LE(0, 12);
    expect(ipForwardRowFromBytes(unknown)).toBeUndefined();
    expect(ipForwardRowFromBytes(table, table.length - 103)).toBeUndefined();
    expect(MIB_IPFORWARD_ROW2_LAYOUT.size).toBe(104);
  });
});
