import { ifTypeOfArphrd } from '../../../adapters/shared/if-type';
import { netLuid } from '../../../adapters/shared/net-luid';

describe('netLuid', () => {
  it('lays out IfType << 48 | NetLuidIndex << 24 | Reserved, each field masked', () => {
    expect(netLuid(6, 2)).toBe((6n << 48n) | (2n << 24n));
    expect(netLuid(24, 1, 1)).toBe((24n << 48n) | (1n << 24n) | 1n);
    expect(netLuid(0x1ffff, 0x1234567, 0x1abcdef)).toBe((0xffffn << 48n) | (0x234567n << 24n) | 0xabcdefn);
    expect(netLuid(0xffff, 0xffffff, 0xffffff)).toBe((1n << 64n) - 1n);
  });

  it('agrees with the BigInt-only formula on many values', () => {
    for (let i = 0; i < 2000; i++) {
      const t = (i * 7919) & 0xffff;
      const x = (i * 104729) & 0xffffff;
      const r = i % 3 === 0 ? 0 : (i * 31) & 0xffffff;
      expect(netLuid(t, x, r)).toBe((BigInt(t) << 48n) | (BigInt(x) << 24n) | BigInt(r));
    }
  });
});

describe('ifTypeOfArphrd', () => {
  it('maps Ethernet, loopback and unknown types', () => {
    expect(ifTypeOfArphrd(1)).toBe(6);
    expect(ifTypeOfArphrd(772)).toBe(24);
    expect(ifTypeOfArphrd(65534)).toBe(53);
    expect(ifTypeOfArphrd(12345)).toBe(1);
  });
});
