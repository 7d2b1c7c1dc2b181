import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linuxAdapter } from '../../../adapters/linux';
import type { IpInterfaceChangeCallback } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { rejection } from '../../helpers/rejection';

const linuxOnly = process.platform === 'linux' ? describe : describe.skip;

linuxOnly('linux adapter errors', () => {
  it('a namespace that does not exist is OS_ERROR with errno ENOENT and the strerror text, and registers nothing', async () => {
    const adapter = linuxAdapter({ netns: '/run/netns/rxipi-does-not-exist' });
    const error = await rejection(adapter.notifyIpInterfaceChange('unspec', () => undefined, true));
    expect(error.code).toBe('OS_ERROR');
    expect(error.osCode).toBe(2);
    expect(error.message).toMatch(/No such file or directory/);
    expect(error.adapter).toBe('linux');
    expect(adapter.liveRegistrations).toBe(0);
    expect(adapter.stats().open).toBe(false);
    const tableError = await rejection(adapter.getIpInterfaceTable('inet'));
    expect(tableError.code).toBe('OS_ERROR');
  });

  it('rejects a bad family with INVALID_PARAMETER and a bad receive buffer size at creation', async () => {
    const adapter = linuxAdapter();
    expect((await rejection(adapter.getIpInterfaceTable(4 as unknown as 'inet'))).code).toBe('INVALID_PARAMETER');
    expect(() => linuxAdapter({ receiveBufferBytes: -1 })).toThrow(IpInterfaceError);
  });
});

linuxOnly('linux adapter argument checks (issue 12)', () => {
  it("netns: '' is INVALID_PARAMETER at creation (it used to watch this machine's own namespace silently)", () => {
    let error: unknown;
    try {
      linuxAdapter({ netns: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'linux', osCode: 22 });
    expect(() => linuxAdapter({ netns: 42 as unknown as string })).toThrow(IpInterfaceError);
  });

  it('a callback that is not a function is INVALID_PARAMETER before anything is opened', async () => {
    const adapter = linuxAdapter({ netns: '/run/netns/rxipi-never-opened' });
    for (const callback of [42, undefined, null, {}]) {
      const error = await rejection(adapter.notifyIpInterfaceChange('inet', callback as unknown as IpInterfaceChangeCallback, false));
      // Not OS_ERROR (ENOENT): the callback is checked before the namespace is touched.
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'linux', osCode: 22 });
      expect(error.message).toMatch(/callback must be a function/);
    }
    expect(adapter.liveRegistrations).toBe(0);
    expect(adapter.stats().open).toBe(false);
  });
});

describeWithNetns('linux adapter: netns naming something that is not a network namespace (issue 12)', () => {
  let dir: string;
  let server: Server | undefined;
  let ns: TestNetns;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxipi-notns-'));
    TestNetns.cleanupStale('lxnotns');
    ns = TestNetns.create('lxnotns');
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    ns?.delete();
  });

  const expectNotNetns = async (path: string): Promise<void> => {
    const adapter = linuxAdapter({ netns: path });
    const started = Date.now();
    const error = await rejection(adapter.notifyIpInterfaceChange('unspec', () => undefined, true));
    expect(Date.now() - started).toBeLessThan(2000); // at once, not a hang
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'linux' });
    expect(error.message).toContain('not a network namespace');
    expect(adapter.liveRegistrations).toBe(0);
    expect((await rejection(adapter.getIpInterfaceTable('unspec'))).code).toBe('INVALID_PARAMETER');
  };

  it('a FIFO gives INVALID_PARAMETER at once (a blocking open used to hang every namespace registration)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expectNotNetns(fifo);
  });

  it('a directory, a regular file and another namespace type give INVALID_PARAMETER', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    await expectNotNetns(sub);
    await expectNotNetns('/proc/self/ns/uts');
    await expectNotNetns('/etc/hostname');
  });

  it('a socket file is OS_ERROR (ENXIO: it cannot be opened) at once', async () => {
    const path = join(dir, 'sock');
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(path, resolve));
    const adapter = linuxAdapter({ netns: path });
    const error = await rejection(adapter.notifyIpInterfaceChange('unspec', () => undefined, true));
    expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 6 });
  });

  it('after those failures, other namespaces of the process keep working', async () => {
    const adapter = linuxAdapter({ netns: ns.path });
    const rows = await adapter.getIpInterfaceTable('inet');
    expect(rows.map((r) => r.interfaceName)).toContain('lo');
    const handle = await adapter.notifyIpInterfaceChange('unspec', () => undefined, true);
    await adapter.cancelMibChangeNotify2(handle);
  });
});

