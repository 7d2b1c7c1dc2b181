import type { Observable, Subscription } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import type { IpInterfaceAdapter } from '../../src/adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';
import type { IpInterfaceRow } from '../../src/ip-interface-row';
import { interfaceKey } from '../../src/interface-key';
import { ipInterfaceTable$ } from '../../src/ip-interface-table';
import { createMockAdapter, mockRow, type MockIpInterfaceAdapter } from '../../adapters/mock';

const mockLoadAdapter = jest.fn<Promise<IpInterfaceAdapter>, []>();
jest.mock('../../src/default-adapter', () => ({
  ...jest.requireActual<typeof import('../../src/default-adapter')>('../../src/default-adapter'),
  loadAdapter: () => mockLoadAdapter(),
}));

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const eth1Mtu = { ...eth1, nlMtu: 1400 };
const eth2 = mockRow({ interfaceIndex: 4, interfaceName: 'eth2' });
const eth3 = mockRow({ interfaceIndex: 5, interfaceName: 'eth3' });
const eth4 = mockRow({ interfaceIndex: 6, interfaceName: 'eth4' });
const eth1v6 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6 });

const tableOf = (...rows: IpInterfaceRow[]): Map<string, IpInterfaceRow> => new Map(rows.map((r) => [interfaceKey(r), r]));
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Collected {
  /** Each emission's content, as a plain Map (what the assertions compare). */
  snapshots: Map<string, IpInterfaceRow>[];
  /** The emitted objects themselves. */
  tables: ReadonlyMap<string, IpInterfaceRow>[];
  errors: unknown[];
  sub: Subscription;
}
function collect(table$: Observable<ReadonlyMap<string, IpInterfaceRow>>): Collected {
  const snapshots: Map<string, IpInterfaceRow>[] = [];
  const tables: ReadonlyMap<string, IpInterfaceRow>[] = [];
  const errors: unknown[] = [];
  const sub = table$.subscribe({
    next: (t) => {
      tables.push(t);
      snapshots.push(new Map(t));
    },
    error: (e: unknown) => errors.push(e),
  });
  return { snapshots, tables, errors, sub };
}

/** The mock, with a table read that resolves only when the test says so, and a log of the calls. */
function slowReader(mock: MockIpInterfaceAdapter): {
  adapter: IpInterfaceAdapter;
  log: string[];
  /** Resolves the pending read with the table as the mock has it now (or with `rows`). */
  finishRead(rows?: IpInterfaceRow[]): Promise<void>;
} {
  const log: string[] = [];
  let pending: ((rows: IpInterfaceRow[]) => void) | undefined;
  let family: AddressFamily = AF_UNSPEC;
  const adapter: IpInterfaceAdapter = {
    name: 'slow',
    notifyIpInterfaceChange: (f, callback, initial) => {
      log.push('notify');
      return mock.notifyIpInterfaceChange(f, callback, initial);
    },
    cancelMibChangeNotify2: (handle) => {
      log.push('cancel');
      return mock.cancelMibChangeNotify2(handle);
    },
    getIpInterfaceTable: (f) => {
      log.push('read');
      family = f;
      return new Promise((resolve) => (pending = resolve));
    },
  };
  return {
    adapter,
    log,
    async finishRead(rows) {
      pending!(rows ?? (await mock.getIpInterfaceTable(family)));
      await settle();
    },
  };
}

describe('ipInterfaceTable$', () => {
  beforeEach(() => mockLoadAdapter.mockReset());

  it('registers first, then reads the table, then emits a new snapshot on every change', async () => {
    const mock = createMockAdapter({ table: [eth1, eth2] });
    const { adapter, log, finishRead } = slowReader(mock);
    const { snapshots, tables, errors, sub } = collect(ipInterfaceTable$(AF_INET, { adapter }));
    expect(log).toEqual(['notify', 'read']);
    expect(snapshots).toEqual([]); // nothing before the table is known
    await finishRead();
    expect(snapshots).toEqual([tableOf(eth1, eth2)]);

    mock.emit({ kind: 'changed', row: eth1Mtu });
    mock.emit({ kind: 'removed', row: eth2 });
    mock.emit({ kind: 'added', row: eth3 });
    expect(snapshots).toEqual([tableOf(eth1, eth2), tableOf(eth1Mtu, eth2), tableOf(eth1Mtu), tableOf(eth1Mtu, eth3)]);
    // Immutable snapshots: each emission is a new map, earlier ones are never touched.
    expect(new Set(tables).size).toBe(4);
    expect(tables.map((t) => new Map(t))).toEqual(snapshots);
    expect(tables[0]!.get(interfaceKey(eth1))).toBe(eth1);

    sub.unsubscribe();
    await settle();
    expect(log).toEqual(['notify', 'read', 'cancel']);
    expect(mock.active).toBe(0);
    expect(errors).toEqual([]);
  });

  it('replays the changes that raced with a stale table read on top of it', async () => {
    const mock = createMockAdapter({ table: [eth1, eth2] });
    const { adapter, finishRead } = slowReader(mock);
    const stale = await mock.getIpInterfaceTable(AF_INET); // what the read saw: before the changes below
    const { snapshots, sub } = collect(ipInterfaceTable$(AF_INET, { adapter }));
    mock.emit({ kind: 'added', row: eth3 });
    mock.emit({ kind: 'changed', row: eth1Mtu });
    mock.emit({ kind: 'removed', row: eth2 });
    mock.emit({ kind: 'added', row: eth4 });
    mock.emit({ kind: 'removed', row: eth4 });
    expect(snapshots).toEqual([]);
    await finishRead(stale);
    // One snapshot: the rows read plus every change since subscribe, in order.
    expect(snapshots).toEqual([tableOf(eth1Mtu, eth3)]);
    sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('gives the same table when the read already saw some of the racing changes', async () => {
    const mock = createMockAdapter({ table: [eth1, eth2] });
    const { adapter, finishRead } = slowReader(mock);
    const { snapshots, sub } = collect(ipInterfaceTable$(AF_INET, { adapter }));
    mock.emit({ kind: 'added', row: eth3 });
    mock.emit({ kind: 'removed', row: eth2 });
    await finishRead(); // the read returns the table as it is now: it already has eth3, not eth2
    mock.emit({ kind: 'changed', row: eth1Mtu });
    expect(snapshots).toEqual([tableOf(eth1, eth3), tableOf(eth1Mtu, eth3)]);
    sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('works with the synchronous mock as it is, and keeps only the rows of its family', async () => {
    const mock = createMockAdapter({ table: [eth1, eth1v6] });
    const v6 = collect(ipInterfaceTable$(AF_INET6, { adapter: mock }));
    const all = collect(ipInterfaceTable$(AF_UNSPEC, { adapter: mock }));
    expect(mock.active).toBe(2); // cold: one registration per subscription
    await settle();
    mock.emit({ kind: 'added', row: eth2 }); // IPv4: not a change of the IPv6 table
    expect(v6.snapshots).toEqual([tableOf(eth1v6)]);
    expect(all.snapshots).toEqual([tableOf(eth1, eth1v6), tableOf(eth1, eth1v6, eth2)]);
    v6.sub.unsubscribe();
    all.sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('sees a change made between subscribe and a late registration: the table is read only once registered', async () => {
    const mock = createMockAdapter({ table: [eth1], registrationDelayMs: 5 });
    const read = jest.spyOn(mock, 'getIpInterfaceTable');
    const { snapshots, sub } = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    mock.emit({ kind: 'added', row: eth2 }); // no callback yet (not registered), but the OS table has it
    expect(read).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(snapshots).toEqual([tableOf(eth1, eth2)]);
    sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('leaves nothing registered and emits nothing when unsubscribed while the read is in flight', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    const { adapter, log, finishRead } = slowReader(mock);
    const { snapshots, errors, sub } = collect(ipInterfaceTable$(AF_INET, { adapter }));
    mock.emit({ kind: 'added', row: eth2 });
    sub.unsubscribe();
    expect(mock.active).toBe(0);
    await finishRead();
    expect(snapshots).toEqual([]);
    expect(errors).toEqual([]);
    expect(log).toEqual(['notify', 'read', 'cancel']);
  });

  it('errors INVALID_PARAMETER for an invalid family and registers nothing', () => {
    const mock = createMockAdapter();
    for (const family of [99, 'ipx', undefined, NaN]) {
      const { errors } = collect(ipInterfaceTable$(family as unknown as AddressFamily, { adapter: mock }));
      expect(errors).toEqual([expect.any(IpInterfaceError)]);
      expect(errors[0]).toMatchObject({ code: 'INVALID_PARAMETER' });
    }
    expect(mock.calls).toEqual([]);
    expect(mockLoadAdapter).not.toHaveBeenCalled();
  });

  it('errors with the adapter code when the registration fails, and reads nothing', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    const read = jest.spyOn(mock, 'getIpInterfaceTable');
    mock.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const { errors } = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    await settle();
    expect(errors).toEqual([expect.objectContaining({ code: 'NOT_ENOUGH_MEMORY', osCode: 8, adapter: 'mock' })]);
    expect(read).not.toHaveBeenCalled();
    expect(mock.active).toBe(0);
  });

  it('errors as IpInterfaceError when the table read fails (rejects or throws), and cancels the registration', async () => {
    const cases: [string, (mock: MockIpInterfaceAdapter) => IpInterfaceAdapter['getIpInterfaceTable'], object][] = [
      ['rejects with an IpInterfaceError', () => () => Promise.reject(new IpInterfaceError('OS_ERROR', 'read failed', { adapter: 'mock', osCode: 105 })), { code: 'OS_ERROR', osCode: 105 }],
      ['rejects with another error', () => () => Promise.reject(new Error('boom')), { code: 'OS_ERROR', adapter: 'mock', cause: new Error('boom') }],
      ['throws synchronously', () => () => { throw new Error('sync boom'); }, { code: 'OS_ERROR', adapter: 'mock' }],
    ];
    for (const [name, reader, expected] of cases) {
      const mock = createMockAdapter({ table: [eth1] });
      mock.getIpInterfaceTable = reader(mock);
      const { snapshots, errors } = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
      await settle();
      expect({ name, errors }).toEqual({ name, errors: [expect.any(IpInterfaceError)] });
      expect(errors[0]).toMatchObject(expected);
      expect(snapshots).toEqual([]);
      expect({ name, active: mock.active }).toEqual({ name, active: 0 });
    }
  });

  it('uses the platform default adapter (loadAdapter) when none is given', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    mockLoadAdapter.mockResolvedValue(mock);
    const { snapshots, sub } = collect(ipInterfaceTable$(AF_INET));
    await settle();
    expect(mockLoadAdapter).toHaveBeenCalledTimes(1);
    expect(snapshots).toEqual([tableOf(eth1)]);
    sub.unsubscribe();
    expect(mock.active).toBe(0);

    // A read that throws at once, through the default (asynchronously loaded) adapter: cancelled too.
    const throwing = createMockAdapter();
    throwing.getIpInterfaceTable = () => {
      throw new Error('sync boom');
    };
    mockLoadAdapter.mockResolvedValue(throwing);
    const failed = collect(ipInterfaceTable$(AF_INET));
    await settle();
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'OS_ERROR', adapter: 'mock' })]);
    expect(throwing.active).toBe(0);
  });

  it('errors when the default adapter cannot be loaded, and registers nothing when unsubscribed first', async () => {
    mockLoadAdapter.mockRejectedValueOnce(new IpInterfaceError('NATIVE_LOAD_FAILED', 'no koffi', { adapter: 'linux' }));
    const failed = collect(ipInterfaceTable$(AF_INET));
    await settle();
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'NATIVE_LOAD_FAILED', adapter: 'linux' })]);

    const mock = createMockAdapter();
    mockLoadAdapter.mockResolvedValue(mock);
    const early = collect(ipInterfaceTable$(AF_INET));
    early.sub.unsubscribe();
    await settle();
    expect(mock.calls).toEqual([]);
  });
});
