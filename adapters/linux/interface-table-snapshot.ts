/**
 * The dumps that fill an {@link InterfaceTable}: netconf of both families, links, neighbour-table
 * parameters, IPv6 addresses (for link-local identifiers), taken as one consistent set.
 *
 * @module
 */
import { LINUX_AF_INET, LINUX_AF_INET6, LINUX_AF_UNSPEC, RTM_GETADDR, RTM_GETLINK, RTM_GETNEIGHTBL, RTM_GETNETCONF } from './netlink-constants.js';
import type { AddressMessage, LinkMessage, NeighTableMessage, NetconfMessage } from './netlink-parser.js';
import { familyHeader, ifinfomsgWithExtMask } from './netlink-requests.js';
import type { NetlinkRequester } from './netlink-requester.js';

/** A consistent set of dumps (see {@link dumpInterfaceSnapshot}). */
export interface TableSnapshot {
  readonly links: readonly LinkMessage[];
  readonly netconf: readonly NetconfMessage[];
  readonly neigh: readonly NeighTableMessage[];
  readonly addresses: readonly AddressMessage[];
}

/**
 * Everything the interface table needs, dumped again while the kernel says a dump was interrupted
 * (NLM_F_DUMP_INTR), up to `attempts` times.
 *
 * @example
 * ```ts
 * table.loadSnapshot(dumpInterfaceSnapshot(requester), false);
 * ```
 */
export function dumpInterfaceSnapshot(requester: NetlinkRequester, attempts = 5): TableSnapshot {
  for (let attempt = 1; ; attempt++) {
    // Netconf first: a device that appears between the two dumps is announced by events anyway.
    const v4 = requester.dump(RTM_GETNETCONF, familyHeader(LINUX_AF_INET, 4));
    const v6 = requester.dump(RTM_GETNETCONF, familyHeader(LINUX_AF_INET6, 4));
    const links = requester.dump(RTM_GETLINK, ifinfomsgWithExtMask(0));
    const neigh = requester.dump(RTM_GETNEIGHTBL, familyHeader(LINUX_AF_UNSPEC, 4));
    const addresses = requester.dump(RTM_GETADDR, familyHeader(LINUX_AF_INET6, 8));
    const intr = v4.intr || v6.intr || links.intr || neigh.intr || addresses.intr;
    if (intr && attempt < attempts) continue;
    return {
      netconf: [...v4.messages, ...v6.messages].filter((m) => m.kind === 'netconf'),
      links: links.messages.filter((m) => m.kind === 'link'),
      neigh: neigh.messages.filter((m) => m.kind === 'neightbl'),
      addresses: addresses.messages.filter((m) => m.kind === 'address'),
    };
  }
}
