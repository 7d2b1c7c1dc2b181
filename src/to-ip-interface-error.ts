import { IpInterfaceError } from './ip-interface-error.js';

/** Wraps anything an adapter rejected with into an IpInterfaceError (an IpInterfaceError passes as is). */
export function toIpInterfaceError(error: unknown, adapter: string): IpInterfaceError {
  if (error instanceof IpInterfaceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new IpInterfaceError('OS_ERROR', `${adapter} adapter failed: ${message}`, { adapter, cause: error });
}
