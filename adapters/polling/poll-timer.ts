/**
 * The polling clock: one `setInterval` per interval length for the whole process, shared by every
 * registration of every polling adapter with that interval. It exists only while someone listens.
 * @module
 */

/** What a listener gets on each tick: reads memoized for this tick, so N adapters read once. */
export interface PollTick {
  /** Calls `read` at most once per tick (per function), sharing its result or its error. */
  once<T>(read: () => T): T;
  /**
   * Calls `derive(input)` at most once per tick per (function, input), sharing its result or its
   * error: a snapshot built from the listing that {@link PollTick.once} read for this tick.
   */
  onceFor<A, T>(derive: (input: A) => T, input: A): T;
}

/** A tick listener. It must not throw (errors are re-thrown asynchronously if it does). */
export type PollListener = (tick: PollTick) => void;

interface PollTimer {
  readonly timer: NodeJS.Timeout;
  readonly listeners: Set<PollListener>;
}

const timers = new Map<number, PollTimer>();

function fire(intervalMs: number): void {
  const entry = timers.get(intervalMs);
  if (!entry) return;
  type Result = { value?: unknown; error?: unknown; failed: boolean };
  const results = new Map<() => unknown, Result>();
  const derived = new Map<(input: never) => unknown, Map<unknown, Result>>();
  const settle = (run: () => unknown): Result => {
    try {
      return { value: run(), failed: false };
    } catch (error) {
      return { error, failed: true };
    }
  };
  const tick: PollTick = {
    once<T>(read: () => T): T {
      let result = results.get(read);
      if (!result) {
        result = settle(read);
        results.set(read, result);
      }
      if (result.failed) throw result.error;
      return result.value as T;
    },
    onceFor<A, T>(derive: (input: A) => T, input: A): T {
      let byInput = derived.get(derive);
      if (!byInput) {
        byInput = new Map();
        derived.set(derive, byInput);
      }
      let result = byInput.get(input);
      if (!result) {
        result = settle(() => derive(input));
        byInput.set(input, result);
      }
      if (result.failed) throw result.error;
      return result.value as T;
    },
  };
  // A copy: listeners may leave (or join) while this tick runs; leavers get nothing more.
  for (const listener of [...entry.listeners]) {
    if (!entry.listeners.has(listener)) continue;
    try {
      listener(tick);
    } catch (error) {
      // Like any timer callback's error, but the other listeners still get this tick.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/**
 * Adds `listener` to the shared timer of `intervalMs`, creating (and ref-ing) the timer for the
 * first listener. Returns the function that removes it; the last one out clears the timer.
 *
 * @example
 * ```ts
 * const leave = joinPollTimer(1000, (tick) => console.log(tick.once(readInterfaceSnapshot).size));
 * leave();
 * ```
 */
export function joinPollTimer(intervalMs: number, listener: PollListener): () => void {
  let entry = timers.get(intervalMs);
  if (!entry) {
    entry = { timer: setInterval(fire, intervalMs, intervalMs), listeners: new Set() };
    timers.set(intervalMs, entry);
  }
  entry.listeners.add(listener);
  const joined = entry;
  let left = false;
  return () => {
    if (left) return;
    left = true;
    joined.listeners.delete(listener);
    if (joined.listeners.size === 0 && timers.get(intervalMs) === joined) {
      clearInterval(joined.timer);
      timers.delete(intervalMs);
    }
  };
}

/**
 * The intervals that have a live timer now, with their listener counts (diagnostics and tests).
 *
 * @example
 * ```ts
 * activePollTimers(); // [{ intervalMs: 1000, listeners: 2 }]
 * ```
 * @internal
 */
export function activePollTimers(): { intervalMs: number; listeners: number }[] {
  return [...timers].map(([intervalMs, e]) => ({ intervalMs, listeners: e.listeners.size }));
}
