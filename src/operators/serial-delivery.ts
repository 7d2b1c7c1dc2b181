import { Observable, from, observable, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import type { IpInterfaceChange } from '../ip-interface-change.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import { BoundedQueue, CoalescingQueue, type DeliveryQueue } from './delivery-queue.js';

/**
 * What `serialDelivery` does when a change arrives and `maxQueue` changes are already waiting.
 *
 * @example
 * ```ts
 * const overflow: SerialDeliveryOverflow = 'coalesce';
 * ipInterfaceChanges$(AF_INET).pipe(serialDelivery(async (change) => console.log(change.kind), { overflow }));
 * ```
 */
export type SerialDeliveryOverflow = 'error' | 'coalesce';

/**
 * Options of {@link serialDelivery}.
 *
 * @example
 * ```ts
 * const options: SerialDeliveryOptions = { maxQueue: 1000, overflow: 'coalesce' };
 * const log = async (change: IpInterfaceChange): Promise<void> => console.log(change.kind);
 * ipInterfaceChanges$(AF_INET).pipe(serialDelivery(log, options)).subscribe();
 * ```
 */
export interface SerialDeliveryOptions {
  /**
   * Most changes that may wait while a handler runs (the running one not counted). Default 10,000.
   * An integer >= 0, or `Infinity` for no bound.
   */
  maxQueue?: number | undefined;
  /**
   * On a change that finds the queue full: `'error'` (default) errors the stream with
   * `IpInterfaceError('QUEUE_OVERFLOW')`; `'coalesce'` merges the waiting changes per interface into
   * their net effect (the rules of {@link debounceInterfaceChanges}) and errors only when `maxQueue`
   * different interfaces are waiting.
   */
  overflow?: SerialDeliveryOverflow | undefined;
  /**
   * What `'coalesce'` merges by: `'interface'` (default: family + LUID, for `ipInterfaceChanges$`)
   * or `'address'` (family + LUID + address text, for `unicastIpAddressChanges$`: per interface,
   * the changes of different addresses of one interface would merge into one) or `'route'`
   * (`routeKey`: one next hop of one route, for `routeChanges$`).
   */
  coalesceBy?: 'interface' | 'address' | 'route' | undefined;
}

/**
 * The handler of {@link serialDelivery}: returns a Promise, an Observable or any other `ObservableInput`,
 * or nothing (a synchronous handler: done when it returns).
 *
 * @example
 * ```ts
 * const post: SerialDeliveryHandler<IpInterfaceChange, Response> = (change) =>
 *   fetch('http://localhost:8080/network', { method: 'POST', body: change.kind });
 * ipInterfaceChanges$(AF_INET).pipe(serialDelivery(post)).subscribe((response) => console.log(response.status));
 * ```
 */
export type SerialDeliveryHandler<T, R> = (change: T) => ObservableInput<R> | void;

const DEFAULT_MAX_QUEUE = 10_000;

/**
 * Runs an asynchronous handler per change, strictly one at a time and in arrival order, and emits
 * the handler's results: the value a Promise resolves to, or every value of an Observable (as
 * `concatMap` does). To pass the change itself on, return it: `async (c) => { await save(c); return c; }`.
 * A synchronous handler is allowed: when it returns `undefined` (or any value that is neither a
 * thenable nor an Observable, array or iterable object: `42`, a string, a plain object) it is done at
 * once and nothing is emitted for that change.
 *
 * The source is never held while a handler runs: changes that arrive meanwhile wait in a queue and
 * the source's callback returns at once. A change that finds nothing running starts its handler
 * synchronously (keep the handler's synchronous part short). The queue is bounded by `maxQueue`
 * (default 10,000 waiting changes); on overflow the stream errors with
 * `IpInterfaceError('QUEUE_OVERFLOW')`, or with `overflow: 'coalesce'` the waiting changes are
 * reduced to their net effect per interface (a merged change may be a new `{ kind, row }` object;
 * the `initial` marker is never merged). An error thrown or returned by the handler errors the stream
 * as it is (not wrapped). When the source completes, the waiting changes are still handled, then the
 * stream completes; an error of the source errors the stream at once and drops what waits.
 * Unsubscribing unsubscribes the running handler's Observable (a running Promise cannot be
 * cancelled: its result is ignored).
 *
 * ```text
 * handler(change) = cold '--X|': 2 frames to a result, done at the 3rd; a, b, c arrive at 0, 2, 3
 * source:     a-bc------|
 * handler a:  ^--!
 * handler b:  ---^--!          b waited 1 frame (a was running), c waited 3
 * handler c:  ------^--!
 * result:     --A--B--C-|      completes when the source did and nothing waits or runs
 * ```
 *
 * @param handler Called with each change once the previous handler finished.
 * @example
 * ```ts
 * import { ipInterfaceChanges$, debounceInterfaceChanges, serialDelivery, AF_INET } from 'rxjs-ip-interface';
 *
 * ipInterfaceChanges$(AF_INET)
 *   .pipe(
 *     debounceInterfaceChanges(200),
 *     serialDelivery(async (change) => {
 *       await fetch('http://localhost:8080/network', { method: 'POST', body: change.kind });
 *       return change;
 *     }, { overflow: 'coalesce' }),
 *   )
 *   .subscribe((handled) => console.log('handled', handled.kind));
 * ```
 */
export function serialDelivery<T extends IpInterfaceChange, R = never>(
  handler: SerialDeliveryHandler<T, R>,
  options: SerialDeliveryOptions = {},
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      if (typeof handler !== 'function') {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `serialDelivery: the handler must be a function, got ${typeof handler}`));
        return;
      }
      if (typeof options !== 'object' || options === null) {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `serialDelivery: options must be an object, got ${options === null ? 'null' : typeof options}`));
        return;
      }
      const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
      const overflow = options.overflow ?? 'error';
      if (!(maxQueue === Infinity || (Number.isInteger(maxQueue) && maxQueue >= 0))) {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `serialDelivery: maxQueue must be an integer >= 0 or Infinity, got ${String(maxQueue)}`));
        return;
      }
      if (overflow !== 'error' && overflow !== 'coalesce') {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `serialDelivery: overflow must be 'error' or 'coalesce', got ${String(overflow)}`));
        return;
      }
      const coalesceBy = options.coalesceBy ?? 'interface';
      if (coalesceBy !== 'interface' && coalesceBy !== 'address' && coalesceBy !== 'route') {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `serialDelivery: coalesceBy must be 'interface', 'address' or 'route', got ${String(coalesceBy)}`));
        return;
      }
      const queue: DeliveryQueue<T> = overflow === 'coalesce' ? new CoalescingQueue<T>(maxQueue, coalesceBy) : new BoundedQueue<T>(maxQueue);
      let running = false;
      let draining = false;
      let sourceDone = false;
      let inner: Subscription | undefined;

      const finished = (): void => {
        inner = undefined;
        running = false;
        drain();
      };

      const fail = (error: unknown): void => subscriber.error(error);

      const run = (change: T): void => {
        running = true;
        let result: ObservableInput<R> | void;
        try {
          result = handler(change);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        const then = thenOf(result);
        if (then !== undefined) {
          // Fast path: no Observable wrapper per change. A hostile thenable may call back twice,
          // both ways, or throw: only the first outcome counts and none escapes.
          let settled = false;
          try {
            then.call(
              result,
              (value: unknown) => {
                if (settled) return;
                settled = true;
                if (subscriber.closed) return;
                subscriber.next(value as R);
                finished();
              },
              (error: unknown) => {
                if (settled) return;
                settled = true;
                fail(error);
              },
            );
          } catch (error) {
            if (!settled) {
              settled = true;
              fail(error);
            }
          }
          return;
        }
        if (!isSubscribable(result)) {
          // A synchronous handler (undefined, or any other plain value): done, nothing to emit.
          running = false;
          return;
        }
        let sync = true;
        let completedSync = false;
        let subscription: Subscription;
        try {
          subscription = from(result).subscribe({
            next: (value) => subscriber.next(value),
            error: fail,
            complete: () => {
              if (sync) completedSync = true;
              else finished();
            },
          });
        } catch (error) {
          fail(error);
          return;
        }
        sync = false;
        if (completedSync) finished();
        else if (!subscription.closed) inner = subscription;
      };

      // Iterative, so handlers that complete synchronously do not grow the stack.
      const drain = (): void => {
        if (draining) return;
        draining = true;
        while (!running && !subscriber.closed) {
          const next = queue.shift();
          if (next === undefined) {
            if (sourceDone) subscriber.complete();
            break;
          }
          run(next);
        }
        draining = false;
      };

      const subscription = source.subscribe({
        next: (change) => {
          if (!running && queue.size === 0) run(change);
          else if (!queue.push(change)) {
            subscriber.error(
              new IpInterfaceError(
                'QUEUE_OVERFLOW',
                overflow === 'coalesce'
                  ? `serialDelivery: changes of more than ${maxQueue} interfaces are waiting (maxQueue); the handler is too slow`
                  : `serialDelivery: more than ${maxQueue} changes are waiting (maxQueue); the handler is too slow, or use overflow: 'coalesce'`,
              ),
            );
          }
        },
        error: fail,
        complete: () => {
          sourceDone = true;
          if (!running) drain();
        },
      });

      return () => {
        subscription.unsubscribe();
        inner?.unsubscribe();
        inner = undefined;
        queue.clear();
      };
    });
}

/** The `then` of a thenable, read once (a getter may throw or change), else undefined. */
function thenOf(value: unknown): PromiseLike<unknown>['then'] | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    const then = (value as { then?: unknown }).then;
    return typeof then === 'function' ? (then as PromiseLike<unknown>['then']) : undefined;
  } catch {
    return undefined;
  }
}

/** An object `from()` accepts: an Observable (or interop), an array-like, an (async) iterable, a ReadableStream. */
function isSubscribable<R>(value: ObservableInput<R> | void): value is ObservableInput<R> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as unknown as Record<PropertyKey, unknown>;
  try {
    return (
      value instanceof Observable ||
      typeof v[observable] === 'function' ||
      Array.isArray(value) ||
      typeof v[Symbol.iterator] === 'function' ||
      typeof v[Symbol.asyncIterator] === 'function' ||
      typeof v.getReader === 'function'
    );
  } catch {
    return false;
  }
}
