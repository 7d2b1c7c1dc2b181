import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { createMockAdapter, mockAddressRow, mockRouteRow, mockRow, type MockIpInterfaceAdapter } from '../../../adapters/mock';
import { describeContract } from '../../contract/describe-contract';

let mtu = 1500;
let present = false;
const v4 = mockAddressRow({ interfaceIndex: 2, address: '10.9.0.1' });
const v6 = mockAddressRow({ interfaceIndex: 2, family: AF_INET6, address: '2001:db8::1' });
let routed = false;
let defaultPresent = false;
const r4 = mockRouteRow({ interfaceIndex: 2, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const r6 = mockRouteRow({ interfaceIndex: 2, family: AF_INET6, destinationPrefix: { prefix: '2001:db8:77::', prefixLength: 48 }, nextHop: 'fe80::2' });
const gw = mockRouteRow({ interfaceIndex: 2, nextHop: '10.9.0.254' });
describeContract({
  name: 'mock',
  createAdapter: () =>
    createMockAdapter({
      table: [mockRow({ interfaceIndex: 1 }), mockRow({ interfaceIndex: 1, family: AF_INET6 }), mockRow({ interfaceIndex: 2 })],
      routeTable: [mockRouteRow({ interfaceIndex: 1, destinationPrefix: { prefix: '127.0.0.0', prefixLength: 8 }, nextHop: '0.0.0.0', protocol: 'local' })],
      addressTable: [mockAddressRow({ interfaceIndex: 1, address: '127.0.0.1', onLinkPrefixLength: 8 }), mockAddressRow({ interfaceIndex: 1, family: AF_INET6, address: '::1', onLinkPrefixLength: 128 })],
    }),
  triggerChange: async (adapter: IpInterfaceAdapter) => {
    const mock = adapter as MockIpInterfaceAdapter;
    mtu = mtu === 1500 ? 1400 : 1500;
    mock.emit({ kind: 'changed', row: mockRow({ interfaceIndex: 2, family: AF_INET, nlMtu: mtu }) });
    mock.emit({ kind: 'changed', row: mockRow({ interfaceIndex: 2, family: AF_INET6, nlMtu: mtu }) });
  },
  addresses: {
    triggerChange: async (adapter: IpInterfaceAdapter) => {
      const mock = adapter as MockIpInterfaceAdapter;
      present = !present;
      mock.emitAddress({ kind: present ? 'added' : 'removed', row: v4 });
      mock.emitAddress({ kind: present ? 'added' : 'removed', row: v6 });
    },
  },
  routes: {
    triggerChange: async (adapter: IpInterfaceAdapter) => {
      const mock = adapter as MockIpInterfaceAdapter;
      routed = !routed;
      mock.emitRoute({ kind: routed ? 'added' : 'removed', row: r4 });
      mock.emitRoute({ kind: routed ? 'added' : 'removed', row: r6 });
    },
    toggleDefaultRoute: async (adapter: IpInterfaceAdapter) => {
      defaultPresent = !defaultPresent;
      (adapter as MockIpInterfaceAdapter).emitRoute({ kind: defaultPresent ? 'added' : 'removed', row: gw });
    },
  },
  liveRegistrations: (adapter) => (adapter as MockIpInterfaceAdapter).active,
  endRegistrations: (adapter) => (adapter as MockIpInterfaceAdapter).endRegistrations(),
  quietMs: 30,
});
