'use strict';
/**
 * Address latency (issue 13): change -> listener latency of `unicastIpAddressChanges$` (linux
 * adapter) next to `ip -ts monitor address` in the same run, as the interface latency scenario does
 * for links: each listener has its own namespace with one veth pair (`bv0` <-> `bv0p`, both up), the
 * changes go round-robin over the namespaces, `gapMs` apart (jittered), and alternate adding and
 * deleting an IPv4 address (TEST-NET-1 /32 on bv0: no DAD, one kernel message each) through the
 * benchmark's own rtnetlink writer, stamped right before its sendto(). The library listener stamps
 * CLOCK_MONOTONIC in `next`; ip monitor stamps the wall clock, compared with the CLOCK_REALTIME stamp.
 * A minimal Node + koffi listener (children/address-floor-listener.js) is the floor any Node library
 * starts from.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter, clockPair } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');
const { cpuAndSwitches } = require('../lib/proc.js');
const { summarize } = require('../lib/stats.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `ip -ts monitor address` lines (TZ=UTC) as [wall us, ifindex, address, added 1 / removed 0]. */
function parseIpMonitorAddress(text) {
  const events = [];
  const re = /^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})\]\s+(Deleted\s+)?(\d+):\s+\S+\s+inet6?\s+([0-9a-f.:]+)\//;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const sec = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    events.push([sec * 1e6 + Number(m[7]), Number(m[9]), m[10], m[8] ? 0 : 1]);
  }
  return events;
}

/** Latency of each change (us), or null: the first event after the previous match for that address and kind. */
function matchAddresses(changes, events, ifindex, clock) {
  const used = new Set();
  return changes.map((c) => {
    const t0 = clock === 'real' ? c.realUs : c.monoUs;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (used.has(i) || e[1] !== ifindex || e[2] !== c.address || e[3] !== (c.add ? 1 : 0) || e[0] < t0 - 50) continue;
      used.add(i);
      return e[0] - t0;
    }
    return null;
  });
}

async function run(ctx) {
  const count = ctx.quick ? 400 : 1000;
  const gapMs = 4;
  const ids = ['library', 'ip-monitor', 'floor-koffi'];
  ctx.log(`address-latency: ${count} address changes per listener, ${gapMs} ms apart round-robin over ${ids.length} namespaces`);
  const listeners = [];
  try {
    for (const id of ids) {
      const ns = BenchNetns.create(`addr${id.replace(/[^a-z]/g, '').slice(0, 6)}`);
      ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
      ns.ip('link', 'set', 'bv0p', 'up');
      ns.ip('link', 'set', 'bv0', 'up');
      const l = { id, ns, ifindex: ns.ifindex('bv0'), clock: 'mono', writer: new RtnlWriter(ns.path), changes: [], seq: 0 };
      listeners.push(l);
      if (id === 'ip-monitor') {
        l.clock = 'real';
        l.outFile = path.join(os.tmpdir(), `rxipi-bench-ipmonaddr-${process.pid}.txt`);
        const fd = fs.openSync(l.outFile, 'w');
        l.proc = spawn('ip', ['-n', ns.name, '-ts', 'monitor', 'address'], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, TZ: 'UTC' } });
        fs.closeSync(fd);
        l.pid = l.proc.pid;
      } else if (id === 'floor-koffi') {
        l.child = new Child('address-floor-listener.js', {}, { netns: ns.name });
        l.pid = l.child.pid;
        await l.child.waitFor('ready', 20000);
      } else {
        l.child = new Child('address-listener.js', { dist: ctx.dist, netns: ns.path, family: 'inet' });
        l.pid = l.child.pid;
        await l.child.waitFor('ready', 20000);
      }
    }
    /** One change: add 192.0.2.(10 + k)/32, then delete it, then the next address. */
    const change = (l, record) => {
      const k = l.seq++;
      const address = `192.0.2.${10 + ((k >> 1) % 200)}`;
      const add = k % 2 === 0;
      const stamp = l.writer.setAddress(l.ifindex, address, 32, add);
      if (record) l.changes.push({ address, add, monoUs: Number(stamp.monoNs) / 1000, realUs: Number(stamp.realNs / 1000n) });
    };
    await sleep(500); // ip monitor has no ready signal
    for (let i = 0; i < 10; i++) {
      for (const l of listeners) change(l, false);
      await sleep(gapMs);
    }
    await sleep(1000);
    for (const l of listeners) if (l.child) await l.child.request('events');
    fs.truncateSync(listeners.find((l) => l.id === 'ip-monitor').outFile, 0);
    for (const l of listeners) l.cpu0 = cpuAndSwitches(l.pid);
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      for (const l of listeners) {
        change(l, true);
        await sleep(gapMs * (0.75 + Math.random() * 0.5));
      }
    }
    const runSeconds = (Date.now() - t0) / 1000;
    await sleep(300);
    for (const l of listeners) l.cpu1 = cpuAndSwitches(l.pid);
    await sleep(1000);
    const results = {};
    for (const l of listeners) {
      let events;
      if (l.child) events = (await l.child.request('events')).events;
      else {
        l.proc.kill('SIGTERM');
        await new Promise((r) => (l.proc.exitCode !== null ? r() : l.proc.once('exit', r)));
        events = parseIpMonitorAddress(fs.readFileSync(l.outFile, 'utf8'));
        fs.rmSync(l.outFile, { force: true });
      }
      const lat = matchAddresses(l.changes, events, l.ifindex, l.clock);
      const all = lat.filter((v) => v !== null);
      results[l.id] = {
        clock: l.clock === 'real' ? 'CLOCK_REALTIME (ip -ts)' : 'CLOCK_MONOTONIC',
        changes: l.changes.length,
        events: events.length,
        seen: all.length,
        missed: l.changes.length - all.length,
        all: summarize(all),
        added: summarize(lat.filter((v, i) => v !== null && l.changes[i].add)),
        removed: summarize(lat.filter((v, i) => v !== null && !l.changes[i].add)),
        cpuUsPerChange: (l.cpu1.cpuNs - l.cpu0.cpuNs) / 1000 / l.changes.length,
        ...(l.id === 'library' ? { adapterStats: (await l.child.request('stats')).stats } : {}),
      };
    }
    const ours = results.library.all.p50;
    const ip = results['ip-monitor'].all.p50;
    const floor = results['floor-koffi'].all.p50;
    ctx.log(`  address latency p50: library ${ours?.toFixed(0)} us, ip monitor ${ip?.toFixed(0)} us (ratio ${(ours / ip).toFixed(2)}), Node + koffi floor ${floor?.toFixed(0)} us (library / floor ${(ours / floor).toFixed(2)}); missed: library ${results.library.missed}, ip monitor ${results['ip-monitor'].missed}`);
    return { count, gapMs, runSeconds, clockPairEnd: String(clockPair().monoNs), listeners: results };
  } finally {
    for (const l of listeners) {
      if (l.proc && l.proc.exitCode === null) l.proc.kill('SIGTERM');
      if (l.child) await l.child.stop();
      l.writer.close();
      l.ns.delete();
    }
  }
}

module.exports = { run, parseIpMonitorAddress };
