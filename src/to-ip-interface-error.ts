import { IpInterfaceError } from './ip-interface-error.js';

/**
 * Wraps anything an adapter rejected with into an IpInterfaceError (an IpInterfaceError passes as is).
 * Never throws: a rejection value whose `toString` or `message` throws, or `Object.create(null)`,
 * still gives an error with a message.
 */
export function toIpInterfaceError(error: unknown, adapter: string): IpInterfaceError {
  if (error instanceof IpInterfaceError) return error;
  return new IpInterfaceError('OS_ERROR', `${adapter} adapter failed: ${messageOf(error)}`, { adapter, cause: error });
}

function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    return String(error);
  } catch {
    return `a value that cannot be converted to a string (${error === null ? 'null' : typeof error})`;
  }
}
