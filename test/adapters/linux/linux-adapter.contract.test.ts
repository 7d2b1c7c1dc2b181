import type { IpInterfaceAdapter } from '../../../src/adapter';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeContract } from '../../contract/describe-contract';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

describeWithNetns('linux adapter in a test namespace', () => {
  let ns: TestNetns | undefined;
  let mtu = 1500;

  beforeAll(() => {
    TestNetns.cleanupStale('lxcontract');
    ns = TestNetns.create('lxcontract');
    ns.addVeth('ct0');
    ns.ip('link', 'set', 'ct0', 'up');
  });
  afterAll(() => ns?.delete());

  describeContract({
    name: 'linux',
    createAdapter: () => linuxAdapter({ netns: ns!.path }),
    // An MTU flip on a veth changes both its IPv4 and its IPv6 interface.
    triggerChange: async (_adapter: IpInterfaceAdapter) => {
      mtu = mtu === 1500 ? 1400 : 1500;
      ns!.ip('link', 'set', 'ct0', 'mtu', String(mtu));
    },
    liveRegistrations: (adapter) => (adapter as LinuxIpInterfaceAdapter).liveRegistrations,
    optionalRules: { currentIpInterfaceTable: true },
  });
});
