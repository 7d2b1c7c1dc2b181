import { dumpInterfaceSnapshot, type TableSnapshot } from '../../../adapters/linux/interface-table-snapshot';
import { InterfaceTable } from '../../../adapters/linux/interface-table';
import { loadLibc } from '../../../adapters/linux/libc';
import { LINUX_AF_INET, LINUX_AF_INET6, RTM_GETNETCONF } from '../../../adapters/linux/netlink-constants';
import type { NetconfMessage } from '../../../adapters/linux/netlink-parser';
import { NetlinkRequester, zeroDumpCounters } from '../../../adapters/linux/netlink-requester';
import { familyHeader } from '../../../adapters/linux/netlink-requests';
import { RouteSocket } from '../../../adapters/linux/route-socket';
import { DISCARD } from '../../../adapters/linux/table-change';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

/**
 * The snapshot takes no netconf dumps (issue 12: first emission at 5000 devices): which IP parts a
 * device has, and their forwarding, come from the link dump's IFLA_AF_SPEC blocks. On a real
 * namespace with devices of every kind of state that matters (forwarding on, IPv6 gone below 1280,
 * IPv6 disabled, up, renamed), the rows loaded that way equal, field for field and in the same
 * order, the rows loaded with both netconf dumps as before.
 */
describeWithNetns('interface table snapshot without netconf dumps (real kernel, test namespace)', () => {
  let ns: TestNetns;

  beforeAll(() => {
    TestNetns.cleanupStale('lxsnap');
    ns = TestNetns.create('lxsnap');
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`link add sv${i} type veth peer name sv${i}p`);
    lines.push('link set sv1 mtu 1000', 'link set sv2 up', 'link set sv2p up', 'link set sv3 name sv3renamed', 'link set sv4 mtu 1280');
    ns.ipBatch(lines);
    ns.sysctl('net.ipv4.conf.sv5.forwarding', 1);
    ns.sysctl('net.ipv6.conf.sv6.forwarding', 1);
    ns.sysctl('net.ipv6.conf.sv7.disable_ipv6', 1);
    ns.sysctl('net.ipv4.conf.all.forwarding', 1);
  });

  afterAll(() => ns?.delete());

  it('loads the same rows as with both netconf dumps, in the same order', async () => {
    const libc = await loadLibc();
    const [socket] = await RouteSocket.open(libc, 1, ns.path);
    try {
      socket!.bind(0);
      socket!.setReceiveTimeout(5000);
      const requester = new NetlinkRequester(socket!, zeroDumpCounters());
      const netconfDump = (family: number): NetconfMessage[] =>
        requester.dump(RTM_GETNETCONF, familyHeader(family, 4)).messages.filter((m): m is NetconfMessage => m.kind === 'netconf');
      // Nothing changes in the namespace meanwhile: the two snapshots see the same kernel state.
      const netconf = [...netconfDump(LINUX_AF_INET), ...netconfDump(LINUX_AF_INET6)];
      const fast = dumpInterfaceSnapshot(requester);
      expect(fast.netconf).toBeUndefined();
      const full: TableSnapshot = { ...dumpInterfaceSnapshot(requester), netconf };
      const rowsOf = (snapshot: TableSnapshot) => {
        const table = new InterfaceTable(DISCARD);
        table.loadSnapshot(snapshot, false);
        return table.currentRows();
      };
      const fastRows = rowsOf(fast);
      const fullRows = rowsOf(full);
      expect(fastRows).toEqual(fullRows);
      // lo + 80 veth devices, inet and inet6, less sv1's IPv6 (MTU 1000).
      expect(fastRows.length).toBe(2 * 81 - 1);
      const byName = (family: string, name: string) => fastRows.find((r) => r.family === family && r.interfaceName === name);
      expect(byName('inet6', 'sv1')).toBeUndefined();
      expect(byName('inet', 'sv5')?.forwardingEnabled).toBe(true);
      expect(byName('inet6', 'sv6')?.forwardingEnabled).toBe(true);
      expect(byName('inet', 'sv3renamed')).toBeDefined();
      expect(netconf.filter((m) => m.ifindex !== undefined && m.ifindex > 0).length).toBe(fullRows.length);
    } finally {
      socket!.close();
    }
  });
});
