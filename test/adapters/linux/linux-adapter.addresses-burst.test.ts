/**
 * 2000-address bursts with a forced tiny receive buffer (issue 13): the kernel overruns the event
 * socket (ENOBUFS), the reader re-dumps and emits the difference, and the subscriber's table
 * (unicastIpAddressTable$) ends equal to `ip -n NS -j addr`, every run.
 */
import type { Subscription } from 'rxjs';
import { linuxAdapter, type LinuxIpInterfaceAdapter } from '../../../adapters/linux';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { unicastIpAddressTable$ } from '../../../src/unicast-ip-address-table';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep } from '../../helpers/wait-for';
import { kernelAddresses } from './linux-test-helpers';

const ADDRESSES = 2000;
const RUNS = 3;
const line = (r: UnicastIpAddressRow): string => `${r.family} ${r.interfaceIndex} ${r.interfaceName} ${r.address}/${r.onLinkPrefixLength}`;

describeWithNetns('linux adapter: 2000-address bursts with lost messages heal to the kernel table', () => {
  let ns: TestNetns;
  let adapter: LinuxIpInterfaceAdapter;
  let sub: Subscription;
  let latest: ReadonlyMap<string, UnicastIpAddressRow> | undefined;
  let failure: unknown;

  beforeAll(async () => {
    TestNetns.cleanupStale('lxaddrburst');
    ns = TestNetns.create('lxaddrburst');
    ns.addVeth('ba', 'bb');
    ns.ip('link', 'set', 'ba', 'up');
    ns.ip('link', 'set', 'bb', 'up');
    // The kernel doubles it: a few messages fit, so a burst overruns it and the resync path runs.
    adapter = linuxAdapter({ netns: ns.path, receiveBufferBytes: 4096 });
    sub = unicastIpAddressTable$('unspec', { adapter }).subscribe({ next: (t) => (latest = t), error: (e: unknown) => (failure = e) });
    for (let i = 0; i < 200 && latest === undefined; i++) await sleep(10);
  });

  afterAll(() => {
    sub?.unsubscribe();
    ns?.delete();
  });

  /** Waits until the subscriber's table matches `ip -j addr` (at most 20 s), then compares them. */
  async function settle(): Promise<void> {
    const expected = kernelAddresses(ns);
    const deadline = Date.now() + 20000;
    const current = (): string[] => [...(latest?.values() ?? [])].map(line).sort();
    while (JSON.stringify(current()) !== JSON.stringify(expected) && Date.now() < deadline) await sleep(50);
    expect(failure).toBeUndefined();
    expect(current()).toEqual(expected);
  }

  it(`${RUNS} runs: ${ADDRESSES} addresses added then deleted while the JS thread is blocked, the table equals the kernel's after each`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const before = adapter.stats();
      const adds: string[] = [];
      for (let i = 0; i < ADDRESSES / 2; i++) {
        adds.push(`addr add 10.${100 + run}.${i >> 7}.${(i & 0x7f) + 1}/32 dev ba`);
        adds.push(`addr add 2001:db8:${run}:${i.toString(16)}::1/64 dev ${i % 2 ? 'ba' : 'bb'} nodad`);
      }
      // execFileSync blocks the JS thread for the whole burst: nothing is read while the kernel sends.
      ns.ipBatch(adds);
      await settle();
      expect(latest!.size).toBeGreaterThanOrEqual(ADDRESSES);
      const mid = adapter.stats();
      expect(mid.overruns).toBeGreaterThan(before.overruns);
      expect(mid.resyncs).toBeGreaterThan(before.resyncs);
      ns.ipBatch(adds.map((a) => a.replace('addr add', 'addr del').replace(' nodad', '')));
      await settle();
      expect(adapter.stats().errors).toBe(0);
    }
  }, 60000);
});
