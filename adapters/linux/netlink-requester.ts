/**
 * Request/reply on a bound, blocking route socket (the dump socket): one dump or one get at a time,
 * synchronously on the JS thread (a receive timeout bounds each wait).
 *
 * @module
 */
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { osError } from './libc.js';
import { ENODEV, EINTR, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, RTM_GETLINK, RTM_GETNEIGHTBL } from './netlink-constants.js';
import { parseNetlinkMessages, type LinkMessage, type NeighTableMessage, type NetlinkMessage } from './netlink-parser.js';
import { familyHeader, HOST_LITTLE_ENDIAN, ifinfomsgWithExtMask, netlinkRequest, sockaddrNl } from './netlink-requests.js';
import type { RouteSocket } from './route-socket.js';

/** Counters a requester contributes to the reader's statistics. */
export interface DumpCounters {
  droppedForeign: number;
  dumps: number;
  /** RTM_GETNEIGHTBL dumps (each walks every device's parameters: O(devices)). */
  neighDumps: number;
  /** Single-index RTM_GETLINK requests. */
  linkGets: number;
  /** Wall time spent in requests on the dump socket (send, wait, receive, parse), in ms. */
  requestMs: number;
}

/**
 * Fresh zeroed counters (for a requester whose counts nobody reads).
 *
 * @example
 * ```ts
 * new NetlinkRequester(socket, zeroDumpCounters());
 * ```
 */
export function zeroDumpCounters(): DumpCounters {
  return { droppedForeign: 0, dumps: 0, neighDumps: 0, linkGets: 0, requestMs: 0 };
}

let dumpBuffer: Buffer | undefined;
/**
 * One reply buffer per module copy (see adapters/shared/process-state.ts): every exchange runs synchronously on the
 * JS thread and parses into fresh objects before returning, so requesters never share it in time.
 */
function sharedDumpBuffer(): Buffer {
  return (dumpBuffer ??= Buffer.alloc(256 * 1024));
}

/**
 * Requests on one socket. Only replies from the kernel (sender port 0) with our sequence number count.
 *
 * @example
 * ```ts
 * const requester = new NetlinkRequester(dumpSocket, zeroDumpCounters());
 * const lo = requester.getLink(1);
 * ```
 */
export class NetlinkRequester {
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private readonly buf = sharedDumpBuffer();
  private readonly from = new Uint8Array(12);
  private readonly fromLen = new Uint8Array(4);
  private readonly kernel = sockaddrNl();

  constructor(
    readonly socket: RouteSocket,
    private readonly counters: DumpCounters,
  ) {}

  /** Sends one request and collects the replies; `intr` is true when the kernel flagged the dump inconsistent. */
  exchange(type: number, flags: number, body: Uint8Array): { messages: NetlinkMessage[]; intr: boolean; errno: number } {
    const started = performance.now();
    try {
      return this.exchangeTimed(type, flags, body);
    } finally {
      this.counters.requestMs += performance.now() - started;
    }
  }

  private exchangeTimed(type: number, flags: number, body: Uint8Array): { messages: NetlinkMessage[]; intr: boolean; errno: number } {
    const { libc, fd } = this.socket;
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const req = netlinkRequest(type, flags | NLM_F_REQUEST, seq, body);
    for (;;) {
      if (libc.sendto(fd, req, req.length, 0, this.kernel, 12) >= 0) break;
      const errno = libc.errno();
      if (errno !== EINTR) throw osError(libc, 'sendto(netlink request)', errno);
    }
    this.counters.dumps++;
    const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    const messages: NetlinkMessage[] = [];
    let intr = false;
    const fromLenView = new DataView(this.fromLen.buffer);
    for (;;) {
      fromLenView.setUint32(0, 12, HOST_LITTLE_ENDIAN);
      const n = libc.recvfrom(fd, this.buf, this.buf.length, 0, this.from, this.fromLen);
      if (n < 0) {
        const errno = libc.errno();
        if (errno === EINTR) continue;
        throw osError(libc, 'recvfrom(netlink reply)', errno);
      }
      if (n > this.buf.length) throw new IpInterfaceError('OS_ERROR', `netlink reply of ${n} bytes truncated`, { adapter: 'linux' });
      if (new DataView(this.from.buffer).getUint32(4, HOST_LITTLE_ENDIAN) !== 0) {
        this.counters.droppedForeign++;
        continue;
      }
      let replies: NetlinkMessage[];
      try {
        replies = parseNetlinkMessages(this.buf, n);
      } catch (error) {
        throw new IpInterfaceError('OS_ERROR', `malformed netlink reply: ${String(error)}`, { adapter: 'linux', cause: error });
      }
      for (const m of replies) {
        if (m.seq !== seq) continue;
        if (m.flags & NLM_F_DUMP_INTR) intr = true;
        if (m.kind === 'done') return { messages, intr, errno: 0 };
        if (m.kind === 'error') {
          if (m.errno === 0 && !isDump) return { messages, intr, errno: 0 };
          return { messages, intr, errno: m.errno };
        }
        messages.push(m);
        if (!isDump) return { messages, intr, errno: 0 };
      }
    }
  }

  /** A dump; throws OS_ERROR on a kernel error. */
  dump(type: number, body: Uint8Array): { messages: NetlinkMessage[]; intr: boolean } {
    const r = this.exchange(type, NLM_F_DUMP, body);
    if (r.errno) throw osError(this.socket.libc, `netlink dump (type ${type})`, r.errno);
    return r;
  }

  /** RTM_GETLINK for one index; undefined when there is no such device. */
  getLink(ifindex: number): LinkMessage | undefined {
    this.counters.linkGets++;
    const r = this.exchange(RTM_GETLINK, 0, ifinfomsgWithExtMask(ifindex));
    if (r.errno === ENODEV) return undefined;
    if (r.errno) throw osError(this.socket.libc, `RTM_GETLINK ${ifindex}`, r.errno);
    return r.messages.find((m): m is LinkMessage => m.kind === 'link' && m.ifindex === ifindex);
  }

  /** RTM_GETNEIGHTBL dump of one family. */
  neighTables(family: number): NeighTableMessage[] {
    this.counters.neighDumps++;
    return this.dump(RTM_GETNEIGHTBL, familyHeader(family, 4)).messages.filter((m): m is NeighTableMessage => m.kind === 'neightbl');
  }
}
