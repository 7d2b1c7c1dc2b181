'use strict';
/**
 * Address burst (issue 13): in a fresh namespace with one veth pair up, `count` IPv4 /32 addresses
 * are added one request each through the benchmark's rtnetlink writer, then deleted one request
 * each. A subscriber child keeps `unicastIpAddressTable$`; once it has been quiet for 1.5 s its
 * table is compared with `ip -n NS -j addr`. Run with the default receive buffer (every change from
 * an event) and with a 4 KiB one (the kernel overruns it: ENOBUFS, re-dump, difference emitted).
 * Lag: the subscriber's last emission minus the return of the phase's last request.
 */
const { BenchNetns } = require('../lib/netns.js');
const { RtnlWriter, clockPair } = require('../lib/rtnl.js');
const { Child } = require('../lib/child.js');
const { cpuAndSwitches } = require('../lib/proc.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const QUIET_MS = 1500;

function kernelAddresses(ns) {
  const links = JSON.parse(ns.ip('-j', 'addr'));
  return links.flatMap((l) => (l.addr_info || []).map((a) => `${a.family} ${l.ifindex} ${l.ifname} ${a.local}/${a.prefixlen}`)).sort();
}

async function waitQuiet(child, limitMs) {
  const start = Date.now();
  let last = (await child.request('progress')).emissions;
  let stableSince = Date.now();
  while (Date.now() - start < limitMs) {
    await sleep(250);
    const p = (await child.request('progress')).emissions;
    if (p !== last) {
      last = p;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= QUIET_MS) return true;
  }
  return false;
}

async function runOnce(ctx, count, receiveBufferBytes) {
  const label = receiveBufferBytes ? 'small' : 'default';
  const ns = BenchNetns.create(`addrburst${label}`);
  ns.ip('link', 'add', 'ba', 'type', 'veth', 'peer', 'name', 'bb');
  ns.ip('link', 'set', 'bb', 'up');
  ns.ip('link', 'set', 'ba', 'up');
  const ifindex = ns.ifindex('ba');
  const writer = new RtnlWriter(ns.path);
  const child = new Child('address-burst-subscriber.js', { dist: ctx.dist, netns: ns.path, receiveBufferBytes });
  const phases = [];
  try {
    await child.waitFor('ready', 30000);
    await sleep(300);
    const address = (i) => `10.${200 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}`;
    for (const [phase, add] of [['add', true], ['delete', false]]) {
      const before = (await child.request('snapshot')).stats;
      const cpu0 = cpuAndSwitches(child.pid);
      const first = clockPair();
      for (let i = 1; i <= count; i++) writer.setAddress(ifindex, address(i), 32, add);
      const last = clockPair();
      const quiet = await waitQuiet(child, 60000);
      const cpu1 = cpuAndSwitches(child.pid);
      const snap = await child.request('snapshot', {}, 60000);
      const truth = kernelAddresses(ns);
      const mine = new Set(snap.lines);
      const theirs = new Set(truth);
      const onlySubscriber = snap.lines.filter((l) => !theirs.has(l));
      const missing = truth.filter((l) => !mine.has(l));
      const lagMs = snap.lastEventUs ? (snap.lastEventUs - Number(last.monoNs) / 1000) / 1000 : null;
      phases.push({
        phase,
        requestsSeconds: Number(last.monoNs - first.monoNs) / 1e9,
        quiet,
        tableRows: snap.lines.length,
        kernelRows: truth.length,
        diff: { empty: onlySubscriber.length === 0 && missing.length === 0, onlySubscriber: onlySubscriber.slice(0, 5), missing: missing.slice(0, 5), onlyCount: onlySubscriber.length, missingCount: missing.length },
        lagFromLastRequestMs: lagMs,
        subscriberCpuMs: (cpu1.cpuNs - cpu0.cpuNs) / 1e6,
        overruns: snap.stats.overruns - before.overruns,
        resyncs: snap.stats.resyncs - before.resyncs,
        messages: snap.stats.messages - before.messages,
      });
      const p = phases.at(-1);
      ctx.log(`  address burst ${label} buffer ${phase}: ${p.tableRows} rows vs kernel ${p.kernelRows}, diff ${p.diff.empty ? 'empty' : 'NOT EMPTY'}, lag ${lagMs?.toFixed(1)} ms, overruns ${p.overruns}, resyncs ${p.resyncs}`);
    }
    return { receiveBuffer: receiveBufferBytes ? `${receiveBufferBytes} bytes` : 'default (8 MiB)', count, phases };
  } finally {
    await child.stop();
    writer.close();
    ns.delete();
  }
}

async function run(ctx) {
  const count = 2000;
  ctx.log(`address-burst: ${count} IPv4 addresses added then deleted, default then 4 KiB receive buffer`);
  const runs = [];
  for (const bytes of [undefined, 4096]) {
    try {
      runs.push(await runOnce(ctx, count, bytes));
    } catch (error) {
      runs.push({ receiveBuffer: bytes ? `${bytes} bytes` : 'default', count, failed: String(error && error.message ? error.message : error).split('\n')[0] });
      ctx.log(`  address burst: FAILED ${runs.at(-1).failed}`);
    }
  }
  return { count, runs };
}

module.exports = { run };
