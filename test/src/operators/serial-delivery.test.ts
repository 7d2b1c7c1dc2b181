import { marbles } from 'rxjs-marbles/jest';
import { type Observable, Subject, catchError, delay, map, of } from 'rxjs';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../../../src/ip-interface-change';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { serialDelivery } from '../../../src/operators/serial-delivery';
import { mockRow } from '../../../adapters/mock';
import { eth1, eth1Mtu, eth2, added, changed, removed, initial } from './change-fixtures';

const eth2Mtu = { ...eth2, nlMtu: 9000 };
const eth3 = mockRow({ interfaceIndex: 5, interfaceName: 'eth3' });

/** `kind:name:mtu`, or `initial`. */
const label = (c: IpInterfaceChange): string => (c.kind === 'initial' ? 'initial' : `${c.kind}:${c.row.interfaceName}:${c.row.nlMtu}`);
/** An error as a comparable value (the marble matcher compares errors loosely). */
const describeError = (e: unknown): Observable<{ ipInterfaceError: boolean; code: unknown }> =>
  of({ ipInterfaceError: e instanceof IpInterfaceError, code: (e as { code?: unknown }).code });

interface Deferred {
  change: IpInterfaceChange;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
}

describe('serialDelivery', () => {
  it('runs one handler at a time, in arrival order, and emits their results (the TSDoc diagram)', marbles((m) => {
    const values = { a: added(eth1), b: changed(eth1Mtu), c: added(eth2) };
    const source = m.hot<IpInterfaceChange>('a-bc------|', values);
    const handlers = new Map<IpInterfaceChange, Observable<string>>([
      [values.a, m.cold('--A|')],
      [values.b, m.cold('--B|')],
      [values.c, m.cold('--C|')],
    ]);
    m.expect(source.pipe(serialDelivery((change) => handlers.get(change)!))).toBeObservable('--A--B--C-|');
    // The handlers' lifetimes never overlap: each starts when the previous one completed.
    m.expect(handlers.get(values.a)!).toHaveSubscriptions('^--!');
    m.expect(handlers.get(values.b)!).toHaveSubscriptions('---^--!');
    m.expect(handlers.get(values.c)!).toHaveSubscriptions('------^--!');
    m.expect(source).toHaveSubscriptions('^---------!');
  }));

  it('handles what is still waiting when the source completes, then completes', marbles((m) => {
    const source = m.cold<IpInterfaceChange>('abc|', { a: added(eth1), b: added(eth2), c: added(eth3) });
    const result = source.pipe(serialDelivery((change) => of(label(change)).pipe(delay(2))));
    m.expect(result).toBeObservable('--a-b-(c|)', { a: 'added:eth1:1500', b: 'added:eth2:1500', c: 'added:eth3:1500' });
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('delivers every change the same way, the initial marker included', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('ia|', { i: initial, a: added(eth1) });
    m.expect(source.pipe(serialDelivery((change) => of(label(change))))).toBeObservable('ia|', { i: 'initial', a: 'added:eth1:1500' });
  }));

  it('errors the stream with a handler error as it is, and releases source and handler', marbles((m) => {
    const handlerError = new Error('handler failed');
    const source = m.hot<IpInterfaceChange>('a-b----', { a: added(eth1), b: added(eth2) });
    const failing = m.cold<string>('-#', undefined, handlerError);
    const first = m.cold('-A|');
    const result = source.pipe(serialDelivery((change) => (change.kind === 'added' && change.row === eth1 ? first : failing)));
    m.expect(result).toBeObservable('-A-#', undefined, handlerError);
    m.expect(failing).toHaveSubscriptions('--^!');
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('passes a handler error through unchanged: a rejected Promise and a synchronous throw', async () => {
    const rejected = new TypeError('rejected');
    const thrown = new RangeError('thrown');
    const source = new Subject<IpInterfaceChange>();
    const errors: unknown[] = [];
    source.pipe(serialDelivery(() => Promise.reject(rejected))).subscribe({ error: (e: unknown) => errors.push(e) });
    source.pipe(serialDelivery((): Promise<void> => { throw thrown; })).subscribe({ error: (e: unknown) => errors.push(e) });
    source.next(added(eth1));
    await new Promise((r) => setImmediate(r));
    expect(errors).toContain(rejected);
    expect(errors).toContain(thrown);
    expect(source.observed).toBe(false);
  });

  it('propagates a source error at once, dropping what waits, and unsubscribes the running handler', marbles((m) => {
    const error = new Error('source failed');
    const source = m.hot<IpInterfaceChange>('ab#', { a: added(eth1), b: added(eth2) }, error);
    const slow = m.cold('----X|');
    const next = jest.fn();
    m.expect(source.pipe(serialDelivery((change) => { next(change); return slow; }))).toBeObservable('--#', undefined, error);
    m.expect(slow).toHaveSubscriptions('^-!');
    m.flush();
    expect(next).toHaveBeenCalledTimes(1);
  }));

  it('releases the source and the running handler on unsubscribe', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('a-b---', { a: added(eth1), b: added(eth2) });
    const slow = m.cold('----X|');
    m.expect(source.pipe(serialDelivery(() => slow)), '--!').toBeObservable('---');
    m.expect(slow).toHaveSubscriptions('^-!');
    m.expect(source).toHaveSubscriptions('^-!');
  }));

  it("errors QUEUE_OVERFLOW when more than maxQueue changes wait (overflow: 'error', the default)", marbles((m) => {
    const source = m.hot<IpInterfaceChange>('abcd--', { a: added(eth1), b: added(eth2), c: added(eth3), d: changed(eth1Mtu) });
    const stuck = m.cold('------');
    const result = source.pipe(serialDelivery(() => stuck, { maxQueue: 2 }), catchError(describeError));
    m.expect(result).toBeObservable('---(e|)', { e: { ipInterfaceError: true, code: 'QUEUE_OVERFLOW' } });
    m.expect(stuck).toHaveSubscriptions('^--!');
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('has a default maxQueue of 10,000 waiting changes', () => {
    const source = new Subject<IpInterfaceChange>();
    const errors: unknown[] = [];
    source.pipe(serialDelivery(() => new Promise<void>(() => undefined))).subscribe({ error: (e: unknown) => errors.push(e) });
    for (let i = 0; i <= 10_000; i++) source.next(changed(eth1)); // 1 running + 10,000 waiting
    expect(errors).toEqual([]);
    source.next(changed(eth1));
    expect(errors).toEqual([expect.objectContaining({ code: 'QUEUE_OVERFLOW' })]);
    expect(errors[0]).toBeInstanceOf(IpInterfaceError);
  });

  it("coalesces per interface when the queue is full (overflow: 'coalesce'): net effect, latest row", marbles((m) => {
    // x (eth3) keeps the handler busy for 10 frames; meanwhile eth1 is added then changed twice and
    // eth2 added then changed. maxQueue 2: eth1's three changes become one `added` with the latest
    // row, eth2's two become `added` with its latest row.
    const source = m.hot<IpInterfaceChange>('x-a-c-c-b-C---|', {
      x: added(eth3),
      a: added(eth1),
      c: changed(eth1Mtu),
      b: added(eth2),
      C: changed(eth2Mtu),
    });
    const seen: string[] = [];
    const handler = (change: IpInterfaceChange): Observable<string> => {
      seen.push(label(change));
      return of(label(change)).pipe(delay(change.kind !== 'initial' && change.row === eth3 ? 10 : 1));
    };
    m.expect(source.pipe(serialDelivery(handler, { maxQueue: 2, overflow: 'coalesce' }))).toBeObservable('----------xab-|', {
      x: 'added:eth3:1500',
      a: 'added:eth1:1400',
      b: 'added:eth2:9000',
    });
    m.expect(source).toHaveSubscriptions('^-------------!');
    m.flush();
    expect(seen).toEqual(['added:eth3:1500', 'added:eth1:1400', 'added:eth2:9000']);
  }));

  it('coalescing skips an interface whose net effect is nothing (added then removed)', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('x-a-r-b-----', { x: added(eth3), a: added(eth1), r: removed(eth1), b: removed(eth2) });
    const result = source.pipe(
      serialDelivery((change) => of(label(change)).pipe(delay(change.kind !== 'initial' && change.row === eth3 ? 8 : 1)), {
        maxQueue: 2,
        overflow: 'coalesce',
      }),
    );
    m.expect(result).toBeObservable('--------xb--', { x: 'added:eth3:1500', b: 'removed:eth2:1500' });
  }));

  it('does not coalesce while there is room: every change reaches the handler', marbles((m) => {
    const values = { x: added(eth3), a: added(eth1), c: changed(eth1Mtu), r: removed(eth1Mtu) };
    const source = m.hot<IpInterfaceChange>('xacr------', values);
    const result = source.pipe(serialDelivery((change) => of(label(change)).pipe(delay(2)), { maxQueue: 3, overflow: 'coalesce' }));
    m.expect(result).toBeObservable('--x-a-c-r-', {
      x: 'added:eth3:1500',
      a: 'added:eth1:1500',
      c: 'changed:eth1:1400',
      r: 'removed:eth1:1400',
    });
  }));

  it('errors QUEUE_OVERFLOW in coalesce mode when more than maxQueue different interfaces wait', marbles((m) => {
    const source = m.hot<IpInterfaceChange>('xaAb--', { x: added(eth3), a: added(eth1), A: changed(eth1Mtu), b: added(eth2) });
    const stuck = m.cold('------');
    const result = source.pipe(serialDelivery(() => stuck, { maxQueue: 1, overflow: 'coalesce' }), catchError(describeError));
    // a waits; A merges into it (queue full, same interface); b is a second interface: overflow.
    m.expect(result).toBeObservable('---(e|)', { e: { ipInterfaceError: true, code: 'QUEUE_OVERFLOW' } });
    m.expect(source).toHaveSubscriptions('^--!');
  }));

  it('with Promise handlers: never more than one running, arrival order, the source is never held', async () => {
    const source = new Subject<IpInterfaceChange>();
    const pending: Deferred[] = [];
    let running = 0;
    let maxRunning = 0;
    const results: string[] = [];
    let completed = false;
    source
      .pipe(
        serialDelivery(
          (change) =>
            new Promise<string>((resolve, reject) => {
              running++;
              maxRunning = Math.max(maxRunning, running);
              pending.push({
                change,
                resolve: (v) => {
                  running--;
                  resolve(v);
                },
                reject,
              });
            }),
        ),
      )
      .subscribe({ next: (v) => results.push(v), complete: () => (completed = true) });

    const changes = [added(eth1), changed(eth1Mtu), added(eth2), removed(eth1Mtu), added(eth3)];
    for (const c of changes) source.next(c); // each next returns while the first handler is still pending
    source.complete();
    expect(pending).toHaveLength(1);
    for (let i = 0; i < changes.length; i++) {
      expect(pending[i]!.change).toBe(changes[i]);
      pending[i]!.resolve(`done ${i}`);
      await new Promise((r) => setImmediate(r));
      expect(pending).toHaveLength(Math.min(i + 2, changes.length));
    }
    expect(maxRunning).toBe(1);
    expect(results).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4']);
    expect(completed).toBe(true);
  });

  it('drains a long queue of handlers that complete synchronously without growing the stack', async () => {
    const source = new Subject<IpInterfaceChange>();
    let release: () => void = () => undefined;
    const results: number[] = [];
    let calls = 0;
    source
      .pipe(
        serialDelivery((): Observable<number> | Promise<number> => {
          const n = calls++;
          return n === 0 ? new Promise<number>((r) => (release = () => r(n))) : of(n);
        }),
      )
      .subscribe((n) => results.push(n));
    for (let i = 0; i < 10_001; i++) source.next(changed(eth1));
    release();
    await new Promise((r) => setImmediate(r));
    expect(results).toHaveLength(10_001);
    expect(results[10_000]).toBe(10_000);
  });

  it.each([
    [{ maxQueue: -1 }],
    [{ maxQueue: 1.5 }],
    [{ maxQueue: NaN }],
    [{ overflow: 'drop' as unknown as 'error' }],
  ])('errors INVALID_PARAMETER on subscribe for options %p', (options) => {
    const errors: unknown[] = [];
    new Subject<IpInterfaceChange>().pipe(serialDelivery(async () => undefined, options)).subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toEqual([expect.objectContaining({ code: 'INVALID_PARAMETER' })]);
  });

  it('accepts maxQueue Infinity and 0 (nothing may wait)', () => {
    const source = new Subject<IpInterfaceChange>();
    const errors: unknown[] = [];
    source.pipe(serialDelivery(() => new Promise<void>(() => undefined), { maxQueue: 0 })).subscribe({ error: (e: unknown) => errors.push(e) });
    source.pipe(serialDelivery(() => new Promise<void>(() => undefined), { maxQueue: Infinity })).subscribe({ error: (e: unknown) => errors.push(e) });
    source.next(added(eth1)); // runs at once in both
    expect(errors).toEqual([]);
    source.next(added(eth2)); // would wait: overflow with maxQueue 0
    expect(errors).toEqual([expect.objectContaining({ code: 'QUEUE_OVERFLOW' })]);
  });

  it('types: the handler sees the narrowed change type of its source', () => {
    const rows = new Subject<IpInterfaceRowChange>();
    const names: string[] = [];
    // `change.row` type-checks without narrowing: the source only carries row changes.
    rows.pipe(serialDelivery((change) => of(change.row.interfaceName ?? ''), {}), map((n) => n.toUpperCase())).subscribe((n) => names.push(n));
    rows.next(added(eth1));
    expect(names).toEqual(['ETH1']);
  });
});
