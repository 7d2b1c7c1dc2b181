import type { MibNotificationType } from '../../../src/adapter';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';
import type { Call } from '../../helpers/recorder';
import type { TestNetns } from '../../helpers/netns';

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

interface IpAddrInfo { family: 'inet' | 'inet6'; local: string; prefixlen: number }
interface IpAddrLink { ifindex: number; ifname: string; addr_info?: IpAddrInfo[] }

/** What `ip -n NS -j addr` says, as sorted `family ifindex name address/prefix` lines. */
export function kernelAddresses(ns: TestNetns): string[] {
  const links = JSON.parse(ns.ip('-j', 'addr')) as IpAddrLink[];
  return links.flatMap((l) => (l.addr_info ?? []).map((a) => `${a.family} ${l.ifindex} ${l.ifname} ${a.local}/${a.prefixlen}`)).sort();
}
