import { formatAddressTable } from '../../../src/cli/format-address-table';
import { mockAddressRow } from '../../../adapters/mock';

describe('formatAddressTable', () => {
  it('aligned columns sorted by index, family and address; - for what the adapter does not supply', () => {
    const rows = [
      mockAddressRow({ family: 'inet6', address: '2001:db8::1', interfaceIndex: 3, interfaceName: 'veth0', dadState: 'tentative', validLifetime: 7200, preferredLifetime: 3600, prefixOrigin: 'routerAdvertisement', suffixOrigin: 'random' }),
      mockAddressRow({ address: '10.9.0.2', interfaceIndex: 3, interfaceName: 'veth0' }),
      mockAddressRow({ address: '10.9.0.1', interfaceIndex: 3, interfaceName: 'veth0' }),
      { family: 'inet' as const, address: '127.0.0.1', interfaceLuid: 1n, interfaceIndex: 1, interfaceName: 'lo', onLinkPrefixLength: 8 },
    ];
    expect(formatAddressTable(rows).split('\n')).toEqual([
      'INDEX  NAME   FAMILY  ADDRESS         STATE        VALID  PREFERRED  PREFIX               SUFFIX',
      '    1  lo     inet    127.0.0.1/8     -                -          -  -                    -',
      '    3  veth0  inet    10.9.0.1/24     preferred  forever    forever  manual               manual',
      '    3  veth0  inet    10.9.0.2/24     preferred  forever    forever  manual               manual',
      '    3  veth0  inet6   2001:db8::1/64  tentative     7200       3600  routerAdvertisement  random',
      '',
    ]);
  });

  it('an empty table is the header alone', () => {
    expect(formatAddressTable([])).toBe('INDEX  NAME  FAMILY  ADDRESS  STATE  VALID  PREFERRED  PREFIX  SUFFIX\n');
  });
});
