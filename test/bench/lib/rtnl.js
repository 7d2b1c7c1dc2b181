'use strict';
/**
 * The benchmark's own rtnetlink writer (koffi -> libc): makes the changes whose time must be known
 * exactly. Each request is stamped (CLOCK_REALTIME, CLOCK_MONOTONIC) right before the sendto()
 * syscall; the kernel applies an RTM_NEWLINK and multicasts the notification inside that syscall,
 * so the stamp is the change time to within the stamping overhead (about 1 us).
 *
 * Sockets are created inside a namespace by switching the calling thread there with setns() and
 * back: the socket stays bound to the namespace it was created in. Only the main thread switches,
 * for the duration of one socket() call.
 */
const fs = require('node:fs');

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const NETLINK_ROUTE = 0;
const CLONE_NEWNET = 0x40000000;
const O_RDONLY = 0;
const O_CLOEXEC = 0x80000;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const NLM_F_REQUEST = 1;
const NLM_F_ACK = 4;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLMSG_ERROR = 2;
const IFF_UP = 1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_LINKINFO = 18;
const IFLA_GROUP = 27;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const NLA_F_NESTED = 0x8000;

let lib;
function libc() {
  if (lib) return lib;
  const koffi = require('koffi');
  const c = koffi.load('libc.so.6');
  const timespec = koffi.struct('bench_timespec', { tv_sec: 'int64', tv_nsec: 'int64' });
  lib = {
    koffi,
    socket: c.func('int socket(int, int, int)'),
    bind: c.func('int bind(int, void *, uint32)'),
    sendto: c.func('intptr sendto(int, void *, uintptr, int, void *, uint32)'),
    recv: c.func('intptr recv(int, void *, uintptr, int)'),
    close: c.func('int close(int)'),
    open: c.func('int open(const char *, int)'),
    setns: c.func('int setns(int, int)'),
    clockGettime: c.func('clock_gettime', 'int', ['int', koffi.out(koffi.pointer(timespec))]),
  };
  return lib;
}

/** CLOCK_REALTIME and CLOCK_MONOTONIC in nanoseconds (bigint), read back to back. */
function clockPair() {
  const { clockGettime } = libc();
  const r = {};
  const m = {};
  clockGettime(CLOCK_REALTIME, r);
  clockGettime(CLOCK_MONOTONIC, m);
  return { realNs: BigInt(r.tv_sec) * 1000000000n + BigInt(r.tv_nsec), monoNs: BigInt(m.tv_sec) * 1000000000n + BigInt(m.tv_nsec) };
}

/** Runs `fn` with the calling (main) thread inside the namespace file `nsPath`, then switches back. */
function inNamespace(nsPath, fn) {
  const c = libc();
  const home = c.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC);
  if (home < 0) throw new Error(`open own netns failed (errno ${c.koffi.errno()})`);
  const target = c.open(nsPath, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    c.close(home);
    throw new Error(`open ${nsPath} failed (errno ${c.koffi.errno()})`);
  }
  try {
    if (c.setns(target, CLONE_NEWNET) !== 0) throw new Error(`setns(${nsPath}) failed (errno ${c.koffi.errno()})`);
    try {
      return fn();
    } finally {
      if (c.setns(home, CLONE_NEWNET) !== 0) {
        // Staying in the wrong namespace would make every later step wrong: stop here.
        process.stderr.write('FATAL: could not return to the original network namespace\n');
        process.exit(70);
      }
    }
  } finally {
    c.close(target);
    c.close(home);
  }
}

function attr(type, payload) {
  const len = 4 + payload.length;
  const buf = Buffer.alloc((len + 3) & ~3);
  buf.writeUInt16LE(len, 0);
  buf.writeUInt16LE(type, 2);
  payload.copy(buf, 4);
  return buf;
}
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v, 0);
  return b;
};
const cstr = (s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.alloc(1)]);
function ifinfomsg(index, flags, change) {
  const b = Buffer.alloc(16);
  b.writeInt32LE(index, 4);
  b.writeUInt32LE(flags >>> 0, 8);
  b.writeUInt32LE(change >>> 0, 12);
  return b;
}

/** A NETLINK_ROUTE request socket inside one namespace. */
class RtnlWriter {
  constructor(nsPath) {
    const c = libc();
    this.fd = inNamespace(nsPath, () => c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (this.fd < 0) throw new Error(`netlink socket failed (errno ${c.koffi.errno()})`);
    const sa = Buffer.alloc(12);
    sa.writeUInt16LE(AF_NETLINK, 0);
    if (c.bind(this.fd, sa, 12) !== 0) throw new Error(`netlink bind failed (errno ${c.koffi.errno()})`);
    this.kernel = Buffer.alloc(12);
    this.kernel.writeUInt16LE(AF_NETLINK, 0);
    this.seq = 1;
    this.rx = Buffer.alloc(65536);
  }

  /**
   * Sends one request, stamps right before the syscall, waits for the kernel's ACK (blocking: the
   * kernel has already processed it when sendto returns). Returns the stamps.
   */
  request(type, flags, body) {
    const c = libc();
    const seq = this.seq++;
    const hdr = Buffer.alloc(16);
    const msg = Buffer.concat([hdr, body]);
    msg.writeUInt32LE(msg.length, 0);
    msg.writeUInt16LE(type, 4);
    msg.writeUInt16LE(flags | NLM_F_REQUEST | NLM_F_ACK, 6);
    msg.writeUInt32LE(seq, 8);
    const stamp = clockPair();
    const sent = c.sendto(this.fd, msg, msg.length, 0, this.kernel, 12);
    if (Number(sent) !== msg.length) throw new Error(`netlink sendto failed (errno ${c.koffi.errno()})`);
    for (;;) {
      const n = Number(c.recv(this.fd, this.rx, this.rx.length, 0));
      if (n < 0) throw new Error(`netlink recv failed (errno ${c.koffi.errno()})`);
      for (let off = 0; off + 16 <= n; ) {
        const len = this.rx.readUInt32LE(off);
        const t = this.rx.readUInt16LE(off + 4);
        const s = this.rx.readUInt32LE(off + 8);
        if (t === NLMSG_ERROR && s === seq) {
          const err = this.rx.readInt32LE(off + 16);
          if (err !== 0) throw new Error(`netlink request ${type} failed: errno ${-err}`);
          return stamp;
        }
        off += (len + 3) & ~3;
        if (len < 16) break;
      }
    }
  }

  /** Sets the MTU of ifindex. */
  setMtu(index, mtu) {
    return this.request(RTM_NEWLINK, 0, Buffer.concat([ifinfomsg(index, 0, 0), attr(IFLA_MTU, u32(mtu))]));
  }

  /** Sets ifindex administratively up or down. */
  setUp(index, up) {
    return this.request(RTM_NEWLINK, 0, ifinfomsg(index, up ? IFF_UP : 0, IFF_UP));
  }

  /** Creates a veth pair `name` <-> `peer`, both ends in device group `group` (0: the default group). */
  addVeth(name, peer, group = 0) {
    const g = group ? attr(IFLA_GROUP, u32(group)) : Buffer.alloc(0);
    const peerInfo = Buffer.concat([ifinfomsg(0, 0, 0), attr(IFLA_IFNAME, cstr(peer)), g]);
    const linkinfo = Buffer.concat([
      attr(IFLA_INFO_KIND, cstr('veth')),
      attr(IFLA_INFO_DATA | NLA_F_NESTED, attr(VETH_INFO_PEER | NLA_F_NESTED, peerInfo)),
    ]);
    return this.request(
      RTM_NEWLINK,
      NLM_F_CREATE | NLM_F_EXCL,
      Buffer.concat([ifinfomsg(0, 0, 0), attr(IFLA_IFNAME, cstr(name)), g, attr(IFLA_LINKINFO | NLA_F_NESTED, linkinfo)]),
    );
  }

  /** Sets a device up by name. */
  setUpByName(name, up) {
    return this.request(RTM_NEWLINK, 0, Buffer.concat([ifinfomsg(0, up ? IFF_UP : 0, IFF_UP), attr(IFLA_IFNAME, cstr(name))]));
  }

  /** Deletes a device by name (deleting one end of a veth pair deletes both). */
  deleteByName(name) {
    return this.request(RTM_DELLINK, 0, Buffer.concat([ifinfomsg(0, 0, 0), attr(IFLA_IFNAME, cstr(name))]));
  }

  /**
   * Deletes every device of group `group` in one request: the kernel unregisters them together
   * (one RCU grace period instead of one per device) and sends all their messages at once.
   */
  deleteGroup(group) {
    return this.request(RTM_DELLINK, 0, Buffer.concat([ifinfomsg(0, 0, 0), attr(IFLA_GROUP, u32(group))]));
  }

  /** Adds (`add` true) or deletes an IPv4 address (`a.b.c.d`, prefix length) on ifindex: RTM_NEWADDR / RTM_DELADDR. */
  setAddress(index, address, prefixLength, add) {
    const body = Buffer.alloc(8);
    body.writeUInt8(2, 0); // AF_INET
    body.writeUInt8(prefixLength, 1);
    body.writeUInt32LE(index, 4);
    const bytes = Buffer.from(address.split('.').map(Number));
    const IFA_ADDRESS = 1;
    const IFA_LOCAL = 2;
    return this.request(add ? 20 : 21, add ? NLM_F_CREATE | NLM_F_EXCL : 0, Buffer.concat([body, attr(IFA_LOCAL, bytes), attr(IFA_ADDRESS, bytes)]));
  }

  close() {
    if (this.fd >= 0) libc().close(this.fd);
    this.fd = -1;
  }
}

/** True when /proc/<pid>/ns/net differs from ours: used to prove children run where intended. */
function netnsInode(pid = 'self') {
  return fs.readlinkSync(`/proc/${pid}/ns/net`);
}

module.exports = { RtnlWriter, clockPair, inNamespace, netnsInode };
