import { familyMatches, isAddressFamily, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, IpInterfaceChangeCallback, MibNotificationType, NotificationHandle } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { interfaceKey } from '../../src/interface-key.js';
import { loadIphlpapi, type IphlpapiLibrary } from './iphlpapi-library.js';
import { identityRowFromNative, ipInterfaceRowFromNative, toUint64, type NativeIpInterfaceRow } from './mib-ipinterface-row.js';
import { familyFromNative, NATIVE_FAMILY } from './native-family.js';
import { win32Error } from './win32-error.js';

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
  /** Registrations not yet fully cancelled (registering, live or cancelling). */
  readonly liveRegistrations: number;
  /** koffi callbacks this adapter holds registered (a callback is released only after its cancel completed). */
  readonly registeredCallbacks: number;
  /** True once koffi and the library are loaded. */
  readonly loaded: boolean;
  /** The optional functions the library (and kernel32) export, once loaded. */
  readonly optionalFunctions: readonly string[];
}

/**
 * The Windows adapter: an {@link IpInterfaceAdapter} plus {@link WindowsIpInterfaceAdapter.diagnostics}.
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
export interface WindowsIpInterfaceAdapter extends IpInterfaceAdapter {
  /** A snapshot of the adapter's state, for tests and troubleshooting. */
  diagnostics(): WindowsAdapterDiagnostics;
  /**
   * Cancels every registration of this adapter, including those still registering, and resolves
   * once all are released. For shutdown: a process should not exit while the OS may call back.
   * The adapter stays usable.
   */
  dispose(): Promise<void>;
}

type NativeType = 0 | 1 | 2 | 3;
const MIB_INITIAL_NOTIFICATION = 3;
const TYPE_NAME: Record<Exclude<NativeType, 3>, Exclude<MibNotificationType, 'initial'>> = { 0: 'parameter', 1: 'add', 2: 'delete' };
const ERROR_INVALID_HANDLE = 6;
const ERROR_INVALID_PARAMETER = 87;
// A ref'd timer is the libuv handle that keeps the process alive while the OS may call back: koffi's
// cross-thread queue does not. Its period only has to be long; it never does any work.
const KEEP_ALIVE_MS = 0x7fffffff;

interface Pending {
  readonly type: Exclude<NativeType, 3>;
  readonly row: NativeIpInterfaceRow;
}

interface Registration {
  readonly handle: NotificationHandle;
  readonly family: AddressFamily;
  readonly callback: IpInterfaceChangeCallback;
  /** registering -> live -> closing -> closed; callbacks are acted on only while registering/live. */
  state: 'registering' | 'live' | 'closing' | 'closed';
  native: bigint | null;
  callbackPointer: bigint | undefined;
  readonly queue: Pending[];
  drainScheduled: boolean;
  /** Last full row per interface, for `delete` and for a GetIpInterfaceEntry that lost a race. */
  readonly lastRows: Map<string, IpInterfaceRow>;
}

/**
 * The Windows adapter: `NotifyIpInterfaceChange` / `CancelMibChangeNotify2` of iphlpapi.dll through
 * koffi. Creating it loads nothing; koffi and the DLL load on first use (failure:
 * `IpInterfaceError('NATIVE_LOAD_FAILED')`). Register and cancel run on koffi worker threads so
 * that no call on the JS thread ever waits for a callback that only the JS thread can run.
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
  const live = new Map<NotificationHandle, Registration>();
  const pending = new Set<Registration>();
  const warnings: string[] = [];
  let loading: Promise<IphlpapiLibrary> | undefined;
  let library: IphlpapiLibrary | undefined;
  let nextId = 1;
  let registeredCallbacks = 0;
  let keepAliveHolders = 0;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const nativeCalls = new Set<Promise<unknown>>();

  /** Remembers a native call in progress, so that `dispose` can wait for it. */
  const track = <T>(call: Promise<T>): Promise<T> => {
    nativeCalls.add(call);
    const forget = (): void => {
      nativeCalls.delete(call);
    };
    call.then(forget, forget);
    return call;
  };

  const warnOnce = (text: string): void => {
    if (!warnings.includes(text)) warnings.push(text);
  };

  const load = (): Promise<IphlpapiLibrary> => {
    if (!loading) {
      loading = loadIphlpapi({ library: libraryPath, messageLibrary }).then((lib) => (library = lib));
      // A failed load is retried on next use: the cause (a missing DLL or package) may be fixed.
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };

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

  const rejectInvalidFamily = (family: unknown): Promise<never> =>
    Promise.reject(
      new IpInterfaceError('INVALID_PARAMETER', `invalid address family ${String(family)}: use AF_UNSPEC, AF_INET or AF_INET6`, {
        adapter: name,
        osCode: ERROR_INVALID_PARAMETER,
      }),
    );

  /** Calls the subscriber's callback; its exceptions are its own and must not break delivery. */
  const invoke = (reg: Registration, row: IpInterfaceRow | null, type: MibNotificationType): void => {
    try {
      reg.callback(row, type);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };

  const nameOf = (lib: IphlpapiLibrary, luid: bigint): string | undefined => {
    try {
      return lib.interfaceName?.(luid);
    } catch {
      return undefined;
    }
  };

  /** Turns a delivered row into the row to emit (refreshed where possible), or `undefined` to drop it. */
  const resolveRow = (lib: IphlpapiLibrary, reg: Registration, item: Pending): IpInterfaceRow | undefined => {
    const family = familyFromNative(item.row.Family);
    if (family === undefined || !familyMatches(reg.family, family)) return undefined;
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
      const entry = lib.getIpInterfaceEntry(item.row.Family, luid, item.row.InterfaceIndex);
      // ERROR_NOT_FOUND and friends: the interface went away meanwhile; the last row known is the truth we have.
      row = entry.row ? ipInterfaceRowFromNative(entry.row, nameOf(lib, luid)) : (last ?? fallback());
    } else {
      row = fallback();
    }
    if (row) reg.lastRows.set(key, row);
    return row;
  };

  const drain = (reg: Registration): void => {
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
      if (row) invoke(reg, row, TYPE_NAME[item.type]);
    }
  };

  const scheduleDrain = (reg: Registration): void => {
    if (reg.drainScheduled || reg.state !== 'live') return;
    reg.drainScheduled = true;
    setImmediate(() => {
      reg.drainScheduled = false;
      drain(reg);
    });
  };

  /**
   * Runs on the JS thread while the OS thread is blocked waiting for it: copy, queue, return. Nothing
   * here may wait for native code (a synchronous cancel here would deadlock).
   */
  const onNative = (lib: IphlpapiLibrary, reg: Registration, rowPointer: bigint | null, type: number): void => {
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

  const releaseCallback = (lib: IphlpapiLibrary, reg: Registration): void => {
    if (reg.callbackPointer === undefined) return;
    lib.unregisterCallback(reg.callbackPointer);
    reg.callbackPointer = undefined;
    registeredCallbacks--;
  };

  const adapter: WindowsIpInterfaceAdapter = {
    name,

    async notifyIpInterfaceChange(family, callback, initial) {
      if (!isAddressFamily(family)) return rejectInvalidFamily(family);
      if (typeof callback !== 'function') {
        throw new IpInterfaceError('INVALID_PARAMETER', 'the callback must be a function', { adapter: name, osCode: ERROR_INVALID_PARAMETER });
      }
      const lib = await load();
      const handle: NotificationHandle = Object.freeze({ adapter: name, id: nextId++ });
      const reg: Registration = {
        handle,
        family,
        callback,
        state: 'registering',
        native: null,
        callbackPointer: undefined,
        queue: [],
        drainScheduled: false,
        lastRows: new Map(),
      };
      try {
        reg.callbackPointer = lib.registerCallback((_context, row, type) => onNative(lib, reg, row, type));
      } catch (error) {
        // koffi has a fixed number of callback slots (8192 in koffi 3).
        throw new IpInterfaceError('NOT_ENOUGH_MEMORY', `koffi could not register a callback: ${String(error)}`, { adapter: name, cause: error });
      }
      registeredCallbacks++;
      pending.add(reg);
      holdKeepAlive();
      let result: { status: number; handle: bigint | null };
      try {
        // Asynchronous: with InitialNotification the OS may wait for its initial callback, which
        // needs the JS thread; a synchronous call here would deadlock.
        result = await track(lib.notifyIpInterfaceChange(NATIVE_FAMILY[family], reg.callbackPointer, initial));
      } catch (error) {
        reg.state = 'closed';
        releaseKeepAlive();
        // koffi failed around the call: whether the OS holds the callback is unknown, so it stays registered.
        warnOnce('NotifyIpInterfaceChange could not be called: its koffi callback stays registered');
        throw new IpInterfaceError('OS_ERROR', `NotifyIpInterfaceChange could not be called: ${String(error)}`, { adapter: name, cause: error });
      } finally {
        pending.delete(reg);
      }
      if (result.status !== 0) {
        // Nothing is registered: the callback can go at once.
        reg.state = 'closed';
        releaseCallback(lib, reg);
        releaseKeepAlive();
        throw failure(lib, 'NotifyIpInterfaceChange', result.status);
      }
      reg.native = result.handle;
      if (reg.native === null) {
        warnOnce(
          `NotifyIpInterfaceChange on ${lib.path} succeeded with a NULL handle (Wine's stub does this): ` +
            'no notifications will arrive; the registration stays live until cancelled',
        );
      }
      reg.state = 'live';
      live.set(handle, reg);
      // The marker first, then rows that arrived while registering (already queued, in order).
      if (initial) invoke(reg, null, 'initial');
      if (reg.state === 'live' && reg.queue.length > 0) scheduleDrain(reg);
      return handle;
    },

    async cancelMibChangeNotify2(handle) {
      const reg = live.get(handle);
      if (!reg || reg.state !== 'live') {
        throw new IpInterfaceError('INVALID_HANDLE', 'the handle is not a live registration of this adapter', {
          adapter: name,
          osCode: ERROR_INVALID_HANDLE,
        });
      }
      const lib = library!;
      // From here on, callbacks still queued by koffi are ignored (they may run before the cancel returns).
      reg.state = 'closing';
      reg.queue.length = 0;
      live.delete(handle);
      pending.add(reg);
      let status = 0;
      let thrown: unknown;
      try {
        // NULL (Wine) was never a registration: passing it to CancelMibChangeNotify2 is wrong.
        // Asynchronous: the OS waits for a callback in flight, which needs the JS thread.
        if (reg.native !== null) status = await track(lib.cancelMibChangeNotify2(reg.native));
      } catch (error) {
        thrown = error;
      }
      pending.delete(reg);
      reg.state = 'closed';
      releaseKeepAlive();
      if (thrown !== undefined || status !== 0) {
        // The OS may still hold the callback: unregistering it could crash the process, so it stays.
        warnOnce('CancelMibChangeNotify2 failed: the registration is dropped but its koffi callback stays registered');
        if (thrown !== undefined) {
          throw new IpInterfaceError('OS_ERROR', `CancelMibChangeNotify2 could not be called: ${String(thrown)}`, { adapter: name, cause: thrown });
        }
        throw failure(lib, 'CancelMibChangeNotify2', status);
      }
      // Only now that the cancel returned can no native thread call it any more.
      releaseCallback(lib, reg);
    },

    async getIpInterfaceTable(family) {
      if (!isAddressFamily(family)) return rejectInvalidFamily(family);
      const lib = await load();
      if (!lib.getIpInterfaceTable) {
        throw new IpInterfaceError('NOT_SUPPORTED', `${lib.path} does not export GetIpInterfaceTable and FreeMibTable`, { adapter: name, osCode: 50 });
      }
      const { status, rows } = await lib.getIpInterfaceTable(NATIVE_FAMILY[family]);
      if (status !== 0) throw failure(lib, 'GetIpInterfaceTable', status);
      return rows.flatMap((native) => {
        const row = ipInterfaceRowFromNative(native, nameOf(lib, toUint64(native.InterfaceLuid)));
        return row && familyMatches(family, row.family) ? [row] : [];
      });
    },

    async dispose() {
      while (live.size > 0 || pending.size > 0) {
        await Promise.allSettled([...live.keys()].map((h) => adapter.cancelMibChangeNotify2(h)));
        await Promise.allSettled([...nativeCalls]);
        // A registration whose native call just returned turns live in its own continuation: let it run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    diagnostics() {
      return {
        warnings: [...warnings],
        liveRegistrations: live.size + pending.size,
        registeredCallbacks,
        loaded: library !== undefined,
        optionalFunctions: library ? [...library.optionalFunctions] : [],
      };
    },
  };
  return adapter;
}
