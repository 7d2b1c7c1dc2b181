import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { runAddressWatch } from '../../../src/cli/run-address-watch';
import type { AddressWatchOptions } from '../../../src/cli/parse-cli-arguments';
import { createMockAdapter, mockAddressRow } from '../../../adapters/mock';
import { testIo } from './cli-test-io';

const options = (overrides: Partial<AddressWatchOptions> = {}): AddressWatchOptions => ({
  family: 'unspec', initial: false, debounceMs: undefined, json: false, netns: undefined, adapter: undefined, lifetimeUpdates: false, ...overrides,
});
const v4 = mockAddressRow({ address: '10.9.0.1', interfaceIndex: 5, interfaceName: 'veth0' });
const v6 = mockAddressRow({ family: AF_INET6, address: '2001:db8::1', interfaceIndex: 5, interfaceName: 'veth0', dadState: 'tentative' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const settle = (): Promise<void> => sleep(0);
const lines = (out: string[]): string[] => out.map((l) => l.replace(/\n$/, '').slice(14));

describe('runAddressWatch', () => {
  it('marker with --initial, one line per change; changed shows what differs from the table row; stop cancels the registration', async () => {
    const adapter = createMockAdapter({ addressTable: [v4, v6] });
    const io = testIo();
    const done = runAddressWatch(options({ initial: true }), adapter, io);
    await settle();
    adapter.emitAddress({ kind: 'changed', row: { ...v6, dadState: 'preferred' } });
    adapter.emitAddress({ kind: 'changed', row: { ...v4, dadState: 'deprecated', preferredLifetime: 0 } });
    adapter.emitAddress({ kind: 'removed', row: v4 });
    adapter.emitAddress({ kind: 'added', row: mockAddressRow({ address: '10.9.0.2', interfaceIndex: 5, interfaceName: 'veth0' }) });
    expect(io.stop()).toBe(true);
    expect(await done).toBe(0);
    expect(lines(io.out)).toEqual([
      'initial  unspec  registration is live',
      'changed  2001:db8::1/64 dev veth0 (inet6) preferred valid_lft forever preferred_lft forever  dadState tentative -> preferred',
      'changed  10.9.0.1/24 dev veth0 (inet) deprecated valid_lft forever preferred_lft 0  preferredLifetime forever -> 0, dadState preferred -> deprecated',
      // removed shows the last row known.
      'removed  10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever',
      'added    10.9.0.2/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever',
    ]);
    expect(io.err).toEqual([]);
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2']);
    expect(io.listening).toBe(false);
  });

  it('--family registers for that family only', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runAddressWatch(options({ family: AF_INET }), adapter, io);
    await settle();
    adapter.emitAddress({ kind: 'added', row: v6 });
    adapter.emitAddress({ kind: 'added', row: v4 });
    io.stop();
    await done;
    expect(adapter.calls[0]).toMatchObject({ fn: 'NotifyUnicastIpAddressChange', family: 'inet' });
    expect(lines(io.out)).toEqual(['added    10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever']);
  });

  it('lifetime-only updates are not printed by default, and are with --lifetime-updates', async () => {
    const refresh = { ...v6, validLifetime: 7200 };
    const run = async (lifetimeUpdates: boolean): Promise<string[]> => {
      const adapter = createMockAdapter({ addressTable: [v6] });
      const io = testIo();
      const done = runAddressWatch(options({ lifetimeUpdates }), adapter, io);
      await settle();
      adapter.emitAddress({ kind: 'changed', row: refresh });
      adapter.emitAddress({ kind: 'changed', row: { ...refresh, dadState: 'preferred' } });
      io.stop();
      await done;
      return lines(io.out);
    };
    expect(await run(false)).toEqual([
      // The row printed as the base of the diff is the table's: the refresh was dropped before the CLI saw it.
      'changed  2001:db8::1/64 dev veth0 (inet6) preferred valid_lft 7200 preferred_lft forever  validLifetime forever -> 7200, dadState tentative -> preferred',
    ]);
    expect(await run(true)).toEqual([
      'changed  2001:db8::1/64 dev veth0 (inet6) tentative valid_lft 7200 preferred_lft forever  validLifetime forever -> 7200',
      'changed  2001:db8::1/64 dev veth0 (inet6) preferred valid_lft 7200 preferred_lft forever  dadState tentative -> preferred',
    ]);
  });

  it('--json: one NDJSON line per change, bigints as strings', async () => {
    const adapter = createMockAdapter();
    const io = testIo({ now: () => new Date(Date.UTC(2026, 10, 25, 14, 0, 0, 5)) });
    const done = runAddressWatch(options({ json: true, initial: true, family: AF_INET6 }), adapter, io);
    await settle();
    adapter.emitAddress({ kind: 'added', row: v6 });
    io.stop();
    await done;
    expect(io.out.every((l) => l.endsWith('\n') && l.indexOf('\n') === l.length - 1)).toBe(true);
    const { creationTimeStamp: _absent, ...defined } = v6;
    expect(io.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { time: '2026-11-25T14:00:00.005Z', kind: 'initial', family: 'inet6' },
      { time: '2026-11-25T14:00:00.005Z', kind: 'added', row: { ...defined, interfaceLuid: String(v6.interfaceLuid) } },
    ]);
  });

  it('--debounce: the net effect per address once quiet (DAD tentative -> preferred is one added), pending bursts printed on stop', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runAddressWatch(options({ debounceMs: 40 }), adapter, io);
    await settle();
    adapter.emitAddress({ kind: 'added', row: v6 });
    adapter.emitAddress({ kind: 'changed', row: { ...v6, dadState: 'preferred' } });
    const gone = mockAddressRow({ address: '10.9.0.9', interfaceIndex: 5 });
    adapter.emitAddress({ kind: 'added', row: gone });
    adapter.emitAddress({ kind: 'removed', row: gone });
    expect(io.out).toEqual([]);
    await sleep(120);
    adapter.emitAddress({ kind: 'removed', row: { ...v6, dadState: 'preferred' } });
    io.stop();
    expect(await done).toBe(0);
    expect(lines(io.out)).toEqual([
      'added    2001:db8::1/64 dev veth0 (inet6) preferred valid_lft forever preferred_lft forever',
      'removed  2001:db8::1/64 dev veth0 (inet6) preferred valid_lft forever preferred_lft forever',
    ]);
    expect(adapter.active).toBe(0);
  });

  it('an adapter without the address half: NOT_SUPPORTED on stderr, exit 1, nothing registered', async () => {
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'interfaces-only',
      notifyIpInterfaceChange: (f, cb, i) => mock.notifyIpInterfaceChange(f, cb, i),
      cancelMibChangeNotify2: (h) => mock.cancelMibChangeNotify2(h),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
    };
    const io = testIo();
    expect(await runAddressWatch(options(), interfacesOnly, io)).toBe(1);
    expect(io.err).toEqual([expect.stringMatching(/^rxjs-ip-interface: NOT_SUPPORTED: interfaces-only adapter does not support notifyUnicastIpAddressChange/)]);
    expect(mock.calls).toEqual([]);
    expect(io.listening).toBe(false);
  });

  it('a registration failure: code and message on stderr, exit 1', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const io = testIo();
    expect(await runAddressWatch(options(), adapter, io)).toBe(1);
    expect(io.err).toEqual(['rxjs-ip-interface: NOT_ENOUGH_MEMORY: mock registration failure (NOT_ENOUGH_MEMORY)\n']);
    expect(adapter.active).toBe(0);
  });

  it('a stop before the registration settled still cancels it before resolving', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 30 });
    const io = testIo();
    const done = runAddressWatch(options(), adapter, io);
    io.stop();
    expect(await done).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2']);
    expect(adapter.active).toBe(0);
  });

  it('traces NotifyUnicastIpAddressChange and the cancellation when asked', async () => {
    const adapter = createMockAdapter();
    const io = testIo({ trace: true });
    const done = runAddressWatch(options({ family: AF_INET6 }), adapter, io);
    await settle();
    io.stop();
    await done;
    expect(io.err).toEqual(['trace: NotifyUnicastIpAddressChange(inet6) -> mock handle 1\n', 'trace: CancelMibChangeNotify2(mock handle 1) done\n']);
  });
});
