/**
 * Contract rule 10 (src/adapter.ts), the adapter's side: the error an adapter ends a registration
 * with, and how it calls the registration's `ended`. One place, so that every backend (and every
 * kind of registration: interfaces, addresses, routes) says it the same way.
 *
 * The code is `OS_ERROR`: the registration was lost for a reason outside the caller's request (the
 * namespace went away, the adapter was disposed), which a subscriber handles like any other failure
 * of the OS side (retry with a new subscription or give up); `INVALID_HANDLE` would say the caller
 * passed a bad handle, which it did not, and a new code would break exhaustive switches over
 * `IpInterfaceErrorCode`. The cause is in `osCode`: `ENOENT` (2) for a deleted Linux namespace,
 * `ERROR_OPERATION_ABORTED` (995, "aborted because of an application request") for a disposed
 * Windows adapter.
 *
 * @module
 */
import type { RegistrationEndedCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { rethrowLater } from './safe-callback.js';

/** ERROR_OPERATION_ABORTED: the Win32 code of an operation ended by the application's own request. */
export const ERROR_OPERATION_ABORTED = 995;

/**
 * The error that ends a registration the adapter lost (rule 10): `OS_ERROR`, a message that starts
 * with "<adapter> adapter ended the registration:", `osCode` and `cause` when given.
 *
 * @example
 * ```ts
 * const error = registrationEnded('windows', 'the adapter was disposed', { osCode: ERROR_OPERATION_ABORTED });
 * ```
 */
export function registrationEnded(adapter: string, reason: string, options: { osCode?: number; cause?: unknown } = {}): IpInterfaceError {
  return new IpInterfaceError('OS_ERROR', `${adapter} adapter ended the registration: ${reason}`, {
    adapter,
    ...(options.osCode === undefined ? {} : { osCode: options.osCode }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/**
 * Calls a registration's `ended(error)` the way rule 10 requires: in a microtask, so never inside an
 * invocation of a callback (an adapter may notice the loss while it delivers), on the JS thread; a
 * throw is rethrown later ({@link rethrowLater}) and cannot break the adapter. Call it after the
 * registration was taken out of the live set (its handle is not live any more). `ended` may be
 * undefined (a caller that passed none) or not a function (ignored).
 *
 * @example
 * ```ts
 * const entry = registrations.take(handle);
 * endRegistration(entry.ended, registrationEnded('linux', 'network namespace deleted', { osCode: 2 }));
 * ```
 */
export function endRegistration(ended: RegistrationEndedCallback | undefined, error: IpInterfaceError): void {
  if (typeof ended !== 'function') return;
  queueMicrotask(() => {
    try {
      ended(error);
    } catch (thrown) {
      rethrowLater(thrown);
    }
  });
}
