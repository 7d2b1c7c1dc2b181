'use strict';
/**
 * Scenario 4: subscribe/unsubscribe churn in a child process, in two variants: the process runs
 * inside the namespace and uses linuxAdapter() (its own namespace: the common deployment), and the
 * process stays outside and uses linuxAdapter({ netns }) (the adapter creates its sockets in the
 * namespace from a short-lived Worker thread each time the shared reader opens).
 * Targets: fds and threads back to baseline; RSS growth under 10 MB. The baseline is the process
 * after one warm-up cycle (lazily created, process-lifetime things such as libuv's thread pool or
 * the loaded native library exist from then on); the cold figures (before loading anything) are
 * reported too.
 */
const { BenchNetns } = require('../lib/netns.js');
const { Child } = require('../lib/child.js');

async function variant(ctx, ns, how, cycles, capSeconds) {
  const inside = how === 'inside';
  const opts = { dist: ctx.dist, netns: inside ? undefined : ns.path, cycles, capSeconds };
  const child = new Child('churn-worker.js', opts, { nodeArgs: ['--expose-gc'], netns: inside ? ns.name : undefined });
  try {
    const r = await child.waitFor('result', (capSeconds + 120) * 1000);
    delete r.type;
    const rssGrowthMiB = (r.end.rssKiB - r.warm.rssKiB) / 1024;
    ctx.log(`  churn ${how}: ${r.cycles} cycles, p50 ${Math.round(r.cycleUs.p50)} us, fds ${r.warm.fds}->${r.end.fds}, threads ${r.warm.threads}->${r.end.threads}, RSS +${rssGrowthMiB.toFixed(1)} MiB`);
    return {
      how: inside ? 'process inside the namespace, linuxAdapter()' : 'linuxAdapter({ netns }) from outside',
      requested: cycles,
      ...r,
      fdsBack: r.end.fds <= r.warm.fds,
      threadsBack: r.end.threads <= r.warm.threads,
      rssGrowthMiB,
    };
  } finally {
    await child.stop();
  }
}

async function run(ctx) {
  const cycles = ctx.quick ? 1000 : 10000;
  const capSeconds = ctx.quick ? 25 : 150;
  ctx.log(`churn: ${cycles} subscribe/unsubscribe cycles per variant (cap ${capSeconds} s each)`);
  const ns = BenchNetns.create('churn');
  ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
  try {
    const variants = {};
    for (const how of ['inside', 'netns-option']) variants[how] = await variant(ctx, ns, how, cycles, capSeconds);
    return { cycles, capSeconds, variants };
  } finally {
    ns.delete();
  }
}

module.exports = { run };
