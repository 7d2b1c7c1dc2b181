'use strict';
/**
 * Operator throughput with the mock adapter: `changes` 'changed' rows round-robin over
 * `interfaces` interfaces, emitted synchronously by the mock (as fast as the pipeline accepts
 * them). Cases:
 * - subject: a bare RxJS Subject and a counting subscriber (the floor);
 * - adapter: mock adapter -> ipInterfaceChanges$ -> counting subscriber (no operator);
 * - pipeline: ipInterfaceChanges$ -> groupByInterface() -> mergeMap(group =>
 *   group.pipe(debounceInterfaceChanges(dueMs))) -> serialDelivery(handler), handler counting and
 *   returning EMPTY (completes at once). Real asyncScheduler: the debounce coalesces each
 *   interface's changes and delivers its net effect dueMs after the interface's last change.
 * - flat: ipInterfaceChanges$ -> debounceInterfaceChanges(dueMs) -> serialDelivery(handler) (the
 *   debounce keys by interface itself; no groups).
 * Input rate = changes / time of the emit loop. Delivery is checked after: one settled change per
 * interface must come out of serialDelivery.
 */
const { fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const rxjs = require('rxjs');
  const lib = load(opts.dist, 'src/index.js');
  const mock = load(opts.dist, 'adapters/mock/index.js');
  const variants = [1500, 1400].map((nlMtu) =>
    Array.from({ length: opts.interfaces }, (_, i) => ({ kind: 'changed', row: mock.mockRow({ interfaceIndex: i + 1, nlMtu }) })),
  );
  const change = (k) => variants[Math.floor(k / opts.interfaces) & 1][k % opts.interfaces];

  function build(kind, count) {
    const counter = { n: 0 };
    const handler = () => {
      counter.n++;
      return rxjs.EMPTY;
    };
    if (kind === 'subject') {
      const s = new rxjs.Subject();
      const sub = s.subscribe(() => counter.n++);
      return { emit: (c) => s.next(c), sub, counter, expected: count };
    }
    const adapter = mock.createMockAdapter({ table: variants[0].map((c) => c.row) });
    const source = lib.ipInterfaceChanges$(lib.AF_UNSPEC, false, { adapter });
    let piped;
    if (kind === 'adapter') piped = source.pipe(rxjs.tap(() => counter.n++));
    else if (kind === 'pipeline')
      piped = source.pipe(
        lib.groupByInterface(),
        rxjs.mergeMap((group) => group.pipe(lib.debounceInterfaceChanges(opts.dueMs))),
        lib.serialDelivery(handler),
      );
    else piped = source.pipe(lib.debounceInterfaceChanges(opts.dueMs), lib.serialDelivery(handler));
    const sub = piped.subscribe({ error: fail });
    return { emit: (c) => adapter.emit(c), sub, counter, expected: kind === 'adapter' ? count : Math.min(count, opts.interfaces) };
  }

  async function once(kind, count) {
    const p = build(kind, count);
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < count; k++) p.emit(change(k));
    const t1 = process.hrtime.bigint();
    const deadline = Date.now() + opts.dueMs + 5000;
    while (p.counter.n < p.expected && Date.now() < deadline) await sleep(5);
    const t2 = process.hrtime.bigint();
    p.sub.unsubscribe();
    return { perSecond: count / (Number(t1 - t0) / 1e9), deliveredAfterMs: Number(t2 - t1) / 1e6, delivered: p.counter.n, expected: p.expected };
  }

  const results = {};
  for (const kind of ['subject', 'adapter', 'pipeline', 'flat']) {
    await once(kind, Math.ceil(opts.changes / 4)); // warm-up (JIT)
    const runs = [];
    for (let r = 0; r < opts.repeats; r++) {
      global.gc?.();
      runs.push(await once(kind, opts.changes));
    }
    const rates = runs.map((x) => x.perSecond).sort((a, b) => a - b);
    results[kind] = {
      medianPerSecond: rates[Math.floor(rates.length / 2)],
      minPerSecond: rates[0],
      maxPerSecond: rates[rates.length - 1],
      deliveredOk: runs.every((x) => x.delivered === x.expected),
      delivered: runs.map((x) => x.delivered),
      expected: runs[0].expected,
      deliveredAfterMs: runs.map((x) => Math.round(x.deliveredAfterMs * 10) / 10),
    };
  }
  process.send({ type: 'result', results }, () => process.exit(0));
})().catch(fail);
