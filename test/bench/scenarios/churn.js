'use strict';
/**
 * Scenario 4: subscribe/unsubscribe churn in a child process, in two variants: the process runs
 * inside the namespace and uses linuxAdapter() (its own namespace: the common deployment), and the
 * process stays outside and uses linuxAdapter({ netns }) (the adapter creates its sockets in the
 * namespace from a short-lived Worker thread each time the shared reader opens). The first again
 * with V8's young generation capped at 1 MiB (--max-semi-space-size=1): how much of the RSS growth
 * is V8 growing its heap reservation under the loop's allocation rate rather than live memory.
 * Targets: fds and threads back to baseline; RSS growth under 10 MB. The baseline is the process
 * after one warm-up cycle (lazily created, process-lifetime things such as libuv's thread pool or
 * the loaded native library exist from then on); the cold figures (before loading anything) are
 * reported too.
 */
const { BenchNetns } = require('../lib/netns.js');
const { Child } = require('../lib/child.js');

async function variant(ctx, ns, how, cycles, capSeconds) {
  const inside = how !== 'netns-option';
  const opts = { dist: ctx.dist, netns: inside ? undefined : ns.path, cycles, capSeconds };
  const nodeArgs = ['--expose-gc', ...(how === 'inside-small-young' ? ['--max-semi-space-size=1'] : [])];
  const child = new Child('churn-worker.js', opts, { nodeArgs, netns: inside ? ns.name : undefined });
  try {
    const r = await child.waitFor('result', (capSeconds + 120) * 1000);
    delete r.type;
    const rssGrowthMiB = (r.end.rssKiB - r.warm.rssKiB) / 1024;
    ctx.log(`  churn ${how}: ${r.cycles} cycles, p50 ${Math.round(r.cycleUs.p50)} us, fds ${r.warm.fds}->${r.end.fds}, threads ${r.warm.threads}->${r.end.threads}, RSS ${rssGrowthMiB >= 0 ? '+' : ''}${rssGrowthMiB.toFixed(1)} MiB`);
    return {
      how: { inside: 'process inside the namespace, linuxAdapter()', 'inside-small-young': 'same, node --max-semi-space-size=1', 'netns-option': 'linuxAdapter({ netns }) from outside' }[how],
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
    for (const how of ['inside', 'inside-small-young', 'netns-option']) variants[how] = await variant(ctx, ns, how, cycles, capSeconds);
    return { cycles, capSeconds, variants };
  } finally {
    ns.delete();
  }
}

module.exports = { run };
