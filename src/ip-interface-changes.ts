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
   * tell), also when the adapter's `cancelMibChangeNotify2` throws synchronously (`unsubscribe()`
   * itself never throws). Default: ignored. If it throws, that becomes a process warning
   * (`RxjsIpInterfaceWarning`), never an uncaught exception.
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
  return new Observable<IpInterfaceChange>((subscriber) => {
    const invalid = invalidArgument(family, options);
    if (invalid !== undefined) {
      subscriber.error(new IpInterfaceError('INVALID_PARAMETER', invalid));
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

    // The adapter broke its contract: the subscriber hears it, and the registration is cancelled
    // by the teardown that error() runs.
    const adapterFailed = (a: IpInterfaceAdapter, message: string, cause?: unknown): void => {
      if (closed) return;
      subscriber.error(new IpInterfaceError('OS_ERROR', `${adapterName(a)} adapter: ${message}`, { adapter: adapterName(a), cause }));
    };

    const callback: IpInterfaceChangeCallback = (row, type) => {
      if (closed || adapter === undefined) return;
      if (type === 'initial') {
        sendMarker();
        return;
      }
      const kind = typeof type === 'string' && Object.hasOwn(KIND, type) ? KIND[type as keyof typeof KIND] : undefined;
      if (kind === undefined) return adapterFailed(adapter, `the callback got an unknown notification type ${describe(type)}`);
      const problem = invalidRow(row);
      if (problem !== undefined) return adapterFailed(adapter, `the callback got an invalid row for '${type}': ${problem}`);
      // The marker is always first: a row that beats the adapter's own marker implies the registration is live.
      sendMarker();
      if (closed) return;
      subscriber.next({ kind, row: row! });
    };

    const cancelFailed = (a: IpInterfaceAdapter, error: unknown): void => {
      const onCancelError = options.onCancelError;
      if (onCancelError === undefined) return;
      try {
        onCancelError(toIpInterfaceError(error, adapterName(a)));
      } catch (thrown) {
        // Nobody is left to tell, and throwing would end the process: a warning says it happened.
        warn(thrown);
      }
    };

    const cancel = (a: IpInterfaceAdapter, h: NotificationHandle): void => {
      if (cancelled) return;
      cancelled = true;
      let cancellation: unknown;
      try {
        cancellation = a.cancelMibChangeNotify2(h);
      } catch (error) {
        // Thrown synchronously: unsubscribe() must not throw (rxjs would rethrow it as UnsubscriptionError).
        cancelFailed(a, error);
        return;
      }
      if (isThenable(cancellation)) Promise.resolve(cancellation).then(undefined, (error: unknown) => cancelFailed(a, error));
    };

    const register = (a: IpInterfaceAdapter): void => {
      adapter = a;
      let registration: unknown;
      try {
        registration = a.notifyIpInterfaceChange(family, callback, initial);
      } catch (error) {
        if (!closed) subscriber.error(toIpInterfaceError(error, adapterName(a)));
        return;
      }
      if (!isThenable(registration)) {
        adapterFailed(a, `notifyIpInterfaceChange returned ${describe(registration)}, not a promise`);
        return;
      }
      const settled = readSettledHandle(registration);
      if (settled !== undefined) {
        handle = settled;
        if (closed) cancel(a, settled);
        else sendMarker();
      }
      // Promise.resolve adopts a foreign thenable safely (a throwing `then` becomes a rejection).
      Promise.resolve(registration as PromiseLike<NotificationHandle>).then(
        (h) => {
          if (handle === undefined) {
            if (typeof h !== 'object' || h === null) return adapterFailed(a, `notifyIpInterfaceChange resolved with ${describe(h)}, not a handle`);
            handle = h;
          }
          if (closed) cancel(a, handle);
          else sendMarker();
        },
        (error: unknown) => {
          if (!closed) subscriber.error(toIpInterfaceError(error, adapterName(a)));
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

const ADAPTER_METHODS = ['notifyIpInterfaceChange', 'cancelMibChangeNotify2', 'getIpInterfaceTable'] as const;

/** What is wrong with the arguments, or undefined. */
function invalidArgument(family: unknown, options: unknown): string | undefined {
  if (!isAddressFamily(family)) return `invalid address family ${describe(family)}: use AF_UNSPEC, AF_INET or AF_INET6`;
  if (typeof options !== 'object' || options === null) return `options must be an object, got ${describe(options)}`;
  const { adapter, onCancelError } = options as Record<string, unknown>;
  if (onCancelError !== undefined && typeof onCancelError !== 'function') return `options.onCancelError must be a function, got ${describe(onCancelError)}`;
  if (adapter === undefined) return undefined;
  if (typeof adapter !== 'object' || adapter === null) return `options.adapter must be an IpInterfaceAdapter, got ${describe(adapter)}`;
  const missing = ADAPTER_METHODS.filter((m) => typeof (adapter as Record<string, unknown>)[m] !== 'function');
  if (missing.length > 0) return `options.adapter is not an IpInterfaceAdapter: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a function`;
  return undefined;
}

/** What makes `row` unusable (the three fields every row has), or undefined. */
function invalidRow(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return describe(row);
  const { family, interfaceLuid, interfaceIndex } = row as Record<string, unknown>;
  if (family !== 'inet' && family !== 'inet6') return `family ${describe(family)}`;
  if (typeof interfaceLuid !== 'bigint') return `interfaceLuid ${describe(interfaceLuid)} (a bigint is required)`;
  if (typeof interfaceIndex !== 'number' || !Number.isInteger(interfaceIndex)) return `interfaceIndex ${describe(interfaceIndex)}`;
  return undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    return false; // a throwing `then` getter
  }
}

function readSettledHandle(registration: unknown): NotificationHandle | undefined {
  try {
    return (registration as SettledRegistration).settledHandle ?? undefined;
  } catch {
    return undefined;
  }
}

function adapterName(adapter: IpInterfaceAdapter): string {
  try {
    return typeof adapter.name === 'string' ? adapter.name : 'unnamed';
  } catch {
    return 'unnamed';
  }
}

/** Reports an error thrown by a user's onCancelError without throwing (process.emitWarning where there is one). */
function warn(thrown: unknown): void {
  try {
    const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : describe(thrown);
    const emit = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process?.emitWarning;
    emit?.(`onCancelError threw: ${text}`, 'RxjsIpInterfaceWarning');
  } catch {
    // a value that cannot even be described: nothing more to do
  }
}

/** A short description of any value, never throwing (hostile `toString`, `Object.create(null)`). */
function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? 'a function' : String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
