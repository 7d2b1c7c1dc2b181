import type { IpInterfaceRowChange } from '../ip-interface-change.js';

/**
 * Presence of an interface before a burst, inferred from the burst's first event when nothing was
 * seen before: `added` means it was absent, `changed` / `removed` that it was present.
 *
 * @example
 * ```ts
 * presentBefore('added'); // false
 * ```
 * @internal
 */
export function presentBefore(first: IpInterfaceRowChange['kind']): boolean {
  return first !== 'added';
}

/**
 * The net effect of a burst of changes to one interface, from its presence `before` the burst to its
 * presence after `last`: absent -> present = `added`, present -> absent = `removed`,
 * present -> present = `changed` (with the latest row), absent -> absent = nothing (`undefined`).
 * Returns `last` itself when its kind already is the net one, so the common case allocates nothing.
 *
 * @example
 * ```ts
 * netEffect(false, { kind: 'changed', row }); // { kind: 'added', row }
 * ```
 * @internal
 */
export function netEffect<C extends { readonly kind: IpInterfaceRowChange['kind']; readonly row: unknown } = IpInterfaceRowChange>(
  before: boolean,
  last: C,
): C | undefined {
  const after = last.kind !== 'removed';
  if (!before && !after) return undefined;
  const kind = before ? (after ? 'changed' : 'removed') : 'added';
  // A constructed change has the same shape (kind + row) as `last`, which is what C is.
  return kind === last.kind ? last : ({ kind, row: last.row } as unknown as C);
}
