import { callSafely, rethrowLater } from '../../../adapters/shared/safe-callback';

describe('safe callback', () => {
  it('calls the callback with the arguments', () => {
    const calls: unknown[][] = [];
    callSafely((...args) => calls.push(args), null, 'initial');
    expect(calls).toEqual([[null, 'initial']]);
  });

  it('a throw does not unwind the caller; it is rethrown in a microtask after the current code', async () => {
    const boom = new Error('subscriber bug');
    const seen: unknown[] = [];
    const original = globalThis.queueMicrotask;
    // Capture the microtask instead of letting it reach jest's uncaught-exception handler.
    const queued: (() => void)[] = [];
    globalThis.queueMicrotask = (task) => void queued.push(task);
    try {
      callSafely(() => {
        throw boom;
      }, null, 'initial');
      seen.push('after');
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(seen).toEqual(['after']);
    expect(queued).toHaveLength(1);
    expect(() => queued[0]!()).toThrow(boom);
  });

  it('rethrowLater throws the same value from a microtask', () => {
    const original = globalThis.queueMicrotask;
    const queued: (() => void)[] = [];
    globalThis.queueMicrotask = (task) => void queued.push(task);
    try {
      rethrowLater('not an Error');
    } finally {
      globalThis.queueMicrotask = original;
    }
    let thrown: unknown;
    try {
      queued[0]!();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe('not an Error');
  });
});
