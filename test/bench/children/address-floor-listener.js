'use strict';
/**
 * Reference floor for addresses (not a product), as floor-listener.js for links: one NETLINK_ROUTE
 * socket bound to RTMGRP_IPV4_IFADDR, watched by koffi's libuv poll handle; on wake-up: stamp
 * CLOCK_MONOTONIC, recv every queued datagram, read ifa_index and IFA_LOCAL, nothing else. Run under
 * `ip netns exec`. Event record: [monotonic us, ifindex, address, added 1 / removed 0].
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
  sa.writeUInt32LE(0x10, 8); // RTMGRP_IPV4_IFADDR
  if (fd < 0 || bind(fd, sa, 12) !== 0) throw new Error(`netlink socket/bind failed (errno ${koffi.errno()})`);
  const buf = Buffer.alloc(65536);
  handle = koffi.node.poll(fd, { readable: true }, () => {
    const t = Number(process.hrtime.bigint()) / 1000;
    for (;;) {
      const n = Number(recv(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */));
      if (n <= 0) break;
      for (let off = 0; off + 24 <= n; ) {
        const len = buf.readUInt32LE(off);
        const type = buf.readUInt16LE(off + 4);
        if (type === 20 || type === 21) {
          const index = buf.readUInt32LE(off + 20);
          let address = '';
          for (let a = off + 24; a + 4 <= off + len; ) {
            const alen = buf.readUInt16LE(a);
            if (alen < 4) break;
            if ((buf.readUInt16LE(a + 2) & 0x3fff) === 2 && alen === 8) address = `${buf[a + 4]}.${buf[a + 5]}.${buf[a + 6]}.${buf[a + 7]}`;
            a += (alen + 3) & ~3;
          }
          events.push([t, index, address, type === 20 ? 1 : 0]);
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
