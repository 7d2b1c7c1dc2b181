import type { Observable } from 'rxjs';
import type { AddressFamily } from './address-family.js';
import type { IpInterfaceChangesOptions } from './ip-interface-changes.js';
import { describe, invalidBaseRow, notificationChanges$, type NotificationKind } from './notification-changes.js';
import type { UnicastIpAddressChange } from './unicast-ip-address-change.js';
import type { UnicastIpAddressRow } from './unicast-ip-address-row.js';

/**
 * Options of {@link unicastIpAddressChanges$}.
 *
 * @example
 * ```ts
 * import { unicastIpAddressChanges$, AF_INET6, type UnicastIpAddressChangesOptions } from 'rxjs-ip-interface';
 *
 * const options: UnicastIpAddressChangesOptions = { lifetimeUpdates: true }; // also every RA lifetime refresh
 * unicastIpAddressChanges$(AF_INET6, true, options).subscribe(console.log);
 * ```
 */
export interface UnicastIpAddressChangesOptions extends IpInterfaceChangesOptions {
  /**
   * Also emit lifetime-only updates (a router advertisement refreshing `validLifetime` /
   * `preferredLifetime` and nothing else) as `changed`. Default false: the adapter marks them
   * (adapter rule A3) and they are dropped here.
   */
  lifetimeUpdates?: boolean | undefined;
}

/** Addresses: `notifyUnicastIpAddressChange`, the optional half of the adapter contract. */
export const ADDRESS_NOTIFICATION: NotificationKind = {
  notify: 'notifyUnicastIpAddressChange',
  optionalMethods: ['notifyUnicastIpAddressChange', 'getUnicastIpAddressTable'],
  invalidRow: invalidAddressRow,
};

/** What makes `row` unusable as an address row (the four fields every address row has), or undefined. */
export function invalidAddressRow(row: unknown): string | undefined {
  const base = invalidBaseRow(row);
  if (base !== undefined) return base;
  const { address } = row as Record<string, unknown>;
  if (typeof address !== 'string' || address.length === 0) return `address ${describe(address)}`;
  return undefined;
}

function invalidOptions(options: Record<string, unknown>): string | undefined {
  const { lifetimeUpdates } = options;
  if (lifetimeUpdates !== undefined && typeof lifetimeUpdates !== 'boolean') return `options.lifetimeUpdates must be a boolean, got ${describe(lifetimeUpdates)}`;
  return undefined;
}

function isLifetimeOnly(detail: unknown): boolean {
  try {
    return typeof detail === 'object' && detail !== null && (detail as { lifetimeOnly?: unknown }).lifetimeOnly === true;
  } catch {
    return false; // a hostile getter: not marked, so emitted
  }
}

/**
 * Unicast IP address changes as a cold Observable: `NotifyUnicastIpAddressChange` on subscribe,
 * `CancelMibChangeNotify2` on unsubscribe. The sibling of `ipInterfaceChanges$`, with every one of
 * its rules (same machinery): one registration per subscription, the `initial` marker first,
 * exactly-once cancel (also before registration finished or inside `next`), `INVALID_PARAMETER`
 * for a bad family or bad options, an adapter's misuse (a garbage row, an unknown type, a
 * non-promise) an `OS_ERROR` of the stream, a throwing cancel never escaping. An adapter without
 * the address half (`notifyUnicastIpAddressChange` / `getUnicastIpAddressTable`) errors the stream
 * with `NOT_SUPPORTED`.
 *
 * Lifetime-only updates (adapter rule A3) are dropped unless `lifetimeUpdates` is true. The filter
 * lives here, the classification in the adapter: telling a lifetime refresh from a real change
 * needs the previous row, which the adapter holds once per table, where this stream would need a
 * copy of the address table per subscription.
 *
 * ```text
 * registration:              ^--------------------!
 * unicastIpAddressChanges$(AF_INET, true):
 *                            i--a----c--l---r-----      l (lifetime-only) is dropped
 * with lifetimeUpdates: true i--a----c--l---r-----      l is emitted as changed
 * i = initial, a = added, c = changed, r = removed
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @param initial Emit the `initial` marker first, once registered (MibInitialNotification).
 * @example
 * ```ts
 * import { unicastIpAddressChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 *
 * unicastIpAddressChanges$(AF_UNSPEC).subscribe((change) => {
 *   if (change.kind !== 'initial') console.log(change.kind, `${change.row.address}/${change.row.onLinkPrefixLength ?? '?'}`);
 * });
 * ```
 */
export function unicastIpAddressChanges$(
  family: AddressFamily,
  initial = false,
  options: UnicastIpAddressChangesOptions = {},
): Observable<UnicastIpAddressChange> {
  let lifetimeUpdates = false;
  try {
    lifetimeUpdates = typeof options === 'object' && options !== null && options.lifetimeUpdates === true;
  } catch {
    // a hostile options object: the core reports it
  }
  return notificationChanges$<UnicastIpAddressRow>(
    ADDRESS_NOTIFICATION,
    family,
    initial,
    options,
    invalidOptions,
    lifetimeUpdates ? undefined : isLifetimeOnly,
  );
}
