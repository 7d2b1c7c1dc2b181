'use strict';
/**
 * Scenario 1: change -> listener latency, side by side in one run.
 *
 * Each listener gets its own namespace with one veth pair (`bv0` <-> `bv0p`, peer up), so a change
 * wakes exactly one listener and they never compete for the 2 cores over the same change. Changes
 * go round-robin over the namespaces (listener A, B, C, D, A, ...), `gapMs` apart (jittered), so
 * every listener sees the same machine state over the run. Per namespace the changes alternate an
 * MTU change (to a value different from the last 199) and an up/down toggle.
 *
 * Clocks: the trigger (this process, lib/rtnl.js) stamps CLOCK_REALTIME and CLOCK_MONOTONIC right
 * before each change's sendto(). Node listeners stamp CLOCK_MONOTONIC (process.hrtime) and are
 * compared with the monotonic stamp. `ip -ts monitor` stamps with gettimeofday() (wall clock, us)
 * when it has received a message, before formatting it; it is compared with the CLOCK_REALTIME
 * stamp, so the two clock domains never mix. Drift of (REALTIME - MONOTONIC) over the run is
 * reported: if NTP slews the wall clock the ip monitor figures shift by that much.
 *
 * What counts as "seen": for an MTU change, the first event that shows the new MTU; for up/down,
 * the first event whose operational state shows it (ip monitor "state UP", netlink package
 * IFLA_OPERSTATE, this library `connected`), i.e. what a user waits for. An up on a veth is two
 * kernel messages (flags, then operstate from the linkwatch work): all listeners are measured to
 * the second one.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter, clockPair } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');
const { cpuAndSwitches } = require('../lib/proc.js');
const { summarize } = require('../lib/stats.js');
const { parseIpMonitor } = require('../lib/ip-monitor.js');
const { match, MTU_SPAN } = require('../lib/match.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MTU_BASE = 1300;

/** Compiles children/floor-listener.c (the C floor) into a fresh temp dir; returns the binary. */
function buildFloorC() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxipi-bench-floorc-'));
  const binary = path.join(dir, 'floor-listener');
  try {
    execFileSync('gcc', ['-O2', '-o', binary, path.join(__dirname, '..', 'children', 'floor-listener.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`gcc could not build the C floor listener: ${String(error.stderr || error.message).split('\n')[0]}`);
  }
  return { dir, binary };
}

/** The C floor's records ("us ifindex mtu up" lines) as events. */
function parseFloorC(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(' ').map(Number));
}

function makeListenerNetns(label) {
  const ns = BenchNetns.create(label);
  ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
  ns.ip('link', 'set', 'bv0p', 'up');
  // An address so the interface is visible to os.networkInterfaces() (the polling adapter); given
  // to every namespace so all listeners see identical kernel work. TEST-NET-1, no traffic is sent.
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'bv0');
  ns.ip('link', 'set', 'bv0', 'mtu', '1500', 'up');
  return { ns, ifindex: ns.ifindex('bv0') };
}

async function startListeners(ctx, which) {
  const listeners = [];
  for (const id of which) {
    const { ns, ifindex } = makeListenerNetns(id.replace(/[^a-z]/g, '').slice(0, 8));
    const l = { id, ns, ifindex, clock: 'mono', writer: new RtnlWriter(ns.path), changes: [], state: { mtu: 1500, up: 1 } };
    try {
      if (id === 'ip-monitor') {
        l.clock = 'real';
        l.outFile = path.join(os.tmpdir(), `rxipi-bench-ipmon-${process.pid}.txt`);
        const fd = fs.openSync(l.outFile, 'w');
        l.proc = spawn('ip', ['-n', ns.name, '-ts', 'monitor', 'link'], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, TZ: 'UTC' } });
        fs.closeSync(fd);
        l.pid = l.proc.pid;
      } else if (id === 'netlink-npm') {
        l.child = new Child('netlink-listener.js', {}, { netns: ns.name });
      } else if (id === 'library') {
        l.child = new Child('library-listener.js', { dist: ctx.dist, adapter: 'linux', netns: ns.path, family: 'inet' });
      } else if (id === 'floor-koffi') {
        l.child = new Child('floor-listener.js', {}, { netns: ns.name });
      } else if (id === 'floor-c') {
        // No ready signal, as ip monitor: the run's settle time covers its start (a few ms).
        l.build = buildFloorC();
        l.outFile = path.join(l.build.dir, 'events.txt');
        const fd = fs.openSync(l.outFile, 'w');
        l.proc = spawn('ip', ['netns', 'exec', ns.name, l.build.binary], { stdio: ['ignore', fd, 'inherit'] });
        fs.closeSync(fd);
        l.pid = l.proc.pid;
      } else if (id === 'polling-1s') {
        l.child = new Child('library-listener.js', { dist: ctx.dist, adapter: 'polling', intervalMs: 1000, family: 'inet' }, { netns: ns.name });
      }
      if (l.child) {
        l.pid = l.child.pid;
        await l.child.waitFor('ready', 20000);
      }
    } catch (error) {
      l.unavailable = String(error && error.message ? error.message : error).split('\n')[0];
      ctx.log(`  ${id}: unavailable: ${l.unavailable}`);
      if (l.child) await l.child.stop(1000);
      l.child = undefined;
    }
    listeners.push(l);
  }
  return listeners;
}

/** One change on listener `l`: alternately an MTU change and an up/down toggle. */
function change(l, record) {
  let stamp;
  let kind;
  let value;
  if ((l.seq = (l.seq ?? 0) + 1) % 2 === 1) {
    kind = 'mtu';
    value = MTU_BASE + (l.seq >> 1) % MTU_SPAN;
    if (value === l.state.mtu) value += 1;
    stamp = l.writer.setMtu(l.ifindex, value);
    l.state.mtu = value;
  } else {
    kind = 'up';
    value = l.state.up ? 0 : 1;
    stamp = l.writer.setUp(l.ifindex, value === 1);
    l.state.up = value;
  }
  if (record) l.changes.push({ kind, value, monoUs: Number(stamp.monoNs) / 1000, realUs: Number(stamp.realNs / 1000n) });
}

async function run(ctx) {
  const count = ctx.quick ? 1000 : 1000;
  const gapMs = 4;
  const ids = ['library', 'ip-monitor', 'netlink-npm', 'floor-koffi', 'floor-c', 'polling-1s'];
  ctx.log(`latency: ${count} changes per listener, ${gapMs} ms apart round-robin over ${ids.length} namespaces`);
  const listeners = await startListeners(ctx, ids);
  const active = listeners.filter((l) => !l.unavailable);
  try {
    await sleep(500); // ip monitor has no ready signal: give it time to subscribe
    for (let i = 0; i < 10; i++) {
      for (const l of active) change(l, false);
      await sleep(gapMs);
    }
    await sleep(1500);
    if (active.some((l) => l.child && l.id === 'polling-1s')) await sleep(1000);
    for (const l of active) if (l.child) await l.child.request('events');
    if (active.find((l) => l.id === 'ip-monitor')) fs.truncateSync(active.find((l) => l.id === 'ip-monitor').outFile, 0);

    for (const l of active) l.cpu0 = cpuAndSwitches(l.pid);
    const clock0 = clockPair();
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      for (const l of active) {
        change(l, true);
        await sleep(gapMs * (0.75 + Math.random() * 0.5));
      }
    }
    const clock1 = clockPair();
    await sleep(300);
    for (const l of active) l.cpu1 = cpuAndSwitches(l.pid);
    const runSeconds = (Date.now() - t0) / 1000;
    await sleep(2500); // late events, and the poller's next sample
    const driftUs = Number(clock1.realNs - clock1.monoNs - (clock0.realNs - clock0.monoNs)) / 1000;

    const results = {};
    const collected = new Map();
    for (const l of listeners) if (l.child && !l.unavailable) collected.set(l, (await l.child.request('events')).events);
    const lib = active.find((l) => l.id === 'library');
    const libStats = lib ? (await lib.child.request('stats')).stats : null;

    // The poller samples once a second: at 4 ms spacing its latency would only be the age of the
    // state it happened to sample. Measure it again with up/down changes 1.05-1.6 s apart.
    const poller = active.find((l) => l.id === 'polling-1s');
    let slow;
    if (poller) {
      const n = ctx.quick ? 10 : 25;
      ctx.log(`  polling adapter: ${n} up/down changes 1.05-1.6 s apart`);
      const rapidChanges = poller.changes;
      poller.changes = [];
      for (let i = 0; i < n; i++) {
        await sleep(1050 + Math.random() * 550);
        poller.seq = 1; // next change() is an up/down toggle
        change(poller, true);
      }
      await sleep(2500);
      const events = (await poller.child.request('events')).events;
      slow = { changes: poller.changes, events };
      poller.changes = rapidChanges;
    }

    for (const l of listeners) {
      if (l.unavailable) {
        results[l.id] = { unavailable: l.unavailable };
        continue;
      }
      let events;
      if (l.id === 'ip-monitor') {
        l.proc.kill('SIGTERM');
        await new Promise((r) => (l.proc.exitCode !== null ? r() : l.proc.once('exit', r)));
        events = parseIpMonitor(fs.readFileSync(l.outFile, 'utf8'));
        fs.rmSync(l.outFile, { force: true });
      } else if (l.id === 'floor-c') {
        l.proc.kill('SIGTERM');
        await new Promise((r) => (l.proc.exitCode !== null ? r() : l.proc.once('exit', r)));
        events = parseFloorC(fs.readFileSync(l.outFile, 'utf8'));
      } else {
        events = collected.get(l);
      }
      const lat = match(l.changes, events, l.ifindex, l.clock);
      const pick = (kind) => lat.filter((v, i) => v !== null && l.changes[i].kind === kind);
      const all = lat.filter((v) => v !== null);
      results[l.id] = {
        clock: l.clock === 'real' ? 'CLOCK_REALTIME (ip -ts)' : 'CLOCK_MONOTONIC',
        changes: l.changes.length,
        events: events.length,
        seen: all.length,
        missed: l.changes.length - all.length,
        missedMtu: l.changes.filter((c, i) => c.kind === 'mtu' && lat[i] === null).length,
        missedUpDown: l.changes.filter((c, i) => c.kind === 'up' && lat[i] === null).length,
        all: summarize(all),
        mtu: summarize(pick('mtu')),
        upDown: summarize(pick('up')),
        samplesUs: all.map((v) => Math.round(v * 10) / 10),
        // CPU the listener process spent per change during the run (all its threads).
        cpuUsPerChange: (l.cpu1.cpuNs - l.cpu0.cpuNs) / 1000 / l.changes.length,
        wakeupsPerChange: (l.cpu1.voluntary + l.cpu1.involuntary - l.cpu0.voluntary - l.cpu0.involuntary) / l.changes.length,
      };
    }
    if (slow) {
      const poller = active.find((l) => l.id === 'polling-1s');
      const lat = match(slow.changes, slow.events, poller.ifindex, 'mono');
      const all = lat.filter((v) => v !== null);
      results['polling-1s'].latencyNote = 'rapid schedule: seen/missed only; latency: see polling-1s-slow';
      results['polling-1s-slow'] = {
        clock: 'CLOCK_MONOTONIC',
        changes: slow.changes.length,
        events: slow.events.length,
        seen: all.length,
        missed: slow.changes.length - all.length,
        missedMtu: 0,
        missedUpDown: slow.changes.length - all.length,
        all: summarize(all),
        mtu: summarize([]),
        upDown: summarize(all),
        samplesUs: all.map((v) => Math.round(v)),
      };
    }
    if (libStats && results.library) results.library.adapterStats = libStats;
    return { count, gapMs, runSeconds, clockDriftUs: driftUs, listeners: results };
  } finally {
    for (const l of listeners) {
      if (l.proc && l.proc.exitCode === null) l.proc.kill('SIGTERM');
      if (l.build) fs.rmSync(l.build.dir, { recursive: true, force: true });
      if (l.child) await l.child.stop();
      l.writer.close();
      l.ns.delete();
    }
  }
}

module.exports = { run };
