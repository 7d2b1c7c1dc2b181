'use strict';
/**
 * Scenario: `ipInterfaceTable$` at scale (issue 12). For each size, a fresh namespace with that many
 * veth devices (pairs made by one `ip -batch`, devices down), and a child process subscribing
 * `ipInterfaceTable$(AF_UNSPEC)` through the linux adapter:
 * - subscribe -> first emission, in a fresh process (native code loads lazily, as for a user) and
 *   again after the last unsubscribe closed the reader; side by side with `ip -n NS link show`
 *   (a fresh process too, output discarded), median of 5, in the same run;
 * - main-thread CPU per change: the child's main thread's schedstat run time over `changes` MTU
 *   changes of one device (one request each, `gapMs` apart), per change and per emission;
 * - the subscriber's main-thread CPU per up/down flip of one device, all of that change's work
 *   (deferred too), at most over the flips: bounds the longest block (target 2 ms: no per-change
 *   work that grows with the device count);
 * - heap per extra subscriber of the same table (100 more subscribers, after full GCs);
 * - as a reference, the same CPU figure of a plain `ipInterfaceChanges$` subscriber (another child,
 *   measured over the same changes): what the adapter itself costs per change at that size.
 * Targets: CPU per change at the largest size at most 1.5x the one at 10 devices; first emission at
 * the largest size at most 1.5x `ip link show`; heap per extra subscriber independent of the rows.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** CPU time (ns) of the main thread of `pid` alone (tid = pid), from the scheduler's accounting. */
function mainThreadCpuNs(pid) {
  return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

function ipLinkShowMs(ns) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    execFileSync('ip', ['-n', ns.name, 'link', 'show'], { stdio: ['ignore', 'ignore', 'inherit'] });
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { medianMs: median(runs), runsMs: runs };
}

async function waitEmissions(child, target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let p;
  do {
    p = await child.request('progress');
    if (p.emissions >= target) return p;
    await sleep(20);
  } while (Date.now() < deadline);
  return p;
}

async function measureSize(ctx, devices) {
  const ns = BenchNetns.create(`table${devices}`);
  let child;
  let reference;
  try {
    const t0 = Date.now();
    const lines = [];
    for (let i = 0; i < devices / 2; i++) lines.push(`link add tv${i} type veth peer name tv${i}p`);
    ns.ipBatch(lines);
    const createSeconds = (Date.now() - t0) / 1000;
    const ipLink = ipLinkShowMs(ns);
    const ifindex = ns.ifindex('tv0');

    child = new Child('table-subscriber.js', { dist: ctx.dist, netns: ns.path, family: 'unspec' }, { nodeArgs: ['--expose-gc'] });
    const ready = await child.waitFor('ready', 120000);
    reference = new Child('table-subscriber.js', { dist: ctx.dist, netns: ns.path, family: 'unspec', mode: 'changes' });
    await reference.waitFor('ready', 120000);
    await sleep(1500); // let the reader's start-up work (neighbour tables, timers) settle
    const again = await child.request('resubscribe', {}, 120000);
    await sleep(1500);

    const changes = ctx.quick ? 100 : 300;
    const gapMs = 5;
    const writer = new RtnlWriter(ns.path);
    const before = await child.request('progress');
    const refBefore = await reference.request('progress');
    const cpu0 = mainThreadCpuNs(child.pid);
    const refCpu0 = mainThreadCpuNs(reference.pid);
    let mtu = 1500;
    for (let i = 0; i < changes; i++) {
      mtu = mtu === 1400 ? 1401 : 1400;
      writer.setMtu(ifindex, mtu);
      await sleep(gapMs);
    }
    writer.close();
    // Each change emits at least once (its IPv4 row): wait for the stream to catch up, then read the CPU.
    const after = await waitEmissions(child, before.emissions + changes, 10000);
    const refAfter = await waitEmissions(reference, refBefore.emissions + changes, 10000);
    await sleep(300);
    const cpu1 = mainThreadCpuNs(child.pid);
    const refCpu1 = mainThreadCpuNs(reference.pid);
    const emissions = after.emissions - before.emissions;
    // Up/down flips of one device (each up used to dump every device's neighbour table 50 ms later):
    // the subscriber's main-thread CPU in the 150 ms after each flip, which holds all the work of that
    // change (deferred work too) and bounds the longest it blocked the thread. CPU time, not event-loop
    // delay: on a shared machine the delay counts time the OS ran other processes.
    const flips = ctx.quick ? 20 : 60;
    const upWriter = new RtnlWriter(ns.path);
    upWriter.setUp(ns.ifindex('tv0p'), true);
    await sleep(300);
    const perFlipMs = [];
    for (let i = 0; i < flips; i++) {
      const c0 = mainThreadCpuNs(child.pid);
      upWriter.setUp(ifindex, i % 2 === 0);
      await sleep(150);
      perFlipMs.push((mainThreadCpuNs(child.pid) - c0) / 1e6);
    }
    upWriter.close();
    const block = { maxMs: Math.max(...perFlipMs), medianMs: median(perFlipMs) };
    const memory = await child.request('memory', { count: 100 }, 60000);
    const result = {
      devices,
      rows: ready.size,
      createSeconds,
      ipLinkShowMs: ipLink.medianMs,
      ipLinkShowRunsMs: ipLink.runsMs,
      firstEmissionColdMs: ready.firstMs,
      firstEmissionAgainMs: again.firstMs,
      readerClosedBeforeAgain: again.readerClosedBefore,
      changes,
      gapMs,
      emissions,
      mainThreadCpuUsPerChange: (cpu1 - cpu0) / 1000 / changes,
      mainThreadCpuUsPerEmission: emissions ? (cpu1 - cpu0) / 1000 / emissions : null,
      changesRefCpuUsPerChange: (refCpu1 - refCpu0) / 1000 / changes,
      changesRefEmissions: refAfter.emissions - refBefore.emissions,
      upDownFlips: flips,
      maxMainThreadBlockMs: block.maxMs,
      medianUpDownCpuMs: block.medianMs,
      upDownCpuMs: perFlipMs,
      heapBytesPerExtraSubscriber: memory.bytesPerSubscriber,
      extraSubscribers: memory.subscribers,
      extraSubscribersGotTable: memory.received >= memory.subscribers,
    };
    ctx.log(
      `  ${devices} devices (${result.rows} rows, made in ${createSeconds.toFixed(1)} s): first emission ${ready.firstMs.toFixed(1)} ms cold, ` +
        `${again.firstMs.toFixed(1)} ms again, ip link show ${ipLink.medianMs.toFixed(1)} ms; ` +
        `main thread ${result.mainThreadCpuUsPerChange.toFixed(1)} us/change (${emissions} emissions for ${changes} changes; ` +
        `ipInterfaceChanges$ alone ${result.changesRefCpuUsPerChange.toFixed(1)} us/change); ` +
        `heap ${Math.round(memory.bytesPerSubscriber)} B per extra subscriber; ` +
        `main-thread CPU per up/down ${block.maxMs.toFixed(2)} ms at most over ${flips} flips (median ${block.medianMs.toFixed(2)} ms)`,
    );
    return result;
  } finally {
    if (child) await child.stop();
    if (reference) await reference.stop();
    ns.delete();
  }
}

async function run(ctx) {
  const sizes = ctx.quick ? [10, 400] : [10, 5000];
  ctx.log(`table: ipInterfaceTable$ at ${sizes.join(' and ')} veth devices`);
  const bySize = [];
  for (const devices of sizes) bySize.push(await measureSize(ctx, devices));
  return { sizes, bySize };
}

module.exports = { run };
