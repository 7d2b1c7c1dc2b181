import { marbles } from 'rxjs-marbles/jest';
import { type GroupedObservable, type Observable, Subject, delay, endWith, map, mergeMap, of, take, timer } from 'rxjs';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../../../src/ip-interface-change';
import { interfaceKey } from '../../../src/interface-key';
import { groupByInterface } from '../../../src/operators/group-by-interface';
import { debounceInterfaceChanges } from '../../../src/operators/debounce-interface-changes';
import { serialDelivery } from '../../../src/operators/serial-delivery';
import { mockRow } from '../../../adapters/mock';
import { eth1, eth1Mtu, eth2, eth1v6, added, changed, removed, initial } from './change-fixtures';


const values = { i: initial, a: added(eth1), b: added(eth2), c: changed(eth1Mtu), r: removed(eth1Mtu), x: added(eth1v6) };

/** Every group's changes as `<group number>:<kind>`, and `<group number>:end` when it completes. */
function flatten(groups$: Observable<GroupedObservable<string, IpInterfaceRowChange>>): Observable<string> {
  let count = 0;
  return groups$.pipe(
    mergeMap((group) => {
      const n = ++count;
      return group.pipe(
        map((c) => `${n}:${c.kind}`),
        endWith(`${n}:end`),
      );
    }),
  );
}

describe('groupByInterface', () => {
  it('opens one group per interface key (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('i-a-b-c-r---a---|', values);
    m.expect(source.pipe(groupByInterface(), map((g) => g.key))).toBeObservable('--1-2-------3---|', {
      1: interfaceKey(eth1),
      2: interfaceKey(eth2),
      3: interfaceKey(eth1),
    });
    m.expect(flatten(source.pipe(groupByInterface()))).toBeObservable('--a-b-c-(rR)x---(BX|)', {
      a: '1:added',
      b: '2:added',
      c: '1:changed',
      r: '1:removed',
      R: '1:end',
      x: '3:added',
      B: '2:end',
      X: '3:end',
    });
    m.expect(source).toHaveSubscriptions(['^---------------!', '^---------------!']);
  }));

  it('delivers the changes themselves, each to its own group; the IPv4 and IPv6 interfaces are distinct', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('a-x-c-|', values);
    const groups = source.pipe(
      groupByInterface(),
      mergeMap((g) => g.pipe(map((change) => ({ key: g.key, change })))),
    );
    m.expect(groups).toBeObservable('a-x-c-|', {
      a: { key: interfaceKey(eth1), change: added(eth1) },
      x: { key: interfaceKey(eth1v6), change: added(eth1v6) },
      c: { key: interfaceKey(eth1), change: changed(eth1Mtu) },
    });
  }));

  it('completes a group right after its removed change, so groups do not pile up', () => {
    const source = new Subject<IpInterfaceChange>();
    const seen: string[] = [];
    const open = new Set<string>();
    source.pipe(groupByInterface()).subscribe((g) => {
      open.add(g.key);
      g.subscribe({ next: (c) => seen.push(c.kind), complete: () => open.delete(g.key) });
    });
    for (let i = 0; i < 1000; i++) {
      const row = mockRow({ interfaceIndex: 10 + i });
      source.next(added(row));
      source.next(removed(row));
    }
    expect(open.size).toBe(0);
    expect(seen).toHaveLength(2000);
    expect(seen.slice(0, 4)).toEqual(['added', 'removed', 'added', 'removed']);
  });

  it('drops the initial marker', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('i-i-|', values);
    m.expect(source.pipe(groupByInterface())).toBeObservable('----|');
  }));

  it('errors every open group and the outer Observable with the source error', marbles((m) => {
    const error = new Error('source failed');
    const source = m.hot<IpInterfaceChange>('a-b-#', values, error);
    const groupErrors: unknown[] = [];
    const grouped = source.pipe(
      groupByInterface(),
      mergeMap((g) => {
        g.subscribe({ error: (e: unknown) => groupErrors.push(e) });
        return g.pipe(map((c) => c.kind));
      }),
    );
    m.expect(grouped).toBeObservable('a-a-#', { a: 'added' }, error);
    m.expect(source).toHaveSubscriptions('^---!');
    m.flush();
    expect(groupErrors).toEqual([error, error]);
  }));

  it('releases the source on unsubscribe', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('a-b-c-r-', values);
    m.expect(flatten(source.pipe(groupByInterface())), '---!').toBeObservable('a-b-', { a: '1:added', b: '2:added' });
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('keeps the source while a group is still subscribed after the outer subscriber left (like groupBy)', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('a-b-c-r-a-', values);
    // take(1) leaves the outer Observable at once; the eth1 group goes on until its removal.
    const firstGroup = source.pipe(
      groupByInterface(),
      take(1),
      mergeMap((g) => g.pipe(map((c) => c.kind))),
    );
    m.expect(firstGroup).toBeObservable('a---c-(r|)', { a: 'added', c: 'changed', r: 'removed' });
    m.expect(source).toHaveSubscriptions('^-----!');
  }));

  it('delivers the removed change to a subscriber that joined the group late, then completes it', marbles((m) => {
    // groupBy's duration selector would be subscribed before this subscriber and close the group
    // before it saw the removal.
    const source = m.hot<IpInterfaceChange>('a-c-r-', values);
    const late = source.pipe(
      groupByInterface(),
      mergeMap((g) => timer(1).pipe(mergeMap(() => g.pipe(map((c) => c.kind))))),
    );
    m.expect(late).toBeObservable('--c-r-', { c: 'changed', r: 'removed' });
    m.expect(source).toHaveSubscriptions('^-----');
  }));

  it('composes with debounceInterfaceChanges and serialDelivery: one debounced, serial pipeline per interface', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('i-a-b-c--r---|', values);
    const handled = source.pipe(
      groupByInterface(),
      mergeMap((group) =>
        group.pipe(
          debounceInterfaceChanges(2),
          // `change.row` needs no narrowing: a group carries row changes only.
          serialDelivery((change) => of(`${change.kind} ${change.row.interfaceName ?? '?'} ${change.row.nlMtu}`).pipe(delay(3))),
        ),
      ),
    );
    // eth1: a(2) settles at 4 and is handled 4..7; c(6) settles at 8, handled 8..11. r(9) completes the
    // eth1 group, so its debounce flushes r at once (9); it waits for c and is handled 11..14.
    // eth2: b(4) settles at 6, handled 6..9, independently of eth1. The stream ends with the last handler.
    m.expect(handled).toBeObservable('-------a-b-c--(r|)', {
      a: 'added eth1 1500',
      b: 'added eth2 1500',
      c: 'changed eth1 1400',
      r: 'removed eth1 1400',
    });
    m.expect(source).toHaveSubscriptions('^------------!');
  }));
});
