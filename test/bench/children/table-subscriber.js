'use strict';
/**
 * `ipInterfaceTable$` subscriber (linux adapter, watching the namespace `netns` from outside). On
 * start: times subscribe -> first emission (the first subscribe of the process: native code loads
 * lazily then, as for a user). Commands: `resubscribe` (the last subscriber leaves, the reader
 * closes, then subscribe -> first emission again), `progress` (emissions so far), `memory`
 * (heap per extra subscriber of the same table, with --expose-gc), `exit`.
 * With `mode: 'changes'`: a plain `ipInterfaceChanges$(family, true)` subscriber instead (the
 * reference: what the adapter itself costs per change), first emission = the `initial` marker.
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

let lib;
let adapter;
let sub;
let emissions = 0;
let lastSize = 0;

/** Subscribes the main subscriber; resolves with the ms from subscribe to its first emission. */
function subscribe() {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    let first = true;
    const source = opts.mode === 'changes' ? lib.ipInterfaceChanges$(opts.family, true, { adapter }) : lib.ipInterfaceTable$(opts.family, { adapter });
    sub = source.subscribe({
      next(value) {
        if (opts.mode === 'changes') {
          if (value.kind !== 'initial') emissions++;
        } else {
          emissions++;
          lastSize = value.size;
        }
        if (first) {
          first = false;
          resolve(nowMs() - t0);
        }
      },
      error: (e) => (first ? reject(e) : fail(e)),
    });
  });
}

function heapAfterGc() {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

(async () => {
  lib = load(opts.dist, 'src/index.js');
  adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  const firstMs = await subscribe();
  process.send({ type: 'ready', firstMs, size: lastSize });
})().catch(fail);

serve({
  async resubscribe() {
    sub.unsubscribe();
    // The reader closes after its last registration is cancelled: wait for that, then start cold.
    const open = () => typeof adapter.stats === 'function' && adapter.stats().open === true;
    for (let i = 0; i < 200 && open(); i++) await sleep(10);
    const closed = !open();
    const firstMs = await subscribe();
    return { firstMs, size: lastSize, readerClosedBefore: closed };
  },
  progress: () => ({ emissions, size: lastSize }),
  async memory(msg) {
    if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
    const extra = [];
    const before = heapAfterGc();
    let received = 0;
    for (let i = 0; i < msg.count; i++) {
      extra.push(lib.ipInterfaceTable$(opts.family, { adapter }).subscribe({ next: () => received++, error: fail }));
    }
    await sleep(50);
    const after = heapAfterGc();
    for (const s of extra) s.unsubscribe();
    return { bytesPerSubscriber: (after - before) / msg.count, subscribers: msg.count, received, rows: lastSize };
  },
  exit: () => sub && sub.unsubscribe(),
});
