import { CALL_RESERVE, KoffiAsyncBudget, NativeCallNotMade, koffiAsyncBudget } from '../../../adapters/windows/native-call-budget';

type Done = (error: unknown, value: number) => void;

/** A stand-in for koffi's `.async`: remembers the completion callbacks so the test decides when each call ends. */
function fakeAsync(): { start: (done: Done) => void; pending: Done[] } {
  const pending: Done[] = [];
  return { pending, start: (done) => void pending.push(done) };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KoffiAsyncBudget', () => {
  it('is half of max_async_calls, and one per process (shared by the CommonJS and ESM copies through globalThis)', () => {
    expect(new KoffiAsyncBudget(256).capacity).toBe(128);
    expect(new KoffiAsyncBudget(4096).capacity).toBe(2048);
    expect(new KoffiAsyncBudget(4).capacity).toBe(CALL_RESERVE + 1);
    expect(koffiAsyncBudget(256)).toBe(koffiAsyncBudget(1024));
  });

  it('never has more calls in flight than its capacity; the rest wait in order', async () => {
    const budget = new KoffiAsyncBudget(32); // capacity 16
    const koffi = fakeAsync();
    const order: number[] = [];
    const calls = Array.from({ length: 40 }, (_, i) => budget.call<number>(koffi.start).then((v) => order.push(v ?? i)));
    expect(koffi.pending).toHaveLength(16);
    expect(budget.state()).toMatchObject({ inFlight: 16, queued: 24 });
    let value = 0;
    while (koffi.pending.length > 0) {
      koffi.pending.shift()!(null, value++);
      expect(budget.state().inFlight).toBeLessThanOrEqual(16);
      await tick();
    }
    await Promise.all(calls);
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(budget.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('reserves registration slots up to capacity - CALL_RESERVE, so that calls (a cancel) always find a slot', async () => {
    const budget = new KoffiAsyncBudget(32); // capacity 16, registrations at most 8
    const releases = await Promise.all(Array.from({ length: 8 }, () => budget.reserveCallbackSlot()));
    let ninth: (() => void) | undefined;
    void budget.reserveCallbackSlot().then((release) => (ninth = release));
    await tick();
    expect(ninth).toBeUndefined();
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 1 });
    const koffi = fakeAsync();
    const call = budget.call<number>(koffi.start);
    expect(koffi.pending).toHaveLength(1);
    koffi.pending[0]!(null, 7);
    await expect(call).resolves.toBe(7);
    releases[0]!();
    releases[0]!(); // idempotent
    await tick();
    expect(ninth).toBeDefined();
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 0 });
  });

  it('a registration slot still waited for is withdrawn when its signal aborts (holds nothing, the next waiter moves up)', async () => {
    const budget = new KoffiAsyncBudget(32); // registrations at most 8
    const releases = await Promise.all(Array.from({ length: 8 }, () => budget.reserveCallbackSlot()));
    const waiting = new AbortController();
    const withdrawn = budget.reserveCallbackSlot(waiting.signal);
    let tenth: (() => void) | undefined;
    void budget.reserveCallbackSlot().then((release) => (tenth = release));
    await tick();
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 2 });
    waiting.abort(new Error('disposed'));
    await expect(withdrawn).rejects.toThrow('disposed');
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 1 });
    releases[0]!();
    await tick();
    expect(tenth).toBeDefined();
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 0 });
    // Aborting after the slot was reserved changes nothing; an aborted signal reserves nothing.
    waiting.abort();
    await expect(budget.reserveCallbackSlot(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 8, registrationsQueued: 0 });
    for (const release of [...releases.slice(1), tenth!]) release();
    expect(budget.state()).toMatchObject({ reservedForCallbacks: 0 });
  });

  it("koffi's own 'Too many asynchronous calls' (someone else filled the pool) is retried, not failed", async () => {
    const budget = new KoffiAsyncBudget(256);
    let attempts = 0;
    const result = budget.call<number>((done) => {
      if (++attempts < 3) throw new Error('Too many asynchronous calls are running');
      setImmediate(() => done(null, 42));
    });
    await expect(result).resolves.toBe(42);
    expect(attempts).toBe(3);
  });

  it('any other refusal by koffi rejects with NativeCallNotMade (the native function did not run); a failed call rejects with its error', async () => {
    const budget = new KoffiAsyncBudget(256);
    const refused = budget.call<number>(() => {
      throw new TypeError('Unexpected String value, expected number');
    });
    await expect(refused).rejects.toBeInstanceOf(NativeCallNotMade);
    await expect(refused).rejects.toThrow(/did not run: Unexpected String value/);
    await expect(budget.call<number>((done) => setImmediate(() => done(new Error('boom'), 0)))).rejects.toThrow('boom');
    expect(budget.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });
});
