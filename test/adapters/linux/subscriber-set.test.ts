import { SubscriberSet } from '../../../adapters/linux/subscriber-set';
import type { TableChange } from '../../../adapters/linux/table-change';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { IpInterfaceError } from '../../../src/ip-interface-error';

const row = (family: 'inet' | 'inet6', interfaceIndex: number): IpInterfaceRow => ({ family, interfaceIndex, interfaceLuid: BigInt(interfaceIndex) << 24n });
const change = (family: 'inet' | 'inet6', index: number): TableChange => ({ type: 'parameter', row: row(family, index) });

describe('SubscriberSet', () => {
  it('delivers by family, counts rows and callbacks, and unsubscribe stops delivery (idempotent)', () => {
    const counters = { rowsEmitted: 0, callbacks: 0 };
    const set = new SubscriberSet(counters);
    const seen: string[] = [];
    const offInet = set.subscribe('inet', (r) => seen.push(`inet:${r?.family}${r?.interfaceIndex}`));
    set.subscribe('unspec', (r) => seen.push(`all:${r?.family}${r?.interfaceIndex}`));
    set.deliver([change('inet', 1), change('inet6', 2)]);
    expect(seen).toEqual(['inet:inet1', 'all:inet1', 'all:inet62']);
    expect(counters).toEqual({ rowsEmitted: 2, callbacks: 3 });
    offInet();
    offInet();
    set.deliverOne(change('inet', 3));
    expect(seen.slice(3)).toEqual(['all:inet3']);
    expect(set.size).toBe(1);
  });

  it('never re-entrant: a change delivered from inside a callback waits for the current fan-out', () => {
    const set = new SubscriberSet({ rowsEmitted: 0, callbacks: 0 });
    const seen: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    set.subscribe('unspec', (r) => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      seen.push(r!.interfaceIndex);
      if (r!.interfaceIndex === 1) {
        set.deliverOne(change('inet', 3));
        set.deliver([change('inet', 4)]);
      }
      depth--;
    });
    set.deliver([change('inet', 1), change('inet', 2)]);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(maxDepth).toBe(1);
  });

  it('a subscriber cancelled by an earlier callback of the same change gets nothing more', () => {
    const set = new SubscriberSet({ rowsEmitted: 0, callbacks: 0 });
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    set.subscribe('unspec', () => {
      seen.push('a');
      offB();
    });
    offB = set.subscribe('unspec', () => seen.push('b'));
    set.deliverOne(change('inet', 1));
    expect(seen).toEqual(['a']);
  });

  it('a throwing callback is rethrown in a microtask; the others still receive', () => {
    const set = new SubscriberSet({ rowsEmitted: 0, callbacks: 0 });
    const seen: string[] = [];
    const original = globalThis.queueMicrotask;
    const queued: (() => void)[] = [];
    globalThis.queueMicrotask = (task) => void queued.push(task);
    try {
      set.subscribe('unspec', () => {
        throw new Error('subscriber bug');
      });
      set.subscribe('unspec', () => seen.push('second'));
      set.deliverOne(change('inet', 1));
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(seen).toEqual(['second']);
    expect(() => queued[0]!()).toThrow('subscriber bug');
  });

  it('clear drops subscribers and anything queued', () => {
    const set = new SubscriberSet({ rowsEmitted: 0, callbacks: 0 });
    const seen: number[] = [];
    set.subscribe('unspec', (r) => {
      seen.push(r!.interfaceIndex);
      set.deliverOne(change('inet', 9));
      set.clear();
    });
    set.deliverOne(change('inet', 1));
    expect(seen).toEqual([1]);
    expect(set.size).toBe(0);
  });

  it('end(error) (rule 10): drops every subscriber and the queue, then calls each ended hook once, in order; a throwing hook stops none', () => {
    const set = new SubscriberSet({ rowsEmitted: 0, callbacks: 0 });
    const seen: string[] = [];
    const error = new IpInterfaceError('OS_ERROR', 'gone', { osCode: 2 });
    set.subscribe('inet', () => seen.push('a row'), (e) => {
      seen.push(`a ended ${e.message}`);
      throw new Error('hook threw');
    });
    set.subscribe('unspec', () => seen.push('b row')); // no hook: just dropped
    set.subscribe('unspec', () => seen.push('c row'), (e) => seen.push(`c ended ${e.message}`));
    const thrown: unknown[] = [];
    const original = queueMicrotask;
    globalThis.queueMicrotask = (task) => original(() => { try { task(); } catch (e) { thrown.push(e); } });
    try {
      set.end(error);
      set.deliver([change('inet', 1)]);
      set.end(error); // nothing left to end
    } finally {
      globalThis.queueMicrotask = original;
    }
    return Promise.resolve().then(() => {
      expect(seen).toEqual(['a ended gone', 'c ended gone']);
      expect(set.size).toBe(0);
      expect(thrown.map((e) => (e as Error).message)).toEqual(['hook threw']);
    });
  });
});
