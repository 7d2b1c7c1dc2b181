import { formatInterfaceIdentifier } from '../../../src/cli/format-interface-identifier';
import { formatChangeLine } from '../../../src/cli/format-change-line';
import { formatFieldValue } from '../../../src/cli/format-field-value';
import { mockRow } from '../../../adapters/mock';

describe('formatInterfaceIdentifier', () => {
  it.each([
    // The identifier of fe80::1c2f:3eff:fe4a:5b6c (a veth's EUI-64), as `ip addr` prints the address's tail.
    [0x1c2f3efffe4a5b6cn, '::1c2f:3eff:fe4a:5b6c'],
    // Leading zeros of a group dropped, and the longest run of zero groups compressed, as inet_ntop does.
    [0x0200000000000001n, '::200:0:0:1'],
    [0x021122fffe334455n, '::211:22ff:fe33:4455'],
    [1n, '::1'],
    [0n, '::'],
    [0x0001000000000000n, '::1:0:0:0'],
    [0xffffffffffffffffn, '::ffff:ffff:ffff:ffff'],
  ])('%s -> %s', (value, text) => {
    expect(formatInterfaceIdentifier(value)).toBe(text);
  });

  it('leaves what is not a 64-bit identifier in decimal', () => {
    expect(formatInterfaceIdentifier(1n << 64n)).toBe('18446744073709551616');
    expect(formatInterfaceIdentifier(-1n)).toBe('-1');
  });

  it('is what the human output shows for interfaceIdentifier, and only for it', () => {
    expect(formatFieldValue(0x1c2f3efffe4a5b6cn, 'interfaceIdentifier')).toBe('::1c2f:3eff:fe4a:5b6c');
    expect(formatFieldValue(0x1c2f3efffe4a5b6cn, 'interfaceLuid')).toBe(String(0x1c2f3efffe4a5b6cn));
    const before = mockRow({ family: 'inet6', interfaceIndex: 3, interfaceName: 'veth0', interfaceIdentifier: 0x1c2f3efffe4a5b6cn });
    const after = { ...before, interfaceIdentifier: 0x021122fffe334455n };
    const line = formatChangeLine({ kind: 'changed', row: after }, { time: new Date(2026, 0, 1, 12, 0, 0, 0), previous: before, color: false });
    expect(line).toMatch(/ {2}interfaceIdentifier ::1c2f:3eff:fe4a:5b6c -> ::211:22ff:fe33:4455$/);
  });
});
