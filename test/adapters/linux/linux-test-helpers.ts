import type { MibNotificationType } from '../../../src/adapter';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';
import type { Call } from '../../helpers/recorder';

export { recorder, type Call } from '../../helpers/recorder';

/** Calls since index `from` about device `ifindex` (optionally of one type and family). */
export function callsFor(calls: readonly Call[], ifindex: number, filter: { type?: MibNotificationType; family?: string; from?: number } = {}): Call[] {
  return calls.slice(filter.from ?? 0).filter(
    (c) => c.row !== null && c.row.interfaceIndex === ifindex && (filter.type === undefined || c.type === filter.type) &&
      (filter.family === undefined || c.row.family === filter.family),
  );
}

/** Applies notifications to a table keyed like `interfaceKey`, as a subscriber would. */
export function applyCalls(table: Map<string, IpInterfaceRow>, calls: readonly Call[]): Map<string, IpInterfaceRow> {
  for (const c of calls) {
    if (!c.row) continue;
    if (c.type === 'delete') table.delete(interfaceKey(c.row));
    else table.set(interfaceKey(c.row), c.row);
  }
  return table;
}

/** A row without the fields the kernel re-randomizes silently (reachableTime), for table comparisons. */
export function stable(row: IpInterfaceRow): Omit<IpInterfaceRow, 'reachableTime'> {
  const { reachableTime: _ignored, ...rest } = row;
  return rest;
}
