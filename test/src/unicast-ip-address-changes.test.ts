import { marbles } from 'rxjs-marbles/jest';
import { firstValueFrom } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import type { IpInterfaceAdapter, UnicastIpAddressChangeCallback } from '../../src/adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';
import type { UnicastIpAddressChange } from '../../src/unicast-ip-address-change';
import { unicastIpAddressChanges$ } from '../../src/unicast-ip-address-changes';
import { unicastIpAddressTable$ } from '../../src/unicast-ip-address-table';
import { ipInterfaceChanges$ } from '../../src/ip-interface-changes';
import { createMockAdapter, mockAddressRow, mockRow, type MockAddressChange } from '../../adapters/mock';

const a1 = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.1' });
const a6 = mockAddressRow({ interfaceIndex: 3, family: AF_INET6, address: '2001:db8::1' });
const initial = (family: AddressFamily): UnicastIpAddressChange => ({ kind: 'initial', family });

const errorOf = (family: unknown, options: unknown): Promise<unknown> =>
  new Promise((resolve) =>
    unicastIpAddressChanges$(family as AddressFamily, true, options as never).subscribe({ error: resolve, next: () => resolve('next') }),
  );

describe('unicastIpAddressChanges$', () => {
  it('is marble-testable against the mock: initial first, then changes, cancelled on unsubscribe (teardown)', marbles((m) => {
    const addressSource = m.hot<MockAddressChange>('--a--b--c--', {
      a: { kind: 'added', row: a1 },
      b: { kind: 'changed', row: { ...a1, dadState: 'deprecated', preferredLifetime: 0 } },
      c: { kind: 'removed', row: a1 },
    });
    const adapter = createMockAdapter({ addressSource });
    const unsub = '        -------!';
    m.expect(unicastIpAddressChanges$(AF_INET, true, { adapter }), unsub).toBeObservable('i-a--b--', {
      i: initial(AF_INET),
      a: { kind: 'added', row: a1 },
      b: { kind: 'changed', row: { ...a1, dadState: 'deprecated', preferredLifetime: 0 } },
    });
    // The mock holds its address source only while an address registration is live.
    m.expect(addressSource).toHaveSubscriptions('^------!');
  }));

  it('filters by family; unspec gets both', marbles((m) => {
    const addressSource = m.hot<MockAddressChange>('-a-b-', { a: { kind: 'added', row: a1 }, b: { kind: 'added', row: a6 } });
    const adapter = createMockAdapter({ addressSource });
    m.expect(unicastIpAddressChanges$(AF_INET6, false, { adapter })).toBeObservable('---b-', { b: { kind: 'added', row: a6 } });
    m.expect(unicastIpAddressChanges$(AF_UNSPEC, false, { adapter })).toBeObservable('-a-b-', { a: { kind: 'added', row: a1 }, b: { kind: 'added', row: a6 } });
  }));

  it('drops lifetime-only updates unless lifetimeUpdates is true; a lifetime change with another field change is emitted', marbles((m) => {
    const refreshed = { ...a1, validLifetime: 3600, preferredLifetime: 1800 };
    const refreshedAgain = { ...a1, validLifetime: 3500, preferredLifetime: 1700 };
    const deprecated = { ...refreshedAgain, preferredLifetime: 0, dadState: 'deprecated' as const };
    const addressSource = m.hot<MockAddressChange>('-a-l-k-d-', {
      a: { kind: 'added', row: a1 },
      l: { kind: 'changed', row: refreshed },
      k: { kind: 'changed', row: refreshedAgain },
      d: { kind: 'changed', row: deprecated },
    });
    const adapter = createMockAdapter({ addressSource });
    m.expect(unicastIpAddressChanges$(AF_INET, false, { adapter })).toBeObservable('-a-----d-', {
      a: { kind: 'added', row: a1 },
      d: { kind: 'changed', row: deprecated },
    });
    m.expect(unicastIpAddressChanges$(AF_INET, false, { adapter, lifetimeUpdates: true })).toBeObservable('-a-l-k-d-', {
      a: { kind: 'added', row: a1 },
      l: { kind: 'changed', row: refreshed },
      k: { kind: 'changed', row: refreshedAgain },
      d: { kind: 'changed', row: deprecated },
    });
  }));

  it('is cold; each subscription registers once and cancels once, also when unsubscribed inside next', () => {
    const adapter = createMockAdapter();
    const changes$ = unicastIpAddressChanges$(AF_INET, false, { adapter });
    expect(adapter.calls).toEqual([]);
    const seen: string[] = [];
    const sub = changes$.subscribe((c) => {
      seen.push(c.kind);
      sub.unsubscribe();
    });
    adapter.emitAddress({ kind: 'added', row: a1 });
    adapter.emitAddress({ kind: 'removed', row: a1 });
    sub.unsubscribe();
    expect(seen).toEqual(['added']);
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2']);
  });

  it('cancels exactly once when unsubscribed before the registration finished', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 10 });
    unicastIpAddressChanges$(AF_INET, true, { adapter }).subscribe().unsubscribe();
    await new Promise((r) => setTimeout(r, 30));
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2']);
    expect(adapter.active).toBe(0);
  });

  it.each([99, 'ipx', undefined, NaN, null])('errors INVALID_PARAMETER for family %p and registers nothing', async (family) => {
    const adapter = createMockAdapter();
    const error = await errorOf(family, { adapter });
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect((error as IpInterfaceError).code).toBe('INVALID_PARAMETER');
    expect(adapter.calls).toEqual([]);
  });

  it.each([
    ['options 42', 42],
    ['adapter {}', { adapter: {} }],
    ['lifetimeUpdates "yes"', { lifetimeUpdates: 'yes' }],
    ['onCancelError 1', { onCancelError: 1 }],
  ])('errors INVALID_PARAMETER for %s', async (_name, options) => {
    const error = await errorOf(AF_INET, options);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('errors NOT_SUPPORTED on an adapter without the address half; the same adapter still serves interfaces', async () => {
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'user',
      notifyIpInterfaceChange: (f, c, i) => mock.notifyIpInterfaceChange(f, c, i),
      cancelMibChangeNotify2: (h) => mock.cancelMibChangeNotify2(h),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
    };
    const error = await errorOf(AF_INET, { adapter: interfacesOnly });
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED', adapter: 'user' });
    const tableError = await new Promise((resolve) => unicastIpAddressTable$(AF_INET, { adapter: interfacesOnly }).subscribe({ error: resolve }));
    expect(tableError).toMatchObject({ code: 'NOT_SUPPORTED' });
    const first = await firstValueFrom(ipInterfaceChanges$(AF_INET, true, { adapter: interfacesOnly }));
    expect(first).toEqual({ kind: 'initial', family: AF_INET });
    expect(mock.active).toBe(0);
  });

  it.each([
    ['a row without an address', { ...a1, address: undefined }],
    ['null', null],
    ['a row with a number LUID', { ...a1, interfaceLuid: 5 }],
  ])('an adapter that delivers %s errors the stream with OS_ERROR and is cancelled', async (_name, row) => {
    const mock = createMockAdapter();
    let callback: UnicastIpAddressChangeCallback | undefined;
    const adapter: IpInterfaceAdapter = {
      ...mock,
      name: 'garbage',
      notifyUnicastIpAddressChange: (f, c, i) => {
        callback = c;
        return mock.notifyUnicastIpAddressChange(f, c, i);
      },
    };
    const error = new Promise((resolve) => unicastIpAddressChanges$(AF_INET, false, { adapter }).subscribe({ error: resolve }));
    callback!(row as never, 'add');
    expect(await error).toMatchObject({ code: 'OS_ERROR', adapter: 'garbage' });
    await Promise.resolve();
    expect(mock.active).toBe(0);
  });

  it('a cancel that throws never escapes unsubscribe; onCancelError hears it', () => {
    const mock = createMockAdapter();
    const heard: unknown[] = [];
    const adapter: IpInterfaceAdapter = {
      ...mock,
      cancelMibChangeNotify2: () => {
        throw new Error('cancel exploded');
      },
    };
    const sub = unicastIpAddressChanges$(AF_INET, true, { adapter, onCancelError: (e) => heard.push(e) }).subscribe();
    expect(() => sub.unsubscribe()).not.toThrow();
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ code: 'OS_ERROR' });
  });
});
