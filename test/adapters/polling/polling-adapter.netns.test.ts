import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { contractCases } from '../../contract/contract-suite';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { waitFor } from '../../helpers/wait-for';
import { preparePollingChild } from './child/prepare-child';
import { linuxAdapter } from '../../../adapters/linux';
import { interfaceKey } from '../../../src/interface-key';

/** Bytes and packets a device sent, from `ip -s -j link`. */
function txPackets(ns: TestNetns, dev: string): number {
  const [link] = JSON.parse(ns.ip('-s', '-j', 'link', 'show', dev)) as { stats64: { tx: { packets: number } } }[];
  return link!.stats64.tx.packets;
}

/**
 * A veth pair that can carry addresses without sending anything: Node lists only interfaces that are
 * up and running (so both ends go up), `arp off` keeps IPv6 from joining solicited-node groups (no
 * MLD reports), `multicast off` and the namespace defaults (no link-local address, no router
 * solicitation) do the rest. Checked: the tests assert 0 packets sent.
 */
function quietVeth(ns: TestNetns, dev: string): void {
  ns.addVeth(dev);
  for (const end of [dev, `${dev}p`]) ns.ip('link', 'set', end, 'arp', 'off', 'multicast', 'off');
  for (const end of [`${dev}p`, dev]) ns.ip('link', 'set', end, 'up');
}

describeWithNetns('polling adapter in a network namespace (child process under ip netns exec)', () => {
  let ns: TestNetns;
  let child: { script: string; cleanup: () => void };

  beforeAll(() => {
    TestNetns.cleanupStale('poll');
    ns = TestNetns.create('poll');
    child = preparePollingChild();
  });
  afterAll(() => {
    ns?.delete();
    child?.cleanup();
  });

  describe('contract suite (runContract in the namespace)', () => {
    let lines: string[] = [];
    let exitCode: number | null = null;

    beforeAll(async () => {
      quietVeth(ns, 'pc0');
      const proc = spawn('ip', ['netns', 'exec', ns.name, process.execPath, child.script, 'contract', 'pc0']);
      let output = '';
      proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
      exitCode = await new Promise<number | null>((resolve) => proc.on('close', resolve));
      lines = output.split('\n');
    }, 120_000);

    // Case names come from the suite itself, so a case added there is required here too.
    // The child declares the address half (its trigger changes addresses), so the harness here does too.
    const names = contractCases({
      name: 'x',
      createAdapter: () => { throw new Error('unused'); },
      triggerChange: async () => undefined,
      addresses: { triggerChange: async () => undefined },
    }).map((c) => c.name);
    it.each(names)('%s', (name) => {
      const line = lines.find((l) => l.includes(`polling (netns): ${name}`));
      const index = line === undefined ? -1 : lines.indexOf(line);
      expect({ line, detail: lines.slice(index + 1, index + 4).join('\n') }).toEqual({ line: expect.stringMatching(/^ok {3}/), detail: expect.anything() });
    });

    it('the child reports every case passed and exits 0, having sent no packet', () => {
      expect(lines).toContain(`${names.length} passed, 0 failed`);
      expect(exitCode).toBe(0);
      expect(txPackets(ns, 'pc0')).toBe(0);
    });
  });

  describe('a veth pair given an address appears, and disappears when deleted', () => {
    let proc: ChildProcessWithoutNullStreams;
    const changes: { kind: string; family?: string; row?: { family: string; interfaceName: string; interfaceIndex: number; interfaceLuid: string } }[] = [];
    let exitTimers: number | undefined;

    const wait = (predicate: () => boolean, what: string): Promise<void> => waitFor(predicate, what, 5000, () => `seen ${JSON.stringify(changes)}`);

    afterAll(() => proc?.kill('SIGKILL'));

    it('reports added rows for both families with the kernel index, then removed rows, and leaves no timer', async () => {
      proc = spawn('ip', ['netns', 'exec', ns.name, process.execPath, child.script, 'watch']);
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line) as { exitTimers?: number };
        if (parsed.exitTimers !== undefined) exitTimers = parsed.exitTimers;
        else changes.push(parsed as (typeof changes)[number]);
      });
      await wait(() => changes.length > 0, 'the initial marker');
      expect(changes[0]).toEqual({ kind: 'initial', family: 'unspec' });

      quietVeth(ns, 'pa0');
      ns.ip('addr', 'add', '10.214.0.1/24', 'dev', 'pa0');
      ns.ip('addr', 'add', 'fd00:214::1/64', 'dev', 'pa0', 'nodad');
      const index = ns.ifindex('pa0');
      const added = () => changes.filter((c) => c.kind === 'added' && c.row?.interfaceName === 'pa0');
      await wait(() => added().length === 2, 'pa0 added for inet and inet6');
      expect(added().map((c) => c.row!.family).sort()).toEqual(['inet', 'inet6']);
      for (const c of added()) {
        expect(c.row!.interfaceIndex).toBe(index);
        // Ethernet (IfType 6), NetLuidIndex = ifindex: the linux adapter's LUID for the same device.
        expect(BigInt(c.row!.interfaceLuid)).toBe((6n << 48n) | (BigInt(index) << 24n));
        expect(Object.keys(c.row!).sort()).toEqual(['family', 'interfaceIndex', 'interfaceLuid', 'interfaceName']);
      }
      expect(txPackets(ns, 'pa0')).toBe(0);
      // The keys are the linux adapter's keys for the same device.
      const linuxRows = await linuxAdapter({ netns: ns.name }).getIpInterfaceTable('unspec');
      expect(added().map((c) => `${c.row!.family}:${c.row!.interfaceLuid}`).sort()).toEqual(
        linuxRows.filter((r) => r.interfaceName === 'pa0').map(interfaceKey).sort(),
      );

      ns.ip('link', 'delete', 'pa0');
      const removed = () => changes.filter((c) => c.kind === 'removed' && c.row?.interfaceName === 'pa0');
      await wait(() => removed().length === 2, 'pa0 removed for inet and inet6');
      expect(removed().map((c) => c.row!.family).sort()).toEqual(['inet', 'inet6']);
      // Nothing else happened in the namespace: only lo was there before.
      expect(changes.filter((c) => c.kind !== 'initial' && c.row?.interfaceName !== 'pa0')).toEqual([]);

      // The same name again is a new device: a new kernel index, hence a new identity.
      quietVeth(ns, 'pa0');
      ns.ip('addr', 'add', '10.214.0.1/24', 'dev', 'pa0');
      const again = ns.ifindex('pa0');
      expect(again).not.toBe(index);
      await wait(() => added().length === 3, 'pa0 added again');
      expect(added()[2]!.row).toMatchObject({ interfaceIndex: again, interfaceLuid: String((6n << 48n) | (BigInt(again) << 24n)) });

      proc.stdin.end();
      const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
      expect({ code, stderr, exitTimers }).toEqual({ code: 0, stderr: '', exitTimers: 0 });
    });
  });
});
