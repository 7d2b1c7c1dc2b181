/**
 * NETLINK_ROUTE sockets over libc: opening (here or inside another network namespace), request
 * building, and synchronous dumps.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { koffiEntryPath } from '../shared/koffi.js';
import { osError, type Libc } from './libc.js';
import {
  AF_NETLINK, CLONE_NEWNET, EINTR, ENODEV, IFLA_EXT_MASK, LINUX_AF_INET, LINUX_AF_INET6, LINUX_AF_UNSPEC, NETLINK_ADD_MEMBERSHIP,
  NETLINK_ROUTE, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, RTEXT_FILTER_SKIP_STATS, RTM_GETADDR, RTM_GETLINK, RTM_GETNEIGHTBL,
  RTM_GETNETCONF, SO_RCVBUF, SO_RCVBUFFORCE, SO_RCVTIMEO, SOCK_CLOEXEC, SOCK_RAW, SOL_NETLINK, SOL_SOCKET,
} from './netlink-constants.js';
import { parseNetlinkMessages, type LinkMessage, type NeighTableMessage, type NetlinkMessage } from './netlink-parser.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { TableSnapshot } from './interface-table.js';

/** Counters a dump contributes to the reader's statistics. */
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

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, LE);
  return b;
}

/** sockaddr_nl: family, pad, pid, groups. */
export function sockaddrNl(pid = 0, groups = 0): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_NETLINK, LE);
  v.setUint32(4, pid >>> 0, LE);
  v.setUint32(8, groups >>> 0, LE);
  return b;
}

let dumpBuffer: Buffer | undefined;
/**
 * One reply buffer per process: every exchange runs synchronously on the JS thread and parses into
 * fresh objects before returning, so requesters never use it at the same time.
 */
function sharedDumpBuffer(): Buffer {
  return (dumpBuffer ??= Buffer.alloc(256 * 1024));
}

/** Builds one request: nlmsghdr + family header (+ attributes), lengths aligned. */
function request(type: number, flags: number, seq: number, body: Uint8Array): Uint8Array {
  const len = 16 + body.length;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint32(0, len, LE);
  v.setUint16(4, type, LE);
  v.setUint16(6, flags, LE);
  v.setUint32(8, seq >>> 0, LE);
  v.setUint32(12, 0, LE);
  b.set(body, 16);
  return b;
}

function ifinfomsgWithExtMask(ifindex: number): Uint8Array {
  const b = new Uint8Array(16 + 8);
  const v = new DataView(b.buffer);
  v.setUint8(0, LINUX_AF_UNSPEC);
  v.setInt32(4, ifindex, LE);
  v.setUint16(16, 8, LE);
  v.setUint16(18, IFLA_EXT_MASK, LE);
  v.setUint32(20, RTEXT_FILTER_SKIP_STATS, LE);
  return b;
}

const familyHeader = (family: number, size: number): Uint8Array => {
  const b = new Uint8Array(size);
  b[0] = family;
  return b;
};

/**
 * Opens `count` NETLINK_ROUTE sockets. A netlink socket belongs to the network namespace it was
 * created in, so for `netnsPath` they are created on the process's one namespace worker thread
 * (see {@link openInNamespace}); the fds are then used from this thread. This thread never changes
 * namespace.
 */
export async function openRouteSockets(libc: Libc, count: number, netnsPath: string | undefined): Promise<number[]> {
  if (netnsPath === undefined) {
    const fds: number[] = [];
    for (let i = 0; i < count; i++) {
      const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
      if (fd < 0) {
        const errno = libc.errno();
        for (const f of fds) libc.close(f);
        throw osError(libc, 'socket(AF_NETLINK, NETLINK_ROUTE)', errno);
      }
      fds.push(fd);
    }
    return fds;
  }
  return openInNamespace(libc, count, netnsPath);
}

/*
 * The namespace worker: one thread per process that serves every request in turn. For each it
 * enters the requested namespace, creates the sockets, and returns to the namespace it started in
 * (so it pins no namespace between requests). If it cannot return it replies and ends, and the next
 * request starts a fresh worker.
 */
const WORKER_CODE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const O_CLOEXEC = 0x80000;
let home = -1;
try { home = fs.openSync('/proc/thread-self/ns/net', fs.constants.O_RDONLY | O_CLOEXEC); } catch {}
let native;
function load() {
  if (native) return native;
  const koffi = require(workerData.koffi);
  const lib = koffi.load('libc.so.6');
  native = {
    errno: () => koffi.errno(),
    setns: lib.func('int setns(int fd, int nstype)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    close: lib.func('int close(int fd)'),
  };
  return native;
}
function serve(req) {
  let nsfd = -1;
  try {
    nsfd = fs.openSync(req.netns, fs.constants.O_RDONLY | O_CLOEXEC);
  } catch (e) {
    return { id: req.id, what: 'open(' + req.netns + ')', errno: Math.abs(e.errno || 2), message: String(e.message) };
  }
  try {
    const n = load();
    if (n.setns(nsfd, ${CLONE_NEWNET}) !== 0) return { id: req.id, what: 'setns(' + req.netns + ', CLONE_NEWNET)', errno: n.errno() };
    const fds = [];
    let reply;
    for (let i = 0; i < req.count; i++) {
      const fd = n.socket(${AF_NETLINK}, ${SOCK_RAW | SOCK_CLOEXEC}, ${NETLINK_ROUTE});
      if (fd < 0) {
        const errno = n.errno();
        for (const f of fds) n.close(f);
        reply = { id: req.id, what: 'socket(AF_NETLINK) in ' + req.netns, errno };
        break;
      }
      fds.push(fd);
    }
    if (home < 0 || n.setns(home, ${CLONE_NEWNET}) !== 0) {
      parentPort.postMessage(reply || { id: req.id, fds });
      process.exit(0);
    }
    return reply || { id: req.id, fds };
  } catch (e) {
    return { id: req.id, what: 'koffi in the namespace worker', errno: 0, message: String(e && e.message || e) };
  } finally {
    fs.closeSync(nsfd);
  }
}
parentPort.on('message', (req) => parentPort.postMessage(serve(req)));
`;

interface WorkerReply {
  id: number;
  fds?: number[];
  what?: string;
  errno?: number;
  message?: string;
}

interface NamespaceWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { settle: (reply: WorkerReply) => void; fail: (error: IpInterfaceError) => void }>;
  nextId: number;
}

let namespaceWorker: NamespaceWorker | undefined;

/**
 * The process's namespace worker, started on first need. A Worker lifetime costs about 45 ms and
 * leaks about 45 KB of RSS, so one thread serves every request. It is unref'd while idle, so it
 * never keeps the process alive, and ref'd only while a request waits for its reply.
 */
function startedNamespaceWorker(): NamespaceWorker {
  if (namespaceWorker) return namespaceWorker;
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { koffi: koffiEntryPath() } });
  worker.unref();
  const state: NamespaceWorker = { worker, pending: new Map(), nextId: 1 };
  const failAll = (error: IpInterfaceError): void => {
    if (namespaceWorker === state) namespaceWorker = undefined;
    const waiting = [...state.pending.values()];
    state.pending.clear();
    for (const p of waiting) p.fail(error);
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = state.pending.get(reply.id);
    if (!p) return;
    state.pending.delete(reply.id);
    if (state.pending.size === 0) worker.unref();
    p.settle(reply);
  });
  worker.on('error', (error) => {
    failAll(new IpInterfaceError('OS_ERROR', `namespace worker failed: ${String(error)}`, { adapter: 'linux', cause: error }));
  });
  worker.on('exit', (code) => {
    failAll(new IpInterfaceError('OS_ERROR', `namespace worker exited with code ${code} before replying`, { adapter: 'linux' }));
  });
  namespaceWorker = state;
  return state;
}

/** Asks the namespace worker for `count` sockets created inside `netnsPath`. */
function openInNamespace(libc: Libc, count: number, netnsPath: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const state = startedNamespaceWorker();
    const id = state.nextId++;
    state.pending.set(id, {
      settle: (reply) => {
        if (reply.fds) resolve(reply.fds);
        else if (reply.errno) reject(osError(libc, reply.what ?? 'namespace socket', reply.errno));
        else reject(new IpInterfaceError('NATIVE_LOAD_FAILED', `${reply.what ?? 'namespace worker'}: ${reply.message ?? 'failed'}`, { adapter: 'linux' }));
      },
      fail: reject,
    });
    // Keeps the process alive until the reply, as any pending I/O would.
    if (state.pending.size === 1) state.worker.ref();
    state.worker.postMessage({ id, netns: netnsPath, count });
  });
}

/**
 * Sets the receive buffer: SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores net.core.rmem_max), else
 * SO_RCVBUF (capped by rmem_max). Returns the option that worked.
 */
export function setReceiveBuffer(libc: Libc, fd: number, bytes: number): 'SO_RCVBUFFORCE' | 'SO_RCVBUF' {
  const value = u32(Math.max(0, Math.min(bytes, 0x7fffffff)));
  if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) === 0) return 'SO_RCVBUFFORCE';
  if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4) === 0) return 'SO_RCVBUF';
  throw osError(libc, 'setsockopt(SO_RCVBUF)', libc.errno());
}

/** Binds to a kernel-assigned port with the legacy `groups` mask, joins `extraGroups`; returns the port id. */
export function bindRouteSocket(libc: Libc, fd: number, groups: number, extraGroups: readonly number[]): number {
  if (libc.bind(fd, sockaddrNl(0, groups), 12) !== 0) throw osError(libc, 'bind(AF_NETLINK)', libc.errno());
  for (const group of extraGroups) {
    if (libc.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, u32(group), 4) !== 0) {
      throw osError(libc, `setsockopt(NETLINK_ADD_MEMBERSHIP, ${group})`, libc.errno());
    }
  }
  const addr = new Uint8Array(12);
  const len = u32(12);
  if (libc.getsockname(fd, addr, len) !== 0) throw osError(libc, 'getsockname(AF_NETLINK)', libc.errno());
  return new DataView(addr.buffer).getUint32(4, LE);
}

/** A receive timeout, so a dump can never block the JS thread forever. */
export function setReceiveTimeout(libc: Libc, fd: number, ms: number): void {
  const tv = new Uint8Array(16);
  const v = new DataView(tv.buffer);
  v.setBigInt64(0, BigInt(Math.floor(ms / 1000)), LE);
  v.setBigInt64(8, BigInt((ms % 1000) * 1000), LE);
  if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) !== 0) throw osError(libc, 'setsockopt(SO_RCVTIMEO)', libc.errno());
}

/**
 * Request/reply on a bound, blocking socket: one dump or one get at a time. Only replies from the
 * kernel (sender port 0) with our sequence number count.
 */
export class NetlinkRequester {
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private readonly buf = sharedDumpBuffer();
  private readonly from = new Uint8Array(12);
  private readonly fromLen = new Uint8Array(4);
  private readonly kernel = sockaddrNl();

  constructor(
    private readonly libc: Libc,
    readonly fd: number,
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
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const req = request(type, flags | NLM_F_REQUEST, seq, body);
    for (;;) {
      if (this.libc.sendto(this.fd, req, req.length, 0, this.kernel, 12) >= 0) break;
      const errno = this.libc.errno();
      if (errno !== EINTR) throw osError(this.libc, 'sendto(netlink request)', errno);
    }
    this.counters.dumps++;
    const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    const messages: NetlinkMessage[] = [];
    let intr = false;
    const fromLenView = new DataView(this.fromLen.buffer);
    for (;;) {
      fromLenView.setUint32(0, 12, LE);
      const n = this.libc.recvfrom(this.fd, this.buf, this.buf.length, 0, this.from, this.fromLen);
      if (n < 0) {
        const errno = this.libc.errno();
        if (errno === EINTR) continue;
        throw osError(this.libc, 'recvfrom(netlink reply)', errno);
      }
      if (n > this.buf.length) throw new IpInterfaceError('OS_ERROR', `netlink reply of ${n} bytes truncated`, { adapter: 'linux' });
      if (new DataView(this.from.buffer).getUint32(4, LE) !== 0) {
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
    if (r.errno) throw osError(this.libc, `netlink dump (type ${type})`, r.errno);
    return r;
  }

  /** RTM_GETLINK for one index; undefined when there is no such device. */
  getLink(ifindex: number): LinkMessage | undefined {
    this.counters.linkGets++;
    const r = this.exchange(RTM_GETLINK, 0, ifinfomsgWithExtMask(ifindex));
    if (r.errno === ENODEV) return undefined;
    if (r.errno) throw osError(this.libc, `RTM_GETLINK ${ifindex}`, r.errno);
    return r.messages.find((m): m is LinkMessage => m.kind === 'link' && m.ifindex === ifindex);
  }

  /** RTM_GETNEIGHTBL dump of one family. */
  neighTables(family: number): NeighTableMessage[] {
    this.counters.neighDumps++;
    return this.dump(RTM_GETNEIGHTBL, familyHeader(family, 4)).messages.filter((m): m is NeighTableMessage => m.kind === 'neightbl');
  }

  /**
   * Everything the table needs, dumped again while the kernel says a dump was interrupted
   * (NLM_F_DUMP_INTR), up to `attempts` times.
   */
  snapshot(attempts = 5): TableSnapshot {
    for (let attempt = 1; ; attempt++) {
      // Netconf first: a device that appears between the two dumps is announced by events anyway.
      const v4 = this.dump(RTM_GETNETCONF, familyHeader(LINUX_AF_INET, 4));
      const v6 = this.dump(RTM_GETNETCONF, familyHeader(LINUX_AF_INET6, 4));
      const links = this.dump(RTM_GETLINK, ifinfomsgWithExtMask(0));
      const neigh = this.dump(RTM_GETNEIGHTBL, familyHeader(LINUX_AF_UNSPEC, 4));
      const addresses = this.dump(RTM_GETADDR, familyHeader(LINUX_AF_INET6, 8));
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
}
