/**
 * Why the library failed. Mirrors the Win32 codes that NotifyIpInterfaceChange documents, plus ours.
 *
 * @example
 * ```ts
 * import type { IpInterfaceErrorCode } from 'rxjs-ip-interface';
 *
 * function hint(code: IpInterfaceErrorCode): string {
 *   if (code === 'NATIVE_LOAD_FAILED') return 'koffi or the OS library did not load: try the polling adapter';
 *   if (code === 'QUEUE_OVERFLOW') return "the handler is too slow: try serialDelivery's overflow: 'coalesce'";
 *   return code;
 * }
 * ```
 */
export type IpInterfaceErrorCode =
  | 'INVALID_PARAMETER'
  | 'INVALID_HANDLE'
  | 'NOT_ENOUGH_MEMORY'
  | 'NOT_SUPPORTED'
  | 'NATIVE_LOAD_FAILED'
  | 'QUEUE_OVERFLOW'
  | 'OS_ERROR';

/**
 * Options of {@link IpInterfaceError}.
 *
 * @example
 * ```ts
 * import { IpInterfaceError, type IpInterfaceErrorOptions } from 'rxjs-ip-interface';
 *
 * // How an adapter wraps a failed system call:
 * function osError(errno: number, cause: unknown): IpInterfaceError {
 *   const options: IpInterfaceErrorOptions = { osCode: errno, adapter: 'my-adapter', cause };
 *   return new IpInterfaceError('OS_ERROR', `socket() failed: errno ${errno}`, options);
 * }
 * ```
 */
export interface IpInterfaceErrorOptions {
  /** Win32 error code, NTSTATUS or errno, where the OS gave one. */
  osCode?: number;
  /** Name of the adapter that failed (`'core'` for the library's own checks). */
  adapter?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

// A global brand keeps `instanceof` true across copies of this module (the CommonJS and ESM builds
// of the package are two copies; a user may load one through `require` and another through `import`).
const brand = Symbol.for('rxjs-ip-interface.IpInterfaceError');

/**
 * The only error type the library itself emits. Errors thrown by your own handlers pass through
 * unchanged.
 *
 * @example
 * ```ts
 * ipInterfaceChanges$(AF_INET).subscribe({
 *   error: (e) => {
 *     if (e instanceof IpInterfaceError && e.code === 'NATIVE_LOAD_FAILED') console.error(e.message);
 *   },
 * });
 * ```
 */
export class IpInterfaceError extends Error {
  override readonly name = 'IpInterfaceError';
  readonly code: IpInterfaceErrorCode;
  readonly osCode: number | undefined;
  readonly adapter: string;
  declare readonly cause: unknown;


  constructor(code: IpInterfaceErrorCode, message: string, options: IpInterfaceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.osCode = options.osCode;
    this.adapter = options.adapter ?? 'core';
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/**
 * True when `value` is an {@link IpInterfaceError}, optionally with the given code.
 *
 * @example
 * ```ts
 * async function cancelOnce(adapter: IpInterfaceAdapter, handle: NotificationHandle): Promise<void> {
 *   try {
 *     await adapter.cancelMibChangeNotify2(handle);
 *   } catch (err) {
 *     if (!isIpInterfaceError(err, 'INVALID_HANDLE')) throw err; // INVALID_HANDLE: already cancelled
 *   }
 * }
 * ```
 */
export function isIpInterfaceError(value: unknown, code?: IpInterfaceErrorCode): value is IpInterfaceError {
  return value instanceof IpInterfaceError && (code === undefined || value.code === code);
}
