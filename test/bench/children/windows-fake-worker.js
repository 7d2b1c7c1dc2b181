'use strict';
/**
 * Windows adapter fan-out cost: `subscribers` subscriptions of `ipInterfaceChanges$` (half
 * AF_UNSPEC, half AF_INET; one AF_UNSPEC for a single subscriber) on one windowsAdapter over the
 * fake iphlpapi (a gcc-built .so with the real DLL's exports and callback threading), then
 * `batches` times: queue `perBatch` parameter notifications for both families (one OS callback each,
 * from the fake's native thread), wait until every subscriber has them all. CPU is the process's
 * (all threads: the fake's native thread, koffi, the JS thread) from process.cpuUsage() over the
 * measured batches, divided by the OS callbacks the fake counted.
 */
const koffi = require('koffi');
const { fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');

const opts = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

(async () => {
  const lib = load(opts.dist, 'src/index.js');
  const { windowsAdapter } = load(opts.dist, 'adapters/windows/index.js');
  const fake = koffi.load(opts.library);
  const trigger = fake.func('int fake_trigger(uint16_t family, int32_t type, uint32_t index)');
  const stat = fake.func('uint64_t fake_stat(int32_t stat)');
  const callbacks = () => Number(stat(0));
  const adapter = windowsAdapter({ library: opts.library, messageLibrary: opts.library });
  const counts = new Array(opts.subscribers).fill(0);
  const families = counts.map((_, i) => (opts.subscribers === 1 || i % 2 === 1 ? lib.AF_UNSPEC : lib.AF_INET));
  let markers = 0;
  let total = 0;
  // Resolved from a subscriber's next once all deliveries are in: the process sleeps while waiting
  // (a polling wait would burn the CPU being measured).
  let waiting;
  const subs = counts.map((_, i) =>
    lib.ipInterfaceChanges$(families[i], true, { adapter }).subscribe({
      next: (c) => {
        if (c.kind === 'initial') return void markers++;
        counts[i]++;
        if (++total === waiting?.total) waiting.resolve();
      },
      error: fail,
    }),
  );
  await waitFor(() => markers === opts.subscribers, 10000, 'the markers');
  // Every notification is for both families: AF_UNSPEC subscribers get 2 rows, AF_INET ones 1.
  const expected = (batches) => families.map((f) => (f === lib.AF_UNSPEC ? 2 : 1) * opts.perBatch * batches);
  const batch = async (done) => {
    const want = expected(done + 1);
    const wantTotal = want.reduce((a, n) => a + n, 0);
    const arrived = new Promise((resolve) => (waiting = { total: wantTotal, resolve }));
    for (let k = 0; k < opts.perBatch; k++) trigger(0, 0, 1 + (k % 3));
    const timer = setTimeout(() => fail(new Error(`batch ${done}: ${total} of ${wantTotal} deliveries after 30 s`)), 30000);
    await arrived;
    clearTimeout(timer);
    if (!counts.every((n, i) => n === want[i])) throw new Error(`batch ${done}: a subscriber got the wrong number of rows`);
  };
  for (let b = 0; b < opts.warmup; b++) await batch(b);
  await sleep(50);
  const cb0 = callbacks();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < opts.batches; b++) await batch(opts.warmup + b);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await waitFor(() => callbacks() - cb0 >= opts.batches * opts.perBatch * 2, 5000, 'the fake to count the callbacks');
  const osCallbacks = callbacks() - cb0;
  const deliveries = counts.reduce((a, n) => a + n, 0) - expected(opts.warmup).reduce((a, n) => a + n, 0);
  const d = adapter.diagnostics();
  for (const s of subs) s.unsubscribe();
  await waitFor(() => adapter.diagnostics().registeredCallbacks === 0, 10000, 'the teardown');
  process.send(
    {
      type: 'result',
      subscribers: opts.subscribers,
      osCallbacks,
      deliveries,
      deliveriesPerCallback: deliveries / osCallbacks,
      cpuUsPerCallback: (cpu.user + cpu.system) / osCallbacks,
      wallUsPerCallback: wallUs / osCallbacks,
      nativeRegistrations: d.nativeRegistrations,
      entryCallsPerCallback: Number(stat(7)) / Number(stat(0)),
    },
    // Then exit by itself: nothing of the adapter may keep the process alive after the last cancel.
    () => process.disconnect(),
  );
})().catch(fail);
