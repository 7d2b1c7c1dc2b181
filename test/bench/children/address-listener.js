'use strict';
/**
 * Address latency listener: this library's `unicastIpAddressChanges$` with the linux adapter in a
 * namespace. Stamps CLOCK_MONOTONIC first thing in the subscriber's `next`.
 * Event record: [monotonic us, ifindex, address, added 1 / removed 0 / changed -1].
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const events = [];
let adapter;
let sub;

try {
  const lib = load(opts.dist, 'src/index.js');
  adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  sub = lib.unicastIpAddressChanges$(opts.family, true, { adapter }).subscribe({
    next(change) {
      const t = Number(process.hrtime.bigint()) / 1000;
      if (change.kind === 'initial') {
        process.send({ type: 'ready' });
        return;
      }
      events.push([t, change.row.interfaceIndex, change.row.address, change.kind === 'added' ? 1 : change.kind === 'removed' ? 0 : -1]);
    },
    error: fail,
  });
} catch (error) {
  fail(error);
}

serve({
  events: () => ({ events: events.splice(0) }),
  stats: () => ({ stats: adapter.stats() }),
  exit: () => sub && sub.unsubscribe(),
});
