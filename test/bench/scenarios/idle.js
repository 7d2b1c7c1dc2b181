'use strict';
/**
 * Scenario 3: idle cost. Three processes side by side over the same window, each in (or watching)
 * its own namespace with lo and one veth pair, nothing changing: a bare Node process (baseline),
 * one with a live subscription through the linux adapter, one through the polling adapter at 1 s
 * (run inside its namespace, so it polls that namespace's 3 links). The window starts after a
 * settle of 30 s (quick: 12 s): V8's memory reducer runs a one-off full GC some 8-16 s after a
 * process that loaded code goes idle (seen with --trace-gc: "Mark-Compact (reduce)", 100-200
 * context switches of V8's worker threads), sometimes more than once; the settle phase is reported
 * apart, and every child runs with --trace-gc so the GCs inside the window are counted. CPU time (sum of
 * the threads' schedstat run time) and context switches (voluntary + involuntary, summed over
 * threads; also the main thread's voluntary count alone) are read at the start and end.
 * Target: zero wakeups for the linux adapter (same as the bare process).
 */
const { BenchNetns } = require('../lib/netns.js');
const { Child } = require('../lib/child.js');
const { cpuAndSwitches } = require('../lib/proc.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run(ctx) {
  const seconds = ctx.quick ? 10 : 30;
  const settleSeconds = ctx.quick ? 12 : 30;
  ctx.log(`idle: ${settleSeconds} s settle, then a ${seconds} s window, no changes`);
  const entries = [];
  try {
    for (const adapter of ['none', 'linux', 'polling']) {
      const ns = BenchNetns.create(`idle${adapter}`);
      ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
      ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'bv0');
      ns.ip('link', 'set', 'bv0p', 'up');
      ns.ip('link', 'set', 'bv0', 'up');
      const opts = { dist: ctx.dist, adapter, netns: ns.path, intervalMs: 1000 };
      // --trace-gc: a context switch in the window can then be told apart from a V8 GC.
      const child = new Child('idle-subscriber.js', opts, { nodeArgs: ['--trace-gc'], pipeStdout: true, netns: adapter === 'polling' ? ns.name : undefined });
      entries.push({ adapter, ns, child });
    }
    for (const e of entries) {
      try {
        await e.child.waitFor('ready', 20000);
      } catch (error) {
        e.unavailable = String(error.message).split('\n')[0];
        ctx.log(`  idle ${e.adapter}: unavailable: ${e.unavailable}`);
      }
    }
    const live = entries.filter((e) => !e.unavailable);
    for (const e of live) e.start = cpuAndSwitches(e.child.pid);
    await sleep(settleSeconds * 1000);
    for (const e of live) e.before = cpuAndSwitches(e.child.pid);
    const windowStart = Date.now();
    await sleep(seconds * 1000);
    for (const e of live) e.after = cpuAndSwitches(e.child.pid);
    const windowEnd = Date.now();
    const result = { seconds, settleSeconds, processes: {} };
    for (const e of entries) {
      const label = e.adapter === 'none' ? 'bare node (baseline)' : e.adapter === 'linux' ? 'library, linux adapter' : 'library, polling adapter 1 s';
      if (e.unavailable) {
        result.processes[e.adapter] = { label, unavailable: e.unavailable };
        continue;
      }
      const { before: b, after: a } = e;
      const cpuMs = (a.cpuNs - b.cpuNs) / 1e6;
      const switches = a.voluntary + a.involuntary - (b.voluntary + b.involuntary);
      result.processes[e.adapter] = {
        label,
        cpuMs,
        cpuSecondsPerHour: (cpuMs / 1000) * (3600 / seconds),
        contextSwitches: switches,
        wakeupsPerSecond: switches / seconds,
        mainThreadVoluntary: a.mainVoluntary - b.mainVoluntary,
        ticks: a.ticks - b.ticks,
        threads: a.threads,
        gcsInWindow: e.child.lines.filter((l) => l.at >= windowStart && l.at <= windowEnd && /: (Scavenge|Mark-Compact|Mark-sweep)/.test(l.line)).length,
        gcsInSettle: e.child.lines.filter((l) => l.at < windowStart && /: (Scavenge|Mark-Compact|Mark-sweep)/.test(l.line) && / ms: /.test(l.line) && Number(/(\d+) ms: /.exec(l.line)[1]) > 1000).length,
        // Counts of threads alive at both ends only (a thread that exited in between takes its count with it).
        settleContextSwitches: Math.max(0, b.voluntary + b.involuntary - (e.start.voluntary + e.start.involuntary)),
        settleCpuMs: (b.cpuNs - e.start.cpuNs) / 1e6,
      };
    }
    return result;
  } finally {
    for (const e of entries) {
      await e.child.stop();
      e.ns.delete();
    }
  }
}

module.exports = { run };
