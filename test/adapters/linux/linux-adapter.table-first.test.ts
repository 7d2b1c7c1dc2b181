import { firstValueFrom } from 'rxjs';
import { ipInterfaceTable$ } from '../../../src/ip-interface-table';
import { linuxAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { waitFor } from '../../helpers/wait-for';

/**
 * ipInterfaceTable$'s first emission on Linux starts from the reader's own table (contract rule 9),
 * read inside the registration's 'initial' marker: one snapshot of dumps, not a second full dump.
 * At 5000 devices that second dump was half of the first emission (180 of 360 ms).
 */
describeWithNetns('linux adapter: ipInterfaceTable$ first emission (real kernel, test namespace)', () => {
  let ns: TestNetns;

  beforeAll(() => {
    TestNetns.cleanupStale('lxfirst');
    ns = TestNetns.create('lxfirst');
    ns.addVeth('fv0', 'fv0p');
  });

  afterAll(() => ns?.delete());

  it('costs exactly the dumps of opening the reader, and equals a fresh getIpInterfaceTable', async () => {
    // What opening a reader costs: one registration without a marker.
    const probe = linuxAdapter({ netns: ns.path });
    const handle = await probe.notifyIpInterfaceChange('unspec', () => undefined, false);
    const openDumps = probe.stats().dumps;
    await probe.cancelMibChangeNotify2(handle);
    expect(openDumps).toBeGreaterThan(0);

    const adapter = linuxAdapter({ netns: ns.path });
    const table = await firstValueFrom(ipInterfaceTable$('unspec', { adapter }));
    // firstValueFrom unsubscribed: once the cancel ran the reader is closed and stats() keeps its counters.
    await waitFor(() => !adapter.stats().open, 'the reader closed');
    expect(adapter.stats().dumps).toBe(openDumps);
    const fresh = await adapter.getIpInterfaceTable('unspec');
    expect([...table.values()].map((r) => `${r.family} ${r.interfaceIndex} ${r.interfaceName}`).sort()).toEqual(
      fresh.map((r) => `${r.family} ${r.interfaceIndex} ${r.interfaceName}`).sort(),
    );
    expect(table.size).toBe(6); // lo, fv0, fv0p: inet and inet6 each
  });
});
