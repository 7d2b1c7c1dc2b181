import { formatTable } from '../../../src/cli/format-table';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';

const lo: IpInterfaceRow = { family: 'inet', interfaceLuid: (24n << 48n) | (1n << 24n), interfaceIndex: 1, interfaceName: 'lo', nlMtu: 65536, connected: true, forwardingEnabled: false };
const veth: IpInterfaceRow = { family: 'inet6', interfaceLuid: (6n << 48n) | (12n << 24n), interfaceIndex: 12, interfaceName: 'veth-blue', nlMtu: 1400, connected: false, metric: 256 };

describe('formatTable', () => {
  it('prints a header and one aligned line per row, sorted by index then family, - for missing values', () => {
    expect(formatTable([veth, { ...lo, family: 'inet6' }, lo])).toBe(
      [
        'INDEX  FAMILY  NAME         MTU  CONNECTED  FORWARDING  METRIC              LUID',
        '    1  inet    lo         65536  true       false            -  6755399457832960',
        '    1  inet6   lo         65536  true       false            -  6755399457832960',
        `   12  inet6   veth-blue   1400  false      -              256  ${(6n << 48n) | (12n << 24n)}`,
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for an empty table', () => {
    expect(formatTable([])).toBe('INDEX  FAMILY  NAME  MTU  CONNECTED  FORWARDING  METRIC  LUID\n');
  });
});
