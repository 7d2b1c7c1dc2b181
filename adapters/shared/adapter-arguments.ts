/**
 * The argument checks every adapter makes before it registers anything (contract rule 1, and a
 * callback that is not a function: without this check the first change would throw a TypeError
 * out of the OS callback path and kill the process).
 *
 * @module
 */
import { isAddressFamily, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceChangeCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';

/** ERROR_INVALID_PARAMETER: what Windows answers, and what the non-Linux adapters report. */
export const ERROR_INVALID_PARAMETER = 87;
/** EINVAL: what the linux adapter reports as `osCode` for a bad argument. */
export const EINVAL = 22;

function describeValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * The `INVALID_PARAMETER` error for a family that is not one of the three constants.
 *
 * @example
 * ```ts
 * return Promise.reject(invalidFamily('polling', family, ERROR_INVALID_PARAMETER));
 * ```
 */
export function invalidFamily(adapter: string, family: unknown, osCode: number): IpInterfaceError {
  return new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${describeValue(family)}: use AF_UNSPEC, AF_INET or AF_INET6`, {
    adapter,
    osCode,
  });
}

/**
 * The family check of `getIpInterfaceTable`: undefined when `family` is valid, else the error.
 *
 * @example
 * ```ts
 * const error = familyError('mock', family, ERROR_INVALID_PARAMETER);
 * if (error) return Promise.reject(error);
 * ```
 */
export function familyError(adapter: string, family: unknown, osCode: number): IpInterfaceError | undefined {
  return isAddressFamily(family) ? undefined : invalidFamily(adapter, family, osCode);
}

/**
 * The checks of `notifyIpInterfaceChange`: undefined when the family is one of the three constants
 * and the callback is a function, else the `INVALID_PARAMETER` error to reject with (nothing may be
 * registered then).
 *
 * @example
 * ```ts
 * const error = registrationError('polling', family, callback, ERROR_INVALID_PARAMETER);
 * if (error) return Promise.reject(error);
 * ```
 */
export function registrationError(
  adapter: string,
  family: AddressFamily,
  callback: IpInterfaceChangeCallback,
  osCode: number,
): IpInterfaceError | undefined {
  const bad = familyError(adapter, family, osCode);
  if (bad) return bad;
  if (typeof callback !== 'function') {
    return new IpInterfaceError('INVALID_PARAMETER', `the callback must be a function, got ${describeValue(callback)}`, { adapter, osCode });
  }
  return undefined;
}
