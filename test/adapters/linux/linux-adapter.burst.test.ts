import type { NotificationHandle } from '../../../src/adapter';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep } from '../../helpers/wait-for';
import { applyCalls, recorder, stable } from './linux-test-helpers';

const PAIRS = 1000;

interface IpLink {
  ifindex: number;
  ifname: string;
  mtu: number;
}

/** What the kernel says, as the rows a subscriber should hold: inet for every device, inet6 where MTU >= 1280. */
function expectedFromIpLink(ns: TestNetns): string[] {
  const links = JSON.parse(ns.ip('-j', 'link')) as IpLink[];
  return links
    .flatMap((l) => [`inet ${l.ifindex} ${l.ifname} ${l.mtu}`, ...(l.mtu >= 1280 ? [`inet6 ${l.ifindex} ${l.ifname} ${l.mtu}`] : [])])
    .sort();
}

const summary = (rows: Iterable<IpInterfaceRow>): string[] =>
  [...rows].map((r) => `${r.family} ${r.interfaceIndex} ${r.interfaceName} ${r.nlMtu}`).sort();

function burstSuite(title: string, purpose: string, receiveBufferBytes: number | undefined, expectOverruns: boolean): void {
describeWithNetns(title, () => {
  let ns: TestNetns;
  let adapter: LinuxIpInterfaceAdapter;
  let handle: NotificationHandle | undefined;
  const sub = recorder();
  const table = new Map<string, IpInterfaceRow>();

  beforeAll(async () => {
    TestNetns.cleanupStale(purpose);
    ns = TestNetns.create(purpose);
    adapter = linuxAdapter({ netns: ns.path, receiveBufferBytes });
    handle = await adapter.notifyIpInterfaceChange('unspec', sub.callback, true);
    for (const row of await adapter.getIpInterfaceTable('unspec')) table.set(interfaceKey(row), row);
  });

  afterAll(async () => {
    if (handle) await adapter.cancelMibChangeNotify2(handle).catch(() => undefined);
    ns?.delete();
  });

  /** Waits until the subscriber's table matches the kernel, then checks it field by field against a fresh dump. */
  async function settle(): Promise<void> {
    const expected = expectedFromIpLink(ns);
    const deadline = Date.now() + 30000;
    for (;;) {
      applyCalls(table, sub.calls.splice(0));
      if (JSON.stringify(summary(table.values())) === JSON.stringify(expected)) break;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    expect(summary(table.values())).toEqual(expected);
    const fresh = await adapter.getIpInterfaceTable('unspec');
    const byKey = (rows: Iterable<IpInterfaceRow>): Record<string, unknown> =>
      Object.fromEntries([...rows].map((r) => [interfaceKey(r), stable(r)]));
    expect(byKey(table.values())).toEqual(byKey(fresh));
  }

  it(`${PAIRS} veth pairs created while the JS thread is blocked end equal to the kernel table`, async () => {
    const before = adapter.stats();
    const lines: string[] = [];
    for (let i = 0; i < PAIRS; i++) lines.push(`link add bu${i} group ${8 + (i % 2)} type veth peer name bu${i}p`);
    // execFileSync blocks the JS thread for the whole burst: nothing is read while the kernel sends.
    ns.ipBatch(lines);
    await settle();
    const after = adapter.stats();
    if (expectOverruns) {
      expect(after.overruns).toBeGreaterThan(before.overruns);
      expect(after.resyncs).toBeGreaterThan(before.resyncs);
    } else {
      // The default 8 MiB buffer holds the whole burst: every notification came from an event.
      expect(after.overruns).toBe(before.overruns);
      expect(after.messages).toBeGreaterThan(before.messages + 4 * PAIRS);
    }
    expect(after.errors).toBe(0);
  }, 60000);

  it('MTU changes and a mass deletion in one burst heal too', async () => {
    const before = adapter.stats();
    const lines: string[] = [];
    for (let i = 0; i < PAIRS; i += 10) lines.push(`link set bu${i} mtu ${i % 20 === 0 ? 1200 : 1400}`);
    lines.push('link del group 9');
    ns.ipBatch(lines);
    await settle();
    const after = adapter.stats();
    if (expectOverruns) expect(after.resyncs).toBeGreaterThan(before.resyncs);
    else expect(after.overruns).toBe(before.overruns);
  }, 60000);

  it('deleting everything else leaves only lo', async () => {
    ns.ipBatch(['link del group 8']);
    await settle();
    expect(summary(table.values()).every((line) => line.split(' ')[2] === 'lo')).toBe(true);
  }, 60000);
});
}

// A deliberately tiny receive buffer (the kernel doubles it; a few messages fit), so a burst overruns
// it and the ENOBUFS path (re-dump and diff) really runs.
burstSuite('linux adapter: bursts with lost messages (tiny receive buffer) heal to the kernel table', 'lxburst', 4096, true);
burstSuite('linux adapter: bursts without loss (default receive buffer) end equal to the kernel table', 'lxburstbig', undefined, false);
