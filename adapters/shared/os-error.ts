/**
 * Errors adapters report that the OS or a native library caused.
 *
 * @module
 */
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { toIpInterfaceError } from '../../src/to-ip-interface-error.js';

/**
 * Anything thrown inside an adapter as an `IpInterfaceError`: an `IpInterfaceError` passes as is,
 * anything else becomes `OS_ERROR` with it as `cause` (the same rule `ipInterfaceChanges$` applies).
 *
 * @example
 * ```ts
 * try { read(); } catch (error) { return Promise.reject(asOsError(error, 'polling')); }
 * ```
 */
export function asOsError(error: unknown, adapter: string): IpInterfaceError {
  return toIpInterfaceError(error, adapter);
}

/**
 * `NATIVE_LOAD_FAILED`: koffi or a native library could not be loaded or bound.
 *
 * @example
 * ```ts
 * throw nativeLoadFailed('linux', `could not load libc: ${String(error)}`, error);
 * ```
 */
export function nativeLoadFailed(adapter: string, message: string, cause?: unknown): IpInterfaceError {
  return new IpInterfaceError('NATIVE_LOAD_FAILED', message, cause === undefined ? { adapter } : { adapter, cause });
}
