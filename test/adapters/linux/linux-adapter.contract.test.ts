import type { IpInterfaceAdapter } from '../../../src/adapter';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeContract } from '../../contract/describe-contract';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

describeWithNetns('linux adapter in a test namespace', () => {
  let ns: TestNetns | undefined;
  let mtu = 1500;
  let addressed = false;

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
    // An IPv4 and an IPv6 address (nodad: no tentative phase) added, then removed at the next trigger.
    addresses: {
      triggerChange: async () => {
        addressed = !addressed;
        const verb = addressed ? 'add' : 'del';
        ns!.ip('addr', verb, '10.77.0.1/24', 'dev', 'ct0');
        ns!.ip('addr', verb, '2001:db8:77::1/64', 'dev', 'ct0', ...(addressed ? ['nodad'] : []));
      },
    },
  });
});
