/**
 * Point 9 of issue 15: serialDelivery with handlers that are synchronous, return plain values or
 * hostile thenables, each in its own child process (test/src/misuse-child.ts): the process lives on
 * and exits by itself, nothing reaches stderr, and the stream completes or errors as documented.
 */
import { of, type OperatorFunction } from 'rxjs';
import { mockRow } from '../../../adapters/mock';
import type { IpInterfaceChange } from '../../../src/ip-interface-change';
import { serialDelivery } from '../../../src/operators/serial-delivery';
import { runMisuse } from '../misuse-child';

/** Pipes three mock changes (and completion) through serialDelivery(handler); records what happens. */
const through = (handler: string, options = '{}'): string => `
  out.handled = []; out.emitted = [];
  const { createMockAdapter, mockRow } = mock;
  const changes = [1, 2, 3].map((i) => ({ kind: 'added', row: mockRow({ interfaceIndex: i }) }));
  const handler = ${handler};
  rxjs.from(changes).pipe(lib.serialDelivery(handler, ${options})).subscribe({
    next: (v) => out.emitted.push(typeof v === 'object' && v !== null ? 'object' : v),
    error: (e) => (out.error = e instanceof Error ? e.message : describe(e)),
    complete: () => (out.complete = true),
  });
  settle();
`;

describe('serialDelivery misuse (each in a child process)', () => {
  const expectClean = (result: { code: number | null; stderr: string }): void => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  it.concurrent('a plain synchronous handler (console.log style, returns undefined): every change handled in order, nothing emitted, completes', async () => {
    const result = await runMisuse(through(`(change) => { out.handled.push(change.row.interfaceIndex); }`));
    expectClean(result);
    expect(result.out).toEqual({ handled: [1, 2, 3], emitted: [], complete: true });
  });

  it.concurrent.each([
    ['42', '42'],
    ['null', 'null'],
    ["a string ('abc', not split into characters)", "'abc'"],
    ['a plain object', '({ done: true })'],
  ])('a synchronous handler returning %s: done at once, nothing emitted, completes', async (_what, value) => {
    const result = await runMisuse(through(`(change) => { out.handled.push(change.row.interfaceIndex); return ${value}; }`));
    expectClean(result);
    expect(result.out).toEqual({ handled: [1, 2, 3], emitted: [], complete: true });
  });

  it.concurrent('a handler returning an array or an Observable still emits their values (concatMap semantics kept)', async () => {
    const result = await runMisuse(through(`(change) => change.row.interfaceIndex === 2 ? rxjs.of('b1', 'b2') : ['x' + change.row.interfaceIndex]`));
    expectClean(result);
    expect(result.out).toEqual({ handled: [], emitted: ['x1', 'b1', 'b2', 'x3'], complete: true });
  });

  it.concurrent('a thenable that resolves, then rejects, then throws: only the first outcome counts', async () => {
    const result = await runMisuse(
      through(`(change) => ({ then(resolve, reject) { out.handled.push(change.row.interfaceIndex); resolve(change.row.interfaceIndex); reject(new Error('late')); throw new Error('later'); } })`),
    );
    expectClean(result);
    expect(result.out).toEqual({ handled: [1, 2, 3], emitted: [1, 2, 3], complete: true });
  });

  it.concurrent('a thenable whose then throws: the stream errors with that error as it is', async () => {
    const result = await runMisuse(through(`() => ({ then() { throw new Error('then throws'); } })`));
    expectClean(result);
    expect(result.out).toEqual({ handled: [], emitted: [], error: 'then throws' });
  });

  it.concurrent('a handler rejecting with an object whose toString throws: the stream errors with that very object', async () => {
    const result = await runMisuse(`
      const hostile = { toString() { throw new Error('toString throws'); } };
      rxjs.of({ kind: 'added', row: mock.mockRow() }).pipe(lib.serialDelivery(() => Promise.reject(hostile)))
        .subscribe({ error: (e) => (out.same = e === hostile) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ same: true });
  });

  it.concurrent('a handler that throws synchronously: the stream errors with the thrown value; later changes are not handled', async () => {
    const result = await runMisuse(through(`(change) => { out.handled.push(change.row.interfaceIndex); throw new Error('handler bug'); }`));
    expectClean(result);
    expect(result.out).toEqual({ handled: [1], emitted: [], error: 'handler bug' });
  });

  it.concurrent.each([
    ['a handler that is not a function', `42`, '{}'],
    ['options null', `() => undefined`, 'null'],
  ])('%s: INVALID_PARAMETER', async (_what, handler, options) => {
    const result = await runMisuse(`
      rxjs.of({ kind: 'added', row: mock.mockRow() }).pipe(lib.serialDelivery(${handler}, ${options})).subscribe({ error: (e) => (out.error = describe(e)) });
      settle();
    `);
    expectClean(result);
    expect(result.out).toEqual({ error: expect.objectContaining({ name: 'IpInterfaceError', code: 'INVALID_PARAMETER' }) });
  });
});

describe('serialDelivery types', () => {
  it('accepts a synchronous handler returning nothing (compiled by npm run typecheck)', () => {
    const seen: number[] = [];
    const logOnly: OperatorFunction<IpInterfaceChange, never> = serialDelivery((change) => {
      if (change.kind !== 'initial') seen.push(change.row.interfaceIndex);
    });
    of<IpInterfaceChange>({ kind: 'added', row: mockRow({ interfaceIndex: 5 }) }).pipe(logOnly).subscribe();
    expect(seen).toEqual([5]);
  });
});
