import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { createMockAdapter, mockRow, type MockIpInterfaceAdapter } from '../../../adapters/mock';
import { describeContract } from '../../contract/describe-contract';

let mtu = 1500;
describeContract({
  name: 'mock',
  createAdapter: () =>
    createMockAdapter({ table: [mockRow({ interfaceIndex: 1 }), mockRow({ interfaceIndex: 1, family: AF_INET6 }), mockRow({ interfaceIndex: 2 })] }),
  triggerChange: async (adapter: IpInterfaceAdapter) => {
    const mock = adapter as MockIpInterfaceAdapter;
    mtu = mtu === 1500 ? 1400 : 1500;
    mock.emit({ kind: 'changed', row: mockRow({ interfaceIndex: 2, family: AF_INET, nlMtu: mtu }) });
    mock.emit({ kind: 'changed', row: mockRow({ interfaceIndex: 2, family: AF_INET6, nlMtu: mtu }) });
  },
  liveRegistrations: (adapter) => (adapter as MockIpInterfaceAdapter).active,
  quietMs: 30,
});
