import { unicastAddressKey } from '../../src/unicast-address-key';

describe('unicastAddressKey', () => {
  it('family + LUID + address: the same address on two interfaces, or in two families of text, gives different keys', () => {
    expect(unicastAddressKey({ family: 'inet6', interfaceLuid: 1689399632855040n, address: 'fe80::1' })).toBe('inet6:1689399632855040:fe80::1');
    const a = unicastAddressKey({ family: 'inet', interfaceLuid: 1n, address: '10.0.0.1' });
    expect(unicastAddressKey({ family: 'inet', interfaceLuid: 2n, address: '10.0.0.1' })).not.toBe(a);
    expect(unicastAddressKey({ family: 'inet6', interfaceLuid: 1n, address: '::ffff:10.0.0.1' })).not.toBe(a);
  });

  it('ignores every other field (lifetimes, DAD state, origins change without changing the key)', () => {
    const row = { family: 'inet6' as const, interfaceLuid: 5n, interfaceIndex: 5, address: '2001:db8::1' };
    expect(unicastAddressKey({ ...row, dadState: 'tentative', validLifetime: 10 } as typeof row)).toBe(unicastAddressKey(row));
  });
});
