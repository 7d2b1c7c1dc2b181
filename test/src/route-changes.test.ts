import { marbles } from 'rxjs-marbles/jest';
import { firstValueFrom } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import type { IpInterfaceAdapter, RouteChangeCallback } from '../../src/adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';
import type { RouteChange } from '../../src/route-change';
import { routeChanges$ } from '../../src/route-changes';
import { routeTable$ } from '../../src/route-table';
import { defaultRoute$ } from '../../src/default-route';
import { ipInterfaceChanges$ } from '../../src/ip-interface-changes';
import { createMockAdapter, mockRouteRow, type MockRouteChange } from '../../adapters/mock';

const lan = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const lan6 = mockRouteRow({ interfaceIndex: 3, family: AF_INET6, destinationPrefix: { prefix: '2001:db8:77::', prefixLength: 48 }, nextHop: 'fe80::2' });
const initial = (family: AddressFamily): RouteChange => ({ kind: 'initial', family });

const errorOf = (family: unknown, options: unknown): Promise<unknown> =>
  new Promise((resolve) => routeChanges$(family as AddressFamily, true, options as never).subscribe({ error: resolve, next: () => resolve('next') }));

describe('routeChanges$', () => {
  it('is marble-testable against the mock: initial first, then changes, cancelled on unsubscribe (teardown)', marbles((m) => {
    const routeSource = m.hot<MockRouteChange>('--a--b--c--', {
      a: { kind: 'added', row: lan },
      b: { kind: 'changed', row: { ...lan, protocol: 'ntStatic' as const } },
      c: { kind: 'removed', row: lan },
    });
    const adapter = createMockAdapter({ routeSource });
    const unsub = '        -------!';
    m.expect(routeChanges$(AF_INET, true, { adapter }), unsub).toBeObservable('i-a--b--', {
      i: initial(AF_INET),
      a: { kind: 'added', row: lan },
      b: { kind: 'changed', row: { ...lan, protocol: 'ntStatic' as const } },
    });
    // The mock holds its route source only while a route registration is live.
    m.expect(routeSource).toHaveSubscriptions('^------!');
  }));

  it('filters by family; unspec gets both', marbles((m) => {
    const routeSource = m.hot<MockRouteChange>('-a-b-', { a: { kind: 'added', row: lan }, b: { kind: 'added', row: lan6 } });
    const adapter = createMockAdapter({ routeSource });
    m.expect(routeChanges$(AF_INET6, false, { adapter })).toBeObservable('---b-', { b: { kind: 'added', row: lan6 } });
    m.expect(routeChanges$(AF_UNSPEC, false, { adapter })).toBeObservable('-a-b-', { a: { kind: 'added', row: lan }, b: { kind: 'added', row: lan6 } });
  }));

  it('is cold; each subscription registers once and cancels once, also when unsubscribed inside next', () => {
    const adapter = createMockAdapter();
    const changes$ = routeChanges$(AF_INET, false, { adapter });
    expect(adapter.calls).toEqual([]);
    const seen: string[] = [];
    const sub = changes$.subscribe((c) => {
      seen.push(c.kind);
      sub.unsubscribe();
    });
    adapter.emitRoute({ kind: 'added', row: lan });
    adapter.emitRoute({ kind: 'removed', row: lan });
    sub.unsubscribe();
    expect(seen).toEqual(['added']);
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyRouteChange2', 'CancelMibChangeNotify2']);
  });

  it('cancels exactly once when unsubscribed before the registration finished', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 10 });
    routeChanges$(AF_INET, true, { adapter }).subscribe().unsubscribe();
    await new Promise((r) => setTimeout(r, 30));
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyRouteChange2', 'CancelMibChangeNotify2']);
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
    ['onCancelError 1', { onCancelError: 1 }],
  ])('errors INVALID_PARAMETER for %s', async (_name, options) => {
    expect(await errorOf(AF_INET, options)).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('errors NOT_SUPPORTED (routeChanges$, routeTable$, defaultRoute$) on an adapter without the route half; it still serves interfaces', async () => {
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'user',
      notifyIpInterfaceChange: (f, c, i) => mock.notifyIpInterfaceChange(f, c, i),
      cancelMibChangeNotify2: (h) => mock.cancelMibChangeNotify2(h),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
    };
    expect(await errorOf(AF_INET, { adapter: interfacesOnly })).toMatchObject({ code: 'NOT_SUPPORTED', adapter: 'user' });
    const tableError = await new Promise((resolve) => routeTable$(AF_INET, { adapter: interfacesOnly }).subscribe({ error: resolve }));
    expect(tableError).toMatchObject({ code: 'NOT_SUPPORTED' });
    const defaultError = await new Promise((resolve) => defaultRoute$(AF_INET, { adapter: interfacesOnly }).subscribe({ error: resolve }));
    expect(defaultError).toMatchObject({ code: 'NOT_SUPPORTED' });
    // The route half without the lookup: changes work, defaultRoute$ is NOT_SUPPORTED.
    const noLookup: IpInterfaceAdapter = { ...interfacesOnly, notifyRouteChange2: (f, c, i) => mock.notifyRouteChange2(f, c, i), getIpForwardTable2: (f) => mock.getIpForwardTable2(f) };
    expect(await firstValueFrom(routeChanges$(AF_INET, true, { adapter: noLookup }))).toEqual(initial(AF_INET));
    const lookupError = await new Promise((resolve) => defaultRoute$(AF_INET, { adapter: noLookup }).subscribe({ error: resolve }));
    expect(lookupError).toMatchObject({ code: 'NOT_SUPPORTED', adapter: 'user' });
    expect(await firstValueFrom(ipInterfaceChanges$(AF_INET, true, { adapter: interfacesOnly }))).toEqual({ kind: 'initial', family: AF_INET });
    await Promise.resolve();
    expect(mock.active).toBe(0);
  });

  it.each([
    ['a row without a destination prefix', { ...lan, destinationPrefix: undefined }],
    ['a row with prefix length 33', { ...lan, destinationPrefix: { prefix: '10.0.0.0', prefixLength: 33 } }],
    ['a row without a next hop', { ...lan, nextHop: '' }],
    ['null', null],
    ['a row with a number LUID', { ...lan, interfaceLuid: 5 }],
  ])('an adapter that delivers %s errors the stream with OS_ERROR and is cancelled', async (_name, row) => {
    const mock = createMockAdapter();
    let callback: RouteChangeCallback | undefined;
    const adapter: IpInterfaceAdapter = {
      ...mock,
      name: 'garbage',
      notifyRouteChange2: (f, c, i) => {
        callback = c;
        return mock.notifyRouteChange2(f, c, i);
      },
    };
    const error = new Promise((resolve) => routeChanges$(AF_INET, false, { adapter }).subscribe({ error: resolve }));
    callback!(row as never, 'add');
    expect(await error).toMatchObject({ code: 'OS_ERROR', adapter: 'garbage' });
    await Promise.resolve();
    expect(mock.active).toBe(0);
  });

  it('a failed registration errors with the adapter error and leaves nothing registered', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    expect(await errorOf(AF_INET, { adapter })).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    expect(adapter.active).toBe(0);
  });
});
