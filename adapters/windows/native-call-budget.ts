/**
 * The process-wide budget of koffi asynchronous calls the windows adapter may use.
 *
 * koffi runs every `fn.async()` call and every callback a non-JS thread makes on one pool of
 * `koffi.config().max_async_calls` slots per process (256 in koffi 3.3.4). A call holds a slot from
 * the JS call until its completion ran on the JS thread; a callback from a native thread holds one
 * for as long as that thread waits for the JS thread. When a *native* thread finds the pool empty,
 * koffi throws on that thread and V8 aborts the process (SIGSEGV in `napi_create_error`, measured:
 * see docs/windows.md). So the adapter counts what it may have in that pool at once and makes every
 * further call wait its turn here, instead of handing it to koffi.
 *
 * - capacity: half the pool (128 of 256). The other half stays for the rest of the process (other
 *   koffi users, user code), which this library cannot see.
 * - each OS registration reserves one slot for as long as it exists: Windows serializes the callbacks
 *   of one registration, so it has at most one callback waiting for the JS thread at a time;
 * - each `.async` call (register, cancel, GetIpInterfaceTable) takes one slot while in flight;
 * - registrations may reserve at most capacity - {@link CALL_RESERVE}, so that a cancel (which frees
 *   a registration's slot) always finds a slot: a full budget never blocks its own way out.
 *
 * One budget per process, kept with the kit's `processWide` (adapters/shared/process-state.ts): the
 * CommonJS and ESM builds of the package are two copies of this module, but there is only one koffi pool. (The file
 * name avoids "koffi": test/src/default-adapter.test.ts proves that importing loads no koffi by
 * looking for that word in require.cache.)
 */

import { processWide } from '../shared/process-state.js';

/** Slots always left for calls, however many registrations exist. */
export const CALL_RESERVE = 8;

/** What `call` rejects with when koffi refused to start the call: the native function did not run. */
export class NativeCallNotMade extends Error {
  constructor(readonly reason: unknown) {
    super(`koffi refused the asynchronous call, the native function did not run: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'NativeCallNotMade';
  }
}

/**
 * A snapshot of the process-wide koffi async budget, as `diagnostics().asyncBudget` reports it.
 *
 * @example
 * ```ts
 * import { windowsAdapter, type KoffiAsyncBudgetState } from 'rxjs-ip-interface/adapters/windows';
 *
 * const budget: KoffiAsyncBudgetState | undefined = windowsAdapter().diagnostics().asyncBudget; // undefined until loaded
 * if (budget && budget.registrationsQueued > 0) console.warn('OS registrations are waiting for a koffi async slot');
 * ```
 */
export interface KoffiAsyncBudgetState {
  /** Slots this library may use (half of `max_async_calls`). */
  readonly capacity: number;
  /** `koffi.config().max_async_calls` when the budget was made. */
  readonly maxAsyncCalls: number;
  /** `.async` calls running now. */
  readonly inFlight: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
  /** Slots held for the callbacks of OS registrations. */
  readonly reservedForCallbacks: number;
  /** Registrations waiting for a slot. */
  readonly registrationsQueued: number;
}

type Start<T> = (done: (error: unknown, value: T) => void) => void;

interface QueuedCall {
  run(): void;
}

// koffi 3.3.4's message when its pool is empty (JS side: an ordinary exception, nothing started).
const POOL_EMPTY = /too many asynchronous calls/i;
const RETRY_MS = 10;

/** The budget. Use {@link koffiAsyncBudget} to get the process's one. */
export class KoffiAsyncBudget {
  readonly capacity: number;
  private inFlight = 0;
  private reserved = 0;
  private readonly calls: QueuedCall[] = [];
  private readonly reservations: (() => void)[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly maxAsyncCalls: number) {
    this.capacity = Math.max(CALL_RESERVE + 1, Math.floor(maxAsyncCalls / 2));
  }

  state(): KoffiAsyncBudgetState {
    return {
      capacity: this.capacity,
      maxAsyncCalls: this.maxAsyncCalls,
      inFlight: this.inFlight,
      queued: this.calls.length,
      reservedForCallbacks: this.reserved,
      registrationsQueued: this.reservations.length,
    };
  }

  /**
   * Starts `start` (which must call koffi's `.async` synchronously and pass `done` as its callback)
   * once a slot is free. Rejects with {@link NativeCallNotMade} if koffi refused it for another
   * reason than a full pool (a full pool, caused by someone else, is retried after 10 ms).
   */
  call<T>(start: Start<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: QueuedCall = {
        run: () => {
          this.inFlight++;
          let finished = false;
          const done = (error: unknown, value: T): void => {
            if (finished) return;
            finished = true;
            this.inFlight--;
            this.pump();
            if (error) reject(error instanceof Error ? error : new Error(String(error)));
            else resolve(value);
          };
          try {
            start(done);
          } catch (error) {
            finished = true;
            this.inFlight--;
            if (POOL_EMPTY.test(error instanceof Error ? error.message : String(error))) {
              // Someone else holds the pool: wait our turn at the head of the queue.
              this.calls.unshift(entry);
              this.scheduleRetry();
            } else {
              reject(new NativeCallNotMade(error));
            }
            this.pump();
          }
        },
      };
      this.calls.push(entry);
      this.pump();
    });
  }

  /**
   * Resolves once a slot is reserved for the callbacks of one OS registration; call the returned
   * function (once; later calls do nothing) when the registration can no longer call back. Never
   * rejects, except when `signal` aborts while it still waits (then it rejects with the signal's
   * reason and holds nothing): a wait for a slot can last as long as other registrations live.
   */
  reserveCallbackSlot(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const reserve = (): void => {
        signal?.removeEventListener('abort', withdraw);
        this.reserved++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.reserved--;
          this.pump();
        });
      };
      const withdraw = (): void => {
        const at = this.reservations.indexOf(reserve);
        if (at < 0) return; // already reserved
        this.reservations.splice(at, 1);
        reject(signal!.reason);
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener('abort', withdraw, { once: true });
      this.reservations.push(reserve);
      this.pump();
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, RETRY_MS);
  }

  private pump(): void {
    while (this.reservations.length > 0 && this.reserved < this.capacity - CALL_RESERVE && this.reserved + this.inFlight < this.capacity) {
      this.reservations.shift()!();
    }
    while (!this.retryTimer && this.calls.length > 0 && this.reserved + this.inFlight < this.capacity) {
      this.calls.shift()!.run();
    }
  }
}


/**
 * The process's budget, made on first use from `koffi.config().max_async_calls`.
 *
 * @example
 * ```ts
 * const budget = koffiAsyncBudget(koffi.config().max_async_calls);
 * budget.state().capacity; // 128 with koffi's default of 256
 * ```
 */
export function koffiAsyncBudget(maxAsyncCalls: number): KoffiAsyncBudget {
  return processWide('windows.koffi-async-budget.v1', () => new KoffiAsyncBudget(maxAsyncCalls));
}
