import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { linuxAdapter } from '../../../adapters/linux';
import { loadLibc } from '../../../adapters/linux/libc';
import type { NetlinkReader } from '../../../adapters/linux/netlink-reader';
import { namespaceKey, peekReader } from '../../../adapters/linux/reader-registry';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describeWithNetns('linux adapter: namespace identity and reader lifetime (issue 12)', () => {
  beforeAll(() => TestNetns.cleanupStale('lxident'));

  it('a name deleted and re-created is a new namespace: a new adapter and its table see the new devices, not the old reader', async () => {
    const first = TestNetns.create('lxident');
    let second: TestNetns | undefined;
    try {
      first.addVeth('old0');
      const before = linuxAdapter({ netns: first.name });
      const handle = await before.notifyIpInterfaceChange('unspec', () => undefined, false);
      const oldKey = namespaceKey(first.path);
      expect(peekReader(oldKey)).toBeDefined();
      // The live reader's socket keeps the deleted namespace alive; its name is free again.
      first.delete();
      second = TestNetns.createNamed(first.name);
      second.addVeth('new0');
      expect(namespaceKey(second.path)).not.toBe(oldKey);
      const after = linuxAdapter({ netns: second.name });
      const names = (await after.getIpInterfaceTable('inet')).map((r) => r.interfaceName).sort();
      expect(names).toEqual(['lo', 'new0', 'new0p']);
      const handle2 = await after.notifyIpInterfaceChange('unspec', () => undefined, false);
      expect(after.stats().readerRegistrations).toBe(1); // its own reader, not the old one (which has one too)
      expect(peekReader<NetlinkReader>(namespaceKey(second.path))).not.toBe(peekReader(oldKey));
      await after.cancelMibChangeNotify2(handle2);
      await before.cancelMibChangeNotify2(handle);
      expect(peekReader(oldKey)).toBeUndefined();
    } finally {
      second?.delete();
      first.delete();
    }
  });

  it('nothing of a closed reader survives its last unsubscribe (the adapter keeps a copy of its counters only)', async () => {
    const ns = TestNetns.create('lxident');
    try {
      ns.addVeth('gc0');
      const adapter = linuxAdapter({ netns: ns.path });
      const handle = await adapter.notifyIpInterfaceChange('unspec', () => undefined, false);
      const reader = new WeakRef(peekReader<NetlinkReader>(namespaceKey(ns.path))!);
      expect(reader.deref()?.tableSize).toBeGreaterThan(0);
      const dumps = adapter.stats().dumps;
      await adapter.cancelMibChangeNotify2(handle);
      for (let i = 0; i < 50 && reader.deref() !== undefined; i++) {
        await sleep(10);
        gc();
      }
      expect(reader.deref()).toBeUndefined();
      // The adapter is still alive (used below) and still reports the closed reader's counters.
      expect(adapter.stats()).toMatchObject({ open: false, dumps, tableSize: 0 });
    } finally {
      ns.delete();
    }
  });

  it('registers no koffi callback: libc.registeredCallbacks() stays 0 while events are delivered and after cancel', async () => {
    const ns = TestNetns.create('lxident');
    try {
      ns.addVeth('cb0');
      const libc = await loadLibc();
      expect(libc.registeredCallbacks()).toBe(0);
      const adapter = linuxAdapter({ netns: ns.path });
      const mtus: (number | undefined)[] = [];
      const handle = await adapter.notifyIpInterfaceChange('inet', (row) => mtus.push(row?.nlMtu), false);
      ns.ip('link', 'set', 'cb0', 'mtu', '1400');
      await waitFor(() => mtus.includes(1400), 'the MTU change');
      expect(libc.registeredCallbacks()).toBe(0); // the read loop is a libuv poll handle, not a koffi callback
      await adapter.cancelMibChangeNotify2(handle);
      expect(libc.registeredCallbacks()).toBe(0);
    } finally {
      ns.delete();
    }
  });
});
