import type { AddressFamily } from './address-family.js';
import type { IpInterfaceRow } from './ip-interface-row.js';

/**
 * MibInitialNotification: the registration is live. Carries no row.
 *
 * @example
 * ```ts
 * import { AF_INET, type IpInterfaceInitialChange } from 'rxjs-ip-interface';
 * // The first emission of ipInterfaceChanges$(AF_INET, true), as a test expects it:
 * const live: IpInterfaceInitialChange = { kind: 'initial', family: AF_INET };
 * ```
 */
export interface IpInterfaceInitialChange {
  readonly kind: 'initial';
  readonly family: AddressFamily;
}

/**
 * MibAddInstance / MibParameterNotification / MibDeleteInstance with the row concerned.
 *
 * @example
 * ```ts
 * import { filter } from 'rxjs';
 * import { hasRow, ipInterfaceChanges$, AF_UNSPEC, type IpInterfaceRowChange } from 'rxjs-ip-interface';
 *
 * const log = (c: IpInterfaceRowChange): void => console.log(c.kind, c.row.interfaceName, c.row.connected);
 * ipInterfaceChanges$(AF_UNSPEC).pipe(filter(hasRow)).subscribe(log);
 * ```
 */
export interface IpInterfaceRowChange {
  readonly kind: 'added' | 'changed' | 'removed';
  /** For `removed`, the last row known. */
  readonly row: IpInterfaceRow;
}

/**
 * What {@link ipInterfaceChanges$} emits: a discriminated union on `kind`.
 *
 * @example
 * ```ts
 * function describe(c: IpInterfaceChange): string {
 *   return c.kind === 'initial' ? `watching ${c.family}` : `${c.kind} ${c.row.interfaceName}`;
 * }
 * ```
 */
export type IpInterfaceChange = IpInterfaceInitialChange | IpInterfaceRowChange;

/**
 * The `kind` of an {@link IpInterfaceChange}.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC, type IpInterfaceChangeKind } from 'rxjs-ip-interface';
 *
 * const counts: Record<IpInterfaceChangeKind, number> = { initial: 0, added: 0, changed: 0, removed: 0 };
 * ipInterfaceChanges$(AF_UNSPEC, true).subscribe((c) => counts[c.kind]++);
 * ```
 */
export type IpInterfaceChangeKind = IpInterfaceChange['kind'];

/**
 * Narrows a change to one that carries a row (anything but the `initial` marker).
 *
 * @example
 * ```ts
 * import { filter, map } from 'rxjs';
 * import { hasRow, ipInterfaceChanges$, AF_INET } from 'rxjs-ip-interface';
 *
 * ipInterfaceChanges$(AF_INET).pipe(filter(hasRow), map((c) => c.row.nlMtu)).subscribe(console.log);
 * ```
 */
export function hasRow(change: IpInterfaceChange): change is IpInterfaceRowChange {
  return change.kind !== 'initial';
}
