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

/**
 * The bytes (network order) of IPv4 dotted-quad or IPv6 text of `family`, or undefined when `text`
 * is not an address of that family (no zone suffix, no leading zeros in a quad; IPv6 with at most
 * one `::` and an optional trailing dotted quad).
 *
 * @example
 * ```ts
 * parseAddressText('inet6', '2001:4860:4860::8888'); // Uint8Array(16) [0x20, 0x01, 0x48, 0x60, ...]
 * parseAddressText('inet', '2001:db8::1'); // undefined
 * ```
 */
export function parseAddressText(family: 'inet' | 'inet6', text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || text.length > 45) return undefined;
  if (family === 'inet') return parseQuad(text);
  const quadAt = text.includes('.') ? text.lastIndexOf(':') + 1 : -1;
  const tail = quadAt > 0 ? parseQuad(text.slice(quadAt)) : undefined;
  if (quadAt > 0 && tail === undefined) return undefined;
  const head = quadAt > 0 ? text.slice(0, quadAt) : text;
  const groupsWanted = quadAt > 0 ? 6 : 8;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string, trailingColonAllowed: boolean): number[] | undefined => {
    if (part === '') return [];
    const pieces = part.split(':');
    if (trailingColonAllowed && pieces.at(-1) === '') pieces.pop();
    const groups: number[] = [];
    for (const piece of pieces) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  // With a trailing quad, "a:b::1.2.3.4" leaves "a:b::" (empty tail half) or "a:b:c:d:e:f:" (a colon before the quad).
  const left = parse(halves[0]!, halves.length === 1 && quadAt > 0);
  const right = halves.length === 2 ? parse(halves[1]!, quadAt > 0) : [];
  if (left === undefined || right === undefined) return undefined;
  const missing = groupsWanted - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

function parseQuad(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return new Uint8Array(parts.map(Number));
}

/**
 * The checks of `getBestRoute2` (rule R4): undefined when `family` is `inet` or `inet6` and
 * `destination` is address text of that family, else the `INVALID_PARAMETER` error to reject with.
 *
 * @example
 * ```ts
 * const error = bestRouteError('mock', family, destination, ERROR_INVALID_PARAMETER);
 * if (error) return Promise.reject(error);
 * ```
 */
export function bestRouteError(adapter: string, family: unknown, destination: unknown, osCode: number): IpInterfaceError | undefined {
  if (family !== 'inet' && family !== 'inet6') {
    return new IpInterfaceError('INVALID_PARAMETER', `getBestRoute2 needs AF_INET or AF_INET6, got ${describeValue(family)}`, { adapter, osCode });
  }
  if (parseAddressText(family, destination) === undefined) {
    return new IpInterfaceError('INVALID_PARAMETER', `getBestRoute2: ${describeValue(destination)} is not ${family === 'inet' ? 'an IPv4' : 'an IPv6'} address`, { adapter, osCode });
  }
  return undefined;
}
