import { formatFieldValue } from '../../../src/cli/format-field-value';
import { offloadFlagsFromByte } from '../../../src/ip-interface-row';

describe('formatFieldValue', () => {
  it.each([
    [undefined, '-'],
    [null, '-'],
    [1500, '1500'],
    [true, 'true'],
    [false, 'false'],
    ['eth0', 'eth0'],
    [6755399457832960n, '6755399457832960'],
    [[3, 3, 3, 1, 0], '[3,3,3,1,0]'],
    [[], '[]'],
  ])('%p -> %p', (value, text) => expect(formatFieldValue(value)).toBe(text));

  it('shows an object of flags as the flags that are set', () => {
    expect(formatFieldValue(offloadFlagsFromByte(0b101))).toBe('{nlChecksumSupported,tlDatagramChecksumSupported}');
    expect(formatFieldValue(offloadFlagsFromByte(0))).toBe('{}');
  });

  it('shows an address lifetime of 0xffffffff as forever (ip addr), only for the lifetime fields', () => {
    expect(formatFieldValue(0xffffffff, 'validLifetime')).toBe('forever');
    expect(formatFieldValue(0xffffffff, 'preferredLifetime')).toBe('forever');
    expect(formatFieldValue(3600, 'preferredLifetime')).toBe('3600');
    expect(formatFieldValue(0xffffffff, 'nlMtu')).toBe('4294967295');
  });
});
