import type { AddressFamily } from './address-family.js';
import type { IpInterfaceRow } from './ip-interface-row.js';

/** MibInitialNotification: the registration is live. Carries no row. */
export interface IpInterfaceInitialChange {
  readonly kind: 'initial';
  readonly family: AddressFamily;
}

/** MibAddInstance / MibParameterNotification / MibDeleteInstance with the row concerned. */
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

/** The `kind` of an {@link IpInterfaceChange}. */
export type IpInterfaceChangeKind = IpInterfaceChange['kind'];

/**
 * Narrows a change to one that carries a row (anything but the `initial` marker).
 *
 * @example
 * ```ts
 * changes$.pipe(filter(hasRow), map((c) => c.row.nlMtu));
 * ```
 */
export function hasRow(change: IpInterfaceChange): change is IpInterfaceRowChange {
  return change.kind !== 'initial';
}
