import { routeKey } from '../../src/route-key';

describe('routeKey', () => {
  const base = { family: 'inet' as const, table: 254, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, metric: 0, nextHop: '10.9.0.2', interfaceLuid: 7n };

  it('one key per (family, table, prefix, metric, next hop, LUID)', () => {
    expect(routeKey(base)).toBe('inet|254|10.77.0.0/16|0|10.9.0.2|7');
    const variants = [
      { ...base, family: 'inet6' as const },
      { ...base, table: 255 },
      { ...base, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 17 } },
      { ...base, destinationPrefix: { prefix: '10.78.0.0', prefixLength: 16 } },
      { ...base, metric: 5 },
      { ...base, nextHop: '10.9.0.4' },
      { ...base, interfaceLuid: 8n },
      { ...base, table: undefined },
    ];
    expect(new Set([routeKey(base), ...variants.map(routeKey)]).size).toBe(variants.length + 1);
  });

  it('Windows rows (no table) and IPv6 text keep the fields apart', () => {
    expect(routeKey({ ...base, family: 'inet6', table: undefined, destinationPrefix: { prefix: '::', prefixLength: 0 }, nextHop: 'fe80::1', metric: 256 })).toBe(
      'inet6||::/0|256|fe80::1|7',
    );
  });
});
