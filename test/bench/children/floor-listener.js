'use strict';
/**
 * Reference floor (not a product): the least a Node listener can do with koffi. Run under
 * `ip netns exec`; one NETLINK_ROUTE socket bound to RTMGRP_LINK, watched by koffi's libuv poll
 * handle on the main thread; on wake-up: stamp CLOCK_MONOTONIC, recv every queued datagram, read
 * ifindex, IFLA_MTU and IFLA_OPERSTATE, nothing else. What this costs is Node's and koffi's share
 * of the latency; the library's excess over it is its own work per message.
 * Event record: [monotonic us, ifindex, mtu or -1, up 1/0 or -1].
 */
const { serve, fail } = require('../lib/child.js');

const events = [];
let handle;
try {
  const koffi = require('koffi');
  const c = koffi.load('libc.so.6');
  const socket = c.func('int socket(int, int, int)');
  const bind = c.func('int bind(int, void *, uint32)');
  const recv = c.func('intptr recv(int, void *, uintptr, int)');
  const fd = socket(16, 3 | 0x80000, 0);
  const sa = Buffer.alloc(12);
  sa.writeUInt16LE(16, 0);
  sa.writeUInt32LE(1, 8); // RTMGRP_LINK
  if (fd < 0 || bind(fd, sa, 12) !== 0) throw new Error(`netlink socket/bind failed (errno ${koffi.errno()})`);
  const buf = Buffer.alloc(65536);
  handle = koffi.node.poll(fd, { readable: true }, () => {
    const t = Number(process.hrtime.bigint()) / 1000;
    for (;;) {
      const n = Number(recv(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */));
      if (n <= 0) break;
      for (let off = 0; off + 32 <= n; ) {
        const len = buf.readUInt32LE(off);
        const type = buf.readUInt16LE(off + 4);
        if (type === 16 || type === 17) {
          const index = buf.readInt32LE(off + 20);
          let mtu = -1;
          let up = -1;
          for (let a = off + 32; a + 4 <= off + len; ) {
            const alen = buf.readUInt16LE(a);
            const atype = buf.readUInt16LE(a + 2) & 0x3fff;
            if (alen < 4) break;
            if (atype === 4) mtu = buf.readUInt32LE(a + 4);
            else if (atype === 16) up = buf[a + 4] === 6 ? 1 : 0;
            a += (alen + 3) & ~3;
          }
          events.push([t, index, type === 17 ? -1 : mtu, type === 17 ? 0 : up]);
        }
        if (len < 16) break;
        off += (len + 3) & ~3;
      }
    }
  });
  process.send({ type: 'ready' });
} catch (error) {
  fail(error);
}

serve({
  events: () => ({ events: events.splice(0) }),
  exit: () => handle && handle.close(),
});
