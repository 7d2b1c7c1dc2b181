'use strict';
/**
 * Routes (issue 14), side by side in one run:
 * 1. latency: change -> listener, this library's linux adapter (`notifyRouteChange2`, under
 *    `routeChanges$`) against `ip -ts monitor route`. Each listener has its own namespace with one
 *    veth (`bv0`, 10.9.0.1/24, peer up); changes go round-robin over the namespaces `gapMs` apart,
 *    alternately adding and deleting a /24 via 10.9.0.2 (a new prefix for every pair). The trigger
 *    (lib/rtnl.js) stamps CLOCK_REALTIME and CLOCK_MONOTONIC right before each RTM_NEWROUTE /
 *    RTM_DELROUTE sendto(); the library stamps CLOCK_MONOTONIC in its callback, ip monitor
 *    gettimeofday(): each is compared within its own clock domain, as in latency.js.
 * 2. burst: 5000 routes added, then deleted, one request each as fast as the trigger goes, in the
 *    library's namespace: time from the first request to the last notification, and whether every
 *    route was seen (after a resync if the buffer overran).
 * 3. default-route delay: `ip route replace default` alternately via 10.9.0.2 and 10.9.0.3 (one
 *    RTM_NEWROUTE with NLM_F_REPLACE); the library asks `getBestRoute2(inet, 192.0.2.1)` on every
 *    default-route notification: the delay is from the change to the answer naming the new
 *    gateway (what `defaultRoute$` waits for), beside ip monitor seeing the message.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');
const { summarize } = require('../lib/stats.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;

function attr(type, payload) {
  const buf = Buffer.alloc((4 + payload.length + 3) & ~3);
  buf.writeUInt16LE(4 + payload.length, 0);
  buf.writeUInt16LE(type, 2);
  payload.copy(buf, 4);
  return buf;
}
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
};
const ipv4 = (text) => Buffer.from(text.split('.').map(Number));

/** RTM_NEWROUTE / RTM_DELROUTE of `prefix` (a.b.c.d/len) via `gateway` on `oif`, table main, proto static. */
function routeRequest(writer, type, flags, prefix, gateway, oif) {
  const [dst, len] = prefix.split('/');
  const rtm = Buffer.alloc(12);
  rtm.writeUInt8(2, 0); // AF_INET
  rtm.writeUInt8(Number(len), 1);
  rtm.writeUInt8(254, 4); // RT_TABLE_MAIN
  rtm.writeUInt8(4, 5); // RTPROT_STATIC
  rtm.writeUInt8(0, 6); // RT_SCOPE_UNIVERSE
  rtm.writeUInt8(1, 7); // RTN_UNICAST
  const attrs = [attr(RTA_DST, ipv4(dst)), attr(RTA_OIF, u32(oif))];
  if (gateway) attrs.push(attr(RTA_GATEWAY, ipv4(gateway)));
  return writer.request(type, flags, Buffer.concat([rtm, ...attrs]));
}

/** `ip -ts monitor route` lines (TZ=UTC) as [wall us, 1 add / 0 delete, prefix, nextHop]. */
function parseIpMonitorRoutes(text) {
  const out = [];
  const re = /^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})\]\s+(Deleted\s+)?(?:unicast\s+)?(\S+)(?:\s+via\s+(\S+))?/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const sec = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    let prefix = m[9] === 'default' ? '0.0.0.0/0' : m[9];
    if (!prefix.includes('/')) prefix += '/32';
    out.push([sec * 1e6 + Number(m[7]), m[8] ? 0 : 1, prefix, m[10] ?? '0.0.0.0']);
  }
  return out;
}

/** For each change, the latency to the first event after it of the same kind, prefix (and gateway when given). */
function matchRoutes(changes, events, clock) {
  const used = new Set();
  return changes.map((c) => {
    const at = clock === 'real' ? c.realUs : c.monoUs;
    for (let i = 0; i < events.length; i++) {
      if (used.has(i)) continue;
      const [t, type, prefix, nextHop] = events[i];
      if (t + 50 < at || prefix !== c.prefix) continue; // 50 us of stamping slack
      if (c.add ? type === 0 : type !== 0) continue;
      if (c.gateway && c.add && nextHop !== c.gateway) continue;
      used.add(i);
      return Math.max(0, t - at);
    }
    return null;
  });
}

function makeNetns(label) {
  const ns = BenchNetns.create(label);
  ns.ip('link', 'add', 'bv0', 'type', 'veth', 'peer', 'name', 'bv0p');
  ns.ip('link', 'set', 'bv0p', 'up');
  ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'bv0');
  ns.ip('link', 'set', 'bv0', 'up');
  return { ns, oif: ns.ifindex('bv0') };
}

const stampOf = (stamp) => ({ monoUs: Number(stamp.monoNs) / 1000, realUs: Number(stamp.realNs / 1000n) });

async function run(ctx) {
  const count = ctx.quick ? 400 : 2000;
  const defaults = ctx.quick ? 40 : 200;
  const burstCount = 5000;
  const gapMs = 4;
  const lib = { id: 'library', clock: 'mono', ...makeNetns('rtlib'), changes: [], defaults: [] };
  const mon = { id: 'ip-monitor', clock: 'real', ...makeNetns('rtmon'), changes: [], defaults: [] };
  const listeners = [lib, mon];
  try {
    for (const l of listeners) l.writer = new RtnlWriter(l.ns.path);
    // Adds and deletes from the trigger: a route via a gateway needs the connected route first.
    for (const l of listeners) routeRequest(l.writer, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, '0.0.0.0/0', '10.9.0.2', l.oif);
    lib.child = new Child('route-listener.js', { dist: ctx.dist, netns: lib.ns.path, family: 'inet', bestRoute: true });
    await lib.child.waitFor('ready', 20000);
    mon.outFile = path.join(os.tmpdir(), `rxipi-bench-iproute-${process.pid}.txt`);
    const fd = fs.openSync(mon.outFile, 'w');
    mon.proc = spawn('ip', ['-n', mon.ns.name, '-ts', 'monitor', 'route'], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, TZ: 'UTC' } });
    fs.closeSync(fd);
    await sleep(300);
    ctx.log(`routes: ${count} route changes per listener, ${gapMs} ms apart round-robin; ${defaults} default changes; a ${burstCount}-route burst`);

    // 1. Latency.
    for (let i = 0; i < count; i++) {
      const k = i >> 1;
      const prefix = `10.${200 + ((k >> 8) & 31)}.${k & 255}.0/24`;
      const add = i % 2 === 0;
      for (const l of listeners) {
        const stamp = add
          ? routeRequest(l.writer, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, prefix, '10.9.0.2', l.oif)
          : routeRequest(l.writer, RTM_DELROUTE, 0, prefix, '10.9.0.2', l.oif);
        l.changes.push({ add, prefix, ...stampOf(stamp) });
        await sleep(gapMs / listeners.length);
      }
    }
    // 3. Default-route changes (before the burst, so the burst's resyncs cannot overlap them).
    for (let j = 0; j < defaults; j++) {
      const gateway = j % 2 === 0 ? '10.9.0.3' : '10.9.0.2';
      for (const l of listeners) {
        const stamp = routeRequest(l.writer, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, '0.0.0.0/0', gateway, l.oif);
        l.defaults.push({ add: true, prefix: '0.0.0.0/0', gateway, ...stampOf(stamp) });
        await sleep(20);
      }
    }
    await sleep(500);
    const first = await lib.child.request('events');
    mon.proc.kill('SIGTERM');
    await new Promise((r) => (mon.proc.exitCode !== null ? r() : mon.proc.once('exit', r)));
    const monEvents = parseIpMonitorRoutes(fs.readFileSync(mon.outFile, 'utf8'));
    fs.rmSync(mon.outFile, { force: true });

    const results = {};
    for (const [l, events] of [[lib, first.events], [mon, monEvents]]) {
      const lat = matchRoutes(l.changes, events, l.clock);
      const seen = lat.filter((v) => v !== null);
      const defaultLat = matchRoutes(l.defaults, events, l.clock).filter((v) => v !== null);
      results[l.id] = {
        clock: l.clock === 'real' ? 'CLOCK_REALTIME (ip -ts)' : 'CLOCK_MONOTONIC',
        changes: l.changes.length,
        seen: seen.length,
        missed: l.changes.length - seen.length,
        all: summarize(seen),
        add: summarize(lat.filter((v, i) => v !== null && l.changes[i].add)),
        delete: summarize(lat.filter((v, i) => v !== null && !l.changes[i].add)),
        defaultMessage: summarize(defaultLat),
        defaultSeen: defaultLat.length,
      };
    }
    // getBestRoute2 answers naming the new gateway, after each default change.
    const answerDelays = [];
    for (const c of lib.defaults) {
      const a = first.answers.find(([t, nextHop]) => t + 50 >= c.monoUs && nextHop === c.gateway);
      if (a) answerDelays.push(Math.max(0, a[0] - c.monoUs));
    }
    results.library.bestRouteAfterDefault = summarize(answerDelays);
    results.library.bestRouteAnswered = answerDelays.length;

    // 2. Burst, in the library's namespace only.
    const burst = {};
    for (const phase of ['add', 'delete']) {
      const t0 = process.hrtime.bigint();
      let firstUs;
      let lastStampUs;
      for (let i = 0; i < burstCount; i++) {
        const prefix = `10.${100 + (i >> 8)}.${i & 255}.0/24`;
        const stamp = phase === 'add'
          ? routeRequest(lib.writer, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, prefix, '10.9.0.2', lib.oif)
          : routeRequest(lib.writer, RTM_DELROUTE, 0, prefix, '10.9.0.2', lib.oif);
        lastStampUs = Number(stamp.monoNs) / 1000;
        firstUs ??= lastStampUs;
      }
      const writeMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const deadline = Date.now() + 30000;
      let seen = 0;
      let lastUs = 0;
      const want = new Set(Array.from({ length: burstCount }, (_, i) => `10.${100 + (i >> 8)}.${i & 255}.0/24`));
      while (Date.now() < deadline && seen < burstCount) {
        await sleep(50);
        const { events } = await lib.child.request('events');
        for (const [t, type, prefix] of events) {
          if ((phase === 'add') !== (type !== 0) || !want.delete(prefix)) continue;
          seen++;
          lastUs = Math.max(lastUs, t);
        }
      }
      burst[phase] = { routes: burstCount, seen, writeMs: Math.round(writeMs), lastNotificationAfterFirstRequestMs: seen ? Math.round((lastUs - firstUs) / 100) / 10 : null, lagAfterLastRequestMs: seen ? Math.round((lastUs - lastStampUs) / 100) / 10 : null };
    }
    const { stats } = await lib.child.request('stats');
    burst.adapterStats = { overruns: stats.overruns, resyncs: stats.resyncs, routeRows: stats.routeRows, routeDeviceDumps: stats.routeDeviceDumps, dumps: stats.dumps };
    const r = results;
    ctx.log(`  route latency p50/p99: library ${fmt(r.library.all)} (${r.library.seen}/${r.library.changes}), ip monitor ${fmt(r['ip-monitor'].all)} (${r['ip-monitor'].seen}/${r['ip-monitor'].changes})`);
    ctx.log(`  default change -> message: library ${fmt(r.library.defaultMessage)}, ip monitor ${fmt(r['ip-monitor'].defaultMessage)}; -> getBestRoute2 names the new gateway: ${fmt(r.library.bestRouteAfterDefault)} (${r.library.bestRouteAnswered}/${defaults})`);
    ctx.log(`  burst of ${burstCount}: add ${JSON.stringify(burst.add)}, delete ${JSON.stringify(burst.delete)}, ${JSON.stringify(burst.adapterStats)}`);
    return { count, gapMs, defaults, listeners: results, burst };
  } finally {
    if (mon.proc && mon.proc.exitCode === null) mon.proc.kill('SIGTERM');
    if (lib.child) await lib.child.stop();
    for (const l of listeners) {
      l.writer?.close();
      l.ns.delete();
    }
  }
}

const fmt = (s) => (s && s.p50 !== undefined && s.p50 !== null ? `${Math.round(s.p50)}/${Math.round(s.p99)} us` : 'n/a');

module.exports = { run, parseIpMonitorRoutes, matchRoutes };
