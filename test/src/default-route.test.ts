import { marbles } from 'rxjs-marbles/jest';
import { firstValueFrom } from 'rxjs';
import { AF_INET, AF_INET6 } from '../../src/address-family';
import type { IpInterfaceAdapter } from '../../src/adapter';
import type { IpForwardRow } from '../../src/ip-forward-row';
import { DEFAULT_ROUTE_DESTINATIONS, defaultRoute$ } from '../../src/default-route';
import { createMockAdapter, mockRouteRow, type MockRouteChange } from '../../adapters/mock';

const gwA = mockRouteRow({ interfaceIndex: 3, nextHop: '10.0.0.1', metric: 100 });
const gwB = mockRouteRow({ interfaceIndex: 4, nextHop: '10.1.0.1', metric: 50 });
const lan = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const gw6 = mockRouteRow({ interfaceIndex: 3, family: AF_INET6 });

describe('defaultRoute$', () => {
  it('marbles: the answer on subscribe, then only when it changes, one lookup per burst; unsubscribing cancels (teardown)', marbles((m) => {
    // a: the first default appears, x: an unrelated route, b: a better default (lower metric),
    // c+d in one frame: a burst, y: an unrelated route again, r+s: both defaults gone.
    const routeSource = m.hot<MockRouteChange>('--a--x--b--(cd)--y--(rs)---', {
      a: { kind: 'added', row: gwA },
      x: { kind: 'added', row: lan },
      b: { kind: 'added', row: gwB },
      c: { kind: 'changed', row: { ...gwB, age: 5 } },
      d: { kind: 'removed', row: lan },
      y: { kind: 'added', row: lan },
      r: { kind: 'removed', row: gwB },
      s: { kind: 'removed', row: gwA },
    });
    const adapter = createMockAdapter({ routeSource });
    // The debounce (2 frames) runs on the test scheduler.
    const options = { adapter, debounceMs: 2, scheduler: m.scheduler };
    const unsub = '                           -----------------------!';
    m.expect(defaultRoute$(AF_INET, options), unsub).toBeObservable('n---A-----B-----------n-', { n: null, A: gwA, B: gwB });
    m.expect(routeSource).toHaveSubscriptions('^----------------------!');
    m.flush();
    // Subscribe, a, x, b, the (cd) burst, y, (rs): 7 lookups, no more (the burst is one).
    expect(adapter.lookups).toEqual(Array(7).fill({ family: AF_INET, destination: DEFAULT_ROUTE_DESTINATIONS.inet }));
    expect(adapter.active).toBe(0);
  }));

  it('marbles: a burst spread over frames is one lookup, debounceMs after its last change (one action re-armed, not one per change)', marbles((m) => {
    const routeSource = m.hot<MockRouteChange>('--abc-------', {
      a: { kind: 'added', row: lan },
      b: { kind: 'added', row: gwA },
      c: { kind: 'removed', row: lan },
    });
    const adapter = createMockAdapter({ routeSource });
    m.expect(defaultRoute$(AF_INET, { adapter, debounceMs: 3, scheduler: m.scheduler })).toBeObservable('n------A----', { n: null, A: gwA });
    m.flush();
    expect(adapter.lookups).toHaveLength(2); // subscribe, and frame 7 (c at 4 + 3)
  }));

  it('a lookup per burst: 1000 changes in one tick cost one lookup', async () => {
    const adapter = createMockAdapter({ routeTable: [gwA] });
    const seen: (IpForwardRow | null)[] = [];
    const sub = defaultRoute$(AF_INET, { adapter }).subscribe((r) => seen.push(r));
    for (let i = 0; i < 1000; i++) adapter.emitRoute({ kind: 'added', row: { ...lan, destinationPrefix: { prefix: `10.${i >> 8}.${i & 255}.0`, prefixLength: 24 } } });
    await new Promise((r) => setTimeout(r, 10));
    sub.unsubscribe();
    expect(seen).toEqual([gwA]);
    expect(adapter.lookups).toHaveLength(2);
  });

  it('asks the destination given; inet6 by default the IPv6 destination', async () => {
    const adapter = createMockAdapter({ routeTable: [gw6] });
    const route = await firstValueFrom(defaultRoute$(AF_INET6, { adapter }));
    expect(route).toBe(gw6);
    await firstValueFrom(defaultRoute$(AF_INET, { adapter, destination: '10.20.0.1' }));
    expect(adapter.lookups).toEqual([
      { family: AF_INET6, destination: '2001:4860:4860::8888' },
      { family: AF_INET, destination: '10.20.0.1' },
    ]);
  });

  it('serializes lookups: a stale answer is never emitted, a newer one is never overtaken', async () => {
    const mock = createMockAdapter();
    const answers: { resolve: (row: IpForwardRow | null) => void; destination: string }[] = [];
    const adapter: IpInterfaceAdapter = {
      ...mock,
      getBestRoute2: (_family, destination) => new Promise((resolve) => answers.push({ resolve, destination })),
    };
    const seen: (IpForwardRow | null)[] = [];
    const sub = defaultRoute$(AF_INET, { adapter }).subscribe((r) => seen.push(r));
    expect(answers).toHaveLength(1); // the first lookup, once registered
    mock.emitRoute({ kind: 'added', row: gwA });
    await new Promise((r) => setTimeout(r, 5));
    expect(answers).toHaveLength(1); // in flight: the change only marks it stale
    answers[0]!.resolve(null); // stale: not emitted, looked up again
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
    expect(answers).toHaveLength(2);
    answers[1]!.resolve(gwA);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([gwA]);
    sub.unsubscribe();
    expect(mock.active).toBe(0);
  });

  it('an answer in flight at unsubscribe is dropped; the pending debounce is released', async () => {
    const mock = createMockAdapter();
    let resolve!: (row: IpForwardRow | null) => void;
    const adapter: IpInterfaceAdapter = { ...mock, getBestRoute2: () => new Promise((r) => (resolve = r)) };
    const seen: unknown[] = [];
    const sub = defaultRoute$(AF_INET, { adapter, debounceMs: 50 }).subscribe({ next: (r) => seen.push(r), error: (e) => seen.push(e) });
    mock.emitRoute({ kind: 'added', row: gwA });
    sub.unsubscribe();
    resolve(gwA);
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual([]);
    expect(mock.active).toBe(0);
  });

  it.each([
    ['a rejected lookup', () => Promise.reject(new Error('netlink says no')), 'OS_ERROR'],
    ['a throwing lookup', () => { throw new RangeError('boom'); }, 'OS_ERROR'],
    ['a row of the other family', () => Promise.resolve(gw6), 'OS_ERROR'],
    ['a non-promise', () => gwA, 'OS_ERROR'],
    ['a settledRoute getter that throws, then a rejection', () => Object.defineProperty(Promise.reject(new Error('late')), 'settledRoute', { get() { throw new Error('hostile'); } }), 'OS_ERROR'],
    ['garbage', () => Promise.resolve({ nextHop: 1 }), 'OS_ERROR'],
  ])('%s errors the stream with a typed error and cancels the registration', async (_name, getBestRoute2, code) => {
    const mock = createMockAdapter();
    const adapter = { ...mock, name: 'odd', getBestRoute2 } as unknown as IpInterfaceAdapter;
    const error = await new Promise((resolve) => defaultRoute$(AF_INET, { adapter }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code, adapter: 'odd' });
    await Promise.resolve();
    expect(mock.active).toBe(0);
  });

  it.each([
    ['family unspec', 'unspec', {}],
    ['family 99', 99, {}],
    ['an IPv6 destination for inet', AF_INET, { destination: '2001:db8::1' }],
    ['destination 42', AF_INET, { destination: 42 }],
    ['a negative debounce', AF_INET, { debounceMs: -1 }],
    ['a debounce above 2^31-1', AF_INET, { debounceMs: 3e9 }],
    ['scheduler {}', AF_INET, { scheduler: {} }],
    ['options null', AF_INET, null],
    ['adapter {}', AF_INET, { adapter: {} }],
    ['onCancelError 1', AF_INET, { onCancelError: 1 }],
  ])('errors INVALID_PARAMETER for %s and registers nothing', async (_name, family, options) => {
    const adapter = createMockAdapter();
    const error = await new Promise((resolve) =>
      defaultRoute$(family as never, (options === null ? null : { adapter, ...options }) as never).subscribe({ error: resolve }),
    );
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(adapter.calls).toEqual([]);
  });

  it('options whose getters throw: INVALID_PARAMETER, nothing registered, nothing thrown', async () => {
    const hostile = Object.defineProperty({}, 'destination', { get() { throw new Error('boom'); } });
    const error = await new Promise((resolve) => defaultRoute$(AF_INET, hostile).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('a registration error reaches the subscriber (the route core decides it)', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const error = await new Promise((resolve) => defaultRoute$(AF_INET, { adapter }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    expect(adapter.lookups).toEqual([]);
  });

  it('the mock answers setBestRoute (fixed or per destination), else its default route of the lowest metric', async () => {
    const adapter = createMockAdapter({ routeTable: [gwA, gwB] });
    expect(await adapter.getBestRoute2(AF_INET, '8.8.8.8')).toBe(gwB);
    adapter.setBestRoute(AF_INET, (destination) => (destination.startsWith('10.') ? lan : null));
    expect(await adapter.getBestRoute2(AF_INET, '10.77.1.1')).toBe(lan);
    expect(await adapter.getBestRoute2(AF_INET, '8.8.8.8')).toBeNull();
    adapter.setBestRoute(AF_INET, undefined);
    expect(await adapter.getBestRoute2(AF_INET, '8.8.8.8')).toBe(gwB);
    await expect(adapter.getBestRoute2('unspec' as never, '8.8.8.8')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});

describe('defaultRoute$ (docs/testing.md example)', () => {
  it('follows the default route', marbles((m) => {
    const gw = mockRouteRow({ nextHop: '10.0.0.1' });
    const routeSource = m.hot<MockRouteChange>('--a--r--', { a: { kind: 'added', row: gw }, r: { kind: 'removed', row: gw } });
    const adapter = createMockAdapter({ routeSource });
    m.expect(defaultRoute$(AF_INET, { adapter, scheduler: m.scheduler })).toBeObservable('n-g--n--', { n: null, g: gw });
  }));
});
