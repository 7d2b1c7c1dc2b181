'use strict';
/**
 * Idle subscriber: one live subscription and nothing else (`adapter: 'none'` is the baseline: a
 * Node process with only its IPC channel). The parent reads this process's /proc figures.
 */
const { serve, fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
let sub;
let events = 0;
try {
  if (opts.adapter === 'none') process.send({ type: 'ready' });
  else {
    const lib = load(opts.dist, 'src/index.js');
    const adapter =
      opts.adapter === 'linux'
        ? load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns })
        : load(opts.dist, 'adapters/polling/index.js').pollingAdapter({ intervalMs: opts.intervalMs });
    sub = lib.ipInterfaceChanges$(lib.AF_UNSPEC, true, { adapter }).subscribe({
      next(change) {
        if (change.kind === 'initial') process.send({ type: 'ready' });
        else events++;
      },
      error: fail,
    });
  }
} catch (error) {
  fail(error);
}
serve({ events: () => ({ events }), exit: () => sub && sub.unsubscribe() });
