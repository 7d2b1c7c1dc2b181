/**
 * defaultRoute$ and routeChanges$ over adapters that break the route half of the contract, each in
 * its own child process (test/src/misuse-child.ts): the process lives on and exits by itself (no
 * timer or registration left), nothing reaches stderr (no unhandled rejection, no uncaught exception),
 * and the subscriber hears an IpInterfaceError.
 */
import { runMisuse } from './misuse-child';

const routeAdapter = (getBestRoute2: string): string => `
const m = mock.createMockAdapter();
const adapter = { ...m, name: 'odd', getBestRoute2: ${getBestRoute2} };
`;

describe('defaultRoute$ misuse (each in a child process)', () => {
  it.concurrent.each([
    ['rejects with an object whose toString throws', `() => Promise.reject({ toString() { throw new Error('toString throws'); } })`],
    ['returns a thenable whose then throws', `() => ({ then() { throw new Error('then throws'); } })`],
    ['returns a thenable whose then getter throws', `() => Object.defineProperty({}, 'then', { get() { throw new Error('getter'); } })`],
    ['throws a string', `() => { throw 'nope'; }`],
    ['resolves a row with a hostile destinationPrefix getter', `() => Promise.resolve(Object.defineProperty({ family: 'inet', interfaceLuid: 1n, interfaceIndex: 1, nextHop: '10.0.0.1' }, 'destinationPrefix', { get() { throw new Error('getter'); } }))`],
  ])('getBestRoute2 that %s: a typed error, the registration cancelled, a clean exit', async (_what, lookup) => {
    const result = await runMisuse(`
      ${routeAdapter(lookup)}
      lib.defaultRoute$(lib.AF_INET, { adapter }).subscribe({ next: (r) => (out.next = r), error: (e) => (out.error = describe(e)) });
      settle();
      setTimeout(() => (out.active = m.active), 30);
    `);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatchObject({ active: 0, error: { name: 'IpInterfaceError', code: expect.stringMatching(/^(OS_ERROR|INVALID_PARAMETER)$/) } });
    expect(result.out?.next).toBeUndefined();
  });

  it('a route callback with a garbage type and a cancel that throws: OS_ERROR, nothing escapes', async () => {
    const result = await runMisuse(`
      const m = mock.createMockAdapter();
      let callback;
      const adapter = { ...m, name: 'odd',
        notifyRouteChange2: (f, c, i) => { callback = c; return m.notifyRouteChange2(f, c, i); },
        cancelMibChangeNotify2: () => { throw new Error('cancel throws'); } };
      lib.routeChanges$(lib.AF_INET, false, { adapter }).subscribe({ error: (e) => (out.error = describe(e)) });
      callback(mock.mockRouteRow(), 'bogus');
      settle();
    `);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatchObject({ error: { name: 'IpInterfaceError', code: 'OS_ERROR' } });
  });
});
