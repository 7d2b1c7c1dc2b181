import type { MibNotificationType } from '../../src/adapter.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import type { InterfaceSnapshot } from './interface-snapshot.js';

/** One difference between two snapshots, as the adapter callback receives it. */
export interface SnapshotChange {
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly row: IpInterfaceRow;
}

function sameRow(a: IpInterfaceRow, b: IpInterfaceRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (a[key as keyof IpInterfaceRow] !== b[key as keyof IpInterfaceRow]) return false;
  }
  return true;
}

/**
 * What happened between two snapshots: `delete` for keys gone (with the last row seen), then `add`
 * for new keys and `parameter` for rows whose fields differ (a rename that kept the LUID), in the
 * order of `next`. Polled rows hold only scalar fields, so a shallow comparison is exact.
 *
 * @example
 * ```ts
 * diffSnapshots(before, after); // [{ type: 'add', row: { family: 'inet', interfaceName: 'veth0', ... } }]
 * ```
 */
export function diffSnapshots(previous: InterfaceSnapshot, next: InterfaceSnapshot): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  for (const [key, row] of previous) if (!next.has(key)) changes.push({ type: 'delete', row });
  for (const [key, row] of next) {
    const before = previous.get(key);
    if (before === undefined) changes.push({ type: 'add', row });
    else if (!sameRow(before, row)) changes.push({ type: 'parameter', row });
  }
  return changes;
}
