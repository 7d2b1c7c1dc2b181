/**
 * The machinery every change stream shares (`ipInterfaceChanges$`, `unicastIpAddressChanges$`):
 * one registration per subscription, marker first, exactly-once cancel (also before registration
 * finished or inside `next`), argument checks, typed errors, an adapter's misuse turned into an
 * `OS_ERROR` of the stream, a registration the adapter lost (rule 10, `ended`) the stream's error.
 * What differs between the streams is a {@link NotificationKind}.
 *
 * @module
 */
import { Observable } from 'rxjs';
import { isAddressFamily, type AddressFamily } from './address-family.js';
import type { IpInterfaceAdapter, MibNotificationType, NotificationHandle, RegistrationEndedCallback, SettledRegistration } from './adapter.js';
import { IpInterfaceError } from './ip-interface-error.js';
import { loadAdapter } from './default-adapter.js';
import { toIpInterfaceError } from './to-ip-interface-error.js';

/** The options every change stream takes. */
export interface NotificationOptions {
  adapter?: IpInterfaceAdapter | undefined;
  onCancelError?: ((error: IpInterfaceError) => void) | undefined;
}

/** What a row change stream emits: the marker, or a row change. */
export type NotificationChange<Row> = { readonly kind: 'initial'; readonly family: AddressFamily } | { readonly kind: 'added' | 'changed' | 'removed'; readonly row: Row };

/** The raw callback an adapter calls (rows checked by the core, not trusted). */
type RawCallback = (row: unknown, type: MibNotificationType, detail?: unknown) => void;

/**
 * A "notification family": which adapter method registers, which optional methods it needs and
 * what a usable row is.
 */
export interface NotificationKind {
  /** The adapter method that registers (called as `adapter[notify](family, callback, initial, ended)`). */
  readonly notify: 'notifyIpInterfaceChange' | 'notifyUnicastIpAddressChange' | 'notifyRouteChange2';
  /** Optional adapter methods this kind needs: an adapter without them gets `NOT_SUPPORTED`. */
  readonly optionalMethods: readonly string[];
  /** What makes `row` unusable, or undefined (must never throw). */
  invalidRow(row: unknown): string | undefined;
}

const KIND: Record<Exclude<MibNotificationType, 'initial'>, 'added' | 'changed' | 'removed'> = {
  add: 'added',
  parameter: 'changed',
  delete: 'removed',
};

/**
 * The cold change stream of one notification kind. `skip(detail)` drops a `'parameter'` call
 * (after its row was checked) when it returns true.
 */
export function notificationChanges$<Row>(
  notification: NotificationKind,
  family: AddressFamily,
  initial: boolean,
  options: NotificationOptions,
  extraInvalid?: (options: Record<string, unknown>) => string | undefined,
  skip?: (detail: unknown) => boolean,
): Observable<NotificationChange<Row>> {
  return new Observable<NotificationChange<Row>>((subscriber) => {
    const invalid = invalidArgument(family, options) ?? (extraInvalid ? extraInvalid(options as unknown as Record<string, unknown>) : undefined);
    if (invalid !== undefined) {
      subscriber.error(new IpInterfaceError('INVALID_PARAMETER', invalid));
      return;
    }
    let closed = false;
    let markerSent = !initial;
    let adapter: IpInterfaceAdapter | undefined = options.adapter;
    let handle: NotificationHandle | undefined;
    let cancelled = false;
    // Rule 10: set once the adapter said it lost the registration (its handle is dead from then on).
    let endedBy: IpInterfaceError | undefined;
    // Depth of callback invocations in progress: an `ended` inside one waits until it returns.
    let inCallback = 0;

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

    const callback: RawCallback = (row, type, detail) => {
      if (closed || adapter === undefined || endedBy !== undefined) return;
      inCallback++;
      try {
        deliver(adapter, row, type, detail);
      } finally {
        inCallback--;
      }
      if (inCallback === 0 && endedBy !== undefined) finishEnded();
    };

    const deliver = (adapter: IpInterfaceAdapter, row: unknown, type: MibNotificationType, detail: unknown): void => {
      if (type === 'initial') {
        sendMarker();
        return;
      }
      const kind = typeof type === 'string' && Object.hasOwn(KIND, type) ? KIND[type as keyof typeof KIND] : undefined;
      if (kind === undefined) return adapterFailed(adapter, `the callback got an unknown notification type ${describe(type)}`);
      const problem = notification.invalidRow(row);
      if (problem !== undefined) return adapterFailed(adapter, `the callback got an invalid row for '${type}': ${problem}`);
      // The marker is always first: a row that beats the adapter's own marker implies the registration is live.
      if (type === 'parameter' && skip !== undefined && skip(detail)) return;
      sendMarker();
      if (closed) return;
      subscriber.next({ kind, row: row as Row });
    };

    /**
     * Rule 10: the adapter lost the registration. Only the first call counts; one after unsubscribe
     * or after the stream ended otherwise is ignored (nobody to tell, and nothing to undo). The handle
     * is dead: the teardown must not cancel it (`cancelled`). Not an IpInterfaceError: the adapter
     * broke the rule, which is an `OS_ERROR` like its other misuse. Inside a callback invocation
     * (another breach of the rule) the error waits until that invocation returned, so a subscriber's
     * `next` is never interrupted by its own `error`.
     */
    const ended: RegistrationEndedCallback = (error: unknown): void => {
      if (closed || endedBy !== undefined) return;
      cancelled = true;
      endedBy = endedError(adapter, error);
      if (inCallback === 0) finishEnded();
    };

    const finishEnded = (): void => {
      if (closed || endedBy === undefined) return;
      closed = true;
      subscriber.error(endedBy);
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
      const missing = missingMethods(a, notification.optionalMethods);
      if (missing !== undefined) {
        if (!closed) {
          subscriber.error(new IpInterfaceError('NOT_SUPPORTED', `${adapterName(a)} adapter does not support ${notification.notify}: ${missing}`, { adapter: adapterName(a) }));
        }
        return;
      }
      let registration: unknown;
      try {
        const notify = (a as unknown as Record<string, (family: AddressFamily, callback: RawCallback, initial: boolean, ended: RegistrationEndedCallback) => unknown>)[notification.notify]!;
        registration = notify.call(a, family, callback, initial, ended);
      } catch (error) {
        if (!closed) subscriber.error(toIpInterfaceError(error, adapterName(a)));
        return;
      }
      if (!isThenable(registration)) {
        adapterFailed(a, `${notification.notify} returned ${describe(registration)}, not a promise`);
        return;
      }
      // Ended during the call itself (rule 10 before the promise settled): the stream has its error.
      if (endedBy !== undefined) return;
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
            if (typeof h !== 'object' || h === null) return adapterFailed(a, `${notification.notify} resolved with ${describe(h)}, not a handle`);
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

/** What an adapter passed to `ended`, as the stream's error (rule 10). Never throws. */
function endedError(adapter: IpInterfaceAdapter | undefined, error: unknown): IpInterfaceError {
  let typed = false;
  try {
    typed = error instanceof IpInterfaceError;
  } catch {
    // a Proxy whose traps throw: not one of ours
  }
  if (typed) return error as IpInterfaceError;
  const name = adapter === undefined ? 'unnamed' : adapterName(adapter);
  let what = describe(error);
  try {
    if (error instanceof Error) what = `${String(error.name)}: ${String(error.message).slice(0, 200)}`;
  } catch {
    // hostile getters: the short description stays
  }
  return new IpInterfaceError('OS_ERROR', `${name} adapter ended the registration with ${what}, not an IpInterfaceError`, { adapter: name, cause: error });
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

/** The optional methods `adapter` lacks, as text, or undefined (never throws: hostile getters). */
function missingMethods(adapter: IpInterfaceAdapter, methods: readonly string[]): string | undefined {
  const missing = methods.filter((m) => {
    try {
      return typeof (adapter as unknown as Record<string, unknown>)[m] !== 'function';
    } catch {
      return true;
    }
  });
  return missing.length === 0 ? undefined : `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a function`;
}

/** Shared by the row checks: the three fields every row has. */
export function invalidBaseRow(row: unknown): string | undefined {
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
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? 'a function' : String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
