/**
 * The RTM_GETADDR dumps of the address table: every address, one family, or one device's (filtered
 * by the kernel with NETLINK_GET_STRICT_CHK, set only for that request), and a table read on a
 * socket of its own (addresses, then the links that name their devices).
 *
 * @module
 */
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { filetimeOfBoot, mapAddressRow } from './address-row-mapping.js';
import { LINUX_AF_UNSPEC, NETLINK_GET_STRICT_CHK, RTM_GETADDR, RTM_GETLINK } from './netlink-constants.js';
import type { AddressMessage, LinkMessage } from './netlink-parser.js';
import { HOST_LITTLE_ENDIAN, ifinfomsgWithExtMask } from './netlink-requests.js';
import type { NetlinkRequester } from './netlink-requester.js';
import { synthesizeLuid } from './row-mapping.js';

/**
 * The boot time as FILETIME ticks, for `creationTimeStamp` (cstamp counts from boot): read now from
 * the wall clock and CLOCK_MONOTONIC (process.hrtime), which both count from the same boot.
 *
 * @example
 * ```ts
 * const row = mapAddressRow(message, device, bootFiletime());
 * ```
 */
export function bootFiletime(): bigint {
  return filetimeOfBoot(Date.now(), Number(process.hrtime.bigint() / 1_000_000n));
}

/**
 * RTM_GETADDR of `family` (0: both) and `ifindex` (0: every device), dumped again while the kernel
 * flags it interrupted (NLM_F_DUMP_INTR), up to `attempts` times. A device's dump asks the kernel to
 * filter (NETLINK_GET_STRICT_CHK on the dump socket for this request only: the interface dumps on
 * the same socket are built for the lenient checks); where the kernel cannot (before 4.20), it
 * dumps everything and the rows are filtered here.
 *
 * @example
 * ```ts
 * const mine = dumpAddressMessages(requester, LINUX_AF_INET6, ifindex);
 * ```
 */
export function dumpAddressMessages(requester: NetlinkRequester, family = LINUX_AF_UNSPEC, ifindex = 0, attempts = 5): AddressMessage[] {
  const body = new Uint8Array(8);
  body[0] = family;
  new DataView(body.buffer).setUint32(4, ifindex >>> 0, HOST_LITTLE_ENDIAN);
  const strict = ifindex !== 0 && requester.socket.setNetlinkOption(NETLINK_GET_STRICT_CHK, 1);
  try {
    for (let attempt = 1; ; attempt++) {
      const reply = requester.dump(RTM_GETADDR, body);
      if (reply.intr && attempt < attempts) continue;
      return reply.messages.filter(
        (m): m is AddressMessage => m.kind === 'address' && (family === LINUX_AF_UNSPEC || m.family === family) && (ifindex === 0 || m.ifindex === ifindex),
      );
    }
  } finally {
    if (strict) requester.socket.setNetlinkOption(NETLINK_GET_STRICT_CHK, 0);
  }
}

/**
 * The addresses of a fresh dump, as rows: addresses first, then links to name their devices; an
 * address whose device went between the two dumps is left out (it went with its device).
 *
 * @example
 * ```ts
 * const rows = await withDumpSocket(netnsPath, readAddressRows);
 * ```
 */
export function readAddressRows(requester: NetlinkRequester): UnicastIpAddressRow[] {
  const addresses = dumpAddressMessages(requester);
  const links = new Map<number, LinkMessage>();
  for (const m of requester.dump(RTM_GETLINK, ifinfomsgWithExtMask(0)).messages) if (m.kind === 'link' && !m.deleted) links.set(m.ifindex, m);
  const boot = bootFiletime();
  const rows: UnicastIpAddressRow[] = [];
  for (const m of addresses) {
    const link = links.get(m.ifindex);
    if (!link) continue;
    const row = mapAddressRow(m, { interfaceLuid: synthesizeLuid(link.ifiType, m.ifindex), interfaceName: link.name }, boot);
    if (row) rows.push(row);
  }
  return rows;
}
