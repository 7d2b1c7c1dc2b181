'use strict';
/**
 * Burst subscriber: one `ipInterfaceChanges$(AF_UNSPEC, true)` subscription with the linux adapter
 * and its default receive buffer, keeping the table a user would keep: seeded with
 * `getIpInterfaceTable` at the `initial` marker, then added/changed: set, removed: delete. With `busyMs`, the main thread is kept busy in chunks of that many ms of synchronous
 * work, yielding to the event loop (setImmediate) between chunks: deliveries can only happen in
 * those gaps.
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');
const { toPlain, keyOf } = require('../lib/rows.js');

const opts = JSON.parse(process.argv[2]);
const table = new Map();
const counts = { added: 0, changed: 0, removed: 0 };
let lastEventUs = 0;
let lastEventIndex = 0;
let adapter;
let sub;
let busy = opts.busyMs > 0;
let busyChunks = 0;

function spin() {
  if (!busy) return;
  const end = performance.now() + opts.busyMs;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  busyChunks++;
  setImmediate(spin);
}

try {
  const lib = load(opts.dist, 'src/index.js');
  adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  sub = lib.ipInterfaceChanges$(lib.AF_UNSPEC, true, { adapter }).subscribe({
    next(change) {
      if (change.kind === 'initial') {
        // The Windows pattern: registration live, then read the table. The namespace is quiet
        // here (the parent starts changing only after 'ready'), so no event can race the read.
        adapter.getIpInterfaceTable(lib.AF_UNSPEC).then((rows) => {
          for (const r of rows.map(toPlain)) if (!table.has(keyOf(r))) table.set(keyOf(r), r);
          process.send({ type: 'ready' });
        }, fail);
        return;
      }
      lastEventUs = Number(process.hrtime.bigint()) / 1000;
      lastEventIndex = change.row.interfaceIndex;
      counts[change.kind]++;
      const row = toPlain(change.row);
      if (change.kind === 'removed') table.delete(keyOf(row));
      else table.set(keyOf(row), row);
    },
    error: fail,
  });
  spin();
} catch (error) {
  fail(error);
}

serve({
  progress: () => ({ lastEventUs, counts: { ...counts }, size: table.size }),
  snapshot: () => ({
    lastEventUs,
    lastEventIndex,
    counts: { ...counts },
    rows: [...table.values()],
    stats: typeof adapter.stats === 'function' ? adapter.stats() : null,
    busyChunks,
  }),
  exit: () => {
    busy = false;
    if (sub) sub.unsubscribe();
  },
});
