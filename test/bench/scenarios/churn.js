'use strict';
/**
 * Scenario 4: subscribe/unsubscribe churn in a child process (linux adapter in a namespace).
 * Targets: fds and threads back to baseline; RSS growth under 10 MB. The baseline is the process
 * after one warm-up cycle (lazily created, process-lifetime things such as libuv's thread pool or
 * the loaded native library exist from then on); the cold figures (before loading anything) are
 * reported too.
 */
const { BenchNetns } = require('../lib/netns.js');
const { Child } = require('../lib/child.js');

async function run(ctx) {
  const cycles = ctx.quick ? 1000 : 10000;
  const capSeconds = ctx.quick ? 40 : 300;
  ctx.log(`churn: ${cycles} subscribe/unsubscribe cycles (cap ${capSeconds} s)`);
  const ns = BenchNetns.create('churn');
  ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
  const child = new Child('churn-worker.js', { dist: ctx.dist, netns: ns.path, cycles, capSeconds }, { nodeArgs: ['--expose-gc'] });
  try {
    const r = await child.waitFor('result', (capSeconds + 120) * 1000);
    delete r.type;
    const rssGrowthMiB = (r.end.rssKiB - r.warm.rssKiB) / 1024;
    return {
      requested: cycles,
      ...r,
      fdsBack: r.end.fds <= r.warm.fds,
      threadsBack: r.end.threads <= r.warm.threads,
      rssGrowthMiB,
    };
  } finally {
    await child.stop();
    ns.delete();
  }
}

module.exports = { run };
