import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { map, type Observable, type Subscription } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { AF_INET, AF_INET6, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import type { IpInterfaceAdapter } from '../../src/adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';
import type { IpInterfaceRow } from '../../src/ip-interface-row';
import { interfaceKey } from '../../src/interface-key';
import { ipInterfaceTable$ } from '../../src/ip-interface-table';
import { createMockAdapter, mockRow, type MockChange, type MockIpInterfaceAdapter } from '../../adapters/mock';

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
    notifyIpInterfaceChange: (f, callback, initial, ended) => {
      log.push('notify');
      return mock.notifyIpInterfaceChange(f, callback, initial, ended);
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

/** The mock plus the optional capability: the registrations' own table, synchronously (as the linux reader has it). */
function withRegisteredTable(mock: MockIpInterfaceAdapter, rows: () => IpInterfaceRow[]): MockIpInterfaceAdapter & { tableReads: number } {
  const adapter = Object.assign(mock, {
    tableReads: 0,
    currentIpInterfaceTable: (): IpInterfaceRow[] => {
      adapter.tableReads++;
      return rows();
    },
  });
  return adapter;
}

const notifies = (mock: MockIpInterfaceAdapter): number => mock.calls.filter((c) => c.fn === 'NotifyIpInterfaceChange').length;
const cancels = (mock: MockIpInterfaceAdapter): number => mock.calls.filter((c) => c.fn === 'CancelMibChangeNotify2').length;

describe('ipInterfaceTable$ shared by many subscribers', () => {
  it('shares one registration, one table read and the very same maps; the last unsubscribe cancels once; a later subscribe registers again', async () => {
    const mock = createMockAdapter({ table: [eth1, eth2] });
    const read = jest.spyOn(mock, 'getIpInterfaceTable');
    const first = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    const second = collect(ipInterfaceTable$(AF_INET, { adapter: mock })); // before the read finished
    await settle();
    const third = collect(ipInterfaceTable$(AF_INET, { adapter: mock })); // after: gets the table at once
    expect(third.snapshots).toEqual([tableOf(eth1, eth2)]);
    expect([notifies(mock), read.mock.calls.length, mock.active]).toEqual([1, 1, 1]);

    mock.emit({ kind: 'changed', row: eth1Mtu });
    for (const c of [first, second, third]) expect(c.snapshots).toEqual([tableOf(eth1, eth2), tableOf(eth1Mtu, eth2)]);
    // One map per change for everyone, not a copy per subscriber.
    expect(second.tables).toEqual(first.tables);
    expect(second.tables[1]).toBe(first.tables[1]);
    expect(third.tables[0]).toBe(first.tables[0]);

    first.sub.unsubscribe();
    third.sub.unsubscribe();
    expect([mock.active, cancels(mock)]).toEqual([1, 0]);
    mock.emit({ kind: 'removed', row: eth2 });
    expect(second.snapshots.at(-1)).toEqual(tableOf(eth1Mtu));
    expect(first.snapshots).toHaveLength(2);
    second.sub.unsubscribe();
    expect([mock.active, cancels(mock)]).toEqual([0, 1]);

    const again = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    await settle();
    expect([notifies(mock), read.mock.calls.length]).toEqual([2, 2]);
    expect(again.snapshots).toEqual([tableOf(eth1Mtu)]);
    again.sub.unsubscribe();
    expect([mock.active, cancels(mock)]).toEqual([0, 2]);
    for (const c of [first, second, third, again]) expect(c.errors).toEqual([]);
  });

  it('keeps one share per adapter and family: other families and other adapters have their own', async () => {
    const a = createMockAdapter({ table: [eth1, eth1v6] });
    const b = createMockAdapter({ table: [eth2] });
    const subs = [
      collect(ipInterfaceTable$(AF_INET, { adapter: a })),
      collect(ipInterfaceTable$(AF_INET, { adapter: a })),
      collect(ipInterfaceTable$(AF_INET6, { adapter: a })),
      collect(ipInterfaceTable$(AF_INET, { adapter: b })),
    ];
    await settle();
    expect([notifies(a), notifies(b)]).toEqual([2, 1]);
    expect(subs.map((c) => c.snapshots)).toEqual([[tableOf(eth1)], [tableOf(eth1)], [tableOf(eth1v6)], [tableOf(eth2)]]);
    for (const c of subs) c.sub.unsubscribe();
    expect([a.active, b.active]).toEqual([0, 0]);
  });

  it('shares through the default adapter too (loadAdapter resolves the same adapter)', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    mockLoadAdapter.mockResolvedValue(mock);
    const subs = [collect(ipInterfaceTable$(AF_INET)), collect(ipInterfaceTable$(AF_INET))];
    await settle();
    expect([notifies(mock), mock.active]).toEqual([1, 1]);
    expect(subs.map((c) => c.snapshots)).toEqual([[tableOf(eth1)], [tableOf(eth1)]]);
    for (const c of subs) c.sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('errors every subscriber of the share with the same error and ends the share; a new subscriber starts afresh', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    let fail = true;
    const read = mock.getIpInterfaceTable.bind(mock);
    mock.getIpInterfaceTable = (f) => (fail ? Promise.reject(new Error('dump failed')) : read(f));
    const subs = [collect(ipInterfaceTable$(AF_INET, { adapter: mock })), collect(ipInterfaceTable$(AF_INET, { adapter: mock }))];
    await settle();
    expect(subs.map((c) => c.errors)).toEqual([[expect.objectContaining({ code: 'OS_ERROR' })], [expect.objectContaining({ code: 'OS_ERROR' })]]);
    expect(subs[1]!.errors[0]).toBe(subs[0]!.errors[0]);
    expect(mock.active).toBe(0);
    fail = false;
    const later = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    await settle();
    expect(later.snapshots).toEqual([tableOf(eth1)]);
    later.sub.unsubscribe();
  });

  it('lets a subscriber unsubscribe, or another subscribe, from inside next', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    const late: Collected[] = [];
    let firstSub: Subscription | undefined;
    const seen: number[] = [];
    firstSub = ipInterfaceTable$(AF_INET, { adapter: mock }).subscribe((t) => {
      seen.push(t.size);
      if (t.size === 2) {
        late.push(collect(ipInterfaceTable$(AF_INET, { adapter: mock })));
        firstSub?.unsubscribe();
      }
    });
    const other = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    await settle();
    mock.emit({ kind: 'added', row: eth2 });
    mock.emit({ kind: 'added', row: eth3 });
    expect(seen).toEqual([1, 2]);
    // The one that joined inside next got the current table once, then the next change.
    expect(late[0]!.snapshots).toEqual([tableOf(eth1, eth2), tableOf(eth1, eth2, eth3)]);
    expect(other.snapshots).toEqual([tableOf(eth1), tableOf(eth1, eth2), tableOf(eth1, eth2, eth3)]);
    expect(notifies(mock)).toBe(1);
    late[0]!.sub.unsubscribe();
    other.sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('a subscriber that joins inside the only subscriber\'s next gets the current map once, not twice', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    let late: Collected | undefined;
    const first = ipInterfaceTable$(AF_INET, { adapter: mock }).subscribe(() => {
      late ??= collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    });
    await settle();
    expect(late!.snapshots).toEqual([tableOf(eth1)]);
    mock.emit({ kind: 'added', row: eth2 });
    expect(late!.snapshots).toEqual([tableOf(eth1), tableOf(eth1, eth2)]);
    first.unsubscribe();
    late!.sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('a change caused synchronously inside next does not let the older map overtake it: every subscriber ends on the newest', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    let fired = false;
    const a = ipInterfaceTable$(AF_INET, { adapter: mock }).subscribe((t) => {
      if (t.size === 2 && !fired) {
        fired = true;
        mock.emit({ kind: 'added', row: eth3 }); // delivered synchronously, inside this next
      }
    });
    const b = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    await settle();
    mock.emit({ kind: 'added', row: eth2 });
    const sizes = b.snapshots.map((t) => t.size);
    expect(sizes[sizes.length - 1]).toBe(3);
    expect([...sizes].sort((x, y) => x - y)).toEqual(sizes); // never back to an older map
    a.unsubscribe();
    b.sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('gives the cancel failure to the onCancelError of the subscriber whose unsubscribe cancelled the registration', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    mock.cancelMibChangeNotify2 = () => Promise.reject(new IpInterfaceError('INVALID_HANDLE', 'gone', { adapter: 'mock' }));
    const early = jest.fn();
    const last = jest.fn();
    const a = ipInterfaceTable$(AF_INET, { adapter: mock, onCancelError: early }).subscribe();
    const b = ipInterfaceTable$(AF_INET, { adapter: mock, onCancelError: last }).subscribe();
    await settle();
    a.unsubscribe();
    b.unsubscribe();
    await settle();
    expect(early).not.toHaveBeenCalled();
    expect(last).toHaveBeenCalledWith(expect.objectContaining({ code: 'INVALID_HANDLE' }));
  });

  it('takes the registrations\' own table (currentIpInterfaceTable) when the adapter has one: no table read at all', async () => {
    const mock = withRegisteredTable(createMockAdapter({ table: [eth1] }), () => [eth1, eth2]);
    const read = jest.spyOn(mock, 'getIpInterfaceTable');
    const { snapshots, sub } = collect(ipInterfaceTable$(AF_INET, { adapter: mock }));
    // Synchronous: the table is there in the tick of the subscribe.
    expect(snapshots).toEqual([tableOf(eth1, eth2)]);
    expect([read.mock.calls.length, mock.tableReads]).toEqual([0, 1]);
    sub.unsubscribe();
  });
});

describe('ipInterfaceTable$ shared, in virtual time', () => {
  const t = (...rows: IpInterfaceRow[]): Map<string, IpInterfaceRow> => tableOf(...rows);
  const plain = map((table: ReadonlyMap<string, IpInterfaceRow>) => new Map(table));

  it('first subscriber registers, later ones share, the last unsubscribe releases the registration, a resubscribe registers again', marbles((m) => {
    const source = m.hot<MockChange>('--a--c---r----b---', {
      a: { kind: 'added', row: eth2 },
      c: { kind: 'changed', row: eth1Mtu },
      r: { kind: 'removed', row: eth2 },
      b: { kind: 'added', row: eth3 },
    });
    let rows = [eth1];
    const mock = withRegisteredTable(createMockAdapter({ source }), () => rows);
    const table$ = ipInterfaceTable$(AF_INET, { adapter: mock }).pipe(plain);
    const values = { T: t(eth1), A: t(eth1, eth2), C: t(eth1Mtu, eth2), R: t(eth1Mtu), B: t(eth3) };
    m.expect(table$, '   ^-------!         ').toBeObservable('T-A--C---', values);
    m.expect(table$, '   ---^---------!    ').toBeObservable('---A-C---R-', values);
    // After the last unsubscribe (frame 13) the registration is gone; frame 14 registers anew.
    m.scheduler.schedule(() => (rows = []), 13);
    m.expect(table$, '   --------------^--!').toBeObservable('--------------(EB)-', { ...values, E: t() });
    m.expect(source).toHaveSubscriptions(['^------------!', '--------------^--!']);
    m.flush();
    // Three subscribers, two shares: each registered once and cancelled exactly once.
    expect(mock.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2', 'NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
    expect([mock.tableReads, mock.active]).toEqual([2, 0]);
  }));

  it('a subscriber that leaves while others stay changes nothing for them', marbles((m) => {
    const source = m.hot<MockChange>('---c--c--', { c: { kind: 'changed', row: eth1Mtu } });
    const mock = withRegisteredTable(createMockAdapter({ source }), () => [eth1]);
    const table$ = ipInterfaceTable$(AF_INET, { adapter: mock }).pipe(plain);
    m.expect(table$, '^-!').toBeObservable('T--', { T: t(eth1) });
    m.expect(table$, '^-------!').toBeObservable('T--C--C--', { T: t(eth1), C: t(eth1Mtu) });
    m.expect(source).toHaveSubscriptions('^-------!');
  }));
});

describe('ipInterfaceTable$ against a misbehaving adapter (in a child process: nothing may escape)', () => {
  const dist = resolve(__dirname, '../../dist/cjs');

  it('errors the subscriber with an IpInterfaceError for every bad table read, bad row or hostile rejection; no unhandled rejection, nothing left registered', () => {
    if (!existsSync(`${dist}/src/index.js`)) throw new Error(`${dist} is missing: run \`npm run build\` first (npm test does)`);
    const script = `
      const escaped = [];
      process.on('unhandledRejection', (e) => escaped.push('unhandledRejection: ' + describe(e)));
      process.on('uncaughtException', (e) => escaped.push('uncaughtException: ' + describe(e)));
      function describe(e) { try { return e instanceof Error ? e.message : typeof e; } catch { return 'hostile'; } }
      const { ipInterfaceTable$, AF_INET, IpInterfaceError } = require(${JSON.stringify(`${dist}/src/index.js`)});
      const { createMockAdapter, mockRow } = require(${JSON.stringify(`${dist}/adapters/mock/index.js`)});
      const hostile = { toString() { throw new Error('toString throws'); } };
      const revoked = Proxy.revocable({}, {}); revoked.revoke();
      const cases = {
        'resolves undefined': () => Promise.resolve(undefined),
        'resolves [null]': () => Promise.resolve([null]),
        'resolves [42, str]': () => Promise.resolve([42, 'str']),
        'resolves a row without a LUID': () => Promise.resolve([{ family: 'inet', interfaceIndex: 3 }]),
        'resolves a string': () => Promise.resolve('rows'),
        'rejects with an object whose toString throws': () => Promise.reject(hostile),
        'rejects with Object.create(null)': () => Promise.reject(Object.create(null)),
        'rejects with a revoked proxy': () => Promise.reject(revoked.proxy),
        'returns undefined (no promise)': () => undefined,
        'returns a thenable whose then throws': () => ({ get then() { throw hostile; } }),
        'throws Object.create(null)': () => { throw Object.create(null); },
      };
      const results = {};
      const adapters = [];
      for (const [name, read] of Object.entries(cases)) {
        const adapter = createMockAdapter({ table: [mockRow()] });
        adapter.getIpInterfaceTable = read;
        adapters.push(adapter);
        ipInterfaceTable$(AF_INET, { adapter }).subscribe({
          next: () => (results[name] = 'emitted'),
          error: (e) => (results[name] = e instanceof IpInterfaceError ? e.code : 'not an IpInterfaceError'),
        });
      }
      // An adapter that delivers garbage rows (the mock itself would choke on them).
      for (const row of [42, 'str']) {
        const name = 'a change with row ' + String(row);
        const live = new Set();
        const adapter = {
          name: 'garbage',
          get active() { return live.size; },
          async notifyIpInterfaceChange(family, callback, initial) {
            const handle = { adapter: 'garbage', id: live.size + 1 };
            live.add(handle);
            if (initial) callback(null, 'initial');
            setImmediate(() => live.has(handle) && callback(row, 'add'));
            return handle;
          },
          async cancelMibChangeNotify2(handle) { live.delete(handle); },
          async getIpInterfaceTable() { return [mockRow()]; },
        };
        adapters.push(adapter);
        ipInterfaceTable$(AF_INET, { adapter }).subscribe({
          error: (e) => (results[name] = e instanceof IpInterfaceError ? e.code : 'not an IpInterfaceError'),
        });
      }
      setTimeout(() => {
        console.log(JSON.stringify({ results, escaped, active: adapters.map((a) => a.active) }));
      }, 200);
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as { results: Record<string, string>; escaped: string[]; active: number[] };
    expect(out.escaped).toEqual([]);
    const names = [
      'resolves undefined', 'resolves [null]', 'resolves [42, str]', 'resolves a row without a LUID', 'resolves a string',
      'rejects with an object whose toString throws', 'rejects with Object.create(null)', 'rejects with a revoked proxy',
      'returns undefined (no promise)', 'returns a thenable whose then throws', 'throws Object.create(null)',
      'a change with row 42', 'a change with row str',
    ];
    expect(out.results).toEqual(Object.fromEntries(names.map((n) => [n, 'OS_ERROR'])));
    expect(out.active.every((n) => n === 0)).toBe(true);
  });
});

describe('ipInterfaceTable$: a shared registration the adapter lost (rule 10)', () => {
  const t = (...rows: IpInterfaceRow[]): Map<string, IpInterfaceRow> => tableOf(...rows);
  const plain = map((table: ReadonlyMap<string, IpInterfaceRow>) => new Map(table));
  const lost = new IpInterfaceError('OS_ERROR', 'network namespace deleted', { adapter: 'mock', osCode: 2 });

  it('errors every table subscriber with that error at that frame, cancels nothing, and a later subscriber starts afresh', marbles((m) => {
    const source = m.hot<MockChange>('--a-----b---', { a: { kind: 'added', row: eth2 }, b: { kind: 'added', row: eth3 } });
    let rows = [eth1];
    const mock = withRegisteredTable(createMockAdapter({ source }), () => rows);
    m.scheduler.schedule(() => mock.endRegistrations(lost), 4);
    m.scheduler.schedule(() => (rows = [eth1, eth2]), 5);
    const table$ = ipInterfaceTable$(AF_INET, { adapter: mock }).pipe(plain);
    const values = { T: t(eth1), A: t(eth1, eth2), B: t(eth1, eth2, eth3) };
    m.expect(table$).toBeObservable('T-A-#', values, lost);
    m.expect(table$, '   -^---------').toBeObservable('-TA-#', values, lost);
    m.expect(table$, '   ------^---!').toBeObservable('------A-B--', values);
    m.expect(source).toHaveSubscriptions(['^---!', '------^---!']);
    m.flush();
    // Two shares: the first ended by the adapter (never cancelled: its handle is dead), the second cancelled once.
    expect(mock.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
    expect([mock.tableReads, mock.active]).toEqual([2, 0]);
  }));

  it('ended while the table read is in flight: every subscriber errors, the late read is dropped, nothing is left', async () => {
    const mock = createMockAdapter({ table: [eth1] });
    const slow = slowReader(mock);
    const first = collect(ipInterfaceTable$(AF_INET, { adapter: slow.adapter }));
    const second = collect(ipInterfaceTable$(AF_INET, { adapter: slow.adapter }));
    await settle();
    expect(slow.log).toEqual(['notify', 'read']);
    mock.endRegistrations(lost);
    await slow.finishRead();
    expect([first.errors, second.errors, first.snapshots, second.snapshots]).toEqual([[lost], [lost], [], []]);
    expect([mock.active, slow.log]).toEqual([0, ['notify', 'read']]);
    const third = collect(ipInterfaceTable$(AF_INET, { adapter: slow.adapter }));
    await settle();
    await slow.finishRead();
    expect(third.snapshots).toEqual([tableOf(eth1)]);
    third.sub.unsubscribe();
    await settle();
    expect([mock.active, slow.log]).toEqual([0, ['notify', 'read', 'notify', 'read', 'cancel']]);
  });
});
