'use strict';
/**
 * Scenario 2: bursts. In a fresh namespace, `pairs` veth pairs are added one request each, then
 * every end is brought up one request each, then all are deleted by one group delete (the kernel
 * unregisters them together and sends every DELLINK/DELNETCONF inside one syscall: the hardest
 * burst). A subscriber child (linux adapter, default receive buffer) keeps its table from events.
 * After each phase, once the subscriber has been quiet for 1.5 s, its table is compared with a
 * fresh dump made by a fresh process (full rows), and with `ip -j link` (index, name, MTU,
 * operstate) as an independent check. Run once with an idle and once with a busy main thread.
 *
 * Delivery lag (the target): the subscriber's last event (CLOCK_MONOTONIC) minus the time an
 * `ip -ts monitor link` running in the namespace received the kernel's last message of the phase
 * (wall clock converted with a REALTIME/MONOTONIC pair read at the end of the phase); at most 0 when
 * delivery was complete before the kernel stopped sending (after the up phase the kernel's linkwatch
 * work sends operstate messages for seconds, the last ones repeating a state already sent: no event
 * is due for them). Also recorded: the last event's own delay (event minus ip monitor's last
 * message about the same interface before it: catches an event held back while the rest went on),
 * and the lag from the return of the phase's last request (the group delete is one long syscall that
 * sends its messages all along, so that one is negative there). Fallback when ip monitor saw
 * nothing: the last request.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter, clockPair } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');
const { diffTables } = require('../lib/rows.js');
const { parseIpMonitor } = require('../lib/ip-monitor.js');
const { cpuAndSwitches } = require('../lib/proc.js');
const { judgedLagMs } = require('../lib/targets.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const GROUP = 7;
const QUIET_MS = 1500;
const SILENT_FIELDS = ['reachableTime'];

/** Per-phase change of the adapter's cumulative counters (gauges such as tableSize pass through). */
const GAUGES = new Set(['open', 'liveRegistrations', 'readerRegistrations', 'receiveBufferOption', 'tableSize', 'portId']);
function delta(before, after) {
  if (!after) return null;
  const out = {};
  for (const [k, v] of Object.entries(after)) {
    out[k] = typeof v === 'number' && !GAUGES.has(k) && before && typeof before[k] === 'number' ? v - before[k] : v;
  }
  return out;
}

async function waitQuiet(child, limitMs) {
  const start = Date.now();
  let last = (await child.request('progress')).lastEventUs;
  let stableSince = Date.now();
  while (Date.now() - start < limitMs) {
    await sleep(250);
    const p = (await child.request('progress')).lastEventUs;
    if (p !== last) {
      last = p;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= QUIET_MS) return true;
  }
  return false;
}

async function kernelTable(ctx, ns) {
  const c = new Child('table-dump.js', { dist: ctx.dist, netns: ns.path });
  const m = await c.waitFor('table', 60000);
  await c.exited;
  return m.rows;
}

/** Independent check against iproute2: inet rows only (one per device), index/name/MTU/operstate. */
function ipLinkDiff(ns, rows) {
  const links = ns.links();
  const mine = new Map(rows.filter((r) => r.family === 'inet').map((r) => [r.interfaceIndex, r]));
  const problems = [];
  for (const l of links) {
    const r = mine.get(l.ifindex);
    if (!r) problems.push(`${l.ifname}: no inet row`);
    else {
      if (r.interfaceName !== l.ifname) problems.push(`${l.ifname}: name ${r.interfaceName}`);
      if (r.nlMtu !== l.mtu) problems.push(`${l.ifname}: mtu ${r.nlMtu} vs ${l.mtu}`);
      // The kernel counts UNKNOWN as operationally up when the lower layer is (netif_oper_up(); lo).
      const up = l.operstate === 'UP' || (l.operstate === 'UNKNOWN' && (l.flags || []).includes('LOWER_UP'));
      if (r.connected !== up) problems.push(`${l.ifname}: connected ${r.connected} vs ${l.operstate}`);
      mine.delete(l.ifindex);
    }
  }
  for (const r of mine.values()) problems.push(`${r.interfaceName}: not in ip link`);
  return problems;
}

async function runOnce(ctx, pairs, busyMs) {
  const ns = BenchNetns.create(busyMs ? 'burstbusy' : 'burstidle');
  const writer = new RtnlWriter(ns.path);
  const monFile = path.join(os.tmpdir(), `rxipi-bench-burst-${process.pid}.txt`);
  const fd = fs.openSync(monFile, 'w');
  const mon = spawn('ip', ['-n', ns.name, '-ts', 'monitor', 'link'], { stdio: ['ignore', fd, 'ignore'], env: { ...process.env, TZ: 'UTC' } });
  fs.closeSync(fd);
  const child = new Child('burst-subscriber.js', { dist: ctx.dist, netns: ns.path, busyMs });
  const phases = [];
  let prevStats = null;
  try {
    await child.waitFor('ready', 30000);
    await sleep(300);
    const steps = [
      ['add', () => { let s; for (let i = 0; i < pairs; i++) s = writer.addVeth(`bb${i}`, `bb${i}p`, GROUP); return s; }],
      ['up', () => { let s; for (let i = 0; i < pairs; i++) { writer.setUpByName(`bb${i}`, true); s = writer.setUpByName(`bb${i}p`, true); } return s; }],
      ['delete', () => writer.deleteGroup(GROUP)],
    ];
    for (const [name, step] of steps) {
      const before = (await child.request('progress')).counts;
      fs.truncateSync(monFile, 0);
      const cpu0 = cpuAndSwitches(child.pid);
      const first = clockPair();
      step();
      const last = clockPair(); // after the last request's ACK
      const quiet = await waitQuiet(child, 120000);
      const cpu1 = cpuAndSwitches(child.pid);
      const snap = await child.request('snapshot', {}, 120000);
      const truth = await kernelTable(ctx, ns);
      const diff = diffTables(snap.rows, truth);
      // IPv6 reachableTime is re-randomized by the kernel every 300 s (neigh_periodic_work) without
      // any message: a difference there says nothing about bursts. Judged without it, shown apart.
      const silent = diffTables(snap.rows, truth, SILENT_FIELDS);
      const ipDiff = ipLinkDiff(ns, snap.rows);
      const mon = parseIpMonitor(fs.readFileSync(monFile, 'utf8'));
      const offsetUs = Number(last.realNs - last.monoNs) / 1000;
      const lastKernelMonoUs = mon.length ? Math.max(...mon.map((e) => e[0])) - offsetUs : null;
      // The kernel message behind the subscriber's last event: ip monitor's last message about that
      // interface received before the event.
      let causeMonoUs = null;
      for (const e of mon) {
        const t = e[0] - offsetUs;
        if (e[1] === snap.lastEventIndex && t <= snap.lastEventUs && (causeMonoUs === null || t > causeMonoUs)) causeMonoUs = t;
      }
      const lastChangeUs = Number(last.monoNs) / 1000;
      const events = Object.fromEntries(Object.entries(snap.counts).map(([k, v]) => [k, v - before[k]]));
      const lagIpMon = causeMonoUs !== null && snap.lastEventUs ? (snap.lastEventUs - causeMonoUs) / 1000 : null;
      const lagReq = snap.lastEventUs ? (snap.lastEventUs - lastChangeUs) / 1000 : null;
      phases.push({
        phase: name,
        requestsSeconds: Number(last.monoNs - first.monoNs) / 1e9,
        events,
        quiet,
        lagFromLastRequestMs: lagReq,
        lagFromIpMonitorLastMs: lagIpMon,
        kernelTrailMs: lastKernelMonoUs !== null ? (lastKernelMonoUs - lastChangeUs) / 1000 : null,
        lastEventAfterKernelLastMs: lastKernelMonoUs !== null && snap.lastEventUs ? (snap.lastEventUs - lastKernelMonoUs) / 1000 : null,
        ipMonitorMessages: mon.length,
        // The subscriber process's CPU over the phase (busy runs include the 20 ms chunks).
        subscriberCpuMs: (cpu1.cpuNs - cpu0.cpuNs) / 1e6,
        tableRows: snap.rows.length,
        kernelRows: truth.length,
        diff: {
          empty: silent.empty,
          emptyIncludingSilentFields: diff.empty,
          onlySubscriber: silent.onlyMine.length,
          missing: silent.missing.length,
          differing: silent.differing.slice(0, 5),
          differingCount: silent.differing.length,
          silentFieldDiffs: diff.differing.filter((d) => d.fields.every((f) => SILENT_FIELDS.includes(f))),
        },
        ipLinkProblems: ipDiff.slice(0, 5),
        ipLinkProblemCount: ipDiff.length,
        stats: snap.stats,
        statsDelta: delta(prevStats, snap.stats),
      });
      prevStats = snap.stats;
      ctx.log(`  burst ${busyMs ? 'busy' : 'idle'} ${name}: ${JSON.stringify(events)} lag ${judgedLagMs(phases.at(-1))?.toFixed(1)} ms (last event's own delay ${phases.at(-1).lagFromIpMonitorLastMs?.toFixed(1)} ms), diff ${silent.empty ? 'empty' : 'NOT EMPTY'}${diff.empty ? '' : ` (rows differing only in reachableTime: ${diff.differing.length})`}, ip link check ${ipDiff.length ? ipDiff.length + ' problems' : 'ok'}`);
    }
    const final = await child.request('snapshot', {}, 60000);
    return { mainThread: busyMs ? `busy (${busyMs} ms chunks)` : 'idle', pairs, phases, stats: final.stats, busyChunks: final.busyChunks };
  } finally {
    await child.stop();
    mon.kill('SIGTERM');
    fs.rmSync(monFile, { force: true });
    writer.close();
    ns.delete();
  }
}

async function run(ctx) {
  const pairs = ctx.quick ? 300 : 2000;
  ctx.log(`burst: ${pairs} veth pairs added, up, deleted; idle then busy main thread`);
  const runs = [];
  for (const busyMs of [0, 20]) {
    try {
      runs.push(await runOnce(ctx, pairs, busyMs));
    } catch (error) {
      runs.push({ mainThread: busyMs ? 'busy' : 'idle', pairs, failed: String(error && error.message ? error.message : error).split('\n')[0] });
      ctx.log(`  burst ${busyMs ? 'busy' : 'idle'}: FAILED ${runs.at(-1).failed}`);
    }
  }
  return { pairs, runs };
}

module.exports = { run };
