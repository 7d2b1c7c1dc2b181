import { describeAddressRow } from '../../../src/cli/describe-address-row';
import { mockAddressRow } from '../../../adapters/mock';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';

describe('describeAddressRow', () => {
  it('describes an address as ip monitor address does: address/prefix dev name (family), DAD state, lifetimes', () => {
    expect(describeAddressRow(mockAddressRow({ address: '10.9.0.1', interfaceIndex: 5, interfaceName: 'veth0' }))).toBe(
      '10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever',
    );
    expect(describeAddressRow(mockAddressRow({ family: 'inet6', address: '2001:db8::1', dadState: 'tentative', validLifetime: 86400, preferredLifetime: 14400 }))).toBe(
      '2001:db8::1/64 dev eth2 (inet6) tentative valid_lft 86400 preferred_lft 14400',
    );
  });

  it('leaves out what the adapter does not supply (the polling adapter: no state, no lifetimes; no name: if<index>)', () => {
    const polled: UnicastIpAddressRow = { family: 'inet', address: '192.0.2.2', interfaceLuid: 1n, interfaceIndex: 4, interfaceName: 'eth0', onLinkPrefixLength: 24, scopeId: 0 };
    expect(describeAddressRow(polled)).toBe('192.0.2.2/24 dev eth0 (inet)');
    expect(describeAddressRow({ family: 'inet6', address: 'fe80::1', interfaceLuid: 1n, interfaceIndex: 7 })).toBe('fe80::1 dev if7 (inet6)');
  });
});
