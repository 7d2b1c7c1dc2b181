/**
 * The route forms of the keyed operators (groupByRoute, debounceRouteChanges, serialDelivery with
 * coalesceBy: 'route'): keyed per route next hop (routeKey), where the interface forms key per interface.
 */
import { marbles } from 'rxjs-marbles/jest';
import { Subject, mergeMap } from 'rxjs';
import { AF_INET } from '../../../src/address-family';
import type { RouteChange, RouteRowChange } from '../../../src/route-change';
import { routeChanges$ } from '../../../src/route-changes';
import { routeKey } from '../../../src/route-key';
import { debounceInterfaceChanges, debounceRouteChanges } from '../../../src/operators/debounce-interface-changes';
import { groupByRoute } from '../../../src/operators/group-by-interface';
import { serialDelivery } from '../../../src/operators/serial-delivery';
import { createMockAdapter, mockRouteRow, type MockRouteChange } from '../../../adapters/mock';

// Two routes out of the same interface (eth3): the interface forms would treat them as one key.
const x = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const xAged = { ...x, age: 30 };
const y = mockRouteRow({ interfaceIndex: 3, nextHop: '10.9.0.1' });
// Another next hop of x's prefix (multipath): its own key.
const x2 = { ...x, nextHop: '10.9.0.3' };
const initial: RouteChange = { kind: 'initial', family: AF_INET };
const added = (row: typeof x): RouteRowChange => ({ kind: 'added', row });
const changed = (row: typeof x): RouteRowChange => ({ kind: 'changed', row });
const removed = (row: typeof x): RouteRowChange => ({ kind: 'removed', row });

describe('groupByRoute', () => {
  it('one group per route of the same interface, per next hop; a group completes with its removal (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<RouteChange>('i-a-b-c-r-d-|', { i: initial, a: added(x), b: added(y), c: changed(xAged), r: removed(xAged), d: added(x2) });
    const keys: string[] = [];
    const completions: string[] = [];
    m.expect(source.pipe(groupByRoute(), mergeMap((g) => {
      keys.push(g.key);
      g.subscribe({ complete: () => completions.push(g.key) });
      return g;
    }))).toBeObservable('--a-b-c-r-d-|', { a: added(x), b: added(y), c: changed(xAged), r: removed(xAged), d: added(x2) });
    m.flush();
    expect(keys).toEqual([routeKey(x), routeKey(y), routeKey(x2)]);
    expect(completions).toEqual([routeKey(x), routeKey(y), routeKey(x2)]);
  }));

  it('unsubscribing releases the source (teardown)', marbles((m) => {
    const source = m.hot<RouteChange>('-a-b-----', { a: added(x), b: added(y) });
    m.expect(source.pipe(groupByRoute(), mergeMap((g) => g)), '------!').toBeObservable('-a-b---', { a: added(x), b: added(y) });
    m.expect(source).toHaveSubscriptions('^-----!');
  }));
});

describe('debounceRouteChanges', () => {
  it('debounces per route, not per interface (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<RouteChange>('i-a-c--b---r--|', { i: initial, a: added(x), c: changed(xAged), b: added(y), r: removed(xAged) });
    m.expect(source.pipe(debounceRouteChanges(3, m.scheduler))).toBeObservable('i------A--B---(R|)', {
      i: initial,
      A: added(xAged),
      B: added(y),
      R: removed(xAged),
    });
  }));

  it('the interface form would merge the two routes (why the route form exists)', marbles((m) => {
    const source = m.hot<RouteChange>('-a-b-----|', { a: added(x), b: added(y) });
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler))).toBeObservable('------B--|', { B: added(y) });
    m.expect(source.pipe(debounceRouteChanges(3, m.scheduler))).toBeObservable('----A-B--|', { A: added(x), B: added(y) });
  }));

  it('a route added and removed within dueTime is nothing; two next hops stay two', marbles((m) => {
    const source = m.hot<RouteChange>('-a-b-r-----|', { a: added(x), b: added(x2), r: removed(x) });
    m.expect(source.pipe(debounceRouteChanges(5, m.scheduler))).toBeObservable('--------B--|', { B: added(x2) });
  }));

  it('releases its timer and the source on unsubscribe (teardown)', marbles((m) => {
    const source = m.hot<RouteChange>('-a-------', { a: added(x) });
    m.expect(source.pipe(debounceRouteChanges(5, m.scheduler)), '---!').toBeObservable('----');
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('rejects a bad dueTime with INVALID_PARAMETER', () => {
    let error: unknown;
    new Subject<RouteChange>().pipe(debounceRouteChanges(3e9)).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('works end to end on routeChanges$ over the mock', marbles((m) => {
    const routeSource = m.hot<MockRouteChange>('-a-c-b-----', { a: { kind: 'added', row: x }, c: { kind: 'changed', row: xAged }, b: { kind: 'added', row: y } });
    const adapter = createMockAdapter({ routeSource });
    m.expect(routeChanges$(AF_INET, true, { adapter }).pipe(debounceRouteChanges(2, m.scheduler))).toBeObservable('i----A-B---', {
      i: initial,
      A: added(xAged),
      B: added(y),
    });
  }));
});

describe('serialDelivery with coalesceBy: route', () => {
  it('coalesces per route when the queue overflows: two routes of one interface stay two entries', async () => {
    const source = new Subject<RouteChange>();
    const handled: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const sub = source
      .pipe(serialDelivery(async (c) => {
        calls++;
        if (calls === 1) await first;
        if (c.kind !== 'initial') handled.push(`${c.kind} ${c.row.destinationPrefix.prefix}/${c.row.destinationPrefix.prefixLength} via ${c.row.nextHop} age ${c.row.age}`);
      }, { maxQueue: 2, overflow: 'coalesce', coalesceBy: 'route' }))
      .subscribe();
    source.next(added(mockRouteRow({ interfaceIndex: 9, nextHop: '10.1.1.1' }))); // running
    source.next(added(x));
    source.next(added(y));
    source.next(changed(xAged)); // overflow: merged into x's entry
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual(['added 0.0.0.0/0 via 10.1.1.1 age 0', 'added 10.77.0.0/16 via 10.9.0.2 age 30', 'added 0.0.0.0/0 via 10.9.0.1 age 0']);
    sub.unsubscribe();
  });

  it('with coalesceBy: interface the same changes would merge into one entry (why the route form exists)', async () => {
    const source = new Subject<RouteChange>();
    const handled: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const sub = source
      .pipe(serialDelivery(async (c) => {
        calls++;
        if (calls === 1) await first;
        if (c.kind !== 'initial') handled.push(c.row.nextHop);
      }, { maxQueue: 1, overflow: 'coalesce' }))
      .subscribe();
    source.next(added(mockRouteRow({ interfaceIndex: 9 })));
    source.next(added(x));
    source.next(added(y)); // overflow: same interface as x, merged
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual(['10.0.0.1', '10.9.0.1']);
    sub.unsubscribe();
  });
});
