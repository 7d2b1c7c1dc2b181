'use strict';
/**
 * Latency listener: the `netlink` npm package (0.3.0, native addon), run under `ip netns exec` so
 * its socket lives in the benchmark's namespace. Subscribes RTNLGRP_LINK as `ip monitor link`
 * does. Stamps CLOCK_MONOTONIC first thing in the 'message' handler (the package has parsed the
 * message by then, as a user would receive it).
 * Event record: [monotonic us, ifindex, mtu or -1, up 1/0 or -1].
 */
const { serve, fail } = require('../lib/child.js');

const IF_OPER_UP = 6;
const events = [];
let socket;
try {
  const { createRtNetlink } = require('netlink');
  socket = createRtNetlink({ ref: true });
  socket.addMembership('LINK');
  socket.on('message', (message) => {
    const t = Number(process.hrtime.bigint()) / 1000;
    for (const part of message) {
      if (part.kind !== 'link' || !part.data) continue;
      const a = part.attrs || {};
      events.push([t, part.data.index, a.mtu === undefined ? -1 : a.mtu, a.operstate === undefined ? -1 : a.operstate === IF_OPER_UP ? 1 : 0]);
    }
  });
  socket.on('error', fail);
  process.send({ type: 'ready' });
} catch (error) {
  fail(error);
}

serve({
  events: () => ({ events: events.splice(0) }),
  exit: () => socket && socket.socket && socket.socket.close && socket.socket.close(),
});
