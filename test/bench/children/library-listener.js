'use strict';
/**
 * Latency listener: this library (`ipInterfaceChanges$` with the linux adapter in a namespace, or
 * the polling adapter run inside the namespace). Stamps CLOCK_MONOTONIC (process.hrtime) first
 * thing in the subscriber's `next`, keeps the stamps in memory until asked.
 * Event record: [monotonic us, ifindex, mtu or -1, up 1/0 or -1].
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const events = [];
let adapter;
let sub;

try {
  const lib = load(opts.dist, 'src/index.js');
  if (opts.adapter === 'linux') {
    adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  } else {
    adapter = load(opts.dist, 'adapters/polling/index.js').pollingAdapter({ intervalMs: opts.intervalMs });
  }
  sub = lib.ipInterfaceChanges$(opts.family, true, { adapter }).subscribe({
    next(change) {
      const t = Number(process.hrtime.bigint()) / 1000;
      if (change.kind === 'initial') {
        process.send({ type: 'ready' });
        return;
      }
      const row = change.row;
      const up = change.kind === 'removed' ? 0 : row.connected === undefined ? (change.kind === 'added' ? 1 : -1) : row.connected ? 1 : 0;
      events.push([t, row.interfaceIndex, row.nlMtu === undefined || change.kind === 'removed' ? -1 : row.nlMtu, up]);
    },
    error: fail,
  });
} catch (error) {
  fail(error);
}

serve({
  events: () => ({ events: events.splice(0) }),
  stats: () => ({ stats: typeof adapter.stats === 'function' ? adapter.stats() : null }),
  exit: () => sub && sub.unsubscribe(),
});
