/**
 * One kind of change notification of the windows adapter beyond interfaces (unicast addresses:
 * NotifyUnicastIpAddressChange; routes: NotifyRouteChange2), with the design windows-adapter.ts uses
 * for interfaces (issue 10, docs/windows.md):
 * - one AF_UNSPEC OS registration per adapter and kind, made by the first subscription and cancelled
 *   after the last, fanned out in JS to the subscriptions of each family;
 * - its callback copies the row, queues it and returns (nothing per subscriber on the OS thread);
 *   the queue drains on the JS thread, each row completed once (Get*Entry, name lookup) and shared,
 *   frozen, by every subscriber;
 * - every koffi `.async` call waits its turn in the process-wide budget (native-call-budget.ts), and
 *   the OS registration holds one slot of it for its callbacks while it exists;
 * - the last cancel cancels on a koffi worker thread and only then unregisters the koffi callback.
 * The previous row of each key is kept per OS registration (for `delete`, for a Get*Entry that lost a
 * race, and for rule A3's lifetime-only classification): at most one row per key, at most
 * {@link MAX_KNOWN_ROWS} keys, dropped with the registration after the last cancel.
 *
 * @module
 */
import { ERROR_OPERATION_ABORTED, registrationEnded } from '../shared/registration-ended.js';
import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { MibNotificationType, NotificationHandle, RegistrationEndedCallback, SettledRegistration } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { ERROR_INVALID_PARAMETER, registrationError } from '../shared/adapter-arguments.js';
import { rethrowLater } from '../shared/safe-callback.js';
import type { NativeNotifyFunctions } from './address-route-library.js';
import type { IphlpapiLibrary } from './iphlpapi-library.js';
import { NativeCallNotMade } from './native-call-budget.js';
import { NATIVE_FAMILY } from './native-family.js';

/** Keys of previous rows one OS registration keeps at most (the oldest goes first beyond it). */
export const MAX_KNOWN_ROWS = 65536;

const MIB_INITIAL_NOTIFICATION = 3;
const TYPE_NAME = { 0: 'parameter', 1: 'add', 2: 'delete' } as const;
/** A native notification type other than the initial one. */
export type NativeChangeType = keyof typeof TYPE_NAME;

/** One call to make to every subscriber of the row's family. */
export interface Delivery<Row> {
  readonly row: Row;
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly detail?: { readonly lifetimeOnly: true };
}

/** A subscriber's callback of a channel (UnicastIpAddressChangeCallback, RouteChangeCallback). */
export type ChannelCallback<Row> = (row: Row | null, type: MibNotificationType, detail?: { readonly lifetimeOnly?: boolean | undefined }) => void;

/** What differs between the kinds. */
export interface ChannelSpec<Row extends { readonly family: 'inet' | 'inet6' }> {
  /** The native functions, once the library is loaded (undefined: the DLL lacks the Notify function). */
  functions(lib: IphlpapiLibrary): NativeNotifyFunctions | undefined;
  /**
   * The deliveries for one OS callback's row bytes (a copy), once per OS callback: complete the row,
   * classify it against `known` (the previous row per key), and update `known`. `[]` drops it.
   */
  resolve(lib: IphlpapiLibrary, bytes: Uint8Array, type: NativeChangeType, known: Map<string, Row>): Delivery<Row>[];
  /** The key `known` files a row under. */
  key(row: Row): string;
  /**
   * The current table (both families), read once when an OS registration went live to seed `known`:
   * so that the first change of a row already there is classified against it (rule A3) and a delete
   * carries its full row. A failed read only leaves `known` to fill from the notifications.
   */
  seed?(lib: IphlpapiLibrary): Promise<readonly Row[]>;
}

/** What the channel uses of its adapter (shared with the interface registrations). */
export interface ChannelHost {
  readonly name: string;
  library(): IphlpapiLibrary | undefined;
  load(): Promise<IphlpapiLibrary>;
  /** A fresh handle, unique in the adapter (not live yet). */
  reserveHandle(): NotificationHandle;
  holdKeepAlive(): void;
  releaseKeepAlive(): void;
  /** A koffi `.async` call of the adapter, counted for diagnostics. */
  nativeCall<T>(call: () => Promise<T>): Promise<T>;
  warnOnce(text: string): void;
  failure(lib: IphlpapiLibrary, fn: string, status: number): IpInterfaceError;
  /** Registers and cancels in progress, for dispose. */
  track<T>(promise: Promise<T>): Promise<T>;
}

interface Subscription<Row> {
  readonly handle: NotificationHandle;
  readonly family: AddressFamily;
  readonly callback: ChannelCallback<Row>;
  readonly initial: boolean;
  /** Rule 10: told once when the adapter ends the registration itself (dispose). */
  readonly ended: RegistrationEndedCallback | undefined;
  state: 'waiting' | 'live' | 'closed';
}

interface Waiter<Row> {
  readonly sub: Subscription<Row>;
  readonly resolve: (handle: NotificationHandle) => void;
  readonly reject: (error: unknown) => void;
}

interface OsRegistration<Row> {
  state: 'registering' | 'live' | 'cancelling';
  native: bigint | null;
  callbackPointer: bigint | undefined;
  releaseSlot: (() => void) | undefined;
  readonly slotWait: AbortController;
  readonly queue: { readonly type: NativeChangeType; readonly bytes: Uint8Array }[];
  drainScheduled: boolean;
  readonly known: Map<string, Row>;
  /** Keys notifications touched while the seed was read (the seed must not bring back an older row). */
  touched: Set<string> | undefined;
}

/**
 * The error rule 10's `ended` gets when `dispose()` ends a live registration: the same for every
 * kind of registration of the windows adapter (interfaces build it in windows-adapter.ts with the
 * same helper): `OS_ERROR`, osCode ERROR_OPERATION_ABORTED (adapters/shared/registration-ended.ts says why).
 *
 * @example
 * ```ts
 * disposedError('windows').osCode; // 995
 * ```
 */
export function disposedError(adapter: string): IpInterfaceError {
  return registrationEnded(adapter, 'the adapter was disposed (dispose())', { osCode: ERROR_OPERATION_ABORTED });
}

/** Calls a subscriber's function; its exceptions are its own and must not break delivery. */
function callSafely<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
  try {
    fn(...args);
  } catch (error) {
    rethrowLater(error);
  }
}

/** Freezes a row every subscriber of the fan-out shares (and its nested objects). */
function freezeRow<Row extends object>(row: Row): Row {
  for (const value of Object.values(row)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(row);
}

/**
 * Remembers `row` under `key` in `known`, at most {@link MAX_KNOWN_ROWS} keys (the oldest is dropped:
 * a bound, not a cache policy; the OS's own tables are far smaller).
 *
 * @example
 * ```ts
 * remember(known, unicastAddressKey(row), row);
 * ```
 */
export function remember<Row>(known: Map<string, Row>, key: string, row: Row): void {
  known.delete(key);
  known.set(key, row);
  if (known.size > MAX_KNOWN_ROWS) known.delete(known.keys().next().value!);
}

/** The channel: subscriptions, the shared OS registration, dispose. */
export class NotificationChannel<Row extends { readonly family: 'inet' | 'inet6' }> {
  private readonly live = new Map<NotificationHandle, Subscription<Row>>();
  private fanOut: Subscription<Row>[] | undefined;
  private readonly waiters: Waiter<Row>[] = [];
  private current: OsRegistration<Row> | undefined;
  private readonly retiring = new Set<OsRegistration<Row>>();
  private waitingForLoad = 0;
  private finishing = 0;
  private callbacks = 0;

  constructor(
    private readonly host: ChannelHost,
    /** Notify function name, for errors and warnings. */
    private readonly fn: NativeNotifyFunctions['name'],
    private readonly spec: ChannelSpec<Row>,
  ) {}

  /** True when `handle` is a live registration of this channel. */
  owns(handle: NotificationHandle): boolean {
    return this.live.has(handle);
  }

  /** Registrations not fully cancelled (for diagnostics().liveRegistrations). */
  get registrations(): number {
    return this.live.size + this.waiters.length + this.waitingForLoad + this.finishing;
  }

  /** OS registrations held (0 or 1; 2 while one registers as the previous one is cancelled). */
  get nativeRegistrations(): number {
    return (this.current ? 1 : 0) + this.retiring.size;
  }

  /** koffi callbacks registered. */
  get registeredCallbacks(): number {
    return this.callbacks;
  }

  /** True while anything is left for dispose to do. */
  get busy(): boolean {
    return this.live.size > 0 || this.waiters.length > 0 || this.waitingForLoad > 0 || this.current !== undefined || this.retiring.size > 0;
  }

  /** The Notify* method of the adapter. */
  notify(family: AddressFamily, callback: ChannelCallback<Row>, initial: boolean, ended: RegistrationEndedCallback | undefined): SettledRegistration {
    const invalid = registrationError(this.host.name, family, callback as never, ERROR_INVALID_PARAMETER);
    if (invalid) return Promise.reject(invalid);
    const lib = this.host.library();
    if (lib && this.current?.state === 'live') {
      const sub = this.newSubscription(family, callback, Boolean(initial), ended);
      this.goLive(sub);
      return Object.assign(Promise.resolve(sub.handle), { settledHandle: sub.handle });
    }
    this.waitingForLoad++;
    return (async () => {
      let loaded: IphlpapiLibrary;
      try {
        loaded = await this.host.track(this.host.load());
      } finally {
        this.waitingForLoad--;
      }
      const functions = this.usable(loaded);
      const sub = this.newSubscription(family, callback, Boolean(initial), ended);
      if (this.current?.state === 'live') {
        this.goLive(sub);
        return sub.handle;
      }
      return this.join(loaded, functions, sub);
    })();
  }

  /** The native functions, or the NOT_SUPPORTED / NATIVE_LOAD_FAILED error to reject with. */
  usable(lib: IphlpapiLibrary): NativeNotifyFunctions {
    if (lib.addressRoute.unusable) throw lib.addressRoute.unusable;
    const functions = this.spec.functions(lib);
    if (!functions) throw new IpInterfaceError('NOT_SUPPORTED', `${lib.path} does not export ${this.fn}`, { adapter: this.host.name, osCode: 50 });
    return functions;
  }

  /** CancelMibChangeNotify2 for a handle this channel {@link owns}. */
  async cancel(handle: NotificationHandle): Promise<void> {
    const sub = this.live.get(handle);
    if (!sub) throw new IpInterfaceError('INVALID_HANDLE', `the handle is not a live registration of this ${this.host.name} adapter`, { adapter: this.host.name, osCode: 6 });
    this.close(sub);
    const reg = this.current;
    if (this.live.size > 0 || !reg || reg.state !== 'live') return;
    this.finishing++;
    try {
      await this.host.track(this.retire(this.host.library()!, reg));
    } finally {
      this.finishing--;
    }
  }

  /**
   * One round of the adapter's dispose: cancels every live registration of this channel and tells
   * each one's `ended` (rule 10) once its cancel settled, outside any callback invocation.
   */
  async disposeRound(): Promise<void> {
    if (this.current?.state === 'registering' && this.current.releaseSlot === undefined) this.current.slotWait.abort();
    const subs = [...this.live.values()];
    await Promise.allSettled(subs.map((sub) => this.cancel(sub.handle)));
    for (const sub of subs) if (sub.ended) callSafely(sub.ended, disposedError(this.host.name));
  }

  private close(sub: Subscription<Row>): void {
    this.live.delete(sub.handle);
    sub.state = 'closed';
    this.fanOut = undefined;
  }

  private newSubscription(family: AddressFamily, callback: ChannelCallback<Row>, initial: boolean, ended: RegistrationEndedCallback | undefined): Subscription<Row> {
    return { handle: this.host.reserveHandle(), family, callback, initial, ended: typeof ended === 'function' ? ended : undefined, state: 'waiting' };
  }

  private goLive(sub: Subscription<Row>): void {
    sub.state = 'live';
    this.live.set(sub.handle, sub);
    this.fanOut = undefined;
    if (sub.initial) callSafely(sub.callback, null, 'initial');
  }

  private join(lib: IphlpapiLibrary, functions: NativeNotifyFunctions, sub: Subscription<Row>): Promise<NotificationHandle> {
    return new Promise<NotificationHandle>((resolve, reject) => {
      this.waiters.push({ sub, resolve, reject });
      if (this.current) return;
      const reg: OsRegistration<Row> = {
        state: 'registering',
        native: null,
        callbackPointer: undefined,
        releaseSlot: undefined,
        slotWait: new AbortController(),
        queue: [],
        drainScheduled: false,
        known: new Map(),
        touched: undefined,
      };
      this.current = reg;
      this.host.holdKeepAlive();
      void this.host.track(this.register(lib, functions, reg, sub.initial));
    });
  }

  private releaseCallback(lib: IphlpapiLibrary, reg: OsRegistration<Row>): void {
    if (reg.callbackPointer === undefined) return;
    lib.unregisterCallback(reg.callbackPointer);
    reg.callbackPointer = undefined;
    this.callbacks--;
  }

  /** On the JS thread while the OS thread waits: copy, queue, return. */
  private onNative(lib: IphlpapiLibrary, functions: NativeNotifyFunctions, reg: OsRegistration<Row>, rowPointer: bigint | null, type: number): void {
    if (reg.state !== 'registering' && reg.state !== 'live') return;
    if (type === MIB_INITIAL_NOTIFICATION || rowPointer === null || (type !== 0 && type !== 1 && type !== 2)) return;
    let bytes: Uint8Array;
    try {
      bytes = lib.addressRoute.copy(rowPointer, functions.rowSize);
    } catch {
      return; // throwing here would only reach koffi
    }
    reg.queue.push({ type, bytes });
    this.scheduleDrain(lib, reg);
  }

  private scheduleDrain(lib: IphlpapiLibrary, reg: OsRegistration<Row>): void {
    if (reg.drainScheduled || reg.state !== 'live') return;
    reg.drainScheduled = true;
    setImmediate(() => {
      reg.drainScheduled = false;
      this.drain(lib, reg);
    });
  }

  private drain(lib: IphlpapiLibrary, reg: OsRegistration<Row>): void {
    while (reg.state === 'live' && reg.queue.length > 0) {
      const item = reg.queue.shift()!;
      let deliveries: Delivery<Row>[];
      try {
        deliveries = this.spec.resolve(lib, item.bytes, item.type, reg.known);
      } catch {
        deliveries = []; // a row that cannot be decoded is dropped rather than invented
      }
      for (const d of deliveries) {
        reg.touched?.add(this.spec.key(d.row));
        const row = Object.isFrozen(d.row) ? d.row : freezeRow(d.row);
        for (const sub of (this.fanOut ??= [...this.live.values()])) {
          if (sub.state !== 'live' || !familyMatches(sub.family, row.family)) continue;
          if (d.detail) callSafely(sub.callback, row, d.type, d.detail);
          else callSafely(sub.callback, row, d.type);
        }
      }
    }
  }

  private async register(lib: IphlpapiLibrary, functions: NativeNotifyFunctions, reg: OsRegistration<Row>, initial: boolean): Promise<void> {
    const name = this.host.name;
    const fail = (error: IpInterfaceError): void => {
      if (this.current === reg) this.current = undefined;
      this.host.releaseKeepAlive();
      for (const w of this.waiters.splice(0)) {
        w.sub.state = 'closed';
        w.reject(error);
      }
    };
    try {
      reg.releaseSlot = await lib.budget.reserveCallbackSlot(reg.slotWait.signal);
    } catch {
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
      reg.callbackPointer = lib.registerCallback((_context, row, type) => this.onNative(lib, functions, reg, row, type));
    } catch (error) {
      reg.releaseSlot();
      fail(new IpInterfaceError('NOT_ENOUGH_MEMORY', `koffi could not register a callback: ${String(error)}`, { adapter: name, cause: error }));
      return;
    }
    this.callbacks++;
    let result: { status: number; handle: bigint | null };
    try {
      // Asynchronous: with InitialNotification the OS calls back (Wine: on the calling thread) before it returns.
      result = await this.host.nativeCall(() => functions.notify(NATIVE_FAMILY.unspec, reg.callbackPointer!, initial));
    } catch (error) {
      reg.state = 'cancelling';
      if (error instanceof NativeCallNotMade) {
        this.releaseCallback(lib, reg);
        reg.releaseSlot();
        fail(new IpInterfaceError('OS_ERROR', `${this.fn} could not be called (nothing was registered): ${error.message}`, { adapter: name, cause: error }));
      } else {
        this.host.warnOnce(`${this.fn} failed inside koffi: its koffi callback and one koffi async slot stay reserved, the OS registration may exist`);
        fail(new IpInterfaceError('OS_ERROR', `${this.fn} failed inside koffi: ${String(error)}`, { adapter: name, cause: error }));
      }
      return;
    }
    if (result.status !== 0) {
      reg.state = 'cancelling';
      this.releaseCallback(lib, reg);
      reg.releaseSlot();
      fail(this.host.failure(lib, this.fn, result.status));
      return;
    }
    reg.native = result.handle;
    if (reg.native === null) {
      this.host.warnOnce(
        `${this.fn} on ${lib.path} succeeded with a NULL handle (Wine's stub does this): no notifications will arrive; registrations stay live until cancelled`,
      );
    }
    reg.state = 'live';
    for (const w of this.waiters.splice(0)) {
      this.goLive(w.sub);
      w.resolve(w.sub.handle);
    }
    if (reg.queue.length > 0) this.scheduleDrain(lib, reg);
    if (this.spec.seed) void this.host.track(this.seedKnown(lib, reg, this.spec.seed));
  }

  private async seedKnown(lib: IphlpapiLibrary, reg: OsRegistration<Row>, seed: NonNullable<ChannelSpec<Row>['seed']>): Promise<void> {
    reg.touched = new Set();
    let rows: readonly Row[] = [];
    try {
      rows = await seed(lib);
    } catch {
      rows = []; // classification then learns from the notifications alone
    }
    const touched = reg.touched;
    reg.touched = undefined;
    if (reg.state !== 'live') return;
    for (const row of rows) {
      const key = this.spec.key(row);
      if (!touched.has(key) && !reg.known.has(key)) remember(reg.known, key, Object.isFrozen(row) ? row : freezeRow(row));
    }
  }

  private async retire(lib: IphlpapiLibrary, reg: OsRegistration<Row>): Promise<void> {
    const name = this.host.name;
    if (this.current === reg) this.current = undefined;
    reg.state = 'cancelling';
    reg.queue.length = 0;
    reg.known.clear();
    this.retiring.add(reg);
    let status = 0;
    let thrown: unknown;
    try {
      if (reg.native !== null) status = await this.host.nativeCall(() => lib.cancelMibChangeNotify2(reg.native!));
    } catch (error) {
      thrown = error;
    }
    this.retiring.delete(reg);
    this.host.releaseKeepAlive();
    if (thrown !== undefined || status !== 0) {
      this.host.warnOnce(`CancelMibChangeNotify2 failed for ${this.fn}: the OS registration may still exist; its koffi callback and one koffi async slot stay reserved`);
      if (thrown !== undefined) throw new IpInterfaceError('OS_ERROR', `CancelMibChangeNotify2 could not be called: ${String(thrown)}`, { adapter: name, cause: thrown });
      throw this.host.failure(lib, 'CancelMibChangeNotify2', status);
    }
    this.releaseCallback(lib, reg);
    reg.releaseSlot?.();
  }
}
