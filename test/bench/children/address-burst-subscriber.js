'use strict';
/**
 * Address burst subscriber: `unicastIpAddressTable$(AF_UNSPEC)` with the linux adapter (receive
 * buffer as given), keeping the latest map. Reports the table as `family ifindex name address/prefix`
 * lines, and when it last changed.
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
let latest;
let lastEventUs = 0;
let emissions = 0;
let adapter;
let sub;

try {
  const lib = load(opts.dist, 'src/index.js');
  adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns, receiveBufferBytes: opts.receiveBufferBytes });
  sub = lib.unicastIpAddressTable$(lib.AF_UNSPEC, { adapter }).subscribe({
    next(table) {
      if (latest === undefined) process.send({ type: 'ready' });
      else lastEventUs = Number(process.hrtime.bigint()) / 1000;
      latest = table;
      emissions++;
    },
    error: fail,
  });
} catch (error) {
  fail(error);
}

serve({
  progress: () => ({ lastEventUs, emissions }),
  snapshot: () => ({
    lines: [...latest.values()].map((r) => `${r.family} ${r.interfaceIndex} ${r.interfaceName} ${r.address}/${r.onLinkPrefixLength}`).sort(),
    lastEventUs,
    emissions,
    stats: adapter.stats(),
  }),
  exit: () => sub && sub.unsubscribe(),
});
