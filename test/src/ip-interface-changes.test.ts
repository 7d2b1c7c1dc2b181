import { marbles } from 'rxjs-marbles/jest';
import { Subscription } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import { ipInterfaceChanges$ } from '../../src/ip-interface-changes';
import { IpInterfaceError } from '../../src/ip-interface-error';
import type { IpInterfaceChange } from '../../src/ip-interface-change';
import type { IpInterfaceAdapter, NotificationHandle } from '../../src/adapter';
import { createMockAdapter, mockRow, type MockChange } from '../../adapters/mock';

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const eth1v6 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6 });
const initial = (family: AddressFamily): IpInterfaceChange => ({ kind: 'initial', family });

describe('ipInterfaceChanges$', () => {
  it('is marble-testable against the mock: initial first, then changes, cancelled on unsubscribe', marbles((m) => {
    const source = m.hot<MockChange>('--a--b--c--', {
      a: { kind: 'added', row: eth1 },
      b: { kind: 'changed', row: { ...eth1, nlMtu: 1400 } },
      c: { kind: 'removed', row: eth1 },
    });
    const adapter = createMockAdapter({ source });
    const unsub = '        -------!';
    m.expect(ipInterfaceChanges$(AF_INET, true, { adapter }), unsub).toBeObservable('i-a--b--', {
      i: initial(AF_INET),
      a: { kind: 'added', row: eth1 },
      b: { kind: 'changed', row: { ...eth1, nlMtu: 1400 } },
    });
    // The mock holds its source only while a registration is live.
    m.expect(source).toHaveSubscriptions('^------!');
  }));

  it('filters by family; unspec gets both', marbles((m) => {
    const source = m.hot<MockChange>('-a-b-', { a: { kind: 'added', row: eth1 }, b: { kind: 'added', row: eth1v6 } });
    const adapter = createMockAdapter({ source });
    m.expect(ipInterfaceChanges$(AF_INET6, false, { adapter })).toBeObservable('---b-', { b: { kind: 'added', row: eth1v6 } });
    m.expect(ipInterfaceChanges$(AF_UNSPEC, false, { adapter })).toBeObservable('-a-b-', {
      a: { kind: 'added', row: eth1 },
      b: { kind: 'added', row: eth1v6 },
    });
  }));

  it('is cold: nothing registers until subscribe, each subscription registers once and cancels once', async () => {
    const adapter = createMockAdapter();
    const changes$ = ipInterfaceChanges$(AF_INET, false, { adapter });
    expect(adapter.calls).toEqual([]);
    const a = changes$.subscribe();
    const b = changes$.subscribe();
    expect(adapter.active).toBe(2);
    a.unsubscribe();
    a.unsubscribe();
    b.unsubscribe();
    await Promise.resolve();
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual([
      'NotifyIpInterfaceChange',
      'NotifyIpInterfaceChange',
      'CancelMibChangeNotify2',
      'CancelMibChangeNotify2',
    ]);
    expect(adapter.calls[2]!.handle).toBe(adapter.calls[0]!.handle);
    expect(adapter.calls[3]!.handle).toBe(adapter.calls[1]!.handle);
  });

  it.each([99, 'ipx', undefined, NaN, null, 2])('errors INVALID_PARAMETER for family %p and registers nothing', async (family) => {
    const adapter = createMockAdapter();
    const error = await new Promise<unknown>((resolve) =>
      ipInterfaceChanges$(family as unknown as AddressFamily, true, { adapter }).subscribe({ error: resolve, next: () => resolve('next') }),
    );
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect((error as IpInterfaceError).code).toBe('INVALID_PARAMETER');
    expect(adapter.calls).toEqual([]);
  });

  it('a failed registration errors with the adapter code and leaves nothing registered', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const error = await new Promise<unknown>((resolve) => ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8, adapter: 'mock' });
    expect(adapter.active).toBe(0);
  });

  it('cancels exactly once when unsubscribed inside next', async () => {
    const adapter = createMockAdapter();
    let sub: Subscription | undefined = undefined;
    const seen: IpInterfaceChange[] = [];
    sub = ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe((c) => {
      seen.push(c);
      if (c.kind === 'added') sub?.unsubscribe();
    });
    adapter.emit({ kind: 'added', row: eth1 });
    adapter.emit({ kind: 'changed', row: eth1 });
    await Promise.resolve();
    expect(seen.map((c) => c.kind)).toEqual(['initial', 'added']);
    expect(adapter.calls.filter((c) => c.fn === 'CancelMibChangeNotify2')).toHaveLength(1);
    expect(adapter.active).toBe(0);
  });

  it('cancels once registration finishes when unsubscribed before it did, and delivers nothing', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 5 });
    const next = jest.fn();
    const sub = ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe(next);
    sub.unsubscribe();
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange']);
    await new Promise((r) => setTimeout(r, 20));
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
    expect(adapter.active).toBe(0);
    expect(next).not.toHaveBeenCalled();
  });

  it('delivers callbacks that arrive before the registration promise settles, marker first, once', async () => {
    const rows: NotificationHandle = { adapter: 'eager', id: 1 };
    let cancels = 0;
    const adapter: IpInterfaceAdapter = {
      name: 'eager',
      notifyIpInterfaceChange: async (_family, callback) => {
        callback(eth1, 'add');
        callback(null, 'initial'); // late adapter marker: must not duplicate
        return rows;
      },
      cancelMibChangeNotify2: async () => {
        cancels++;
      },
      getIpInterfaceTable: async () => [],
    };
    const seen: IpInterfaceChange[] = [];
    const sub = ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe((c) => seen.push(c));
    await new Promise((r) => setTimeout(r, 0));
    sub.unsubscribe();
    await Promise.resolve();
    expect(seen).toEqual([initial(AF_INET), { kind: 'added', row: eth1 }]);
    expect(cancels).toBe(1);
  });

  it('emits the marker after registration when the adapter never sends one (initial requested)', async () => {
    const adapter: IpInterfaceAdapter = {
      name: 'silent',
      notifyIpInterfaceChange: async () => ({ adapter: 'silent', id: 1 }),
      cancelMibChangeNotify2: async () => undefined,
      getIpInterfaceTable: async () => [],
    };
    const seen: IpInterfaceChange[] = [];
    const sub = ipInterfaceChanges$(AF_INET6, true, { adapter }).subscribe((c) => seen.push(c));
    await new Promise((r) => setTimeout(r, 0));
    sub.unsubscribe();
    expect(seen).toEqual([initial(AF_INET6)]);
  });

  it('wraps a non-IpInterfaceError rejection and reports cancel failures to onCancelError', async () => {
    const failing: IpInterfaceAdapter = {
      name: 'broken',
      notifyIpInterfaceChange: () => Promise.reject(new Error('boom')),
      cancelMibChangeNotify2: async () => undefined,
      getIpInterfaceTable: async () => [],
    };
    const error = await new Promise<unknown>((resolve) => ipInterfaceChanges$(AF_INET, false, { adapter: failing }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'OS_ERROR', adapter: 'broken' });
    expect((error as Error).cause).toEqual(new Error('boom'));

    const onCancelError = jest.fn();
    const cancelFails: IpInterfaceAdapter = { ...failing, notifyIpInterfaceChange: async () => ({ adapter: 'broken', id: 1 }), cancelMibChangeNotify2: () => Promise.reject(new Error('cancel')) };
    const sub = ipInterfaceChanges$(AF_INET, false, { adapter: cancelFails, onCancelError }).subscribe();
    await Promise.resolve();
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 0));
    expect(onCancelError).toHaveBeenCalledWith(expect.objectContaining({ code: 'OS_ERROR' }));
  });
});
