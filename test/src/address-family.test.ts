import { AF_INET, AF_INET6, AF_UNSPEC, familyMatches, isAddressFamily } from '../../src/address-family';
import { interfaceKey } from '../../src/interface-key';
import { offloadFlagsFromByte, OFFLOAD_FLAG_NAMES, type IpInterfaceRow } from '../../src/ip-interface-row';
import { mockLuid, mockRow } from '../../adapters/mock';

describe('address families, keys and row helpers', () => {
  it('has the fixed string values', () => {
    expect([AF_UNSPEC, AF_INET, AF_INET6]).toEqual(['unspec', 'inet', 'inet6']);
  });

  it.each([
    ['unspec', true], ['inet', true], ['inet6', true], [0, false], [2, false], [23, false], ['ipx', false], [undefined, false], [NaN, false],
  ])('isAddressFamily(%p) is %p', (value, expected) => {
    expect(isAddressFamily(value)).toBe(expected);
  });

  it('familyMatches: unspec matches both, otherwise exact', () => {
    expect(familyMatches(AF_UNSPEC, AF_INET)).toBe(true);
    expect(familyMatches(AF_UNSPEC, AF_INET6)).toBe(true);
    expect(familyMatches(AF_INET, AF_INET)).toBe(true);
    expect(familyMatches(AF_INET, AF_INET6)).toBe(false);
  });

  it('interfaceKey is family plus LUID: the two families of one device differ, renames do not change it', () => {
    const v4 = mockRow({ interfaceIndex: 5 });
    const v6 = mockRow({ interfaceIndex: 5, family: AF_INET6 });
    expect(interfaceKey(v4)).toBe(`inet:${mockLuid(5)}`);
    expect(interfaceKey(v4)).not.toBe(interfaceKey(v6));
    const renamed: IpInterfaceRow = { ...v4, interfaceName: 'renamed', nlMtu: 9000 };
    expect(interfaceKey(renamed)).toBe(interfaceKey(v4));
  });

  it('mockLuid places IfType in bits 48..63 and the index in bits 24..47', () => {
    expect(mockLuid(3)).toBe((6n << 48n) | (3n << 24n));
    expect(mockLuid(1, 24n)).toBe((24n << 48n) | (1n << 24n));
  });

  it('offloadFlagsFromByte decodes bit 0 first, all eight names', () => {
    expect(Object.keys(offloadFlagsFromByte(0))).toEqual([...OFFLOAD_FLAG_NAMES]);
    const flags = offloadFlagsFromByte(0b1000_0001);
    expect(flags.nlChecksumSupported).toBe(true);
    expect(flags.tlGiantSendOffloadSupported).toBe(true);
    expect(Object.values(flags).filter(Boolean)).toHaveLength(2);
  });
});
