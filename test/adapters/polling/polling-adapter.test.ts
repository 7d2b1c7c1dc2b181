import { networkInterfaces } from 'node:os';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../../src/address-family';
import type { IpInterfaceAdapter, MibNotificationType } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';
import { unicastAddressKey } from '../../../src/unicast-address-key';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import type { AddressSnapshot } from '../../../adapters/polling/address-snapshot';
import { createPollingAdapter, pollingAdapter } from '../../../adapters/polling/polling-adapter';
import type { InterfaceSnapshot } from '../../../adapters/polling/interface-snapshot';
import { activePollTimers } from '../../../adapters/polling/poll-timer';
import { describeContract } from '../../contract/describe-contract';
import { assertValidRow } from '../../contract/contract-suite';
import { sleep, waitFor } from '../../helpers/wait-for';

const row = (interfaceIndex: number, family: 'inet' | 'inet6', interfaceName = `if${interfaceIndex}`): IpInterfaceRow => ({
  family, interfaceIndex, interfaceName, interfaceLuid: (6n << 48n) | (BigInt(interfaceIndex) << 24n),
});
const snap = (...rows: IpInterfaceRow[]): InterfaceSnapshot => new Map(rows.map((r) => [interfaceKey(r), r]));

/** A reader the test controls: `current` is what the next read returns. */
function fakeSystem(initial: InterfaceSnapshot) {
  const system = {
    current: initial,
    reads: 0,
    fail: false,
    read: (): InterfaceSnapshot => {
      system.reads++;
      if (system.fail) throw new IpInterfaceError('OS_ERROR', 'fake read failure', { adapter: 'polling' });
      return system.current;
    },
  };
  return system;
}

const lo = row(1, AF_INET, 'lo');
const lo6 = row(1, AF_INET6, 'lo');

describe('pollingAdapter', () => {
  afterEach(() => expect(activePollTimers()).toEqual([]));

  it('is named polling and validates intervalMs', () => {
    expect(pollingAdapter().name).toBe('polling');
    expect(pollingAdapter({ intervalMs: 5 }).name).toBe('polling');
    for (const intervalMs of [0, -1, 1.5, Number.NaN, 2 ** 31, '100' as unknown as number]) {
      expect(() => pollingAdapter({ intervalMs })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', adapter: 'polling' }));
    }
  });

  it('reads the real table of this namespace: the rows Node lists, with valid shapes', async () => {
    const rows = await pollingAdapter().getIpInterfaceTable(AF_UNSPEC);
    const listed = networkInterfaces();
    for (const r of rows) {
      assertValidRow(r, AF_UNSPEC);
      expect(Object.keys(r).sort()).toEqual(['family', 'interfaceIndex', 'interfaceLuid', 'interfaceName']);
      const addresses = listed[r.interfaceName!] ?? [];
      expect(addresses.some((a) => a.family === (r.family === AF_INET ? 'IPv4' : 'IPv6'))).toBe(true);
    }
    expect(new Set(rows.map((r) => r.interfaceName))).toEqual(new Set(Object.keys(listed).filter((n) => (listed[n] ?? []).length > 0)));
  });

  it('creates no timer before the first registration and none after the last cancel', async () => {
    const system = fakeSystem(snap(lo));
    const adapter = createPollingAdapter(25, system.read);
    expect(activePollTimers()).toEqual([]);
    const h1 = await adapter.notifyIpInterfaceChange(AF_INET, () => undefined, false);
    const h2 = await adapter.notifyIpInterfaceChange(AF_INET6, () => undefined, false);
    const other = createPollingAdapter(25, system.read);
    const h3 = await other.notifyIpInterfaceChange(AF_INET6, () => undefined, false);
    // All three registrations of both adapters share the one timer of 25 ms.
    expect(activePollTimers()).toEqual([{ intervalMs: 25, listeners: 2 }]);
    await adapter.cancelMibChangeNotify2(h1);
    await adapter.cancelMibChangeNotify2(h2);
    expect(activePollTimers()).toEqual([{ intervalMs: 25, listeners: 1 }]);
    await other.cancelMibChangeNotify2(h3);
    expect(activePollTimers()).toEqual([]);
  });

  it('diffs each tick against what each registration saw, per family, initial first', async () => {
    const system = fakeSystem(snap(lo, lo6));
    const adapter = createPollingAdapter(10, system.read);
    const calls: { who: string; type: MibNotificationType; row: IpInterfaceRow | null }[] = [];
    const hv4 = await adapter.notifyIpInterfaceChange(AF_INET, (r, type) => calls.push({ who: 'v4', type, row: r }), true);
    const hall = await adapter.notifyIpInterfaceChange(AF_UNSPEC, (r, type) => calls.push({ who: 'all', type, row: r }), false);
    await Promise.resolve();
    expect(calls).toEqual([{ who: 'v4', type: 'initial', row: null }]);

    const veth = row(5, AF_INET, 'veth0');
    const veth6 = row(5, AF_INET6, 'veth0');
    system.current = snap(lo, lo6, veth, veth6);
    await waitFor(() => calls.length >= 4, 'the adds', 2000);
    expect(calls.slice(1)).toEqual([
      { who: 'v4', type: 'add', row: veth },
      { who: 'all', type: 'add', row: veth },
      { who: 'all', type: 'add', row: veth6 },
    ]);

    calls.length = 0;
    const renamed = { ...veth, interfaceName: 'wan0' };
    system.current = snap(lo, lo6, renamed);
    await waitFor(() => calls.length >= 3, 'the rename and the removal', 2000);
    expect(calls).toEqual([
      { who: 'v4', type: 'parameter', row: renamed },
      { who: 'all', type: 'delete', row: veth6 },
      { who: 'all', type: 'parameter', row: renamed },
    ]);
    await sleep(40);
    expect(calls.length).toBe(3);
    await adapter.cancelMibChangeNotify2(hv4);
    await adapter.cancelMibChangeNotify2(hall);
  });

  it('a registration made after a change does not see it; its baseline is the table at registration', async () => {
    const system = fakeSystem(snap(lo));
    const adapter = createPollingAdapter(10, system.read);
    const first: MibNotificationType[] = [];
    const h1 = await adapter.notifyIpInterfaceChange(AF_INET, (_r, t) => first.push(t), false);
    system.current = snap(lo, row(7, AF_INET));
    const second: MibNotificationType[] = [];
    const h2 = await adapter.notifyIpInterfaceChange(AF_INET, (_r, t) => second.push(t), false);
    await waitFor(() => first.length > 0, 'the add', 2000);
    await sleep(30);
    expect(first).toEqual(['add']);
    expect(second).toEqual([]);
    await adapter.cancelMibChangeNotify2(h1);
    await adapter.cancelMibChangeNotify2(h2);
  });

  it('reads once per tick for all registrations of all adapters sharing a reader', async () => {
    const system = fakeSystem(snap(lo));
    const adapters = [createPollingAdapter(15, system.read), createPollingAdapter(15, system.read)];
    const handles = await Promise.all(adapters.flatMap((a) => [a.notifyIpInterfaceChange(AF_INET, () => undefined, false), a.notifyIpInterfaceChange(AF_INET6, () => undefined, false)]));
    const atRegistration = system.reads;
    expect(atRegistration).toBe(4);
    await sleep(100);
    const ticks = system.reads - atRegistration;
    await Promise.all(handles.map((h, i) => adapters[Math.floor(i / 2)]!.cancelMibChangeNotify2(h)));
    expect(ticks).toBeGreaterThan(0);
    // 100 ms / 15 ms: one read per tick, never one per registration (that would be 4 per tick).
    expect(ticks).toBeLessThanOrEqual(8);
  });

  it('skips a tick whose read fails and reports the change on the next good one', async () => {
    const system = fakeSystem(snap(lo));
    const adapter = createPollingAdapter(10, system.read);
    const calls: MibNotificationType[] = [];
    const h = await adapter.notifyIpInterfaceChange(AF_INET, (_r, t) => calls.push(t), false);
    system.fail = true;
    const readsBefore = system.reads;
    await waitFor(() => system.reads >= readsBefore + 2, 'failed reads', 2000);
    system.current = snap(lo, row(8, AF_INET));
    system.fail = false;
    await waitFor(() => calls.length > 0, 'the add after recovery', 2000);
    expect(calls).toEqual(['add']);
    await adapter.cancelMibChangeNotify2(h);
  });

  it('a failing read at registration rejects and registers nothing; the table read rejects too', async () => {
    const system = fakeSystem(snap(lo));
    system.fail = true;
    const adapter = createPollingAdapter(10, system.read);
    await expect(adapter.notifyIpInterfaceChange(AF_INET, () => undefined, true)).rejects.toMatchObject({ code: 'OS_ERROR' });
    await expect(adapter.getIpInterfaceTable(AF_INET)).rejects.toMatchObject({ code: 'OS_ERROR' });
    expect(activePollTimers()).toEqual([]);
  });

  it('cancelling inside a callback stops delivery at once, also for the rest of that tick', async () => {
    const system = fakeSystem(snap());
    const adapter = createPollingAdapter(10, system.read);
    const calls: (IpInterfaceRow | null)[] = [];
    let handle: Awaited<ReturnType<IpInterfaceAdapter['notifyIpInterfaceChange']>> | undefined;
    let cancelled: Promise<void> | undefined;
    handle = await adapter.notifyIpInterfaceChange(AF_UNSPEC, (r) => {
      calls.push(r);
      cancelled ??= adapter.cancelMibChangeNotify2(handle!);
    }, false);
    system.current = snap(row(2, AF_INET), row(2, AF_INET6), row(3, AF_INET));
    await waitFor(() => cancelled !== undefined, 'the first callback', 2000);
    await cancelled;
    await sleep(30);
    expect(calls).toHaveLength(1);
  });

  it('cancel before the initial microtask: no initial callback at all', async () => {
    const adapter = createPollingAdapter(10, fakeSystem(snap(lo)).read);
    const calls: MibNotificationType[] = [];
    const registration = adapter.notifyIpInterfaceChange(AF_INET, (_r, t) => calls.push(t), true) as Promise<never> & { settledHandle?: never };
    expect(registration.settledHandle).toBeDefined();
    await adapter.cancelMibChangeNotify2(registration.settledHandle!);
    await sleep(20);
    expect(calls).toEqual([]);
  });
});

// The contract against a controlled reader (fast, any OS); the real one runs in a network namespace
// in polling-adapter.netns.test.ts.
const contractSystem = fakeSystem(snap(lo, lo6));
let present = false;
const address = (r: IpInterfaceRow, text: string, onLinkPrefixLength: number): UnicastIpAddressRow => ({
  family: r.family, address: text, interfaceLuid: r.interfaceLuid, interfaceIndex: r.interfaceIndex, interfaceName: r.interfaceName,
  onLinkPrefixLength, scopeId: 0,
});
const addressSnap = (...rows: UnicastIpAddressRow[]): AddressSnapshot => new Map(rows.map((r) => [unicastAddressKey(r), r]));
const loAddresses = [address(lo, '127.0.0.1', 8), address(lo6, '::1', 128)];
const contractAddresses = { current: addressSnap(...loAddresses), read: (): AddressSnapshot => contractAddresses.current };
let addressPresent = false;
describeContract({
  name: 'polling (controlled reader)',
  createAdapter: () => createPollingAdapter(10, contractSystem.read, contractAddresses.read),
  triggerChange: async () => {
    present = !present;
    contractSystem.current = present ? snap(lo, lo6, row(4, AF_INET), row(4, AF_INET6)) : snap(lo, lo6);
  },
  addresses: {
    triggerChange: async () => {
      addressPresent = !addressPresent;
      const extra = addressPresent ? [address(row(4, AF_INET), '10.9.0.1', 24), address(row(4, AF_INET6), '2001:db8::1', 64)] : [];
      contractAddresses.current = addressSnap(...loAddresses, ...extra);
    },
  },
  liveRegistrations: () => activePollTimers().reduce((n, t) => n + t.listeners, 0),
  quietMs: 50,
});
