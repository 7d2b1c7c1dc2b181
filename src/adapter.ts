/**
 * The adapter contract: what an OS backend implements. It mirrors the C API of netioapi.h so the
 * mapping is obvious to anyone who knows `NotifyIpInterfaceChange`:
 *
 * | C API | adapter |
 * |---|---|
 * | `NotifyIpInterfaceChange(Family, Callback, Context, InitialNotification, &Handle)` | `notifyIpInterfaceChange(family, callback, initial)` |
 * | `CancelMibChangeNotify2(Handle)` | `cancelMibChangeNotify2(handle)` |
 * | `GetIpInterfaceTable(Family, &Table)` | `getIpInterfaceTable(family)` |
 *
 * Rules every adapter follows (checked by the shared contract suite in `test/contract/`):
 * 1. `notifyIpInterfaceChange` rejects with `IpInterfaceError('INVALID_PARAMETER')` for a family
 *    other than the three constants, and registers nothing.
 * 2. The callback runs on the JS thread, never re-entrantly: one invocation returns before the next
 *    starts (the OS serializes its callbacks; so must the adapter).
 * 3. The callback may run before the returned promise settles (during registration).
 * 4. With `initial` true, `callback(null, 'initial')` is the first call, once, after the
 *    registration is live. With `initial` false there is no `'initial'` call.
 * 5. Rows are delivered only for the registered family (`unspec`: both).
 * 6. After `cancelMibChangeNotify2(handle)` resolves, the callback is never called again. Cancelling
 *    twice, or a handle that is not live, rejects with `IpInterfaceError('INVALID_HANDLE')`.
 * 7. Failures reject with an `IpInterfaceError`; a failed registration leaves nothing registered.
 * 8. Adapters load native code lazily (on first registration or table read), never at import.
 *
 * Optional rules (an adapter may leave the method out; where it has it, the suite checks it):
 * 9. `currentIpInterfaceTable(family)` answers, with an array (synchronously, when at hand) or a
 *    promise of one, the rows of `family` that this adapter's live registrations have been told:
 *    the table as of the last notification delivered, so a caller that registered first and then
 *    reads it loses and doubles nothing (ipInterfaceTable$ uses it instead of a second dump).
 *    Without a live registration it answers like `getIpInterfaceTable`. A bad family is
 *    `INVALID_PARAMETER`, as in rule 1.
 * 10. An adapter that can lose a live registration (its network namespace was deleted, the adapter
 *    was disposed, the OS dropped it) calls the optional fourth argument of a `notify*` method,
 *    `ended(error)`, once with an `IpInterfaceError` that says why, on the JS thread and never inside
 *    an invocation of the callback. From then on the callback is never called again and the handle is
 *    not live (cancelling it rejects with `INVALID_HANDLE`, as in rule 6). An adapter that cannot lose
 *    a registration ignores the argument; one that drops a registration without calling `ended`
 *    leaves its subscriber waiting forever, which is the failure this rule exists to prevent.
 *
 * Unicast addresses are an optional half (`NotifyUnicastIpAddressChange`, `GetUnicastIpAddressTable`):
 * an adapter has both methods or neither. Without them it still serves interfaces, and
 * `unicastIpAddressChanges$` / `unicastIpAddressTable$` on it error with `IpInterfaceError('NOT_SUPPORTED')`.
 * An adapter that has them follows rules 1-8 for them too (with `notifyUnicastIpAddressChange` in
 * place of `notifyIpInterfaceChange`; the same `cancelMibChangeNotify2` cancels both kinds of handle),
 * and:
 * A1. Rows are {@link UnicastIpAddressRow}s: `family`, canonical `address` text, `interfaceLuid`
 *     (bigint) and `interfaceIndex` always; any other field is `undefined` when the platform cannot
 *     supply it, never invented.
 * A2. `'add'` is an address that appeared, `'delete'` one that went away (with the last row known;
 *     deleting a device deletes each of its addresses), `'parameter'` any other change of a row
 *     with the same `unicastAddressKey` (DAD state, flags, prefix, lifetimes).
 * A3. A `'parameter'` whose only difference from the previous row of that key is `validLifetime`
 *     and/or `preferredLifetime` (a router-advertisement refresh) is passed with a third argument
 *     `{ lifetimeOnly: true }`. The adapter classifies it because it holds the previous row anyway
 *     (its own table); `unicastIpAddressChanges$` drops such calls unless asked for
 *     (`lifetimeUpdates: true`). An adapter that never marks them only costs its subscribers
 *     extra `changed` emissions.
 * A4. `getUnicastIpAddressTable(family)` resolves the current addresses of `family` (`unspec`: both),
 *     at most one row per key.
 *
 * Routes are a second optional half (`NotifyRouteChange2`, `GetIpForwardTable2`, `GetBestRoute2`):
 * an adapter has `notifyRouteChange2` and `getIpForwardTable2` together or neither, and may have
 * `getBestRoute2` only with them. Without them `routeChanges$` / `routeTable$` / `defaultRoute$`
 * error with `IpInterfaceError('NOT_SUPPORTED')`. An adapter that has them follows rules 1-8 and 10
 * for them too (the same `cancelMibChangeNotify2` cancels every kind of handle), and:
 * R1. Rows are {@link IpForwardRow}s, one per next hop (a multipath route is one row per next hop):
 *     `family`, `destinationPrefix` (canonical text), `nextHop` (`'0.0.0.0'` / `'::'` on-link),
 *     `interfaceLuid` and `interfaceIndex` always; any other field `undefined` when the platform cannot
 *     supply it, never invented.
 * R2. `'add'` is a route that appeared, `'delete'` one that went away (with the last row known; also
 *     when the OS removed it silently, e.g. Linux IPv4 routes of a device that went down: the adapter
 *     finds those out and reports them), `'parameter'` any other change of a row with the same
 *     `routeKey`.
 * R3. `getIpForwardTable2(family)` resolves the current routes of `family` (`unspec`: both), at most
 *     one row per `routeKey`.
 * R4. `getBestRoute2(family, destination)` (`inet` or `inet6` only) resolves the route the OS itself
 *     would use to reach `destination` (canonical text of that family), as its own route lookup
 *     answers (Linux `RTM_GETROUTE` with `RTM_F_FIB_MATCH`, Windows `GetBestRoute2`), or `null` when
 *     it has none (unreachable). It sends no packet. A bad family or destination is `INVALID_PARAMETER`.
 *
 * How `src` uses the route half: `routeChanges$` registers through the shared core (NotificationKind
 * `notifyRouteChange2`; rows checked per R1, a bad one is an `OS_ERROR` of the stream); `routeTable$`
 * reads `getIpForwardTable2` once the registration is live, or, duck-typed like rule 9, an adapter's
 * `currentIpForwardTable2(family)`; `defaultRoute$` calls `getBestRoute2` after the registration's
 * marker and after each burst of changes, one lookup at a time. A `getBestRoute2` promise may carry
 * the answer as `settledRoute` (like `settledHandle` of {@link SettledRegistration}) when the adapter
 * had it synchronously: the mock does, which keeps `defaultRoute$` marble-testable.
 *
 * @module
 */
import type { AddressFamily } from './address-family.js';
import type { IpInterfaceRow } from './ip-interface-row.js';
import type { UnicastIpAddressRow } from './unicast-ip-address-row.js';
import type { IpForwardRow } from './ip-forward-row.js';
import type { IpInterfaceError } from './ip-interface-error.js';

/**
 * MIB_NOTIFICATION_TYPE: MibParameterNotification, MibAddInstance, MibDeleteInstance, MibInitialNotification.
 *
 * @example
 * ```ts
 * import type { MibNotificationType } from 'rxjs-ip-interface';
 * // An adapter's mapping from the native MIB_NOTIFICATION_TYPE values:
 * const NATIVE: Record<MibNotificationType, number> = { parameter: 0, add: 1, delete: 2, initial: 3 };
 * ```
 */
export type MibNotificationType = 'parameter' | 'add' | 'delete' | 'initial';

/**
 * PIPINTERFACE_CHANGE_CALLBACK. `row` is null for `'initial'` only.
 *
 * @example
 * ```ts
 * import { AF_INET, type IpInterfaceChangeCallback } from 'rxjs-ip-interface';
 * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const callback: IpInterfaceChangeCallback = (row, type) => console.log(type, row?.interfaceName);
 * const handle = await createMockAdapter().notifyIpInterfaceChange(AF_INET, callback, true);
 * ```
 */
export type IpInterfaceChangeCallback = (row: IpInterfaceRow | null, type: MibNotificationType) => void;

/**
 * What an adapter tells about an address change besides the row (rule A3).
 *
 * @example
 * ```ts
 * import type { UnicastIpAddressChangeDetail } from 'rxjs-ip-interface';
 *
 * const refresh: UnicastIpAddressChangeDetail = { lifetimeOnly: true }; // only the lifetimes moved
 * ```
 */
export interface UnicastIpAddressChangeDetail {
  /** Only `validLifetime` / `preferredLifetime` changed since the previous row of this address. */
  readonly lifetimeOnly?: boolean | undefined;
}

/**
 * PUNICAST_IPADDRESS_CHANGE_CALLBACK. `row` is null for `'initial'` only; `detail` only on a
 * `'parameter'` (rule A3).
 *
 * @example
 * ```ts
 * import { AF_INET6, type UnicastIpAddressChangeCallback } from 'rxjs-ip-interface';
 * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const callback: UnicastIpAddressChangeCallback = (row, type, detail) => console.log(type, row?.address, detail?.lifetimeOnly);
 * const handle = await createMockAdapter().notifyUnicastIpAddressChange(AF_INET6, callback, true);
 * ```
 */
export type UnicastIpAddressChangeCallback = (
  row: UnicastIpAddressRow | null,
  type: MibNotificationType,
  detail?: UnicastIpAddressChangeDetail,
) => void;

/**
 * PROUTE_CHANGE_CALLBACK (NotifyRouteChange2). `row` is null for `'initial'` only.
 *
 * @example
 * ```ts
 * import { AF_INET, type RouteChangeCallback } from 'rxjs-ip-interface';
 *
 * const callback: RouteChangeCallback = (row, type) =>
 *   console.log(type, row && `${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength} via ${row.nextHop}`);
 * ```
 */
export type RouteChangeCallback = (row: IpForwardRow | null, type: MibNotificationType) => void;

/**
 * Rule 10: how an adapter tells that it lost a live registration (namespace deleted, adapter
 * disposed). Called once; the callback of that registration is never called afterwards.
 * The built-in adapters: linux calls it with `OS_ERROR`, `osCode` 2 (ENOENT) when the watched
 * namespace was deleted; windows with `OS_ERROR`, `osCode` 995 (ERROR_OPERATION_ABORTED) from
 * `dispose()`; the mock from `endRegistrations(error?)`; polling never loses a registration.
 * The change streams turn it into the subscriber's `error` (an argument that is not an
 * `IpInterfaceError` becomes `OS_ERROR` with it as `cause`).
 *
 * @example
 * ```ts
 * import { AF_INET, type IpInterfaceAdapter, type RegistrationEndedCallback } from 'rxjs-ip-interface';
 *
 * async function watch(adapter: IpInterfaceAdapter): Promise<void> {
 *   const ended: RegistrationEndedCallback = (error) => console.error('registration lost:', error.code, error.message);
 *   await adapter.notifyIpInterfaceChange(AF_INET, (row, type) => console.log(type, row?.interfaceName), false, ended);
 * }
 * ```
 */
export type RegistrationEndedCallback = (error: IpInterfaceError) => void;

/**
 * What a registration returns; pass it back to `cancelMibChangeNotify2`. Opaque to callers:
 * adapters identify their own handles (a `WeakMap` keyed by the object works well).
 *
 * @example
 * ```ts
 * import { AF_INET, type IpInterfaceAdapter, type NotificationHandle } from 'rxjs-ip-interface';
 *
 * async function registerAndCancel(adapter: IpInterfaceAdapter): Promise<void> {
 *   const handle: NotificationHandle = await adapter.notifyIpInterfaceChange(AF_INET, () => {}, false);
 *   await adapter.cancelMibChangeNotify2(handle);
 * }
 * ```
 */
export interface NotificationHandle {
  /** The adapter that issued it. */
  readonly adapter: string;
  /** Unique per adapter instance. */
  readonly id: number;
}

/**
 * What `notifyIpInterfaceChange` may return when it registered synchronously: the promise plus the
 * handle, readable at once. `ipInterfaceChanges$` then cancels within the same tick on unsubscribe,
 * which keeps virtual-time (marble) tests exact. Optional: a plain promise is always valid.
 *
 * @example
 * ```ts
 * import type { NotificationHandle, SettledRegistration } from 'rxjs-ip-interface';
 *
 * // In an adapter's notifyIpInterfaceChange, once registered synchronously:
 * function settled(handle: NotificationHandle): SettledRegistration {
 *   return Object.assign(Promise.resolve(handle), { settledHandle: handle });
 * }
 * ```
 */
export type SettledRegistration = Promise<NotificationHandle> & { readonly settledHandle?: NotificationHandle };

/**
 * An OS backend. Implement this to port the library to another platform; run the contract suite
 * (`test/contract/contract-suite.ts`) against it.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_INET, type IpInterfaceAdapter } from 'rxjs-ip-interface';
 * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const adapter: IpInterfaceAdapter = createMockAdapter();
 * ipInterfaceChanges$(AF_INET, true, { adapter }).subscribe(console.log);
 * ```
 */
export interface IpInterfaceAdapter {
  /** Short name used in errors and diagnostics (`linux`, `windows`, `polling`, `mock`). */
  readonly name: string;
  /** NotifyIpInterfaceChange. */
  notifyIpInterfaceChange(
    family: AddressFamily,
    callback: IpInterfaceChangeCallback,
    initial: boolean,
    ended?: RegistrationEndedCallback,
  ): Promise<NotificationHandle>;
  /** CancelMibChangeNotify2. */
  cancelMibChangeNotify2(handle: NotificationHandle): Promise<void>;
  /** GetIpInterfaceTable: the current rows of `family` (`unspec`: both families). */
  getIpInterfaceTable(family: AddressFamily): Promise<IpInterfaceRow[]>;
  /** Optional (rule 9): the rows of `family` this adapter's live registrations have been told. */
  currentIpInterfaceTable?(family: AddressFamily): Promise<IpInterfaceRow[]> | IpInterfaceRow[];
  /** NotifyUnicastIpAddressChange (optional, with {@link getUnicastIpAddressTable}: rules A1-A4). */
  notifyUnicastIpAddressChange?(
    family: AddressFamily,
    callback: UnicastIpAddressChangeCallback,
    initial: boolean,
    ended?: RegistrationEndedCallback,
  ): Promise<NotificationHandle>;
  /** GetUnicastIpAddressTable: the current addresses of `family` (`unspec`: both families). Optional. */
  getUnicastIpAddressTable?(family: AddressFamily): Promise<UnicastIpAddressRow[]>;
  /** NotifyRouteChange2 (optional, with {@link getIpForwardTable2}: rules R1-R4). */
  notifyRouteChange2?(
    family: AddressFamily,
    callback: RouteChangeCallback,
    initial: boolean,
    ended?: RegistrationEndedCallback,
  ): Promise<NotificationHandle>;
  /** GetIpForwardTable2: the current routes of `family` (`unspec`: both families). Optional (rule R3). */
  getIpForwardTable2?(family: AddressFamily): Promise<IpForwardRow[]>;
  /** GetBestRoute2: the route the OS would use for `destination`, or null (rule R4). Optional. */
  getBestRoute2?(family: Exclude<AddressFamily, 'unspec'>, destination: string): Promise<IpForwardRow | null>;
}

/**
 * An adapter that has the address half of the contract.
 *
 * @example
 * ```ts
 * import { AF_INET, type UnicastIpAddressAdapter } from 'rxjs-ip-interface';
 * import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
 *
 * const adapter: UnicastIpAddressAdapter = createMockAdapter();
 * const rows = await adapter.getUnicastIpAddressTable(AF_INET);
 * ```
 */
export type UnicastIpAddressAdapter = IpInterfaceAdapter &
  Required<Pick<IpInterfaceAdapter, 'notifyUnicastIpAddressChange' | 'getUnicastIpAddressTable'>>;

/**
 * An adapter that has the route half of the contract (rules R1-R4).
 *
 * @example
 * ```ts
 * import { AF_INET, type RouteAdapter } from 'rxjs-ip-interface';
 *
 * async function gateway(adapter: RouteAdapter): Promise<string | undefined> {
 *   return (await adapter.getBestRoute2(AF_INET, '192.0.2.1'))?.nextHop;
 * }
 * ```
 */
export type RouteAdapter = IpInterfaceAdapter &
  Required<Pick<IpInterfaceAdapter, 'notifyRouteChange2' | 'getIpForwardTable2' | 'getBestRoute2'>>;
