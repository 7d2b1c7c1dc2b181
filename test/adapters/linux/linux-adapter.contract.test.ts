import type { IpInterfaceAdapter } from '../../../src/adapter';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeContract } from '../../contract/describe-contract';
import { contractCases } from '../../contract/contract-suite';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

describeWithNetns('linux adapter in a test namespace', () => {
  let ns: TestNetns | undefined;
  let mtu = 1500;
  let addressed = false;
  let routed = false;
  let defaulted = false;

  beforeAll(() => {
    TestNetns.cleanupStale('lxcontract');
    ns = TestNetns.create('lxcontract');
    ns.addVeth('ct0');
    ns.ip('link', 'set', 'ct0', 'up');
    // Gateways for the route half (the veth's peer is up too, so the routes are live).
    ns.ip('link', 'set', 'ct0p', 'up');
    ns.ip('addr', 'add', '10.66.0.1/24', 'dev', 'ct0');
    ns.ip('addr', 'add', '2001:db8:66::1/64', 'dev', 'ct0', 'nodad');
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
    // A gateway route per family added, then removed at the next trigger; the IPv4 default likewise.
    routes: {
      triggerChange: async () => {
        routed = !routed;
        const verb = routed ? 'add' : 'del';
        ns!.ip('route', verb, '10.78.0.0/16', 'via', '10.66.0.2');
        ns!.ip('-6', 'route', verb, '2001:db8:78::/64', 'via', '2001:db8:66::2');
      },
      toggleDefaultRoute: async () => {
        defaulted = !defaulted;
        ns!.ip('route', defaulted ? 'add' : 'del', 'default', 'via', '10.66.0.2');
      },
    },
  });
});

// Rule 10 over the real kernel: each adapter watches a namespace of its own, and losing its
// registrations is deleting that namespace (only the rule 10 cases: the rest run above).
describeWithNetns('linux adapter: contract rule 10 (ip netns del)', () => {
  const namespaces = new Map<IpInterfaceAdapter, { ns: TestNetns; mtu: number }>();
  beforeAll(() => TestNetns.cleanupStale('lxend'));
  afterAll(() => {
    for (const { ns } of namespaces.values()) ns.delete();
  });
  const cases = contractCases({
    name: 'linux',
    createAdapter: () => {
      const ns = TestNetns.create('lxend');
      ns.addVeth('ce0');
      ns.ip('link', 'set', 'ce0', 'up');
      const adapter = linuxAdapter({ netns: ns.name });
      namespaces.set(adapter, { ns, mtu: 1500 });
      return adapter;
    },
    triggerChange: async (adapter: IpInterfaceAdapter) => {
      const entry = namespaces.get(adapter)!;
      entry.mtu = entry.mtu === 1500 ? 1400 : 1500;
      entry.ns.ip('link', 'set', 'ce0', 'mtu', String(entry.mtu));
    },
    liveRegistrations: (adapter) => (adapter as LinuxIpInterfaceAdapter).liveRegistrations,
    optionalRules: { currentIpInterfaceTable: true },
    endRegistrations: (adapter) => namespaces.get(adapter)!.ns.delete(),
    dispose: (adapter) => {
      namespaces.get(adapter)?.ns.delete();
      namespaces.delete(adapter);
    },
  }).filter((c) => c.name.startsWith('rule 10'));
  it('has the rule 10 cases', () => expect(cases).toHaveLength(2));
  for (const c of cases) it(c.name, () => c.run(), 30000);
});
