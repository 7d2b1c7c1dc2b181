import { IpInterfaceError } from '../../src/ip-interface-error';

/** The `IpInterfaceError` a promise rejects with; anything else (or fulfilment) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<IpInterfaceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IpInterfaceError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
