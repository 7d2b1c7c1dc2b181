import { linuxAdapter } from '../../../adapters/linux';
import { loadLibc } from '../../../adapters/linux/libc';
import { sockaddrNl } from '../../../adapters/linux/netlink-requests';
import { RouteSocket } from '../../../adapters/linux/route-socket';
import { IFLA_IFNAME, IFLA_MTU, RTM_NEWLINK } from '../../../adapters/linux/netlink-constants';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';
import { callsFor, recorder } from './linux-test-helpers';

/** An RTM_NEWLINK as the kernel would send it, but built in user space. */
function forgedNewLink(ifindex: number, name: string, mtu: number): Buffer {
  const nameBytes = Buffer.from(`${name}\0`);
  const nameAttr = 4 + nameBytes.length;
  const nameAligned = (nameAttr + 3) & ~3;
  const len = 16 + 16 + nameAligned + 8;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(len, 0);
  b.writeUInt16LE(RTM_NEWLINK, 4);
  b.writeUInt8(0, 16); // AF_UNSPEC
  b.writeUInt16LE(1, 18); // ARPHRD_ETHER
  b.writeInt32LE(ifindex, 20);
  b.writeUInt32LE(0x1043, 24); // UP|BROADCAST|RUNNING|MULTICAST
  b.writeUInt16LE(nameAttr, 32);
  b.writeUInt16LE(IFLA_IFNAME, 34);
  nameBytes.copy(b, 36);
  const mtuAt = 32 + nameAligned;
  b.writeUInt16LE(8, mtuAt);
  b.writeUInt16LE(IFLA_MTU, mtuAt + 2);
  b.writeUInt32LE(mtu, mtuAt + 4);
  return b;
}

describeWithNetns('linux adapter: messages not sent by the kernel', () => {
  let ns: TestNetns;

  beforeAll(() => {
    TestNetns.cleanupStale('lxforged');
    ns = TestNetns.create('lxforged');
    ns.addVeth('fg0');
  });
  afterAll(() => ns?.delete());

  it('drops and counts a forged RTM_NEWLINK unicast to our port id, and keeps working', async () => {
    const adapter = linuxAdapter({ netns: ns.path });
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('unspec', r.callback, false);
    const index = ns.ifindex('fg0');
    const portId = adapter.stats().portId;
    expect(portId).toBeGreaterThan(0);

    const libc = await loadLibc();
    const [socket] = await RouteSocket.open(libc, 1, ns.path);
    try {
      socket!.bind(0);
      const forged = forgedNewLink(index, 'forged', 9000);
      for (let i = 0; i < 3; i++) {
        expect(libc.sendto(socket!.fd, forged, forged.length, 0, sockaddrNl(portId), 12)).toBe(forged.length);
      }
    } finally {
      socket!.close();
    }
    await waitFor(() => adapter.stats().droppedForeign >= 3, 'the forged messages to be counted');
    await sleep(200);
    expect(r.calls.filter((c) => c.row?.interfaceName === 'forged' || c.row?.nlMtu === 9000)).toEqual([]);

    // The socket still delivers the kernel's own messages.
    ns.ip('link', 'set', 'fg0', 'mtu', '1450');
    await waitFor(() => callsFor(r.calls, index).some((c) => c.row?.nlMtu === 1450), 'a real change after the forgery');
    expect(adapter.stats().droppedForeign).toBe(3);
    await adapter.cancelMibChangeNotify2(handle);
  });

  it('a forged datagram larger than the 64 KiB receive buffer is dropped as foreign: no overrun, no re-read, and the forged ones after it are counted too', async () => {
    const adapter = linuxAdapter({ netns: ns.path });
    const r = recorder();
    const handle = await adapter.notifyIpInterfaceChange('unspec', r.callback, false);
    const before = adapter.stats();
    const portId = before.portId!;
    const libc = await loadLibc();
    const [socket] = await RouteSocket.open(libc, 1, ns.path);
    try {
      socket!.bind(0);
      socket!.setReceiveBuffer(1 << 20);
      const big = Buffer.alloc(70 * 1024);
      forgedNewLink(ns.ifindex('fg0'), 'big', 9000).copy(big);
      big.writeUInt32LE(big.length, 0);
      // All sent before the reader's next wake-up: one wake-up sees the big one first, then the rest.
      expect(libc.sendto(socket!.fd, big, big.length, 0, sockaddrNl(portId), 12)).toBe(big.length);
      const small = forgedNewLink(ns.ifindex('fg0'), 'forged', 9000);
      for (let i = 0; i < 3; i++) expect(libc.sendto(socket!.fd, small, small.length, 0, sockaddrNl(portId), 12)).toBe(small.length);
    } finally {
      socket!.close();
    }
    await waitFor(() => adapter.stats().droppedForeign - before.droppedForeign >= 4, 'the four forged datagrams to be counted', 5000,
      () => JSON.stringify(adapter.stats()));
    await sleep(200);
    const after = adapter.stats();
    expect(after.droppedForeign - before.droppedForeign).toBe(4);
    expect(after.overruns).toBe(before.overruns);
    expect(after.resyncs).toBe(before.resyncs);
    expect(after.dumps).toBe(before.dumps);
    expect(r.calls).toEqual([]);
    await adapter.cancelMibChangeNotify2(handle);
  });
});
