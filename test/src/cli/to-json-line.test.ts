import { toJsonLine } from '../../../src/cli/to-json-line';
import { bigintToString } from '../../../src/cli/bigint-to-string';
import { offloadFlagsFromByte, type IpInterfaceRow } from '../../../src/ip-interface-row';

const row: IpInterfaceRow = {
  family: 'inet6', interfaceLuid: (6n << 48n) | (3n << 24n), interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500,
  interfaceIdentifier: 0x0200_5eff_fe00_5301n, connected: undefined, receiveOffload: offloadFlagsFromByte(1),
};
const time = new Date(Date.UTC(2026, 10, 25, 14, 3, 12, 345));

describe('toJsonLine', () => {
  it('is the change itself with a leading ISO time and bigints as decimal strings; undefined fields are absent', () => {
    const line = toJsonLine({ kind: 'changed', row }, time);
    expect(line).not.toContain('\n');
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['time', 'kind', 'row']);
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-25T14:03:12.345Z',
      kind: 'changed',
      row: {
        family: 'inet6', interfaceLuid: String((6n << 48n) | (3n << 24n)), interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500,
        interfaceIdentifier: String(0x0200_5eff_fe00_5301n), receiveOffload: { ...offloadFlagsFromByte(1) },
      },
    });
  });

  it('writes an address change the same way: creationTimeStamp and interfaceLuid as decimal strings, undefined fields absent', () => {
    const address = { family: 'inet6' as const, address: '2001:db8::1', interfaceLuid: 7n, interfaceIndex: 3, onLinkPrefixLength: 64, dadState: undefined, creationTimeStamp: 134_093_912_345_678_901n };
    expect(toJsonLine({ kind: 'added', row: address }, time)).toBe(
      '{"time":"2026-11-25T14:03:12.345Z","kind":"added","row":{"family":"inet6","address":"2001:db8::1","interfaceLuid":"7","interfaceIndex":3,"onLinkPrefixLength":64,"creationTimeStamp":"134093912345678901"}}',
    );
  });

  it('writes the initial marker with its family', () => {
    expect(toJsonLine({ kind: 'initial', family: 'inet' }, time)).toBe('{"time":"2026-11-25T14:03:12.345Z","kind":"initial","family":"inet"}');
  });
});

describe('bigintToString', () => {
  it('turns bigints into decimal strings and leaves everything else alone', () => {
    expect(JSON.stringify({ a: 2n ** 64n - 1n, b: 1, c: 'x', d: [1n] }, bigintToString)).toBe('{"a":"18446744073709551615","b":1,"c":"x","d":["1"]}');
  });
});
