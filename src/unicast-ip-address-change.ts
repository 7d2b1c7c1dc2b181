import type { AddressFamily } from './address-family.js';
import type { UnicastIpAddressRow } from './unicast-ip-address-row.js';

/**
 * MibInitialNotification of an address registration: it is live. Carries no row.
 *
 * @example
 * ```ts
 * const live: UnicastIpAddressInitialChange = { kind: 'initial', family: AF_INET6 };
 * ```
 */
export interface UnicastIpAddressInitialChange {
  readonly kind: 'initial';
  readonly family: AddressFamily;
}

/**
 * MibAddInstance / MibParameterNotification / MibDeleteInstance with the address concerned.
 *
 * @example
 * ```ts
 * const describeChange = (c: UnicastIpAddressRowChange): string => `${c.kind} ${c.row.address}/${c.row.onLinkPrefixLength ?? '?'}`;
 * ```
 */
export interface UnicastIpAddressRowChange {
  readonly kind: 'added' | 'changed' | 'removed';
  /** For `removed`, the last row known. */
  readonly row: UnicastIpAddressRow;
}

/**
 * What `unicastIpAddressChanges$` emits: a discriminated union on `kind`.
 *
 * @example
 * ```ts
 * const describeChange = (c: UnicastIpAddressChange): string =>
 *   c.kind === 'initial' ? `watching ${c.family} addresses` : `${c.kind} ${c.row.address} on ${c.row.interfaceName ?? c.row.interfaceIndex}`;
 * ```
 */
export type UnicastIpAddressChange = UnicastIpAddressInitialChange | UnicastIpAddressRowChange;
