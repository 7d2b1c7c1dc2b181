import type { Observable } from 'rxjs';
import type { AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter } from './adapter.js';
import type { IpInterfaceChange } from './ip-interface-change.js';
import type { IpInterfaceError } from './ip-interface-error.js';
import type { IpInterfaceRow } from './ip-interface-row.js';
import { invalidBaseRow, notificationChanges$, type NotificationKind } from './notification-changes.js';

/**
 * Options of {@link ipInterfaceChanges$}.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_INET, type IpInterfaceChangesOptions } from 'rxjs-ip-interface';
 * import { pollingAdapter } from 'rxjs-ip-interface/adapters/polling';
 *
 * const options: IpInterfaceChangesOptions = {
 *   adapter: pollingAdapter({ intervalMs: 5000 }),
 *   onCancelError: (error) => console.warn('cancel failed after unsubscribe:', error.code),
 * };
 * ipInterfaceChanges$(AF_INET, true, options).subscribe(console.log);
 * ```
 */
export interface IpInterfaceChangesOptions {
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first subscribe. */
  adapter?: IpInterfaceAdapter | undefined;
  /**
   * Called when cancelling a registration fails after unsubscribe (there is no subscriber left to
   * tell), also when the adapter's `cancelMibChangeNotify2` throws synchronously (`unsubscribe()`
   * itself never throws). Default: ignored. If it throws, that becomes a process warning
   * (`RxjsIpInterfaceWarning`), never an uncaught exception.
   */
  onCancelError?: ((error: IpInterfaceError) => void) | undefined;
}

/**
 * IP interface changes as a cold Observable: `NotifyIpInterfaceChange` on subscribe,
 * `CancelMibChangeNotify2` on unsubscribe.
 *
 * Each subscription makes its own registration with the adapter. With `initial` true the first
 * emission is `{ kind: 'initial', family }`, once the registration is live. The registration is
 * cancelled exactly once when the subscriber unsubscribes, also if that happens before the
 * registration finished or inside the subscriber's own `next`. A family other than `AF_UNSPEC`,
 * `AF_INET`, `AF_INET6`, or options that are not what they should be (`adapter: {}`), error with
 * `INVALID_PARAMETER` and register nothing. An adapter that breaks its contract (returns a
 * non-promise, calls back with a row that is not a row or an unknown type, rejects with anything)
 * errors the stream with an `IpInterfaceError` (`OS_ERROR` unless it rejected with an
 * `IpInterfaceError`) and the registration is cancelled: nothing is ever thrown asynchronously.
 *
 * ```text
 * registration:      ^--------------------!        (cancelled on unsubscribe)
 * ipInterfaceChanges$(AF_INET, true):
 *                    i--a----c------r-----
 * i = initial, a = added, c = changed, r = removed
 * ```
 *
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @param initial Emit the `initial` marker first, once registered (MibInitialNotification).
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 *
 * const sub = ipInterfaceChanges$(AF_UNSPEC, true).subscribe((change) => {
 *   if (change.kind === 'initial') console.log('watching');
 *   else console.log(change.kind, change.row.interfaceName, change.row.nlMtu);
 * });
 * // later: sub.unsubscribe() cancels the OS registration
 * ```
 */
export function ipInterfaceChanges$(
  family: AddressFamily,
  initial = false,
  options: IpInterfaceChangesOptions = {},
): Observable<IpInterfaceChange> {
  return notificationChanges$<IpInterfaceRow>(INTERFACE_NOTIFICATION, family, initial, options);
}

/** Interfaces: `notifyIpInterfaceChange`, part of every adapter. */
export const INTERFACE_NOTIFICATION: NotificationKind = {
  notify: 'notifyIpInterfaceChange',
  optionalMethods: [],
  invalidRow: invalidBaseRow,
};
