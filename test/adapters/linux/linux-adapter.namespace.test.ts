import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { linuxAdapter } from '../../../adapters/linux';
import { ipInterfaceChanges$ } from '../../../src/ip-interface-changes';
import { ipInterfaceTable$ } from '../../../src/ip-interface-table';
import type { IpInterfaceError } from '../../../src/ip-interface-error';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { loadLibc } from '../../../adapters/linux/libc';
import { NetlinkReader } from '../../../adapters/linux/netlink-reader';
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
      const ended: IpInterfaceError[] = [];
      const handle = await before.notifyIpInterfaceChange('unspec', () => undefined, false, (e) => void ended.push(e));
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
      // Rule 10: the old registration was ended by the deletion; its handle is dead.
      await waitFor(() => ended.length === 1, 'the old registration to be ended', 1000);
      await expect(before.cancelMibChangeNotify2(handle)).rejects.toMatchObject({ code: 'INVALID_HANDLE' });
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

  it('registers no koffi callback: libc.registeredCallbacks() does not move while events are delivered and after cancel', async () => {
    const ns = TestNetns.create('lxident');
    try {
      ns.addVeth('cb0');
      const libc = await loadLibc();
      // koffi's count is per process, and a jest worker runs other test files before this one (the
      // windows adapter's in-process tests register callbacks): compare with what it is now.
      const before = libc.registeredCallbacks();
      const adapter = linuxAdapter({ netns: ns.path });
      const mtus: (number | undefined)[] = [];
      const handle = await adapter.notifyIpInterfaceChange('inet', (row) => mtus.push(row?.nlMtu), false);
      ns.ip('link', 'set', 'cb0', 'mtu', '1400');
      await waitFor(() => mtus.includes(1400), 'the MTU change');
      expect(libc.registeredCallbacks()).toBe(before); // the read loop is a libuv poll handle, not a koffi callback
      await adapter.cancelMibChangeNotify2(handle);
      expect(libc.registeredCallbacks()).toBe(before);
    } finally {
      ns.delete();
    }
  });

  it('a namespace deleted under a live registration: within 1 s the reader ends (OS_ERROR ENOENT), releases the namespace; the re-created name is a new namespace end to end', async () => {
    const first = TestNetns.create('lxident');
    const witness = TestNetns.create('lxident'); // holds the peer: it vanishes only when `first` is destroyed
    let second: TestNetns | undefined;
    try {
      first.addVeth('del0', 'del0p');
      first.ip('link', 'set', 'del0p', 'netns', witness.name);
      const adapter = linuxAdapter({ netns: first.name });
      const calls: string[] = [];
      const ended: IpInterfaceError[] = [];
      const handle = await adapter.notifyIpInterfaceChange('unspec', (row, type) => void calls.push(`${type} ${row?.interfaceName}`), false, (e) => void ended.push(e));
      const oldKey = namespaceKey(first.path);
      const t0 = performance.now();
      first.delete();
      await waitFor(() => adapter.stats().lastError?.osCode === 2, 'the reader to see the namespace deleted', 1000);
      await waitFor(() => ended.length > 0, 'the registration to be ended (rule 10)', 1000);
      expect(ended).toEqual([adapter.stats().lastError]);
      expect(adapter.liveRegistrations).toBe(0);
      const detectedMs = performance.now() - t0;
      expect(adapter.stats()).toMatchObject({ open: false, lastError: { code: 'OS_ERROR', osCode: 2 } });
      expect(peekReader(oldKey)).toBeUndefined(); // out of the registry: its inode number may be reused
      // Released: nothing holds the deleted namespace, so the kernel destroys it and the veth peer goes.
      await waitFor(() => !witness.ip('-o', 'link').includes('del0p'), 'the peer in the witness namespace to vanish (namespace destroyed)', 5000);
      // The re-created name is another namespace: a new adapter's stream and table see its devices.
      second = TestNetns.createNamed(first.name);
      const after = linuxAdapter({ netns: second.name });
      const seen: string[] = [];
      const sub = ipInterfaceChanges$('inet', true, { adapter: after }).subscribe((c) => void (c.kind !== 'initial' && seen.push(`${c.kind} ${c.row.interfaceName}`)));
      await waitFor(() => after.stats().open, 'the new reader');
      second.addVeth('new1');
      await waitFor(() => seen.includes('added new1') && seen.includes('added new1p'), 'the new namespace\'s devices through ipInterfaceChanges$');
      expect((await after.getIpInterfaceTable('inet')).map((r) => r.interfaceName).sort()).toEqual(['lo', 'new1', 'new1p']);
      sub.unsubscribe();
      expect(calls).toEqual([]); // the deleted namespace's registration heard nothing of the new one
      await expect(adapter.cancelMibChangeNotify2(handle)).rejects.toMatchObject({ code: 'INVALID_HANDLE' });
      expect(ended).toHaveLength(1);
      expect(adapter.stats().lastError?.osCode).toBe(2);
      process.stdout.write(`namespace deletion seen after ${detectedMs.toFixed(1)} ms\n`);
    } finally {
      second?.delete();
      try { first.delete(); } catch { /* deleted above */ }
      witness.delete();
    }
  });
  it('rule 10: ipInterfaceChanges$ and ipInterfaceTable$ under `ip netns del` error with OS_ERROR ENOENT within 1 s; the namespace is released; the same adapter then watches the re-created name', async () => {
    const first = TestNetns.create('lxident');
    const witness = TestNetns.create('lxident');
    let second: TestNetns | undefined;
    try {
      first.addVeth('end0', 'end0p');
      first.ip('link', 'set', 'end0p', 'netns', witness.name);
      const adapter = linuxAdapter({ netns: first.name });
      const other = TestNetns.create('lxident'); // another namespace's subscription: unaffected
      const otherAdapter = linuxAdapter({ netns: other.name });
      try {
        const errors: { what: string; error: unknown; at: number }[] = [];
        const tables: ReadonlyMap<string, unknown>[] = [];
        const changes = ipInterfaceChanges$('unspec', true, { adapter }).subscribe({ error: (error) => void errors.push({ what: 'changes', error, at: performance.now() }) });
        const table = ipInterfaceTable$('inet', { adapter }).subscribe({ next: (t) => void tables.push(t), error: (error) => void errors.push({ what: 'table', error, at: performance.now() }) });
        const otherSeen: string[] = [];
        const otherSub = ipInterfaceChanges$('inet', true, { adapter: otherAdapter }).subscribe((c) => void otherSeen.push(c.kind === 'initial' ? 'initial' : `${c.kind} ${c.row.interfaceName}`));
        await waitFor(() => tables.length > 0 && otherSeen.includes('initial'), 'the first table and the other subscription');
        expect(adapter.liveRegistrations).toBe(2);
        const oldKey = namespaceKey(first.path);
        const t0 = performance.now();
        first.delete();
        await waitFor(() => errors.length === 2, 'both subscriptions to error', 1000);
        const latest = Math.max(...errors.map((e) => e.at)) - t0;
        for (const { error } of errors) expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 2, adapter: 'linux' });
        expect((errors[0]!.error as IpInterfaceError).message).toContain('linux adapter ended the registration: network namespace');
        expect([changes.closed, table.closed, adapter.liveRegistrations, adapter.stats().open]).toEqual([true, true, 0, false]);
        expect(peekReader(oldKey)).toBeUndefined();
        await waitFor(() => !witness.ip('-o', 'link').includes('end0p'), 'the peer in the witness namespace to vanish (namespace destroyed)', 5000);
        // The other namespace's subscription goes on.
        other.addVeth('oth0');
        await waitFor(() => otherSeen.includes('added oth0'), 'the other namespace to go on');
        // The same adapter, subscribed anew after the name was re-created: the new namespace.
        second = TestNetns.createNamed(first.name);
        second.addVeth('re0');
        const again: ReadonlyMap<string, IpInterfaceRow>[] = [];
        const sub = ipInterfaceTable$('inet', { adapter }).subscribe((t) => void again.push(t));
        await waitFor(() => again.length > 0, 'the table of the re-created namespace');
        expect([...again[0]!.values()].map((r) => r.interfaceName).sort()).toEqual(['lo', 're0', 're0p']);
        sub.unsubscribe();
        otherSub.unsubscribe();
        expect(adapter.liveRegistrations + otherAdapter.liveRegistrations).toBe(0);
        process.stdout.write(`namespace deletion -> both subscribers' error after ${latest.toFixed(1)} ms\n`);
        expect(latest).toBeLessThan(1000);
      } finally {
        other.delete();
      }
    } finally {
      second?.delete();
      try { first.delete(); } catch { /* deleted above */ }
      witness.delete();
    }
  });

  it('a reader is never filed under another namespace: the key the path named at lookup must be the namespace the worker opened (ESTALE, nothing left open)', async () => {
    const ns = TestNetns.create('lxident');
    try {
      const fds = readdirSync('/proc/self/fd').length;
      // As if the path had been re-pointed between the stat and the worker's open.
      await expect(NetlinkReader.open('ns:0:1', ns.path, 1 << 20)).rejects.toMatchObject({ code: 'OS_ERROR', osCode: 116 });
      expect(readdirSync('/proc/self/fd').length).toBe(fds);
      // The adapter looks the path up again and opens the namespace it names now.
      const adapter = linuxAdapter({ netns: ns.path });
      const handle = await adapter.notifyIpInterfaceChange('unspec', () => undefined, false);
      expect(peekReader<NetlinkReader>(namespaceKey(ns.path))?.isOpen).toBe(true);
      await adapter.cancelMibChangeNotify2(handle);
    } finally {
      ns.delete();
    }
  });

  it('registered through /proc/PID/ns/net of a process that then exits: table reads and stats use the reader the registration holds', async () => {
    const ns = TestNetns.create('lxident');
    const holder = spawn('ip', ['netns', 'exec', ns.name, 'sleep', '60'], { stdio: 'ignore' });
    try {
      ns.addVeth('pid0');
      await waitFor(() => holder.pid !== undefined && existsSync(`/proc/${holder.pid}/ns/net`), 'the holder process');
      // `ip netns exec` execs sleep in the namespace: its pid's ns/net is the test namespace.
      await waitFor(() => namespaceKey(`/proc/${holder.pid}/ns/net`) === namespaceKey(ns.path), 'the holder to enter the namespace');
      const adapter = linuxAdapter({ netns: `/proc/${holder.pid}/ns/net` });
      const handle = await adapter.notifyIpInterfaceChange('unspec', () => undefined, false);
      try {
        holder.kill('SIGKILL');
        await waitFor(() => !existsSync(`/proc/${holder.pid}`), 'the holder to exit');
        expect(adapter.stats().open).toBe(true);
        const names = (await adapter.getIpInterfaceTable('inet')).map((r) => r.interfaceName).sort();
        expect(names).toEqual(['lo', 'pid0', 'pid0p']);
      } finally {
        await adapter.cancelMibChangeNotify2(handle);
      }
      expect(adapter.stats().open).toBe(false);
    } finally {
      holder.kill('SIGKILL');
      ns.delete();
    }
  });
});
