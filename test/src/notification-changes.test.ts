/**
 * Rule 10 in the shared core of the change streams (src/notification-changes.ts): an adapter that
 * loses a registration calls `ended(error)`; the subscriber gets that error, the dead handle is never
 * cancelled, misuse of `ended` (twice, late, inside a callback, not an IpInterfaceError) neither
 * kills nor misleads. Run over both streams that share the core.
 */
import { marbles } from 'rxjs-marbles/jest';
import type { Observable } from 'rxjs';
import { AF_INET, AF_UNSPEC, type AddressFamily } from '../../src/address-family';
import type { IpInterfaceAdapter, NotificationHandle, RegistrationEndedCallback } from '../../src/adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';
import { ipInterfaceChanges$ } from '../../src/ip-interface-changes';
import { unicastIpAddressChanges$ } from '../../src/unicast-ip-address-changes';
import { createMockAdapter, mockAddressRow, mockRow, type MockAddressChange, type MockChange, type MockIpInterfaceAdapter } from '../../adapters/mock';

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const addr = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.1' });
const lost = new IpInterfaceError('OS_ERROR', 'network namespace deleted', { adapter: 'mock', osCode: 2 });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const cancels = (mock: MockIpInterfaceAdapter): number => mock.calls.filter((c) => c.fn === 'CancelMibChangeNotify2').length;

/** An adapter whose registration hands its `ended` to the test (and counts cancels). */
function endable(options: { settle?: 'sync' | 'later' | 'never' } = {}): {
  adapter: IpInterfaceAdapter;
  ended(): RegistrationEndedCallback;
  callback(): (row: unknown, type: string) => void;
  cancels: NotificationHandle[];
  resolve(): void;
} {
  let ended: RegistrationEndedCallback | undefined;
  let callback: ((row: unknown, type: string) => void) | undefined;
  let resolve: (() => void) | undefined;
  const cancelled: NotificationHandle[] = [];
  const handle: NotificationHandle = { adapter: 'endable', id: 1 };
  const adapter: IpInterfaceAdapter = {
    name: 'endable',
    notifyIpInterfaceChange: (_family, cb, _initial, e) => {
      ended = e;
      callback = cb as (row: unknown, type: string) => void;
      if (options.settle === 'never') return new Promise(() => undefined);
      if (options.settle === 'later') return new Promise((r) => (resolve = () => r(handle)));
      return Promise.resolve(handle);
    },
    cancelMibChangeNotify2: (h) => {
      cancelled.push(h);
      return Promise.resolve();
    },
    getIpInterfaceTable: () => Promise.resolve([]),
  };
  return { adapter, ended: () => ended!, callback: () => callback!, cancels: cancelled, resolve: () => resolve!() };
}

const streams: [string, (adapter: MockIpInterfaceAdapter) => Observable<unknown>, (adapter: MockIpInterfaceAdapter) => void][] = [
  ['ipInterfaceChanges$', (adapter) => ipInterfaceChanges$(AF_INET, true, { adapter }), (adapter) => adapter.emit({ kind: 'added', row: eth1 })],
  ['unicastIpAddressChanges$', (adapter) => unicastIpAddressChanges$(AF_INET, true, { adapter }), (adapter) => adapter.emitAddress({ kind: 'added', row: addr })],
];

describe.each(streams)('%s: a registration the adapter lost (rule 10)', (_name, changes$, change) => {
  it('errors the subscriber with the adapter\'s error, never cancels the dead handle, leaves nothing registered', async () => {
    const adapter = createMockAdapter();
    const seen: string[] = [];
    let failure: unknown;
    const sub = changes$(adapter).subscribe({ next: (c) => void seen.push((c as { kind: string }).kind), error: (e) => (failure = e) });
    change(adapter);
    adapter.endRegistrations(lost);
    expect(failure).toBe(lost);
    expect(sub.closed).toBe(true);
    change(adapter); // nothing more
    sub.unsubscribe();
    await settle();
    expect(seen).toEqual(['initial', 'added']);
    expect([adapter.active, cancels(adapter)]).toEqual([0, 0]);
  });

  it('other subscriptions of other adapters go on', async () => {
    const a = createMockAdapter();
    const b = createMockAdapter();
    const seenB: string[] = [];
    const subA = changes$(a).subscribe({ error: () => undefined });
    const subB = changes$(b).subscribe({ next: (c) => void seenB.push((c as { kind: string }).kind) });
    a.endRegistrations();
    change(b);
    expect([subA.closed, subB.closed]).toEqual([true, false]);
    expect(seenB).toEqual(['initial', 'added']);
    subB.unsubscribe();
    await settle();
    expect([a.active, b.active, cancels(b)]).toEqual([0, 0, 1]);
  });
});

describe('ipInterfaceChanges$ in virtual time: ended is the error frame, with teardown', () => {
  it('emits until the adapter ends the registration, then errors with its error; the source is released at that frame', marbles((m) => {
    const source = m.hot<MockChange>('--a----a--', { a: { kind: 'added', row: eth1 } });
    const adapter = createMockAdapter({ source });
    m.scheduler.schedule(() => adapter.endRegistrations(lost), 5);
    m.expect(ipInterfaceChanges$(AF_INET, true, { adapter })).toBeObservable('i-a--#', { i: { kind: 'initial', family: AF_INET }, a: { kind: 'added', row: eth1 } }, lost);
    m.expect(source).toHaveSubscriptions('^----!');
    m.flush();
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange']); // no cancel of a dead handle
  }));

  it('an unsubscribe before the end cancels as usual, and the later end touches nothing', marbles((m) => {
    const source = m.hot<MockChange>('--a----a--', { a: { kind: 'added', row: eth1 } });
    const adapter = createMockAdapter({ source });
    m.scheduler.schedule(() => adapter.endRegistrations(lost), 5);
    m.expect(ipInterfaceChanges$(AF_INET, false, { adapter }), '^---!').toBeObservable('--a--', { a: { kind: 'added', row: eth1 } });
    m.expect(source).toHaveSubscriptions('^---!');
    m.flush();
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
  }));

  it('a new subscription after the end registers afresh', marbles((m) => {
    const source = m.hot<MockChange>('--a----a--', { a: { kind: 'added', row: eth1 } });
    const adapter = createMockAdapter({ source });
    m.scheduler.schedule(() => adapter.endRegistrations(lost), 3);
    const changes$ = ipInterfaceChanges$(AF_INET, false, { adapter });
    m.expect(changes$).toBeObservable('--a#', { a: { kind: 'added', row: eth1 } }, lost);
    m.expect(changes$, '----^----!').toBeObservable('-------a--', { a: { kind: 'added', row: eth1 } });
    m.expect(source).toHaveSubscriptions(['^--!', '----^----!']);
  }));
});

describe('ended misuse: neither kills nor misleads', () => {
  it('a second call, and a call after unsubscribe, are ignored', async () => {
    const e = endable();
    const errors: unknown[] = [];
    const sub = ipInterfaceChanges$(AF_UNSPEC, false, { adapter: e.adapter }).subscribe({ error: (x) => errors.push(x) });
    await settle();
    const ended = e.ended();
    ended(lost);
    ended(new IpInterfaceError('INVALID_HANDLE', 'again'));
    expect(errors).toEqual([lost]);
    sub.unsubscribe();
    await settle();
    expect(e.cancels).toEqual([]);

    const late = endable();
    const lateErrors: unknown[] = [];
    const lateSub = ipInterfaceChanges$(AF_UNSPEC, false, { adapter: late.adapter }).subscribe({ error: (x) => lateErrors.push(x) });
    await settle();
    lateSub.unsubscribe();
    expect(() => late.ended()(lost)).not.toThrow();
    await settle();
    expect(lateErrors).toEqual([]);
    expect(late.cancels).toHaveLength(1); // cancelled by the unsubscribe, exactly once
  });

  it.each<[string, unknown]>([
    ['a plain Error', new Error('gone')],
    ['a string', 'gone'],
    ['undefined', undefined],
    ['an object whose getters throw', new Proxy({}, { get: () => { throw new Error('hostile'); }, getPrototypeOf: () => { throw new Error('hostile'); } })],
  ])('anything but an IpInterfaceError (%s) becomes OS_ERROR with it as cause', async (_what, value) => {
    const e = endable();
    const errors: unknown[] = [];
    ipInterfaceChanges$(AF_UNSPEC, false, { adapter: e.adapter }).subscribe({ error: (x) => errors.push(x) });
    await settle();
    e.ended()(value as IpInterfaceError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(IpInterfaceError);
    expect(errors[0]).toMatchObject({ code: 'OS_ERROR', adapter: 'endable' });
    expect((errors[0] as IpInterfaceError).cause).toBe(value);
    expect((errors[0] as IpInterfaceError).message).toContain('ended the registration');
    await settle();
    expect(e.cancels).toEqual([]);
  });

  it('inside a callback invocation: the error waits until the subscriber\'s next returned; the rest of that delivery is dropped', async () => {
    const e = endable();
    const log: string[] = [];
    ipInterfaceChanges$(AF_UNSPEC, false, { adapter: e.adapter }).subscribe({
      next: (c) => {
        log.push(`next ${c.kind} start`);
        e.ended()(lost); // the adapter breaks rule 10: ends from inside the callback
        e.callback()(eth1, 'parameter'); // and calls back once more, re-entrantly
        log.push(`next ${c.kind} end`);
      },
      error: (x) => log.push(`error ${(x as IpInterfaceError).message}`),
    });
    await settle();
    e.callback()(eth1, 'add');
    e.callback()(eth1, 'delete'); // after the end: ignored
    expect(log).toEqual(['next added start', 'next added end', 'error network namespace deleted']);
    await settle();
    expect(e.cancels).toEqual([]);
  });

  it('before the registration resolved: the error at once; the handle it resolves later is not cancelled', async () => {
    const e = endable({ settle: 'later' });
    const errors: unknown[] = [];
    const seen: unknown[] = [];
    ipInterfaceChanges$(AF_UNSPEC, true, { adapter: e.adapter }).subscribe({ next: (c) => seen.push(c), error: (x) => errors.push(x) });
    e.ended()(lost);
    expect(errors).toEqual([lost]);
    e.resolve();
    await settle();
    expect([seen, e.cancels]).toEqual([[], []]); // no marker for a dead registration, no cancel
  });

  it('during the notify call itself (synchronously): the error, no marker, no cancel', async () => {
    const errors: unknown[] = [];
    const seen: unknown[] = [];
    const cancelled: unknown[] = [];
    const handle = { adapter: 'sync', id: 1 };
    const adapter: IpInterfaceAdapter = {
      name: 'sync',
      notifyIpInterfaceChange: (_f, _cb, _i, ended) => {
        ended?.(lost);
        return Object.assign(Promise.resolve(handle), { settledHandle: handle });
      },
      cancelMibChangeNotify2: (h) => {
        cancelled.push(h);
        return Promise.resolve();
      },
      getIpInterfaceTable: () => Promise.resolve([]),
    };
    const sub = ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (x) => errors.push(x) });
    await settle();
    expect([errors, seen, cancelled, sub.closed]).toEqual([[lost], [], [], true]);
  });

  it('the mock: endRegistrations ends a registration still settling (registrationDelayMs) too', async () => {
    const adapter = createMockAdapter({ registrationDelayMs: 5 });
    const errors: unknown[] = [];
    const seen: unknown[] = [];
    ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (x) => errors.push(x) });
    adapter.endRegistrations(lost);
    await new Promise((r) => setTimeout(r, 20));
    adapter.emit({ kind: 'added', row: eth1 });
    expect([errors, seen, adapter.active, cancels(adapter)]).toEqual([[lost], [], 0, 0]);
  });
});

describe('the mock inside a delivery', () => {
  it('endRegistrations from a subscriber\'s next waits for the delivery in progress (rule 10: never inside a callback)', () => {
    const adapter = createMockAdapter();
    const log: string[] = [];
    const family: AddressFamily = AF_INET;
    unicastIpAddressChanges$(family, false, { adapter }).subscribe({ error: () => log.push('address error') });
    ipInterfaceChanges$(family, false, { adapter }).subscribe({
      next: () => {
        adapter.endRegistrations(lost);
        log.push('next returned');
      },
      error: () => log.push('interface error'),
    });
    adapter.emit({ kind: 'added', row: eth1 });
    const more: MockAddressChange = { kind: 'added', row: addr };
    adapter.emitAddress(more);
    expect(log).toEqual(['next returned', 'address error', 'interface error']);
    expect(adapter.active).toBe(0);
  });
});
