import { IpInterfaceError, type IpInterfaceErrorCode } from '../../src/ip-interface-error.js';

/** Win32 / NTSTATUS codes the adapter names (the rest are reported by number). */
const KNOWN: Record<number, { readonly name: string; readonly code: IpInterfaceErrorCode }> = {
  6: { name: 'ERROR_INVALID_HANDLE', code: 'INVALID_HANDLE' },
  8: { name: 'ERROR_NOT_ENOUGH_MEMORY', code: 'NOT_ENOUGH_MEMORY' },
  50: { name: 'ERROR_NOT_SUPPORTED', code: 'NOT_SUPPORTED' },
  87: { name: 'ERROR_INVALID_PARAMETER', code: 'INVALID_PARAMETER' },
  1168: { name: 'ERROR_NOT_FOUND', code: 'OS_ERROR' },
  0xc000000d: { name: 'STATUS_INVALID_PARAMETER', code: 'INVALID_PARAMETER' },
  0xc0000017: { name: 'STATUS_NO_MEMORY', code: 'NOT_ENOUGH_MEMORY' },
};

/**
 * The {@link IpInterfaceErrorCode} for a Win32 error or NTSTATUS returned by an IP Helper function:
 * 87 / 0xC000000D INVALID_PARAMETER, 6 INVALID_HANDLE, 8 / 0xC0000017 NOT_ENOUGH_MEMORY,
 * 50 NOT_SUPPORTED, anything else OS_ERROR.
 *
 * @example
 * ```ts
 * errorCodeOfWin32(0xc000000d); // 'INVALID_PARAMETER'
 * ```
 */
export function errorCodeOfWin32(status: number): IpInterfaceErrorCode {
  return KNOWN[status >>> 0]?.code ?? 'OS_ERROR';
}

/**
 * The error for a failed call: `osCode` is the number, the message names the function, the code's
 * symbolic name where known, and the system's text where `FormatMessageW` gave one.
 *
 * @example
 * ```ts
 * win32Error('CancelMibChangeNotify2', 6, 'The handle is invalid.').code; // 'INVALID_HANDLE'
 * ```
 */
export function win32Error(fn: string, status: number, systemMessage?: string, cause?: unknown): IpInterfaceError {
  const code = status >>> 0;
  const name = KNOWN[code]?.name;
  const number = code >= 0x80000000 ? `0x${code.toString(16).toUpperCase().padStart(8, '0')}` : String(code);
  const text = systemMessage?.trim();
  const message = `${fn} failed with ${name ? `${name} (${number})` : number}${text ? `: ${text}` : ''}`;
  return new IpInterfaceError(errorCodeOfWin32(code), message, { osCode: code, adapter: 'windows', cause });
}
