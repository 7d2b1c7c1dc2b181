import { ipAddressText } from '../../../src/ip-address-text';
import { RTA_DST, RTA_OIF } from '../../../adapters/linux/netlink-constants';
import { u32 } from '../../../adapters/linux/netlink-requests';
import { addressBytes, RTM_F_FIB_MATCH, rtmsg } from '../../../adapters/linux/route-requests';

describe('route requests: destination text and rtmsg bytes', () => {
  it.each([
    ['inet', '192.0.2.1', '192.0.2.1'],
    ['inet', '0.0.0.0', '0.0.0.0'],
    ['inet6', '2001:db8::1', '2001:db8::1'],
    ['inet6', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['inet6', '::', '::'],
    ['inet6', '::1', '::1'],
    ['inet6', 'fe80::', 'fe80::'],
    ['inet6', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['inet6', '::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['inet6', '64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ] as const)('%s %s -> bytes whose canonical text is %s', (family, text, canonical) => {
    const bytes = addressBytes(family, text);
    expect(bytes).toHaveLength(family === 'inet' ? 4 : 16);
    expect(ipAddressText(bytes!)).toBe(canonical);
  });

  it.each([
    ['inet', '2001:db8::1'],
    ['inet6', '192.0.2.1'],
    ['inet', '300.1.1.1'],
    ['inet', '1.2.3'],
    ['inet6', 'fe80::1%eth0'],
    ['inet6', '1::2::3'],
    ['inet', ''],
    ['inet', 42],
    ['inet6', undefined],
  ] as const)('%s %p is not an address of the family', (family, text) => {
    expect(addressBytes(family, text)).toBeUndefined();
  });

  it('rtmsg: family, dst_len, flags at their offsets; attributes aligned', () => {
    const body = rtmsg(2, 32, RTM_F_FIB_MATCH, [[RTA_DST, new Uint8Array([10, 0, 0, 1])], [RTA_OIF, u32(3)]]);
    const v = new DataView(body.buffer);
    expect(body.length).toBe(12 + 8 + 8);
    expect([body[0], body[1], v.getUint32(8, true)]).toEqual([2, 32, 0x2000]);
    expect([v.getUint16(12, true), v.getUint16(14, true), [...body.subarray(16, 20)]]).toEqual([8, RTA_DST, [10, 0, 0, 1]]);
    expect([v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true)]).toEqual([8, RTA_OIF, 3]);
  });
});
