import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import koffi from 'koffi';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

const openFds = (): number => readdirSync('/proc/self/fd').length;
const threads = (): number => readdirSync('/proc/self/task').length;
const threadIds = (): string[] => readdirSync('/proc/self/task');
const callbacks = (): number => koffi.stats().callbacks;
/** A full GC, so RSS shows what is retained rather than garbage not yet collected. */
function collect(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

async function cycle(adapter: LinuxIpInterfaceAdapter, i: number, whileOpen?: () => void): Promise<void> {
  const family = (['unspec', 'inet', 'inet6'] as const)[i % 3]!;
  const handle = await adapter.notifyIpInterfaceChange(family, () => undefined, i % 2 === 0);
  whileOpen?.();
  await adapter.cancelMibChangeNotify2(handle);
}

describeWithNetns('linux adapter: subscribe/unsubscribe cycles leak nothing', () => {
  it('1000 cycles in this process\'s namespace (read only): fds, koffi callbacks, threads and RSS return', async () => {
    // This reads the machine's own namespace (it changes nothing there): each cycle opens and
    // closes the shared reader, which is the path under test, without the namespace worker.
    const adapter = linuxAdapter();
    // Warm-up: koffi and the shared buffers loaded, the heap grown to its working size.
    for (let i = 0; i < 300; i++) {
      await cycle(adapter, i);
      if (i % 100 === 99) collect();
    }
    const fds = openFds();
    const tasks = threads();
    const cbs = callbacks();
    collect();
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      await cycle(adapter, i);
      // Without collections V8 sizes its heap up under this allocation rate (heapTotal +40 MB,
      // plain garbage): collecting now and then makes RSS show what is retained.
      if (i % 100 === 99) collect();
    }
    expect(adapter.stats().open).toBe(false);
    collect();
    const growth = process.memoryUsage().rss - rss;
    // eslint-disable-next-line no-console
    const m = process.memoryUsage();
    // eslint-disable-next-line no-console
    console.log(`heapUsed ${(m.heapUsed / 1048576).toFixed(1)} heapTotal ${(m.heapTotal / 1048576).toFixed(1)} external ${(m.external / 1048576).toFixed(1)}`);
    // eslint-disable-next-line no-console
    console.log(`1000 cycles: fds ${fds} -> ${openFds()}, threads ${tasks} -> ${threads()}, koffi callbacks ${cbs} -> ${callbacks()}, RSS ${growth >= 0 ? '+' : ''}${(growth / 1048576).toFixed(1)} MiB`);
    expect(openFds()).toBe(fds);
    expect(callbacks()).toBe(cbs);
    expect(threads()).toBeLessThanOrEqual(tasks);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
  }, 120000);

  it('200 cycles in a test namespace: one namespace worker serves them all; threads, fds and RSS stay flat', async () => {
    TestNetns.cleanupStale('lxleak');
    const ns = TestNetns.create('lxleak');
    try {
      const adapter = linuxAdapter({ netns: ns.path });
      // Warm-up: the first cycle starts the process's namespace worker (a thread and its event-loop
      // fds that live as long as the process); later cycles must add nothing.
      for (let i = 0; i < 20; i++) await cycle(adapter, i);
      collect();
      const fds = openFds();
      const cbs = callbacks();
      const tasks = threads();
      const rss = process.memoryUsage().rss;
      const known = new Set(threadIds());
      const newThreads = new Set<string>();
      let maxThreads = tasks;
      for (let i = 0; i < 200; i++) {
        await cycle(adapter, i, () => {
          for (const tid of threadIds()) if (!known.has(tid)) newThreads.add(tid);
        });
        maxThreads = Math.max(maxThreads, threads());
        if (i % 100 === 99) collect();
      }
      collect();
      const growth = process.memoryUsage().rss - rss;
      // eslint-disable-next-line no-console
      console.log(`200 netns cycles: fds ${fds} -> ${openFds()}, threads ${tasks} -> ${threads()} (max ${maxThreads}, ${newThreads.size} started), RSS ${growth >= 0 ? '+' : ''}${(growth / 1048576).toFixed(1)} MiB`);
      // A Worker per cycle showed as a new thread at each open and cost about 45 KB of RSS each.
      expect(newThreads.size).toBe(0);
      expect(maxThreads).toBeLessThanOrEqual(tasks);
      expect(threads()).toBeLessThanOrEqual(tasks);
      expect(openFds()).toBe(fds);
      expect(callbacks()).toBe(cbs);
      expect(growth).toBeLessThan(10 * 1024 * 1024);
      expect(adapter.stats().open).toBe(false);
    } finally {
      ns.delete();
    }
  }, 60000);
});
