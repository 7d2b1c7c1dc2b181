/**
 * Points 9-12 of issue 15 for ipInterfaceChanges$: adapters, options and callbacks that break the
 * contract, each in its own child process (test/src/misuse-child.ts). Each case proves the process
 * lives on and exits by itself, nothing reached stderr (no unhandled rejection, no uncaught
 * exception), and the subscriber heard what happened as an IpInterfaceError.
 */
import { runMisuse } from './misuse-child';

/** An adapter the script overrides piece by piece; it counts live registrations in `out.live`. */
const fakeAdapter = `
let nextId = 1;
out.live = 0;
const fake = (overrides) => ({
  name: 'fake',
  notifyIpInterfaceChange: (family, callback) => { out.live++; fake.callback = callback; return Promise.resolve({ adapter: 'fake', id: nextId++ }); },
  cancelMibChangeNotify2: () => { out.live--; return Promise.resolve(); },
  getIpInterfaceTable: () => Promise.resolve([]),
  ...overrides,
});
`;

const hostileToString = `({ toString() { throw new Error('toString throws'); } })`;

describe('ipInterfaceChanges$ misuse (each in a child process)', () => {
  const expectClean = (result: { code: number | null; stderr: string }): void => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  it.concurrent.each([
    ['{}', '{}'],
    ['42', '42'],
    ['an object missing cancelMibChangeNotify2', `{ name: 'x', notifyIpInterfaceChange() {}, getIpInterfaceTable() {} }`],
  ])('options.adapter: %s errors with INVALID_PARAMETER and registers nothing', async (_what, adapter) => {
    const result = await runMisuse(`
      lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter: ${adapter} }).subscribe({ next: () => (out.next = true), error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ error: { name: 'IpInterfaceError', code: 'INVALID_PARAMETER', message: expect.stringMatching(/options\.adapter/) } });
  });

  it.concurrent.each([
    ['options null', `null`],
    ['onCancelError not a function', `{ onCancelError: 'log' }`],
  ])('%s: INVALID_PARAMETER', async (_what, options) => {
    const result = await runMisuse(`
      lib.ipInterfaceChanges$(lib.AF_INET, true, ${options}).subscribe({ error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ error: expect.objectContaining({ code: 'INVALID_PARAMETER' }) });
  });

  it.concurrent.each([
    ['an object whose toString throws', hostileToString],
    ['Object.create(null)', 'Object.create(null)'],
  ])('an adapter rejecting with %s: the subscriber gets OS_ERROR with it as the cause', async (_what, value) => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const hostile = ${value};
      const adapter = fake({ notifyIpInterfaceChange: () => Promise.reject(hostile) });
      lib.ipInterfaceChanges$(lib.AF_INET, false, { adapter }).subscribe({ error: (e) => { out.error = describe(e); out.causeKept = e.cause === hostile; } });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ live: 0, causeKept: true, error: { name: 'IpInterfaceError', code: 'OS_ERROR', message: expect.stringMatching(/^fake adapter failed: a value that cannot be converted/) } });
  });

  it.concurrent('an adapter throwing a hostile object synchronously from notifyIpInterfaceChange: OS_ERROR', async () => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({ notifyIpInterfaceChange: () => { throw ${hostileToString}; } });
      lib.ipInterfaceChanges$(lib.AF_INET, false, { adapter }).subscribe({ error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ live: 0, error: expect.objectContaining({ code: 'OS_ERROR' }) });
  });

  it.concurrent.each([
    ['42', '42'],
    ['undefined', 'undefined'],
    ['a thenable whose then throws', `{ then() { throw new Error('then throws'); } }`],
  ])('an adapter whose notifyIpInterfaceChange returns %s (not a promise): OS_ERROR, not a raw TypeError', async (what, value) => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({ notifyIpInterfaceChange: () => (${value}) });
      lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter }).subscribe({ error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({
      live: 0,
      error: {
        name: 'IpInterfaceError',
        code: 'OS_ERROR',
        message: what.startsWith('a thenable') ? 'fake adapter failed: then throws' : `fake adapter: notifyIpInterfaceChange returned ${value}, not a promise`,
      },
    });
  });

  it.concurrent('an adapter resolving a registration with undefined (no handle): OS_ERROR', async () => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({ notifyIpInterfaceChange: () => Promise.resolve(undefined) });
      lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter }).subscribe({ next: (c) => (out.next = c.kind), error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ live: 0, error: expect.objectContaining({ code: 'OS_ERROR', message: 'fake adapter: notifyIpInterfaceChange resolved with undefined, not a handle' }) });
  });

  it.concurrent('cancelMibChangeNotify2 throwing synchronously: unsubscribe() does not throw, onCancelError gets it as an IpInterfaceError', async () => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const thrown = new Error('cancel exploded');
      const adapter = fake({ cancelMibChangeNotify2: () => { throw thrown; } });
      const sub = lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter, onCancelError: (e) => { out.cancelError = describe(e); out.causeKept = e.cause === thrown; } })
        .subscribe((c) => (out.next = c.kind));
      setTimeout(() => {
        try { sub.unsubscribe(); out.unsubscribed = true; } catch (e) { out.unsubscribeThrew = String(e); }
        settle();
      }, 10);
    `);
    expectClean(result);
    expect(result.out).toEqual({
      live: 1, // the fake's own count: its cancel threw before counting down
      next: 'initial',
      unsubscribed: true,
      causeKept: true,
      cancelError: { name: 'IpInterfaceError', code: 'OS_ERROR', message: 'fake adapter failed: cancel exploded' },
    });
  });

  it.concurrent('cancelMibChangeNotify2 returning a non-promise: unsubscribe() is fine and nothing is reported', async () => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({ cancelMibChangeNotify2: () => { out.live--; return 42; } });
      const sub = lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter, onCancelError: (e) => (out.cancelError = describe(e)) }).subscribe();
      setTimeout(() => { sub.unsubscribe(); settle(); }, 10);
    `);
    expectClean(result);
    expect(result.out).toEqual({ live: 0 });
  });

  it.concurrent('an onCancelError that throws: the process lives on; a warning on stderr says so', async () => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({ cancelMibChangeNotify2: () => Promise.reject(new Error('cancel failed')) });
      const sub = lib.ipInterfaceChanges$(lib.AF_INET, true, { adapter, onCancelError: (e) => { out.called = e.code; throw new Error('handler bug'); } }).subscribe();
      setTimeout(() => { sub.unsubscribe(); settle(); }, 10);
    `);
    expect(result.code).toBe(0);
    expect(result.out).toEqual({ live: 1, called: 'OS_ERROR' });
    expect(result.stderr).toMatch(/RxjsIpInterfaceWarning: onCancelError threw: Error: handler bug/);
    expect(result.stderr).not.toMatch(/Unhandled|uncaught/i);
  });

  it.concurrent.each([
    ['42', `42, 'add'`],
    ["'str'", `'str', 'parameter'`],
    ['null for add', `null, 'add'`],
    ['{} (no family, LUID or index)', `{}, 'delete'`],
    ['a row with a number LUID', `{ ...mock.mockRow({ interfaceIndex: 3 }), interfaceLuid: 5 }, 'add'`],
    ["an unknown type 'bogus'", `mock.mockRow(), 'bogus'`],
    ["type 'toString' (an Object.prototype name)", `mock.mockRow(), 'toString'`],
  ])('a callback with %s: the stream errors with OS_ERROR (never emits { kind, row: garbage }) and the registration is cancelled', async (_what, args) => {
    const result = await runMisuse(`
      ${fakeAdapter}
      const adapter = fake({});
      out.seen = [];
      lib.ipInterfaceChanges$(lib.AF_UNSPEC, true, { adapter }).subscribe({ next: (c) => out.seen.push(c.kind), error: (e) => (out.error = describe(e)) });
      setTimeout(() => {
        fake.callback(mock.mockRow({ interfaceIndex: 2 }), 'add');
        fake.callback(${args});
        fake.callback(mock.mockRow({ interfaceIndex: 4 }), 'add'); // after the error: ignored
        settle();
      }, 10);
    `);
    expectClean(result);
    expect(result.out).toEqual({ live: 0, seen: ['initial', 'added'], error: { name: 'IpInterfaceError', code: 'OS_ERROR', message: expect.stringMatching(/^fake adapter: the callback got an (invalid row|unknown notification type)/) } });
  });
});
