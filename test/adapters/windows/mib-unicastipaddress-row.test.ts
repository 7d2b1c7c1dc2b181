import { MIB_UNICASTIPADDRESS_ROW_LAYOUT, unicastIpAddressRowFromBytes } from '../../../adapters/windows/mib-unicastipaddress-row';
import { fe80_1, unicastRowBytes } from './mib-address-route-rows';

const base = { luid: 0x0006000001000000n, index: 7, prefixOrigin: 4, suffixOrigin: 5, valid: 86400, preferred: 14400, onLink: 64, skip: 0, dad: 4, created: 133_000_000_000_000_000n };

describe('MIB_UNICASTIPADDRESS_ROW decoding (hand-built bytes at the reference offsets)', () => {
  it('IPv6 link-local: address without zone, ScopeId its own field, every enum and field', () => {
    expect(unicastIpAddressRowFromBytes(unicastRowBytes({ ...base, address: fe80_1, scopeId: 7 }), 0, 'ethernet_32768')).toEqual({
      family: 'inet6', address: 'fe80::1', interfaceLuid: 0x0006000001000000n, interfaceIndex: 7, interfaceName: 'ethernet_32768',
      prefixOrigin: 'routerAdvertisement', suffixOrigin: 'random', validLifetime: 86400, preferredLifetime: 14400, onLinkPrefixLength: 64,
      skipAsSource: false, dadState: 'preferred', scopeId: 7, creationTimeStamp: 133_000_000_000_000_000n,
    });
  });

  it('IPv4, a LUID above 2^53, SkipAsSource, every enum value (unknown -> undefined), infinite lifetimes', () => {
    const luid = (71n << 48n) | (0xabcdefn << 24n);
    const prefix = [[0, 'other'], [1, 'manual'], [2, 'wellKnown'], [3, 'dhcp'], [4, 'routerAdvertisement'], [16, 'unchanged'], [9, undefined]] as const;
    const suffix = [[0, 'other'], [1, 'manual'], [2, 'wellKnown'], [3, 'dhcp'], [4, 'linkLayerAddress'], [5, 'random'], [16, 'unchanged'], [-1, undefined]] as const;
    const dad = [[0, 'invalid'], [1, 'tentative'], [2, 'duplicate'], [3, 'deprecated'], [4, 'preferred'], [5, undefined]] as const;
    for (const [n, name] of prefix) expect(unicastIpAddressRowFromBytes(unicastRowBytes({ ...base, address: [10, 0, 0, 1], prefixOrigin: n }))!.prefixOrigin).toBe(name);
    for (const [n, name] of suffix) expect(unicastIpAddressRowFromBytes(unicastRowBytes({ ...base, address: [10, 0, 0, 1], suffixOrigin: n }))!.suffixOrigin).toBe(name);
    for (const [n, name] of dad) expect(unicastIpAddressRowFromBytes(unicastRowBytes({ ...base, address: [10, 0, 0, 1], dad: n }))!.dadState).toBe(name);
    const row = unicastIpAddressRowFromBytes(unicastRowBytes({ ...base, address: [192, 168, 1, 20], luid, skip: 1, valid: 0xffffffff, preferred: 0xffffffff, onLink: 24 }))!;
    expect(row).toMatchObject({ family: 'inet', address: '192.168.1.20', interfaceLuid: luid, skipAsSource: true, validLifetime: 0xffffffff, onLinkPrefixLength: 24, scopeId: 0 });
    expect(row.interfaceName).toBeUndefined();
    expect('interfaceName' in row).toBe(false);
  });

  it('a row inside a table (offset), an unknown family, too few bytes', () => {
    const table = Buffer.concat([Buffer.alloc(8), unicastRowBytes({ ...base, address: [10, 1, 2, 3] }), unicastRowBytes({ ...base, address: fe80_1 })]);
    expect([8, 88].map((o) => unicastIpAddressRowFromBytes(table, o)!.address)).toEqual(['10.1.2.3', 'fe80::1']);
    const unknown = unicastRowBytes({ ...base, address: [10, 0, 0, 1] });
    unknown.writeUInt16LE(10, 0); // Linux's AF_INET6 means nothing here
    expect(unicastIpAddressRowFromBytes(unknown)).toBeUndefined();
    expect(unicastIpAddressRowFromBytes(table, table.length - 79)).toBeUndefined();
    expect(MIB_UNICASTIPADDRESS_ROW_LAYOUT.size).toBe(80);
  });
});
