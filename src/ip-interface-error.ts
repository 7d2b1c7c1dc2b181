/** Why the library failed. Mirrors the Win32 codes that NotifyIpInterfaceChange documents, plus ours. */
export type IpInterfaceErrorCode =
  | 'INVALID_PARAMETER'
  | 'INVALID_HANDLE'
  | 'NOT_ENOUGH_MEMORY'
  | 'NOT_SUPPORTED'
  | 'NATIVE_LOAD_FAILED'
  | 'QUEUE_OVERFLOW'
  | 'OS_ERROR';

/** Options of {@link IpInterfaceError}. */
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
 * if (isIpInterfaceError(err, 'INVALID_HANDLE')) { ... }
 * ```
 */
export function isIpInterfaceError(value: unknown, code?: IpInterfaceErrorCode): value is IpInterfaceError {
  return value instanceof IpInterfaceError && (code === undefined || value.code === code);
}
