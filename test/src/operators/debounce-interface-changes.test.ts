import { marbles } from 'rxjs-marbles/jest';
import { Subject, VirtualTimeScheduler, asyncScheduler } from 'rxjs';
import { AF_INET } from '../../../src/address-family';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../../../src/ip-interface-change';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { ipInterfaceChanges$ } from '../../../src/ip-interface-changes';
import { debounceInterfaceChanges } from '../../../src/operators/debounce-interface-changes';
import { createMockAdapter, mockRow, type MockChange } from '../../../adapters/mock';
import { eth1, eth1Mtu, eth2, eth1v6, added, changed, removed, initial } from './change-fixtures';


describe('debounceInterfaceChanges', () => {
  it('emits the net effect per interface after the quiet time (the TSDoc diagram)', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('i-a-c--c-b---r--|', {
      i: initial,
      a: added(eth1),
      c: changed(eth1Mtu),
      b: added(eth2),
      r: removed(eth1Mtu),
    });
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler))).toBeObservable('i---------A-B---(R|)', {
      i: initial,
      A: added(eth1Mtu),
      B: added(eth2),
      R: removed(eth1Mtu),
    });
    m.expect(source).toHaveSubscriptions('^---------------!');
  }));

  // Input values: a = added eth1, c = changed eth1 (MTU 1400), r = removed eth1 (last row), A = added
  // eth1 again with the original row. The interface was never seen before the burst.
  const inputs = { a: added(eth1), c: changed(eth1Mtu), r: removed(eth1Mtu), A: added(eth1) };
  const netCases: [name: string, input: string, expected: string, value?: IpInterfaceRowChange][] = [
    ['added alone: absent -> present = added', 'a------', '--x----', added(eth1)],
    ['changed alone: present -> present = changed', 'c------', '--x----', changed(eth1Mtu)],
    ['removed alone: present -> absent = removed', 'r------', '--x----', removed(eth1Mtu)],
    ['added then changed: added with the latest row', 'a-c----', '----x--', added(eth1Mtu)],
    ['added then removed: absent -> absent = nothing', 'a-r----', '-------'],
    ['changed then removed: removed', 'c-r----', '----x--', removed(eth1Mtu)],
    ['removed then added: present -> present = changed with the latest row', 'r-A----', '----x--', changed(eth1)],
    ['changed twice: changed with the latest row', 'c-c----', '----x--', changed(eth1Mtu)],
    ['added, removed, added again: added with the latest row', 'a-rA---', '-----x-', added(eth1)],
    ['changed, removed, added: changed', 'crA----', '----x--', changed(eth1)],
  ];
  for (const [name, input, expected, value] of netCases) {
    it(`net effect of a burst: ${name}`, marbles((m) => {
      const source = m.hot<IpInterfaceRowChange>(input, inputs);
      m.expect(source.pipe(debounceInterfaceChanges(2, m.scheduler))).toBeObservable(expected, value ? { x: value } : {});
    }));
  }

  it('takes the presence before a burst from what it last saw, not from the burst', marbles((m) => {
    // eth1 seen added, then a second `added`: present -> present = changed. eth1 seen removed, then
    // `removed` of an absent one: nothing; then `changed`: absent -> present = added.
    const source = m.hot<IpInterfaceRowChange>('a----A----r----r----c----', {
      a: added(eth1),
      A: added(eth1Mtu),
      r: removed(eth1Mtu),
      c: changed(eth1),
    });
    m.expect(source.pipe(debounceInterfaceChanges(2, m.scheduler))).toBeObservable('--a----C----r---------A--', {
      a: added(eth1),
      C: changed(eth1Mtu),
      r: removed(eth1Mtu),
      A: added(eth1),
    });
  }));

  it('keeps interfaces independent: a busy interface does not delay another', marbles((m) => {
    // eth1 changes every other frame for a while; eth2 and the IPv6 interface of eth1 (another key)
    // settle on their own schedule.
    const source = m.hot<IpInterfaceRowChange>('a-cbc-cxc-c-c-----', {
      a: added(eth1),
      c: changed(eth1Mtu),
      b: added(eth2),
      x: added(eth1v6),
    });
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler))).toBeObservable('------b---x----A--', {
      b: added(eth2),
      x: added(eth1v6),
      A: added(eth1Mtu),
    });
  }));

  it('passes the initial marker through at once, also while bursts are pending', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('a-i------', { a: added(eth1), i: initial });
    m.expect(source.pipe(debounceInterfaceChanges(4, m.scheduler))).toBeObservable('--i-a----', { i: initial, a: added(eth1) });
  }));

  it('on completion emits every pending burst at once, in order, then completes', marbles((m) => {
    const source = m.hot<IpInterfaceRowChange>('a-b-R-x|', {
      a: added(eth1),
      b: added(eth2),
      R: removed(eth2),
      x: changed(eth1v6),
    });
    // eth2 added then removed: nothing; eth1 and eth1 (IPv6) still pending at the completion.
    m.expect(source.pipe(debounceInterfaceChanges(10, m.scheduler))).toBeObservable('-------(ax|)', {
      a: added(eth1),
      x: changed(eth1v6),
    });
    m.expect(source).toHaveSubscriptions('^------!');
  }));

  it('propagates an error at once and drops what was pending', marbles((m) => {
    const error = new Error('source failed');
    const source = m.hot<IpInterfaceRowChange>('a-b-#', { a: added(eth1), b: added(eth2) }, error);
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler))).toBeObservable('---a#', { a: added(eth1) }, error);
    m.expect(source).toHaveSubscriptions('^---!');
  }));

  it('releases the source on unsubscribe and emits nothing after it', marbles((m) => {
    const source = m.hot<IpInterfaceRowChange>('a-b-c----', { a: added(eth1), b: added(eth2), c: changed(eth1Mtu) });
    m.expect(source.pipe(debounceInterfaceChanges(3, m.scheduler)), '----!').toBeObservable('---a-', { a: added(eth1) });
    m.expect(source).toHaveSubscriptions('^---!');
  }));

  it('uses the async scheduler by default, and leaves no timer behind on unsubscribe or error', () => {
    jest.useFakeTimers();
    try {
      const source = new Subject<IpInterfaceChange>();
      const seen: IpInterfaceChange[] = [];
      const sub = source.pipe(debounceInterfaceChanges(100)).subscribe((c) => seen.push(c));
      source.next(added(eth1));
      source.next(added(eth2));
      expect(jest.getTimerCount()).toBe(1); // one action for the whole operator, not one per interface
      jest.advanceTimersByTime(100);
      expect(seen).toEqual([added(eth1), added(eth2)]);
      source.next(changed(eth1Mtu));
      expect(jest.getTimerCount()).toBe(1);
      sub.unsubscribe();
      expect(jest.getTimerCount()).toBe(0);

      const failing = new Subject<IpInterfaceChange>();
      const errors: unknown[] = [];
      failing.pipe(debounceInterfaceChanges(100, asyncScheduler)).subscribe({ error: (e: unknown) => errors.push(e) });
      failing.next(added(eth1));
      expect(jest.getTimerCount()).toBe(1);
      failing.error(new Error('x'));
      expect(jest.getTimerCount()).toBe(0);
      expect(errors).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('errors INVALID_PARAMETER on subscribe for a negative, infinite or NaN dueTime, or one above 2^31-1 ms (Node timers overflow: the wait spun)', () => {
    for (const dueTime of [-1, Infinity, NaN, 2 ** 31, 3e9]) {
      const errors: unknown[] = [];
      new Subject<IpInterfaceChange>().pipe(debounceInterfaceChanges(dueTime)).subscribe({ error: (e: unknown) => errors.push(e) });
      expect(errors).toEqual([expect.any(IpInterfaceError)]);
      expect(errors[0]).toMatchObject({ code: 'INVALID_PARAMETER' });
    }
  });

  it('remembers at most 10,000 removed interfaces: the oldest absence is forgotten first', () => {
    const scheduler = new VirtualTimeScheduler();
    const source = new Subject<IpInterfaceChange>();
    const seen: IpInterfaceRowChange[] = [];
    source.pipe(debounceInterfaceChanges(1, scheduler)).subscribe((c) => seen.push(c as IpInterfaceRowChange));
    const rows = Array.from({ length: 10_002 }, (_, i) => mockRow({ interfaceIndex: 100 + i }));
    for (const row of rows) source.next(added(row));
    for (const row of rows) source.next(removed(row));
    scheduler.flush(); // each burst is added then removed: absent -> absent, nothing
    expect(seen).toEqual([]);
    source.next(changed(rows[0]!));
    source.next(changed(rows[10_001]!));
    scheduler.flush();
    // rows[0]'s absence was forgotten (inferred present: changed); rows[10001] is remembered absent: added.
    expect(seen).toEqual([changed(rows[0]!), added(rows[10_001]!)]);
  });

  it('drives the whole chain in virtual time: ipInterfaceChanges$ over the mock, then debounce', marbles((m) => {
    const source = m.hot<MockChange>('--a-c-c------b-r---', {
      a: { kind: 'added', row: eth1 },
      c: { kind: 'changed', row: eth1Mtu },
      b: { kind: 'added', row: eth2 },
      r: { kind: 'removed', row: eth2 },
    });
    const adapter = createMockAdapter({ source });
    const unsub = '                  ------------------!';
    m.expect(ipInterfaceChanges$(AF_INET, true, { adapter }).pipe(debounceInterfaceChanges(3)), unsub).toBeObservable(
      'i--------A---------',
      { i: initial, A: added(eth1Mtu) },
    );
    // The mock holds its source while the registration is live: released with the subscription.
    m.expect(source).toHaveSubscriptions('^-----------------!');
  }));
});
