/**
 * The dumps that fill an {@link InterfaceTable}: links, neighbour-table parameters, IPv6 addresses
 * (for link-local identifiers), taken as one consistent set.
 *
 * @module
 */
import { LINUX_AF_INET6, LINUX_AF_UNSPEC, RTM_GETADDR, RTM_GETLINK, RTM_GETNEIGHTBL } from './netlink-constants.js';
import type { AddressMessage, LinkMessage, NeighTableMessage, NetconfMessage } from './netlink-parser.js';
import { familyHeader, ifinfomsgWithExtMask } from './netlink-requests.js';
import type { NetlinkRequester } from './netlink-requester.js';

/** A consistent set of dumps (see {@link dumpInterfaceSnapshot}). */
export interface TableSnapshot {
  readonly links: readonly LinkMessage[];
  /**
   * Netconf dumps, when taken (tests, and any caller that has them): an interface then exists when
   * both its netconf entry and its link block say so. {@link dumpInterfaceSnapshot} takes none: the
   * link dump's IFLA_AF_SPEC blocks say which IP parts exist and carry the same forwarding values
   * (two dumps of 5000 entries each fewer at 5000 devices).
   */
  readonly netconf?: readonly NetconfMessage[] | undefined;
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
    // A device that appears or changes between the dumps is announced by events anyway.
    const links = requester.dump(RTM_GETLINK, ifinfomsgWithExtMask(0));
    const neigh = requester.dump(RTM_GETNEIGHTBL, familyHeader(LINUX_AF_UNSPEC, 4));
    const addresses = requester.dump(RTM_GETADDR, familyHeader(LINUX_AF_INET6, 8));
    const intr = links.intr || neigh.intr || addresses.intr;
    if (intr && attempt < attempts) continue;
    return {
      links: links.messages.filter((m) => m.kind === 'link'),
      neigh: neigh.messages.filter((m) => m.kind === 'neightbl'),
      addresses: addresses.messages.filter((m) => m.kind === 'address'),
    };
  }
}
