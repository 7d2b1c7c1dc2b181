import { Observable } from 'rxjs';
import { isAddressFamily, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter, IpInterfaceChangeCallback, MibNotificationType, NotificationHandle, SettledRegistration } from './adapter.js';
import type { IpInterfaceChange } from './ip-interface-change.js';
import { IpInterfaceError } from './ip-interface-error.js';
import { loadAdapter } from './default-adapter.js';
import { toIpInterfaceError } from './to-ip-interface-error.js';

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
   * tell). Default: ignored.
   */
  onCancelError?: ((error: IpInterfaceError) => void) | undefined;
}

const KIND: Record<Exclude<MibNotificationType, 'initial'>, 'added' | 'changed' | 'removed'> = {
  add: 'added',
  parameter: 'changed',
  delete: 'removed',
};

/**
 * IP interface changes as a cold Observable: `NotifyIpInterfaceChange` on subscribe,
 * `CancelMibChangeNotify2` on unsubscribe.
 *
 * Each subscription makes its own registration with the adapter. With `initial` true the first
 * emission is `{ kind: 'initial', family }`, once the registration is live. The registration is
 * cancelled exactly once when the subscriber unsubscribes, also if that happens before the
 * registration finished or inside the subscriber's own `next`. A family other than `AF_UNSPEC`,
 * `AF_INET`, `AF_INET6` errors with `INVALID_PARAMETER` and registers nothing.
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
  return new Observable<IpInterfaceChange>((subscriber) => {
    if (!isAddressFamily(family)) {
      subscriber.error(
        new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${describe(family)}: use AF_UNSPEC, AF_INET or AF_INET6`),
      );
      return;
    }
    let closed = false;
    let markerSent = !initial;
    let adapter: IpInterfaceAdapter | undefined = options.adapter;
    let handle: NotificationHandle | undefined;
    let cancelled = false;

    const sendMarker = (): void => {
      if (markerSent || closed) return;
      markerSent = true;
      subscriber.next({ kind: 'initial', family });
    };

    const callback: IpInterfaceChangeCallback = (row, type) => {
      if (closed) return;
      if (type === 'initial') {
        sendMarker();
        return;
      }
      if (row === null || KIND[type] === undefined) return;
      // The marker is always first: a row that beats the adapter's own marker implies the registration is live.
      sendMarker();
      if (closed) return;
      subscriber.next({ kind: KIND[type], row });
    };

    const cancel = (a: IpInterfaceAdapter, h: NotificationHandle): void => {
      if (cancelled) return;
      cancelled = true;
      a.cancelMibChangeNotify2(h).catch((error: unknown) => options.onCancelError?.(toIpInterfaceError(error, a.name)));
    };

    const register = (a: IpInterfaceAdapter): void => {
      adapter = a;
      let registration: SettledRegistration;
      try {
        registration = a.notifyIpInterfaceChange(family, callback, initial);
      } catch (error) {
        subscriber.error(toIpInterfaceError(error, a.name));
        return;
      }
      handle = registration.settledHandle;
      if (handle) {
        if (closed) cancel(a, handle);
        else sendMarker();
      }
      registration.then(
        (h) => {
          handle = h;
          if (closed) cancel(a, h);
          else sendMarker();
        },
        (error: unknown) => {
          if (!closed) subscriber.error(toIpInterfaceError(error, a.name));
        },
      );
    };

    if (adapter) register(adapter);
    else
      loadAdapter().then(
        (a) => {
          if (!closed) register(a);
        },
        (error: unknown) => {
          if (!closed) subscriber.error(toIpInterfaceError(error, 'default'));
        },
      );

    return () => {
      closed = true;
      if (adapter && handle) cancel(adapter, handle);
    };
  });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
