/**
 * Calling a subscriber's callback from adapter code: a throw must not break the adapter (its loop,
 * its queue, the next registration), and must not be lost either.
 *
 * @module
 */
import type { IpInterfaceChangeCallback } from '../../src/adapter.js';

/**
 * Rethrows `error` in a microtask, after the current delivery: it surfaces as an uncaught exception,
 * as a throw from a timer callback would, without unwinding the adapter.
 *
 * @example
 * ```ts
 * try { callback(row, type); } catch (error) { rethrowLater(error); }
 * ```
 */
export function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Calls `callback(row, type)`; a throw is rethrown later ({@link rethrowLater}).
 *
 * @example
 * ```ts
 * callSafely(registration.callback, change.row, change.type);
 * ```
 */
export function callSafely(callback: IpInterfaceChangeCallback, ...args: Parameters<IpInterfaceChangeCallback>): void {
  try {
    callback(...args);
  } catch (error) {
    rethrowLater(error);
  }
}
