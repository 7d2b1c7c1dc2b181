import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { runWatch } from '../../../src/cli/run-watch';
import type { WatchOptions } from '../../../src/cli/parse-cli-arguments';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { createMockAdapter, mockRow } from '../../../adapters/mock';
import { testIo } from './cli-test-io';

const options = (overrides: Partial<WatchOptions> = {}): WatchOptions => ({
  family: 'unspec', initial: false, debounceMs: undefined, json: false, netns: undefined, adapter: undefined, ...overrides,
});
const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500, connected: true });
const eth1v6 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6, nlMtu: 1500 });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const settle = (): Promise<void> => sleep(0);
const lines = (out: string[]): string[] => out.map((l) => l.replace(/\n$/, ''));

describe('runWatch', () => {
  it('prints the marker with --initial, then one line per change; changed shows what differs from the table', async () => {
    const adapter = createMockAdapter({ table: [eth1, eth1v6] });
    const io = testIo();
    const done = runWatch(options({ initial: true }), adapter, io);
    await settle();
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400, connected: false } });
    adapter.emit({ kind: 'removed', row: eth1v6 });
    adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 4, interfaceName: 'veth0' }) });
    expect(io.stop()).toBe(true);
    expect(await done).toBe(0);
    expect(lines(io.out)).toEqual([
      '14:00:00.000  initial  unspec  registration is live',
      '14:00:00.000  changed  inet    eth1                 3  nlMtu 1500 -> 1400',
      '14:00:00.000  changed  inet    eth1                 3  connected true -> false',
      '14:00:00.000  removed  inet6   eth1                 3',
      '14:00:00.000  added    inet    veth0                4',
    ]);
    expect(io.err).toEqual([]);
    // The registration was cancelled before runWatch resolved, and nobody listens for signals any more.
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
    expect(io.listening).toBe(false);
  });

  it('without --initial prints no marker but still knows the earlier rows', async () => {
    const adapter = createMockAdapter({ table: [eth1] });
    const io = testIo();
    const done = runWatch(options(), adapter, io);
    await settle();
    adapter.emit({ kind: 'changed', row: { ...eth1, interfaceName: 'wan0' } });
    io.stop();
    await done;
    expect(lines(io.out)).toEqual(['14:00:00.000  changed  inet    wan0                 3  interfaceName eth1 -> wan0']);
  });

  it('a row added after the table was read is the base for its next change', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runWatch(options(), adapter, io);
    await settle();
    const veth = mockRow({ interfaceIndex: 9, interfaceName: 'veth9', nlMtu: 1500 });
    adapter.emit({ kind: 'added', row: veth });
    adapter.emit({ kind: 'changed', row: { ...veth, nlMtu: 9000 } });
    adapter.emit({ kind: 'removed', row: veth });
    adapter.emit({ kind: 'changed', row: veth });
    io.stop();
    await done;
    expect(lines(io.out).map((l) => l.slice(14))).toEqual([
      'added    inet    veth9                9',
      'changed  inet    veth9                9  nlMtu 1500 -> 9000',
      'removed  inet    veth9                9',
      'changed  inet    veth9                9  (no earlier row to compare)',
    ]);
  });

  it('--json writes one NDJSON line per change, one write each', async () => {
    const adapter = createMockAdapter();
    const io = testIo({ now: () => new Date(Date.UTC(2026, 10, 25, 14, 0, 0, 5)) });
    const done = runWatch(options({ json: true, initial: true }), adapter, io);
    await settle();
    adapter.emit({ kind: 'added', row: eth1 });
    io.stop();
    await done;
    expect(io.out.every((l) => l.endsWith('\n') && l.indexOf('\n') === l.length - 1)).toBe(true);
    expect(io.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { time: '2026-11-25T14:00:00.005Z', kind: 'initial', family: 'unspec' },
      { time: '2026-11-25T14:00:00.005Z', kind: 'added', row: { ...eth1, interfaceLuid: String(eth1.interfaceLuid), interfaceIdentifier: String(eth1.interfaceIdentifier) } },
    ]);
  });

  it('--family registers for that family only', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runWatch(options({ family: AF_INET6 }), adapter, io);
    await settle();
    adapter.emit({ kind: 'added', row: eth1 });
    adapter.emit({ kind: 'added', row: eth1v6 });
    io.stop();
    await done;
    expect(adapter.calls[0]).toMatchObject({ fn: 'NotifyIpInterfaceChange', family: 'inet6' });
    expect(lines(io.out)).toEqual(['14:00:00.000  added    inet6   eth1                 3']);
  });

  it('--debounce prints the net effect of a burst per interface once it is quiet', async () => {
    const adapter = createMockAdapter({ table: [eth1] });
    const io = testIo();
    const done = runWatch(options({ debounceMs: 40 }), adapter, io);
    await settle();
    const veth = mockRow({ interfaceIndex: 7, interfaceName: 'veth7' });
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1300 } });
    adapter.emit({ kind: 'added', row: veth });
    adapter.emit({ kind: 'removed', row: veth });
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1200 } });
    expect(io.out).toEqual([]);
    await sleep(120);
    io.stop();
    await done;
    // veth7 came and went within the burst: nothing. eth1: one change, compared with the table row.
    expect(lines(io.out)).toEqual(['14:00:00.000  changed  inet    eth1                 3  nlMtu 1500 -> 1200']);
  });

  it('--debounce: a stop prints the bursts still pending before exiting', async () => {
    const adapter = createMockAdapter({ table: [eth1] });
    const io = testIo();
    const done = runWatch(options({ debounceMs: 60_000 }), adapter, io);
    await settle();
    adapter.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
    adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 8, interfaceName: 'veth8' }) });
    expect(io.out).toEqual([]);
    io.stop();
    expect(await done).toBe(0);
    expect(lines(io.out).map((l) => l.slice(14))).toEqual([
      'changed  inet    eth1                 3  nlMtu 1500 -> 1400',
      'added    inet    veth8                8',
    ]);
    expect(adapter.active).toBe(0);
  });

  it('an adapter error: code and message on stderr, exit code 1, nothing left registered', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const io = testIo();
    expect(await runWatch(options(), adapter, io)).toBe(1);
    expect(io.err).toEqual(['rxjs-ip-interface: NOT_ENOUGH_MEMORY: mock registration failure (NOT_ENOUGH_MEMORY)\n']);
    expect(adapter.active).toBe(0);
    expect(io.listening).toBe(false);
  });

  it('a stop before the registration settled still cancels it before resolving', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 30 });
    const io = testIo();
    const done = runWatch(options(), adapter, io);
    io.stop();
    expect(await done).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
    expect(adapter.active).toBe(0);
  });

  it('a stop requested while the marker is written during subscribe is honoured (the handler is installed first)', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const write = io.write;
    let stopped: boolean | undefined;
    io.write = (text) => {
      write(text);
      stopped ??= io.stop();
    };
    expect(await runWatch(options({ initial: true }), adapter, io)).toBe(0);
    expect(stopped).toBe(true);
    expect(adapter.active).toBe(0);
    expect(io.out).toEqual(['14:00:00.000  initial  unspec  registration is live\n']);
  });

  it('a failed cancellation is reported and exits 1', async () => {
    const mock = createMockAdapter();
    const adapter: IpInterfaceAdapter = {
      ...mock,
      name: mock.name,
      notifyIpInterfaceChange: (f, cb, i) => mock.notifyIpInterfaceChange(f, cb, i),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
      cancelMibChangeNotify2: () => Promise.reject(new IpInterfaceError('OS_ERROR', 'close failed', { adapter: 'mock', osCode: 9 })),
    };
    const io = testIo();
    const done = runWatch(options(), adapter, io);
    await settle();
    io.stop();
    expect(await done).toBe(1);
    expect(io.err).toEqual(['rxjs-ip-interface: OS_ERROR: close failed\n']);
  });

  it('traces registration and cancellation on stderr when asked', async () => {
    const adapter = createMockAdapter();
    const io = testIo({ trace: true });
    const done = runWatch(options({ family: AF_INET }), adapter, io);
    await settle();
    io.stop();
    await done;
    expect(io.err).toEqual(['trace: NotifyIpInterfaceChange(inet) -> mock handle 1\n', 'trace: CancelMibChangeNotify2(mock handle 1) done\n']);
  });

  it('colours the kind when the io says so', async () => {
    const adapter = createMockAdapter();
    const io = testIo({ color: true });
    const done = runWatch(options(), adapter, io);
    await settle();
    adapter.emit({ kind: 'removed', row: eth1 });
    io.stop();
    await done;
    expect(io.out).toEqual(['14:00:00.000  \u001b[31mremoved\u001b[39m  inet    eth1                 3\n']);
  });
});
