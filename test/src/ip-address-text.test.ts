import { isIP } from 'node:net';
import { ipAddressText } from '../../src/ip-address-text';

const v6 = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/:/g, ''), 'hex'));

describe('ipAddressText', () => {
  it('IPv4: dotted quad', () => {
    expect(ipAddressText(new Uint8Array([10, 0, 0, 1]))).toBe('10.0.0.1');
    expect(ipAddressText(new Uint8Array([0, 0, 0, 0]))).toBe('0.0.0.0');
    expect(ipAddressText(new Uint8Array([255, 255, 255, 255]))).toBe('255.255.255.255');
  });

  it('IPv6: RFC 5952 (lower case, no leading zeros, longest zero run, first of equal runs, no single-group ::)', () => {
    const cases: [string, string][] = [
      ['fe80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
      ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
      ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
      ['2001:0db8:0000:0000:0000:0000:0000:0000', '2001:db8::'],
      ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'],
      ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
      ['2001:0db8:0001:0001:0001:0001:0000:0001', '2001:db8:1:1:1:1:0:1'],
      ['2001:0DB8:ABCD:0012:0000:0000:0000:00FF', '2001:db8:abcd:12::ff'],
      ['0000:0000:0000:0000:0000:ffff:0a00:0001', '::ffff:10.0.0.1'],
      ['fe80:0000:0000:0000:74e5:68ff:fe5e:7b77', 'fe80::74e5:68ff:fe5e:7b77'],
    ];
    for (const [hex, text] of cases) expect({ hex, text: ipAddressText(v6(hex)) }).toEqual({ hex, text });
  });

  it('agrees with the text Node accepts as an address and round-trips random addresses through URL canonical form', () => {
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 16 }, () => (next() < 100 ? 0 : next()));
      const text = ipAddressText(bytes)!;
      expect(isIP(text)).toBe(6);
      // WHATWG URL serializes IPv6 hosts per RFC 5952 (except that it never uses the IPv4-mapped form).
      if (!text.includes('.')) expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
    }
  });

  it('offset/length windows and wrong sizes', () => {
    expect(ipAddressText(new Uint8Array([9, 10, 0, 0, 1, 9]), 1, 4)).toBe('10.0.0.1');
    expect(ipAddressText(new Uint8Array(5))).toBeUndefined();
    expect(ipAddressText(new Uint8Array(4), 2, 4)).toBeUndefined();
  });
});
