'use strict';
/**
 * Scenario 5: operator throughput (mock adapter, no kernel), in a child process so the numbers do
 * not depend on what the benchmark process has loaded. See children/operators-worker.js for the
 * composition. Target: at least 500k input changes/s through the full pipeline.
 */
const { Child } = require('../lib/child.js');

async function run(ctx) {
  const opts = { dist: ctx.dist, interfaces: 1000, changes: 1000000, repeats: ctx.quick ? 3 : 5, dueMs: 100 };
  ctx.log(`operators: ${opts.changes} changes over ${opts.interfaces} interfaces, ${opts.repeats} runs per case`);
  const child = new Child('operators-worker.js', opts, { nodeArgs: ['--expose-gc'] });
  try {
    const r = await child.waitFor('result', 300000);
    return { ...opts, dist: undefined, composition: 'groupByInterface() -> mergeMap(g => g.pipe(debounceInterfaceChanges(100))) -> serialDelivery(handler)', results: r.results };
  } finally {
    await child.stop();
  }
}

module.exports = { run };
