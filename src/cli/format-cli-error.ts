import { IpInterfaceError } from '../ip-interface-error.js';

/**
 * The one stderr line (without newline) for an error that ends the CLI: an `IpInterfaceError` as
 * `rxjs-ip-interface: CODE: message`, anything else as its message.
 *
 * @example
 * ```ts
 * formatCliError(new IpInterfaceError('OS_ERROR', 'open(/run/netns/x) failed: ENOENT'));
 * // 'rxjs-ip-interface: OS_ERROR: open(/run/netns/x) failed: ENOENT'
 * ```
 */
export function formatCliError(error: unknown): string {
  if (error instanceof IpInterfaceError) return `rxjs-ip-interface: ${error.code}: ${error.message}`;
  return `rxjs-ip-interface: ${error instanceof Error ? error.message : String(error)}`;
}
