/**
 * The address forms of the keyed operators (groupByAddress, debounceAddressChanges, serialDelivery
 * with coalesceBy: 'address'): keyed per address, where the interface forms key per interface.
 */
import { marbles } from 'rxjs-marbles/jest';
import { Subject, mergeMap, type GroupedObservable } from 'rxjs';
import { AF_INET } from '../../../src/address-family';
import type { UnicastIpAddressChange, UnicastIpAddressRowChange } from '../../../src/unicast-ip-address-change';
import { unicastIpAddressChanges$ } from '../../../src/unicast-ip-address-changes';
import { debounceAddressChanges, debounceInterfaceChanges } from '../../../src/operators/debounce-interface-changes';
import { groupByAddress } from '../../../src/operators/group-by-interface';
import { serialDelivery } from '../../../src/operators/serial-delivery';
import { createMockAdapter, mockAddressRow, type MockAddressChange } from '../../../adapters/mock';

// Two addresses of the same interface (eth3): the interface forms would treat them as one key.
const x = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.1' });
const xDeprecated = { ...x, dadState: 'deprecated' as const, preferredLifetime: 0 };
const y = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.2' });
const initial: UnicastIpAddressChange = { kind: 'initial', family: AF_INET };
const added = (row: typeof x): UnicastIpAddressRowChange => ({ kind: 'added', row });
const changed = (row: typeof x): UnicastIpAddressRowChange => ({ kind: 'changed', row });
const removed = (row: typeof x): UnicastIpAddressRowChange => ({ kind: 'removed', row });

describe('groupByAddress', () => {
  it('one group per address of the same interface; a group completes with its removal (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<UnicastIpAddressChange>('i-a-b-c-r---|', { i: initial, a: added(x), b: added(y), c: changed(xDeprecated), r: removed(xDeprecated) });
    const groups: GroupedObservable<string, UnicastIpAddressRowChange>[] = [];
    const keys: string[] = [];
    m.expect(source.pipe(groupByAddress(), mergeMap((g) => {
      groups.push(g);
      keys.push(g.key);
      return g;
    }))).toBeObservable('--a-b-c-r---|', { a: added(x), b: added(y), c: changed(xDeprecated), r: removed(xDeprecated) });
    m.flush();
    expect(keys).toEqual([`inet:${x.interfaceLuid}:10.9.0.1`, `inet:${y.interfaceLuid}:10.9.0.2`]);
  }));

  it('unsubscribing releases the source (teardown)', marbles((m) => {
    const source = m.hot<UnicastIpAddressChange>('-a-b-----', { a: added(x), b: added(y) });
    m.expect(source.pipe(groupByAddress(), mergeMap((g) => g)), '------!').toBeObservable('-a-b---', { a: added(x), b: added(y) });
    m.expect(source).toHaveSubscriptions('^-----!');
  }));
});

describe('debounceAddressChanges', () => {
  it('debounces per address, not per interface (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<UnicastIpAddressChange>('i-a-c--b---r--|', { i: initial, a: added(x), c: changed(xDeprecated), b: added(y), r: removed(xDeprecated) });
    m.expect(source.pipe(debounceAddressChanges(3, m.scheduler))).toBeObservable('i------A--B---(R|)', {
      i: initial,
      A: added(xDeprecated),
      B: added(y),
      R: removed(xDeprecated),
    });
  }));

  it('the interface form would merge the two addresses (why the address form exists)', marbles((m) => {
    const source = m.hot<UnicastIpAddressChange>('-a-b-----|', { a: added(x), b: added(y) });
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler))).toBeObservable('------B--|', { B: added(y) });
    m.expect(source.pipe(debounceAddressChanges(3, m.scheduler))).toBeObservable('----A-B--|', { A: added(x), B: added(y) });
  }));

  it('releases its timer and the source on unsubscribe (teardown)', marbles((m) => {
    const source = m.hot<UnicastIpAddressChange>('-a-------', { a: added(x) });
    m.expect(source.pipe(debounceAddressChanges(5, m.scheduler)), '---!').toBeObservable('----');
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('rejects a bad dueTime with INVALID_PARAMETER', () => {
    let error: unknown;
    new Subject<UnicastIpAddressChange>().pipe(debounceAddressChanges(-1)).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('works end to end on unicastIpAddressChanges$ over the mock', marbles((m) => {
    const addressSource = m.hot<MockAddressChange>('-a-c-b-----', { a: { kind: 'added', row: x }, c: { kind: 'changed', row: xDeprecated }, b: { kind: 'added', row: y } });
    const adapter = createMockAdapter({ addressSource });
    m.expect(unicastIpAddressChanges$(AF_INET, true, { adapter }).pipe(debounceAddressChanges(2, m.scheduler))).toBeObservable('i----A-B---', {
      i: initial,
      A: added(xDeprecated),
      B: added(y),
    });
  }));
});

describe('serialDelivery with coalesceBy: address', () => {
  it('coalesces per address when the queue overflows: two addresses of one interface stay two entries', async () => {
    const source = new Subject<UnicastIpAddressChange>();
    const handled: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const sub = source
      .pipe(serialDelivery(async (c) => {
        calls++;
        if (calls === 1) await first;
        if (c.kind !== 'initial') handled.push(`${c.kind} ${c.row.address} ${c.row.dadState}`);
      }, { maxQueue: 2, overflow: 'coalesce', coalesceBy: 'address' }))
      .subscribe();
    source.next(added(mockAddressRow({ interfaceIndex: 9, address: '10.1.1.1' }))); // running
    source.next(added(x));
    source.next(added(y));
    source.next(changed(xDeprecated)); // overflow: merged into x's entry
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual(['added 10.1.1.1 preferred', 'added 10.9.0.1 deprecated', 'added 10.9.0.2 preferred']);
    sub.unsubscribe();
  });

  it('rejects an unknown coalesceBy with INVALID_PARAMETER', async () => {
    const error = await new Promise((resolve) =>
      new Subject<UnicastIpAddressChange>().pipe(serialDelivery(() => undefined, { coalesceBy: 'luid' as never })).subscribe({ error: resolve }),
    );
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
