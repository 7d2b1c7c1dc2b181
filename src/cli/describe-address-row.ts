import type { UnicastIpAddressRow } from '../unicast-ip-address-row.js';
import { formatFieldValue } from './format-field-value.js';

/**
 * An address as `ip monitor address` describes it, on one line: `10.9.0.1/24 dev veth0 (inet)`, then
 * the DAD state and the lifetimes where the adapter supplies them (`preferred valid_lft forever
 * preferred_lft forever`). No `/N` when the prefix length is unknown; `dev if<index>` when the name is.
 *
 * @example
 * ```ts
 * describeAddressRow(mockAddressRow({ address: '10.9.0.1', interfaceName: 'veth0' }));
 * // '10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever'
 * ```
 */
export function describeAddressRow(row: UnicastIpAddressRow): string {
  const prefix = row.onLinkPrefixLength === undefined ? '' : `/${row.onLinkPrefixLength}`;
  const parts = [`${row.address}${prefix}`, 'dev', row.interfaceName ?? `if${row.interfaceIndex}`, `(${row.family})`];
  if (row.dadState !== undefined) parts.push(row.dadState);
  if (row.validLifetime !== undefined) parts.push('valid_lft', formatFieldValue(row.validLifetime, 'validLifetime'));
  if (row.preferredLifetime !== undefined) parts.push('preferred_lft', formatFieldValue(row.preferredLifetime, 'preferredLifetime'));
  return parts.join(' ');
}
