'use strict';
/**
 * Churn: `cycles` times subscribe (linux adapter, one adapter instance as an application would
 * hold), wait for the `initial` marker, unsubscribe. Resources are read before anything is loaded
 * (cold), after one warm-up cycle, every 10% of the run, and at the end after a settle and a GC.
 */
const { fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');
const { resources: procResources } = require('../lib/proc.js');
const { summarize } = require('../lib/stats.js');

const opts = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** /proc figures plus V8's view (heap used, external and ArrayBuffer memory), in KiB. */
function resources() {
  const m = process.memoryUsage();
  return { ...procResources(), heapUsedKiB: Math.round(m.heapUsed / 1024), heapTotalKiB: Math.round(m.heapTotal / 1024), externalKiB: Math.round(m.external / 1024), arrayBuffersKiB: Math.round(m.arrayBuffers / 1024) };
}

function settled() {
  global.gc?.();
  return resources();
}

(async () => {
  const cold = settled();
  const lib = load(opts.dist, 'src/index.js');
  const adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter(opts.netns ? { netns: opts.netns } : {});
  const cycle = () =>
    new Promise((resolve, reject) => {
      let done = false;
      const sub = lib.ipInterfaceChanges$(lib.AF_UNSPEC, true, { adapter, onCancelError: reject }).subscribe({
        next(change) {
          if (change.kind !== 'initial' || done) return;
          done = true;
          queueMicrotask(() => {
            sub.unsubscribe();
            resolve();
          });
        },
        error: reject,
      });
    });
  const afterLoad = settled();
  await cycle();
  await sleep(500);
  const warm = settled();
  const times = [];
  const samples = [];
  const start = process.hrtime.bigint();
  let capped = false;
  for (let i = 0; i < opts.cycles; i++) {
    const t = process.hrtime.bigint();
    await cycle();
    times.push(Number(process.hrtime.bigint() - t) / 1000);
    if ((i + 1) % Math.max(1, Math.floor(opts.cycles / 10)) === 0) samples.push({ cycle: i + 1, ...settled() });
    if (Number(process.hrtime.bigint() - start) / 1e9 > opts.capSeconds) {
      capped = true;
      break;
    }
  }
  const totalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  await sleep(1000);
  const end = settled();
  process.send({ type: 'result', cold, afterLoad, warm, end, samples, cycles: times.length, capped, totalSeconds, cycleUs: summarize(times) }, () =>
    process.exit(0),
  );
})().catch(fail);
