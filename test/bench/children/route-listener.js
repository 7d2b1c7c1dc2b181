'use strict';
/**
 * Route latency listener: this library's linux adapter (`notifyRouteChange2`, the layer
 * `routeChanges$` subscribes to) in a namespace. Stamps CLOCK_MONOTONIC first thing in the
 * callback and keeps the stamps in memory until asked.
 * Event record: [monotonic us, 1 add / 0 delete / 2 parameter, 'prefix/len', nextHop].
 * With `bestRoute`, every change of a default route is followed by `getBestRoute2(inet, 192.0.2.1)`;
 * its answers are recorded as [monotonic us when answered, nextHop or ''] (the default-route delay).
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const events = [];
const answers = [];
let adapter;
let handle;
let asking = Promise.resolve();
const TYPE = { add: 1, delete: 0, parameter: 2 };

async function main() {
  adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  handle = await adapter.notifyRouteChange2(opts.family, (row, type) => {
    const t = Number(process.hrtime.bigint()) / 1000;
    if (row === null) return;
    const prefix = `${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength}`;
    events.push([t, TYPE[type], prefix, row.nextHop]);
    if (opts.bestRoute && row.destinationPrefix.prefixLength === 0) {
      asking = asking.then(async () => {
        const best = await adapter.getBestRoute2('inet', '192.0.2.1');
        answers.push([Number(process.hrtime.bigint()) / 1000, best ? best.nextHop : '']);
      });
    }
  }, false);
  process.send({ type: 'ready' });
}

main().catch(fail);

serve({
  events: async () => {
    await asking;
    return { events: events.splice(0), answers: answers.splice(0) };
  },
  count: () => ({ count: events.length }),
  stats: () => ({ stats: adapter.stats() }),
  exit: () => handle && adapter.cancelMibChangeNotify2(handle),
});
