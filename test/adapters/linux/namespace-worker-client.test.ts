import { readdirSync } from 'node:fs';
import { loadLibc } from '../../../adapters/linux/libc';
import { socketsInNamespace } from '../../../adapters/linux/namespace-worker-client';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { waitFor } from '../../helpers/wait-for';

const openFds = (): number => readdirSync('/proc/self/fd').length;

describeWithNetns('namespace worker client', () => {
  let ns: TestNetns;
  beforeAll(() => {
    TestNetns.cleanupStale('lxworker');
    ns = TestNetns.create('lxworker');
  });
  afterAll(() => ns?.delete());

  it('makes sockets inside the namespace and names the namespace by device and inode', async () => {
    const libc = await loadLibc();
    const { fds, identity } = await socketsInNamespace(libc, 2, ns.path);
    expect(fds).toHaveLength(2);
    expect(identity).toMatch(/^\d+:\d+$/);
    for (const fd of fds) libc.close(fd);
  });

  it('a request the worker does not answer in time is OS_ERROR ETIMEDOUT; its late sockets are closed and the next request gets a fresh worker', async () => {
    const libc = await loadLibc();
    const before = openFds();
    const close = jest.spyOn(libc, 'close');
    let error: unknown;
    try {
      // 300 sockets take the worker a few ms: far longer than a 0 ms time-out.
      await socketsInNamespace(libc, 300, ns.path, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 110, adapter: 'linux' });
    // The worker did make the 300 sockets; the late reply's fds are closed here, nobody else has them.
    await waitFor(() => close.mock.calls.length >= 300, 'the late reply\'s sockets to be closed', 5000, () => `${close.mock.calls.length} closed`);
    close.mockRestore();
    expect(openFds()).toBeLessThanOrEqual(before);
    const { fds } = await socketsInNamespace(libc, 1, ns.path);
    expect(fds).toHaveLength(1);
    libc.close(fds[0]!);
  });
});
