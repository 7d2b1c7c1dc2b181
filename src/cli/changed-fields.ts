/** One field that differs between two rows of the same interface (or address). */
export interface FieldChange {
  /** Field name; a flag inside an object field is `field.flag` (`transmitOffload.nlChecksumSupported`). */
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return Object.is(a, b);
}

/**
 * The fields of `after` that differ from `before` (two rows of one interface or one address), in the order of the
 * row's fields. Arrays are compared element-wise; object fields (the offload flags) are compared flag
 * by flag, each changed flag reported on its own.
 *
 * @example
 * ```ts
 * changedFields({ ...row, nlMtu: 1500 }, { ...row, nlMtu: 1400 });
 * // [{ field: 'nlMtu', before: 1500, after: 1400 }]
 * ```
 */
export function changedFields<R extends object>(before: R, after: R): FieldChange[] {
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = b[field];
    const y = a[field];
    if (isPlainObject(x) && isPlainObject(y)) {
      for (const flag of new Set([...Object.keys(y), ...Object.keys(x)])) {
        if (!sameValue(x[flag], y[flag])) changes.push({ field: `${field}.${flag}`, before: x[flag], after: y[flag] });
      }
    } else if (!sameValue(x, y)) {
      changes.push({ field, before: x, after: y });
    }
  }
  return changes;
}
