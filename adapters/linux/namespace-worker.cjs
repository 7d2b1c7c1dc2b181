'use strict';
/*
 * The namespace worker (started by namespace-worker-client.ts): one thread per process that serves
 * every request in turn. A netlink socket belongs to the network namespace it was created in, and
 * setns() changes the namespace of the calling thread only, so sockets for another namespace are
 * created here and their fds used from the main thread, which never changes namespace.
 *
 * For each request it opens the namespace file without blocking (a FIFO must not hang the thread:
 * O_NONBLOCK), checks that it is a network namespace (ioctl NS_GET_NSTYPE: ENOTTY for anything that
 * is not an nsfs file, another CLONE_NEW* for another namespace type), enters it, creates the
 * sockets, and returns to the namespace it started in, so it pins no namespace between requests. If
 * it cannot return it replies and ends, and the next request starts a fresh worker.
 *
 * Plain CommonJS (the .cjs extension keeps it so under both builds); scripts/build.js copies it
 * beside the compiled adapters. The numbers it needs come in workerData from netlink-constants.ts.
 */
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');

const { koffi: koffiPath, constants: c } = workerData;
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | c.O_CLOEXEC;
let home = -1;
try {
  home = fs.openSync('/proc/thread-self/ns/net', fs.constants.O_RDONLY | c.O_CLOEXEC);
} catch {
  // Without a way home every request ends the worker after replying (see serve).
}

let native;
function load() {
  if (native) return native;
  const koffi = require(koffiPath);
  const lib = koffi.load('libc.so.6');
  native = {
    errno: () => koffi.errno(),
    setns: lib.func('int setns(int fd, int nstype)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    close: lib.func('int close(int fd)'),
    nsType: lib.func('int ioctl(int fd, unsigned long request)'),
  };
  return native;
}

function serve(req) {
  let nsfd = -1;
  try {
    nsfd = fs.openSync(req.netns, OPEN_FLAGS);
  } catch (e) {
    return { id: req.id, what: 'open(' + req.netns + ')', errno: Math.abs(e.errno || 2), message: String(e.message) };
  }
  try {
    const n = load();
    const type = n.nsType(nsfd, c.NS_GET_NSTYPE);
    if (type !== c.CLONE_NEWNET) {
      const errno = type < 0 ? n.errno() : 0;
      return { id: req.id, what: req.netns, notNetns: true, errno, message: type < 0 ? 'not a namespace file' : 'a namespace of another type (' + type + ')' };
    }
    const st = fs.fstatSync(nsfd, { bigint: true });
    const identity = st.dev.toString() + ':' + st.ino.toString();
    if (n.setns(nsfd, c.CLONE_NEWNET) !== 0) return { id: req.id, what: 'setns(' + req.netns + ', CLONE_NEWNET)', errno: n.errno() };
    const fds = [];
    let reply;
    for (let i = 0; i < req.count; i++) {
      const fd = n.socket(c.AF_NETLINK, c.SOCKET_TYPE, c.NETLINK_ROUTE);
      if (fd < 0) {
        const errno = n.errno();
        for (const f of fds) n.close(f);
        reply = { id: req.id, what: 'socket(AF_NETLINK) in ' + req.netns, errno };
        break;
      }
      fds.push(fd);
    }
    if (home < 0 || n.setns(home, c.CLONE_NEWNET) !== 0) {
      parentPort.postMessage(reply || { id: req.id, fds, identity });
      process.exit(0);
    }
    return reply || { id: req.id, fds, identity };
  } catch (e) {
    return { id: req.id, what: 'koffi in the namespace worker', errno: 0, message: String((e && e.message) || e) };
  } finally {
    fs.closeSync(nsfd);
  }
}

parentPort.on('message', (req) => parentPort.postMessage(serve(req)));
