import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type {
  IpInterfaceAdapter,
  IpInterfaceChangeCallback,
  MibNotificationType,
  NotificationHandle,
  RegistrationEndedCallback,
  SettledRegistration,
} from '../../src/adapter.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { interfaceKey } from '../../src/interface-key.js';
import { routeKey } from '../../src/route-key.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import { ERROR_INVALID_PARAMETER, familyError, registrationError } from '../shared/adapter-arguments.js';
import { describeError } from '../shared/native-module.js';
import { onceLoader } from '../shared/once-loader.js';
import { Registrations } from '../shared/registrations.js';
import { callSafely } from '../shared/safe-callback.js';
import { endRegistration, ERROR_OPERATION_ABORTED, registrationEnded } from '../shared/registration-ended.js';
import { loadIphlpapi, type IphlpapiLibrary } from './iphlpapi-library.js';
import { NativeCallNotMade, type KoffiAsyncBudgetState } from './native-call-budget.js';
import { identityRowFromNative, ipInterfaceRowFromNative, toUint64, type NativeIpInterfaceRow } from './mib-ipinterface-row.js';
import { familyFromNative, NATIVE_FAMILY } from './native-family.js';
import { win32Error } from './win32-error.js';
import { unicastAddressSpec } from './address-notifications.js';
import { routeSpec } from './route-notifications.js';
import { NotificationChannel, type ChannelHost } from './notification-channel.js';
import { unicastIpAddressRowFromBytes } from './mib-unicastipaddress-row.js';
import { ipForwardRowFromBytes } from './mib-ipforward-row2.js';
import { sockaddrInetBytes } from './sockaddr-inet.js';

/**
 * Options of {@link windowsAdapter}.
 *
 * @example
 * ```ts
 * import { windowsAdapter, type WindowsAdapterOptions } from 'rxjs-ip-interface/adapters/windows';
 *
 * // By absolute path, not through the DLL search order:
 * const options: WindowsAdapterOptions = { library: 'C:\\Windows\\System32\\iphlpapi.dll' };
 * const adapter = windowsAdapter(options);
 * ```
 */
export interface WindowsAdapterOptions {
  /** The DLL with NotifyIpInterfaceChange and CancelMibChangeNotify2. Default `'iphlpapi.dll'`. */
  library?: string | undefined;
  /** The DLL with FormatMessageW, for error texts. Default `'kernel32.dll'`; failing to load it is not an error. */
  messageLibrary?: string | undefined;
}

/**
 * What {@link WindowsIpInterfaceAdapter.diagnostics} reports.
 *
 * @example
 * ```ts
 * import { windowsAdapter, type WindowsAdapterDiagnostics } from 'rxjs-ip-interface/adapters/windows';
 *
 * const diagnostics: WindowsAdapterDiagnostics = windowsAdapter().diagnostics();
 * for (const warning of diagnostics.warnings) console.warn(warning); // e.g. under Wine: no notifications will come
 * ```
 */
export interface WindowsAdapterDiagnostics {
  /** One-time warnings, e.g. a registration that succeeded with a NULL handle (Wine: no notifications will come). */
  readonly warnings: readonly string[];
  /**
   * Registrations of this adapter (one per `notifyIpInterfaceChange`, `notifyUnicastIpAddressChange`
   * or `notifyRouteChange2`) not yet fully cancelled or failed: waiting for the library or the OS,
   * live, or the last one whose cancel waits for the OS.
   */
  readonly liveRegistrations: number;
  /**
   * OS registrations (`NotifyIpInterfaceChange`, `NotifyUnicastIpAddressChange`, `NotifyRouteChange2`
   * calls) this adapter holds: registering, live or cancelling. All registrations of one kind share
   * one AF_UNSPEC OS registration, so this is 0 or 1 per kind in use (2 for the moment a new one
   * registers while the previous one of its kind is still being cancelled).
   */
  readonly nativeRegistrations: number;
  /** `liveRegistrations` and `nativeRegistrations` per kind. */
  readonly byKind: Readonly<Record<'interfaces' | 'addresses' | 'routes', { readonly liveRegistrations: number; readonly nativeRegistrations: number }>>;
  /** koffi callbacks this adapter holds registered (a callback is released only after its cancel completed). */
  readonly registeredCallbacks: number;
  /** This adapter's koffi `.async` calls (register, cancel, GetIpInterfaceTable) not yet completed: running or waiting for a slot of `asyncBudget`. */
  readonly pendingNativeCalls: number;
  /** The process-wide koffi async budget all windows adapters share (undefined before the library loaded). */
  readonly asyncBudget: KoffiAsyncBudgetState | undefined;
  /** True once koffi and the library are loaded. */
  readonly loaded: boolean;
  /** The optional functions the library (and kernel32) export, once loaded. */
  readonly optionalFunctions: readonly string[];
}

/** The address and route halves of the contract, which the windows adapter has (rules A1-A4, R1-R4). */
type AddressRouteMethods = 'notifyUnicastIpAddressChange' | 'getUnicastIpAddressTable' | 'notifyRouteChange2' | 'getIpForwardTable2' | 'getBestRoute2';

/**
 * The Windows adapter: an {@link IpInterfaceAdapter} with the address and route halves, plus {@link WindowsIpInterfaceAdapter.diagnostics}.
 *
 * @example
 * ```ts
 * import { windowsAdapter, type WindowsIpInterfaceAdapter } from 'rxjs-ip-interface/adapters/windows';
 *
 * const adapter: WindowsIpInterfaceAdapter = windowsAdapter();
 * // At shutdown, release every OS registration before the process exits:
 * process.once('SIGTERM', () => void adapter.dispose().then(() => process.exit(0)));
 * ```
 */
export interface WindowsIpInterfaceAdapter extends Omit<IpInterfaceAdapter, AddressRouteMethods>, Required<Pick<IpInterfaceAdapter, AddressRouteMethods>> {
  /** A snapshot of the adapter's state, for tests and troubleshooting. */
  diagnostics(): WindowsAdapterDiagnostics;
  /**
   * Cancels every registration of this adapter, including those still waiting for the library to
   * load or for the OS registration (they complete, then are cancelled at once), and resolves once
   * the OS registration is cancelled and its koffi callback released. For shutdown: a process
   * should not exit while the OS may call back. The adapter stays usable.
   *
   * Contract rule 10: every registration it cancels (interfaces, addresses, routes) is ended, through the `ended` it was made with,
   * with `IpInterfaceError('OS_ERROR')` and `osCode` `ERROR_OPERATION_ABORTED` (995, Win32's "aborted
   * by an application request"): a live `ipInterfaceChanges$` or `ipInterfaceTable$` errors with it
   * instead of staying open and silent. `OS_ERROR`, not `INVALID_HANDLE`: the subscriber passed no
   * bad handle; the code says "lost on the adapter's side", the osCode says why.
   */
  dispose(): Promise<void>;
}

type NativeType = 0 | 1 | 2 | 3;
const MIB_INITIAL_NOTIFICATION = 3;
const TYPE_NAME: Record<Exclude<NativeType, 3>, Exclude<MibNotificationType, 'initial'>> = { 0: 'parameter', 1: 'add', 2: 'delete' };
// A ref'd timer is the libuv handle that keeps the process alive while the OS may call back: koffi's
// cross-thread queue does not. Its period only has to be long; it never does any work.
const KEEP_ALIVE_MS = 0x7fffffff;

interface Pending {
  readonly type: Exclude<NativeType, 3>;
  readonly row: NativeIpInterfaceRow;
}

/** One `notifyIpInterfaceChange`: a subscriber of the shared OS registration. */
interface Subscription {
  readonly handle: NotificationHandle;
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  readonly initial: boolean;
  /** Rule 10: told when `dispose()` ends this subscription. */
  readonly ended: RegistrationEndedCallback | undefined;
  /** waiting (for the OS registration) -> live -> closed; rows go to live subscriptions only. */
  state: 'waiting' | 'live' | 'closed';
}

/** A waiting subscription and how to settle its `notifyIpInterfaceChange` promise. */
interface Waiter {
  readonly sub: Subscription;
  readonly resolve: (handle: NotificationHandle) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The one OS registration (AF_UNSPEC) every subscription of the adapter shares. Its callback copies,
 * queues and returns; the queue is drained on the JS thread, each row refreshed once and fanned out.
 */
interface NativeRegistration {
  /** registering -> live -> cancelling; OS callbacks are acted on only while registering/live. */
  state: 'registering' | 'live' | 'cancelling';
  native: bigint | null;
  callbackPointer: bigint | undefined;
  /** Releases its slot of the koffi async budget (held while the OS may call back). */
  releaseSlot: (() => void) | undefined;
  /** Aborts its wait for a budget slot (dispose); nothing is registered before the slot. */
  readonly slotWait: AbortController;
  readonly queue: Pending[];
  drainScheduled: boolean;
  /** Last full row per interface, for `delete` and for a GetIpInterfaceEntry that lost a race. */
  readonly lastRows: Map<string, IpInterfaceRow>;
}

/** Freezes a row shared by every subscriber of the fan-out, so that one cannot change another's. */
function freezeRow(row: IpInterfaceRow): IpInterfaceRow {
  for (const value of Object.values(row)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(row);
}

/**
 * The Windows adapter: `NotifyIpInterfaceChange` / `CancelMibChangeNotify2` of iphlpapi.dll through
 * koffi. Creating it loads nothing; koffi and the DLL load on first use (failure:
 * `IpInterfaceError('NATIVE_LOAD_FAILED')`). Register and cancel run on koffi worker threads so
 * that no call on the JS thread ever waits for a callback that only the JS thread can run.
 *
 * All registrations of one adapter share one AF_UNSPEC OS registration, made by the first and
 * cancelled after the last; rows are refreshed once per OS callback and fanned out to the
 * registrations of their family. koffi `.async` calls wait their turn in a process-wide budget so
 * that koffi's pool of asynchronous slots is never exhausted (see docs/windows.md).
 *
 * Addresses (`NotifyUnicastIpAddressChange`, `GetUnicastIpAddressEntry`, `GetUnicastIpAddressTable`)
 * and routes (`NotifyRouteChange2`, `GetIpForwardEntry2`, `GetIpForwardTable2`, `GetBestRoute2`) work the
 * same way, one shared OS registration per kind (notification-channel.ts); a DLL without them (Wine
 * lacks `GetIpForwardEntry2`, and its `GetBestRoute2` returns 50) gives `NOT_SUPPORTED` for what is missing.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 * import { windowsAdapter } from 'rxjs-ip-interface/adapters/windows';
 *
 * const adapter = windowsAdapter();
 * ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe((c) => console.log(c));
 * console.log(adapter.diagnostics().warnings);
 * ```
 */
export function windowsAdapter(options: WindowsAdapterOptions = {}): WindowsIpInterfaceAdapter {
  const name = 'windows';
  const libraryPath = options.library ?? 'iphlpapi.dll';
  const messageLibrary = options.messageLibrary ?? 'kernel32.dll';
  /** Live subscriptions by handle, in subscription order (the fan-out order). */
  const live = new Registrations<Subscription>(name);
  let fanOut: Subscription[] | undefined; // snapshot of `live`, rebuilt after a change
  /** Subscriptions waiting for the OS registration in progress. */
  const waiters: Waiter[] = [];
  /** The OS registration subscriptions join (registering or live), if any. */
  let current: NativeRegistration | undefined;
  /** OS registrations being cancelled. */
  const retiring = new Set<NativeRegistration>();
  /** Registrations and cancels of OS registrations in progress, for `dispose`. */
  const work = new Set<Promise<unknown>>();
  const warnings: string[] = [];
  let library: IphlpapiLibrary | undefined;
  let waitingForLoad = 0;
  /** Last cancels waiting for their OS registration's cancel. */
  let finishing = 0;
  let registeredCallbacks = 0;
  let pendingNativeCalls = 0;
  let keepAliveHolders = 0;
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    work.add(promise);
    const forget = (): void => {
      work.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  };

  /** A koffi `.async` call of this adapter (the budget queues it), counted for diagnostics. */
  const nativeCall = async <T>(call: () => Promise<T>): Promise<T> => {
    pendingNativeCalls++;
    try {
      return await call();
    } finally {
      pendingNativeCalls--;
    }
  };

  const warnOnce = (text: string): void => {
    if (!warnings.includes(text)) warnings.push(text);
  };

  // A failed load is retried on next use: the cause (a missing DLL or package) may be fixed.
  const load = onceLoader(() => loadIphlpapi({ library: libraryPath, messageLibrary }).then((lib) => (library = lib)));

  const holdKeepAlive = (): void => {
    if (keepAliveHolders++ === 0) keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
  };
  const releaseKeepAlive = (): void => {
    if (--keepAliveHolders === 0 && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };

  const failure = (lib: IphlpapiLibrary, fn: string, status: number): IpInterfaceError => {
    let text: string | undefined;
    try {
      text = lib.formatMessage?.(status);
    } catch {
      text = undefined; // the message is a nicety; the code is what matters
    }
    return win32Error(fn, status, text);
  };

  /** Calls the subscriber's callback; its exceptions are its own and must not break delivery. */
  const invoke = (sub: Subscription, row: IpInterfaceRow | null, type: MibNotificationType): void => callSafely(sub.callback, row, type);

  const nameOf = (lib: IphlpapiLibrary, luid: bigint): string | undefined => {
    try {
      return lib.interfaceName?.(luid);
    } catch {
      return undefined;
    }
  };

  /** Turns a delivered row into the row to emit (refreshed where possible), or `undefined` to drop it. Once per OS callback. */
  const resolveRow = (lib: IphlpapiLibrary, reg: NativeRegistration, item: Pending): IpInterfaceRow | undefined => {
    const family = familyFromNative(item.row.Family);
    if (family === undefined) return undefined;
    const luid = toUint64(item.row.InterfaceLuid);
    const key = interfaceKey({ family, interfaceLuid: luid });
    const last = reg.lastRows.get(key);
    // Without GetIpInterfaceEntry the delivered row is all there is; with it, only its keys are trusted.
    const fallback = (): IpInterfaceRow | undefined =>
      lib.getIpInterfaceEntry ? identityRowFromNative(item.row, nameOf(lib, luid)) : ipInterfaceRowFromNative(item.row, nameOf(lib, luid));
    if (item.type === 2) {
      reg.lastRows.delete(key);
      return last ?? fallback();
    }
    let row: IpInterfaceRow | undefined;
    if (lib.getIpInterfaceEntry) {
      // Synchronous: GetIpInterfaceEntry never waits for a callback, and it takes no async slot.
      const entry = lib.getIpInterfaceEntry(item.row.Family, luid, item.row.InterfaceIndex);
      // ERROR_NOT_FOUND and friends: the interface went away meanwhile; the last row known is the truth we have.
      row = entry.row ? ipInterfaceRowFromNative(entry.row, nameOf(lib, luid)) : (last ?? fallback());
    } else {
      row = fallback();
    }
    if (row) {
      row = Object.isFrozen(row) ? row : freezeRow(row);
      reg.lastRows.set(key, row);
    }
    return row;
  };

  const subscribers = (): Subscription[] => (fanOut ??= live.values());

  // Addresses and routes: the same fan-out and budget in a channel per kind (notification-channel.ts).
  const host: ChannelHost = {
    name,
    library: () => library,
    load: () => load(),
    // From the interface registrations' counter: handle ids stay unique across kinds.
    reserveHandle: () => live.reserve(),
    holdKeepAlive,
    releaseKeepAlive,
    nativeCall,
    warnOnce,
    failure,
    track,
  };
  // Each OS registration reads its table once (seed) so that it knows the rows that were there before it.
  const addresses: NotificationChannel<UnicastIpAddressRow> = new NotificationChannel(
    host,
    'NotifyUnicastIpAddressChange',
    unicastAddressSpec(nameOf, () => adapter.getUnicastIpAddressTable('unspec')),
  );
  const routes: NotificationChannel<IpForwardRow> = new NotificationChannel(host, 'NotifyRouteChange2', routeSpec(nameOf, () => adapter.getIpForwardTable2('unspec')));
  const channels = [addresses, routes] as const;

  /** A Get*Table of the address or route half: rows of `family`, decoded, named, at most one per key. */
  const readTable = async <Row extends { readonly family: 'inet' | 'inet6'; readonly interfaceLuid: bigint; readonly interfaceName?: string | undefined }>(
    channel: NotificationChannel<Row>,
    fn: string,
    family: AddressFamily,
    decode: (bytes: Uint8Array) => Row | undefined,
    key: (row: Row) => string,
  ): Promise<Row[]> => {
    const invalid = familyError(name, family, ERROR_INVALID_PARAMETER);
    if (invalid) throw invalid;
    const lib = await load();
    const getTable = channel.usable(lib).getTable;
    if (!getTable) throw new IpInterfaceError('NOT_SUPPORTED', `${lib.path} does not export ${fn} and FreeMibTable`, { adapter: name, osCode: 50 });
    let result: Awaited<ReturnType<typeof getTable>>;
    try {
      result = await nativeCall(() => getTable(NATIVE_FAMILY[family]));
    } catch (error) {
      if (error instanceof IpInterfaceError) throw error;
      throw new IpInterfaceError('OS_ERROR', `${fn} could not be called: ${describeError(error)}`, { adapter: name, cause: error });
    }
    if (result.status !== 0) throw failure(lib, fn, result.status);
    const names = new Map<bigint, string | undefined>();
    const nameOnce = (luid: bigint): string | undefined => {
      if (!names.has(luid)) names.set(luid, nameOf(lib, luid));
      return names.get(luid);
    };
    const byKey = new Map<string, Row>();
    for (const bytes of result.rows) {
      const decoded = decode(bytes);
      if (!decoded || !familyMatches(family, decoded.family)) continue;
      const interfaceName = nameOnce(decoded.interfaceLuid);
      const row = interfaceName === undefined ? decoded : { ...decoded, interfaceName };
      byKey.set(key(row), row);
    }
    return [...byKey.values()];
  };

  const drain = (reg: NativeRegistration): void => {
    const lib = library;
    if (!lib) return;
    while (reg.state === 'live' && reg.queue.length > 0) {
      const item = reg.queue.shift()!;
      let row: IpInterfaceRow | undefined;
      try {
        row = resolveRow(lib, reg, item);
      } catch {
        row = undefined; // a row that cannot be decoded is dropped rather than invented
      }
      if (!row) continue;
      const type = TYPE_NAME[item.type];
      // The snapshot holds the subscriptions live when this row came out; each one is checked again
      // before its call, because an earlier one may have cancelled it (or all) meanwhile.
      for (const sub of subscribers()) {
        if (sub.state === 'live' && familyMatches(sub.family, row.family)) invoke(sub, row, type);
      }
    }
  };

  const scheduleDrain = (reg: NativeRegistration): void => {
    if (reg.drainScheduled || reg.state !== 'live') return;
    reg.drainScheduled = true;
    setImmediate(() => {
      reg.drainScheduled = false;
      drain(reg);
    });
  };

  /**
   * Runs on the JS thread while the OS thread is blocked waiting for it: copy, queue, return. Nothing
   * here may wait for native code (a synchronous cancel here would deadlock), and nothing here is per
   * subscriber: the OS thread is released after one decode whatever the number of subscribers.
   */
  const onNative = (lib: IphlpapiLibrary, reg: NativeRegistration, rowPointer: bigint | null, type: number): void => {
    if (reg.state !== 'registering' && reg.state !== 'live') return;
    // The OS's own initial notification: the adapter emits its marker itself once registration succeeded.
    if (type === MIB_INITIAL_NOTIFICATION || rowPointer === null || (type !== 0 && type !== 1 && type !== 2)) return;
    let row: NativeIpInterfaceRow;
    try {
      row = lib.decodeRow(rowPointer);
    } catch {
      return; // an undecodable row is dropped; throwing here would only reach koffi
    }
    reg.queue.push({ type, row });
    scheduleDrain(reg);
  };

  const releaseCallback = (lib: IphlpapiLibrary, reg: NativeRegistration): void => {
    if (reg.callbackPointer === undefined) return;
    lib.unregisterCallback(reg.callbackPointer);
    reg.callbackPointer = undefined;
    registeredCallbacks--;
  };

  const goLive = (sub: Subscription): void => {
    sub.state = 'live';
    live.add(sub.handle, sub);
    fanOut = undefined;
    // The marker first: rows reach it only from the next drain on.
    if (sub.initial) invoke(sub, null, 'initial');
  };

  /** Makes the OS registration the waiting subscriptions join; settles them when it succeeded or failed. */
  const register = async (lib: IphlpapiLibrary, reg: NativeRegistration, initial: boolean): Promise<void> => {
    const fail = (error: IpInterfaceError): void => {
      if (current === reg) current = undefined;
      releaseKeepAlive();
      for (const w of waiters.splice(0)) {
        w.sub.state = 'closed';
        w.reject(error);
      }
    };
    // Waits its turn: the OS registration will hold one slot of koffi's pool for its callbacks.
    try {
      reg.releaseSlot = await lib.budget.reserveCallbackSlot(reg.slotWait.signal);
    } catch {
      // dispose() while every slot is held by other registrations: nothing was registered.
      reg.state = 'cancelling';
      fail(
        new IpInterfaceError(
          'NOT_ENOUGH_MEMORY',
          "the adapter was disposed while this registration waited for one of koffi's async slots (all were held by other registrations): nothing was registered",
          { adapter: name },
        ),
      );
      return;
    }
    try {
      reg.callbackPointer = lib.registerCallback((_context, row, type) => onNative(lib, reg, row, type));
    } catch (error) {
      reg.releaseSlot();
      // koffi has a fixed number of callback slots (8192 in koffi 3).
      fail(new IpInterfaceError('NOT_ENOUGH_MEMORY', `koffi could not register a callback: ${String(error)}`, { adapter: name, cause: error }));
      return;
    }
    registeredCallbacks++;
    let result: { status: number; handle: bigint | null };
    try {
      // Asynchronous: with InitialNotification the OS may wait for its initial callback, which
      // needs the JS thread; a synchronous call here would deadlock.
      result = await nativeCall(() => lib.notifyIpInterfaceChange(NATIVE_FAMILY.unspec, reg.callbackPointer!, initial));
    } catch (error) {
      reg.state = 'cancelling';
      if (error instanceof NativeCallNotMade) {
        // NotifyIpInterfaceChange did not run: nothing can call the callback.
        releaseCallback(lib, reg);
        reg.releaseSlot();
        fail(new IpInterfaceError('OS_ERROR', `NotifyIpInterfaceChange could not be called (nothing was registered): ${error.message}`, { adapter: name, cause: error }));
      } else {
        // koffi failed around a call that did run: whether the OS holds the callback is unknown, so
        // the callback and its slot stay (unregistering a callback the OS may call would crash).
        warnOnce('NotifyIpInterfaceChange failed inside koffi: its koffi callback and one koffi async slot stay reserved, the OS registration may exist');
        fail(new IpInterfaceError('OS_ERROR', `NotifyIpInterfaceChange failed inside koffi: ${String(error)}`, { adapter: name, cause: error }));
      }
      return;
    }
    if (result.status !== 0) {
      // Nothing is registered: the callback and the slot can go at once.
      reg.state = 'cancelling';
      releaseCallback(lib, reg);
      reg.releaseSlot();
      fail(failure(lib, 'NotifyIpInterfaceChange', result.status));
      return;
    }
    reg.native = result.handle;
    if (reg.native === null) {
      warnOnce(
        `NotifyIpInterfaceChange on ${lib.path} succeeded with a NULL handle (Wine's stub does this): ` +
          'no notifications will arrive; registrations stay live until cancelled',
      );
    }
    reg.state = 'live';
    // Each marker first, then rows that arrived while registering (already queued, in order).
    for (const w of waiters.splice(0)) {
      goLive(w.sub);
      w.resolve(w.sub.handle);
    }
    if (reg.queue.length > 0) scheduleDrain(reg);
  };

  /** Cancels an OS registration nobody uses any more; rejects if the OS (or koffi) failed. */
  const retire = async (lib: IphlpapiLibrary, reg: NativeRegistration): Promise<void> => {
    if (current === reg) current = undefined;
    // From here on, callbacks still queued by koffi are ignored (they may run before the cancel returns).
    reg.state = 'cancelling';
    reg.queue.length = 0;
    retiring.add(reg);
    let status = 0;
    let thrown: unknown;
    try {
      // NULL (Wine) was never a registration: passing it to CancelMibChangeNotify2 is wrong.
      // Asynchronous: the OS waits for a callback in flight, which needs the JS thread.
      if (reg.native !== null) status = await nativeCall(() => lib.cancelMibChangeNotify2(reg.native!));
    } catch (error) {
      thrown = error;
    }
    retiring.delete(reg);
    releaseKeepAlive();
    if (thrown !== undefined || status !== 0) {
      // The OS may still hold the callback: unregistering it could crash the process, so it stays,
      // with its async slot (it may still call back).
      warnOnce('CancelMibChangeNotify2 failed: the OS registration may still exist; its koffi callback and one koffi async slot stay reserved');
      if (thrown !== undefined) {
        throw new IpInterfaceError('OS_ERROR', `CancelMibChangeNotify2 could not be called: ${String(thrown)}`, { adapter: name, cause: thrown });
      }
      throw failure(lib, 'CancelMibChangeNotify2', status);
    }
    // Only now that the cancel returned can no native thread call it any more.
    releaseCallback(lib, reg);
    reg.releaseSlot?.();
  };

  const newSubscription = (family: AddressFamily, callback: IpInterfaceChangeCallback, initial: boolean, ended: RegistrationEndedCallback | undefined): Subscription => ({
    handle: live.reserve(),
    family,
    callback,
    initial,
    ended,
    state: 'waiting',
  });

  /** Joins the OS registration in progress, or starts one. */
  const join = (lib: IphlpapiLibrary, sub: Subscription): Promise<NotificationHandle> =>
    new Promise<NotificationHandle>((resolve, reject) => {
      waiters.push({ sub, resolve, reject });
      if (current) return; // registering: it settles every waiter
      const reg: NativeRegistration = {
        state: 'registering',
        native: null,
        callbackPointer: undefined,
        releaseSlot: undefined,
        slotWait: new AbortController(),
        queue: [],
        drainScheduled: false,
        lastRows: new Map(),
      };
      current = reg;
      holdKeepAlive();
      void track(register(lib, reg, sub.initial));
    });

  const adapter: WindowsIpInterfaceAdapter = {
    name,

    notifyIpInterfaceChange(family, callback, initial, ended): SettledRegistration {
      const invalid = registrationError(name, family, callback, ERROR_INVALID_PARAMETER);
      if (invalid) return Promise.reject(invalid);
      const lib = library;
      if (lib && current?.state === 'live') {
        // The shared OS registration is live: this one is live at once, and says so synchronously.
        const sub = newSubscription(family, callback, Boolean(initial), ended);
        goLive(sub);
        return Object.assign(Promise.resolve(sub.handle), { settledHandle: sub.handle });
      }
      waitingForLoad++;
      return (async () => {
        let loaded: IphlpapiLibrary;
        try {
          loaded = await track(load());
        } finally {
          waitingForLoad--;
        }
        const sub = newSubscription(family, callback, Boolean(initial), ended);
        if (current?.state === 'live') {
          goLive(sub);
          return sub.handle;
        }
        return join(loaded, sub);
      })();
    },

    async cancelMibChangeNotify2(handle) {
      for (const channel of channels) if (channel.owns(handle)) return channel.cancel(handle);
      // INVALID_HANDLE unless live; synchronous: from here on nothing reaches this callback, whatever
      // the OS registration does.
      const sub = live.take(handle);
      sub.state = 'closed';
      fanOut = undefined;
      const reg = current;
      if (live.size > 0 || !reg || reg.state !== 'live') return;
      // The last one: the OS registration goes, and this cancel reports how that went. It counts as
      // a live registration until then.
      finishing++;
      try {
        await track(retire(library!, reg));
      } finally {
        finishing--;
      }
    },

    async getIpInterfaceTable(family) {
      const invalid = familyError(name, family, ERROR_INVALID_PARAMETER);
      if (invalid) throw invalid;
      const lib = await load();
      const getTable = lib.getIpInterfaceTable;
      if (!getTable) {
        throw new IpInterfaceError('NOT_SUPPORTED', `${lib.path} does not export GetIpInterfaceTable and FreeMibTable`, { adapter: name, osCode: 50 });
      }
      let result: Awaited<ReturnType<typeof getTable>>;
      try {
        result = await nativeCall(() => getTable(NATIVE_FAMILY[family]));
      } catch (error) {
        if (error instanceof IpInterfaceError) throw error;
        throw new IpInterfaceError('OS_ERROR', `GetIpInterfaceTable could not be called: ${describeError(error)}`, { adapter: name, cause: error });
      }
      const { status, rows } = result;
      if (status !== 0) throw failure(lib, 'GetIpInterfaceTable', status);
      return rows.flatMap((native) => {
        const row = ipInterfaceRowFromNative(native, nameOf(lib, toUint64(native.InterfaceLuid)));
        return row && familyMatches(family, row.family) ? [row] : [];
      });
    },

    notifyUnicastIpAddressChange(family, callback, initial, ended) {
      return addresses.notify(family, callback, initial, ended);
    },

    getUnicastIpAddressTable(family) {
      return readTable(addresses, 'GetUnicastIpAddressTable', family, unicastIpAddressRowFromBytes, unicastAddressKey);
    },

    notifyRouteChange2(family, callback, initial, ended) {
      return routes.notify(family, callback, initial, ended);
    },

    getIpForwardTable2(family) {
      return readTable(routes, 'GetIpForwardTable2', family, ipForwardRowFromBytes, routeKey);
    },

    async getBestRoute2(family, destination) {
      if (family !== 'inet' && family !== 'inet6') {
        throw new IpInterfaceError('INVALID_PARAMETER', `getBestRoute2 takes 'inet' or 'inet6', got ${String(family)}`, { adapter: name, osCode: ERROR_INVALID_PARAMETER });
      }
      const target = sockaddrInetBytes(family, destination);
      if (!target) {
        throw new IpInterfaceError('INVALID_PARAMETER', `getBestRoute2: ${JSON.stringify(destination)} is not an address of family ${family}`, {
          adapter: name,
          osCode: ERROR_INVALID_PARAMETER,
        });
      }
      const lib = await load();
      if (lib.addressRoute.unusable) throw lib.addressRoute.unusable;
      const best = lib.addressRoute.getBestRoute2;
      if (!best) throw new IpInterfaceError('NOT_SUPPORTED', `${lib.path} does not export GetBestRoute2`, { adapter: name, osCode: 50 });
      // Synchronous: a lookup in the OS's route table, no callback to wait for (and no async slot).
      const result = best(target);
      // ERROR_NOT_FOUND / ERROR_NETWORK_UNREACHABLE (1231) / ERROR_HOST_UNREACHABLE (1232): no route.
      if (result.status === 1168 || result.status === 1231 || result.status === 1232) return null;
      // Wine 8 returns ERROR_NOT_SUPPORTED (50): win32Error makes it NOT_SUPPORTED.
      if (result.status !== 0 || !result.row) throw failure(lib, 'GetBestRoute2', result.status);
      const row = ipForwardRowFromBytes(result.row);
      return row ? (ipForwardRowFromBytes(result.row, 0, nameOf(lib, row.interfaceLuid)) ?? null) : null;
    },

    async dispose() {
      const disposed = registrationEnded(name, 'the adapter was disposed (dispose())', { osCode: ERROR_OPERATION_ABORTED });
      // Until nothing is left: registrations waiting for the load or the OS join and are cancelled
      // in a later round.
      while (live.size > 0 || waiters.length > 0 || waitingForLoad > 0 || current !== undefined || retiring.size > 0 || channels.some((c) => c.busy)) {
        // Address and route registrations are ended with rule 10's `ended` (notification-channel.ts disposedError).
        await Promise.allSettled(channels.map((c) => c.disposeRound()));
        // A registration still waiting for a budget slot may wait for as long as other adapters'
        // registrations live: it gives up instead (its waiters get NOT_ENOUGH_MEMORY).
        if (current?.state === 'registering' && current.releaseSlot === undefined) current.slotWait.abort();
        // Rule 10: each live subscription is taken (synchronously, by the cancel) and then told.
        await Promise.allSettled(live.entries().map(([h, sub]) => {
          const cancelled = adapter.cancelMibChangeNotify2(h);
          endRegistration(sub.ended, disposed);
          return cancelled;
        }));
        await Promise.allSettled([...work]);
        // A registration whose load or native call just settled goes on in its own continuation: let it run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    diagnostics() {
      return {
        warnings: [...warnings],
        liveRegistrations: live.size + waiters.length + waitingForLoad + finishing + addresses.registrations + routes.registrations,
        nativeRegistrations: (current ? 1 : 0) + retiring.size + addresses.nativeRegistrations + routes.nativeRegistrations,
        byKind: {
          interfaces: { liveRegistrations: live.size + waiters.length + waitingForLoad + finishing, nativeRegistrations: (current ? 1 : 0) + retiring.size },
          addresses: { liveRegistrations: addresses.registrations, nativeRegistrations: addresses.nativeRegistrations },
          routes: { liveRegistrations: routes.registrations, nativeRegistrations: routes.nativeRegistrations },
        },
        registeredCallbacks: registeredCallbacks + addresses.registeredCallbacks + routes.registeredCallbacks,
        pendingNativeCalls,
        asyncBudget: library?.budget.state(),
        loaded: library !== undefined,
        optionalFunctions: library ? [...library.optionalFunctions] : [],
      };
    },
  };
  return adapter;
}
