'use strict';
/**
 * Issue 7's targets, judged from one run's results. Each verdict is 'met', 'missed' or
 * 'not measured' (with why); a miss carries the figures that missed.
 */
const LIB = 'library';
const IPMON = 'ip-monitor';
const NETLINK = 'netlink-npm';

const us = (v) => (v === null || v === undefined ? 'n/a' : `${Math.round(v)} µs`);

function notMeasured(id, target, why) {
  return { id, target, status: 'not measured', result: why };
}

function latencyTargets(r) {
  if (!r || r.error) return [notMeasured('latency-ratio', 'our p50 ≤ 2.0× ip monitor p50', r ? r.error : 'scenario not run')];
  const L = r.listeners;
  const ours = L[LIB];
  const ip = L[IPMON];
  const nl = L[NETLINK];
  const out = [];
  if (!ours || ours.unavailable || !ip || ip.unavailable || !ours.all.p50 || !ip.all.p50) {
    out.push(notMeasured('latency-ratio', 'our p50 ≤ 2.0× ip monitor p50', `library: ${ours?.unavailable ?? 'ok'}; ip monitor: ${ip?.unavailable ?? 'ok'}`));
  } else {
    const ratio = ours.all.p50 / ip.all.p50;
    out.push({
      id: 'latency-ratio',
      target: 'our p50 ≤ 2.0× ip monitor p50 (stretch 1.5×)',
      status: ratio <= 2.0 ? 'met' : 'missed',
      result: `${ratio.toFixed(2)}× (${us(ours.all.p50)} vs ${us(ip.all.p50)})${ratio <= 1.5 ? ', stretch met' : ', stretch missed'}`,
      value: ratio,
    });
  }
  if (!ours || ours.unavailable || !nl || nl.unavailable || !ours.all.p50 || !nl.all.p50) {
    out.push(notMeasured('latency-vs-netlink', 'our p50 below the netlink package p50', `library: ${ours?.unavailable ?? 'ok'}; netlink: ${nl?.unavailable ?? 'ok'}`));
  } else {
    out.push({
      id: 'latency-vs-netlink',
      target: 'our p50 below the netlink package p50',
      status: ours.all.p50 < nl.all.p50 ? 'met' : 'missed',
      result: `${us(ours.all.p50)} vs ${us(nl.all.p50)}`,
    });
  }
  if (ours && !ours.unavailable && ours.missed > 0) {
    out.push({ id: 'latency-complete', target: 'the library sees every change', status: 'missed', result: `${ours.missed} of ${ours.changes} changes never seen` });
  } else if (ours && !ours.unavailable) {
    out.push({ id: 'latency-complete', target: 'the library sees every change', status: 'met', result: `${ours.seen} of ${ours.changes}` });
  }
  return out;
}

/**
 * The burst target's lag: last event minus the kernel's last message of the phase as ip monitor
 * received it, 0 when delivery was complete before that (fallback: minus the last request's return).
 */
function judgedLagMs(p) {
  const v = p.lastEventAfterKernelLastMs ?? p.lagFromLastRequestMs;
  return v === null || v === undefined ? null : Math.max(0, v);
}

function silentNote(run) {
  const n = run.phases.reduce((a, p) => a + (p.diff.silentFieldDiffs ? p.diff.silentFieldDiffs.length : 0), 0);
  return n ? `; ${n} row(s) differed only in reachableTime, which the kernel re-randomizes without a message` : '';
}

function burstTargets(r) {
  if (!r || r.error) return [notMeasured('burst', 'empty diff, delivery within 100 ms', r ? r.error : 'scenario not run')];
  const out = [];
  for (const run of r.runs) {
    const label = `burst ${r.pairs} pairs, ${run.mainThread} main thread`;
    if (run.failed) {
      out.push({ id: `burst-${run.mainThread}`, target: `${label}: runs`, status: 'missed', result: `failed: ${run.failed}` });
      continue;
    }
    const nonEmpty = run.phases.filter((p) => !p.diff.empty || p.ipLinkProblemCount > 0);
    out.push({
      id: `burst-diff-${run.mainThread}`,
      target: `${label}: subscriber table = kernel table after every phase`,
      status: nonEmpty.length === 0 ? 'met' : 'missed',
      result: nonEmpty.length === 0 ? `empty diff (add, up, delete)${silentNote(run)}` : nonEmpty.map((p) => `${p.phase}: ${p.diff.missing} missing, ${p.diff.onlySubscriber} extra, ${p.diff.differingCount} differing, ${p.ipLinkProblemCount} ip-link mismatches`).join('; '),
    });
    const lags = run.phases.map(judgedLagMs).filter((v) => v !== null);
    const worst = Math.max(...lags);
    const worstPhase = run.phases.find((p) => judgedLagMs(p) === worst);
    out.push({
      id: `burst-lag-${run.mainThread}`,
      target: `${label}: last event within 100 ms of the kernel's last message`,
      status: lags.length && worst <= 100 ? 'met' : 'missed',
      result: lags.length ? `worst ${worst.toFixed(1)} ms (${worstPhase.phase})` : 'no events',
    });
  }
  return out;
}

function idleTargets(r) {
  if (!r || r.error) return [notMeasured('idle', 'zero wakeups while idle', r ? r.error : 'scenario not run')];
  const p = r.processes.linux;
  if (!p || p.unavailable) return [notMeasured('idle', 'zero wakeups while idle', p ? p.unavailable : 'not run')];
  const poll = r.processes.polling;
  const cmp = poll && !poll.unavailable ? `; polling adapter: ${poll.contextSwitches} switches, ${poll.cpuMs.toFixed(1)} ms CPU` : '';
  return [
    {
      id: 'idle',
      target: `zero wakeups over ${r.seconds} s with one idle subscription`,
      status: p.contextSwitches === 0 ? 'met' : 'missed',
      result: `${p.contextSwitches} context switches (${p.gcsInWindow} V8 GCs in the window), ${p.cpuMs.toFixed(2)} ms CPU${cmp}`,
    },
  ];
}

function churnTargets(r) {
  if (!r || r.error) return [notMeasured('churn', 'fds/threads back, RSS < 10 MB', r ? r.error : 'scenario not run')];
  const out = [];
  for (const [id, v] of Object.entries(r.variants)) {
    const done = `${v.cycles}${v.capped ? ` of ${v.requested} (time cap)` : ''} cycles`;
    out.push(
      { id: `churn-fds-${id}`, target: `churn, ${v.how}: fds back to baseline`, status: v.fdsBack ? 'met' : 'missed', result: `${v.warm.fds} → ${v.end.fds} (${done})` },
      { id: `churn-threads-${id}`, target: `churn, ${v.how}: threads back to baseline`, status: v.threadsBack ? 'met' : 'missed', result: `${v.warm.threads} → ${v.end.threads}` },
      {
        id: `churn-rss-${id}`,
        target: `churn, ${v.how}: RSS growth < 10 MB over ${v.requested} cycles`,
        status: v.rssGrowthMiB < 10 && !v.capped ? 'met' : 'missed',
        result: `${v.rssGrowthMiB.toFixed(1)} MiB over ${done}`,
      },
    );
  }
  return out;
}

function operatorTargets(r) {
  if (!r || r.error) return [notMeasured('operators', '≥ 500k input changes/s', r ? r.error : 'scenario not run')];
  const p = r.results.pipeline;
  return [
    {
      id: 'operators',
      target: '≥ 500k input changes/s through groupByInterface + debounceInterfaceChanges + serialDelivery',
      status: p.medianPerSecond >= 500000 && p.deliveredOk ? 'met' : 'missed',
      result: `${Math.round(p.medianPerSecond / 1000)}k/s median (min ${Math.round(p.minPerSecond / 1000)}k, max ${Math.round(p.maxPerSecond / 1000)}k)${p.deliveredOk ? '' : ', delivery incomplete'}`,
    },
  ];
}

/** Issue 12: ipInterfaceTable$ at scale (scenarios/table.js). */
function tableTargets(r) {
  if (!r || r.error) return [notMeasured('table', 'ipInterfaceTable$ per-change CPU independent of the table size', r ? r.error : 'scenario not run')];
  const small = r.bySize[0];
  const large = r.bySize[r.bySize.length - 1];
  const cpuRatio = large.mainThreadCpuUsPerChange / small.mainThreadCpuUsPerChange;
  // Judged after a reader restart (native code loaded, as for every subscribe but a process's first);
  // the fresh-process figure, which adds koffi's load and the reader's start, is reported next to it.
  const firstRatio = large.firstEmissionAgainMs / large.ipLinkShowMs;
  const perSub = large.heapBytesPerExtraSubscriber;
  // O(1): what an extra subscriber costs does not grow with the rows (noise allowance 1 KiB).
  const memoryOk = perSub <= Math.max(2 * small.heapBytesPerExtraSubscriber, small.heapBytesPerExtraSubscriber + 1024);
  return [
    {
      id: 'table-cpu-per-change',
      target: `ipInterfaceTable$ main-thread CPU per change at ${large.devices} devices ≤ 1.5× at ${small.devices}`,
      status: cpuRatio <= 1.5 ? 'met' : 'missed',
      result: `${cpuRatio.toFixed(2)}× (${large.mainThreadCpuUsPerChange.toFixed(1)} µs vs ${small.mainThreadCpuUsPerChange.toFixed(1)} µs)`,
      value: cpuRatio,
    },
    {
      id: 'table-first-emission',
      target: `ipInterfaceTable$ subscribe → first emission at ${large.devices} devices ≤ 1.5× \`ip -n NS link show\` (native code loaded)`,
      status: firstRatio <= 1.5 ? 'met' : 'missed',
      result: `${firstRatio.toFixed(2)}× (${large.firstEmissionAgainMs.toFixed(1)} ms vs ${large.ipLinkShowMs.toFixed(1)} ms; in a fresh process ${large.firstEmissionColdMs.toFixed(1)} ms)`,
      value: firstRatio,
    },
    ...(large.maxMainThreadBlockMs === undefined ? [] : [{
      id: 'table-max-block-per-change',
      target: `main thread never blocked more than 2 ms by one change at ${large.devices} devices (up/down flips)`,
      status: large.maxMainThreadBlockMs <= 2 ? 'met' : 'missed',
      result: `${large.maxMainThreadBlockMs.toFixed(2)} ms main-thread CPU for the costliest of ${large.upDownFlips} flips (median ${large.medianUpDownCpuMs.toFixed(2)} ms; at ${small.devices} devices ${small.maxMainThreadBlockMs.toFixed(2)} ms)`,
      value: large.maxMainThreadBlockMs,
    }]),
    {
      id: 'table-memory-per-subscriber',
      target: 'heap per extra ipInterfaceTable$ subscriber of one adapter independent of the rows (O(1))',
      status: memoryOk && large.extraSubscribersGotTable ? 'met' : 'missed',
      result: `${Math.round(perSub)} B at ${large.rows} rows, ${Math.round(small.heapBytesPerExtraSubscriber)} B at ${small.rows} rows`,
    },
  ];
}

/** Latency against the two floors (issue 12): the Node + koffi floor listener and the C listener. */
function floorTargets(r) {
  if (!r || r.error) return [];
  const L = r.listeners;
  const ours = L[LIB];
  const out = [];
  for (const [id, what, limit] of [['floor-koffi', 'Node + koffi floor listener', 1.1], ['floor-c', 'minimal C listener (physical floor)', undefined]]) {
    const f = L[id];
    if (!f) continue;
    const target = limit ? `our p50 ≤ ${limit}× the ${what}, up/down and MTU alike` : `our p50 / the ${what} p50 (reported)`;
    if (!ours || ours.unavailable || f.unavailable || !ours.all.p50 || !f.all.p50) {
      out.push(notMeasured(`latency-vs-${id}`, target, `library: ${ours?.unavailable ?? 'ok'}; ${id}: ${f.unavailable ?? 'ok'}`));
      continue;
    }
    const ratio = ours.all.p50 / f.all.p50;
    const mtu = ours.mtu.p50 && f.mtu.p50 ? ours.mtu.p50 / f.mtu.p50 : null;
    const upDown = ours.upDown.p50 && f.upDown.p50 ? ours.upDown.p50 / f.upDown.p50 : null;
    const worst = Math.max(ratio, mtu ?? 0, upDown ?? 0);
    out.push({
      id: `latency-vs-${id}`,
      target,
      status: limit ? (worst <= limit ? 'met' : 'missed') : 'reported',
      result: `${ratio.toFixed(2)}× (${us(ours.all.p50)} vs ${us(f.all.p50)}); MTU ${mtu === null ? 'n/a' : `${mtu.toFixed(2)}×`}, up/down ${upDown === null ? 'n/a' : `${upDown.toFixed(2)}×`}`,
      value: ratio,
    });
  }
  return out;
}

/** Issue 10: CPU per OS callback with 1000 subscribers <= 3x that with 1 subscriber + 1 us per extra subscriber. */
function windowsFakeTargets(r) {
  const target = 'windows fan-out: CPU per OS callback, 1000 subscribers ≤ 3× 1 subscriber + 1 µs × 999';
  if (!r || r.error) return [notMeasured('windows-fan-out', target, r ? r.error : 'scenario not run')];
  const one = r.runs.find((x) => x.subscribers === 1);
  const many = r.runs.find((x) => x.subscribers === 1000);
  if (!one || !many) return [notMeasured('windows-fan-out', target, 'a subscriber count did not run')];
  const limit = 3 * one.cpuUsPerCallback + (many.subscribers - 1);
  return [
    {
      id: 'windows-fan-out',
      target,
      status: many.cpuUsPerCallback <= limit ? 'met' : 'missed',
      result: `${many.cpuUsPerCallback.toFixed(1)} µs vs limit ${limit.toFixed(1)} µs (1 subscriber: ${one.cpuUsPerCallback.toFixed(1)} µs; ${((many.cpuUsPerCallback - one.cpuUsPerCallback) / (many.subscribers - 1)).toFixed(3)} µs per extra subscriber)`,
      value: many.cpuUsPerCallback / limit,
    },
  ];
}

/** Issue 13: address latency p50 within 2x `ip -ts monitor address` (same run), every change seen. */
function addressLatencyTargets(r) {
  const target = 'address p50 ≤ 2.0× ip monitor address p50';
  if (r.error) return [notMeasured('address-latency-ratio', target, r.error)];
  const ours = r.listeners[LIB];
  const ip = r.listeners[IPMON];
  const ratio = ours.all.p50 / ip.all.p50;
  return [
    { id: 'address-latency-ratio', target, status: ratio <= 2 ? 'met' : 'missed', result: `${ratio.toFixed(2)}× (${us(ours.all.p50)} vs ${us(ip.all.p50)})`, value: ratio },
    {
      id: 'address-latency-complete',
      target: 'the library sees every address change',
      status: ours.missed === 0 ? 'met' : 'missed',
      result: `${ours.seen} of ${ours.changes}`,
    },
  ];
}

/** Issue 13: after each address burst phase the subscriber's table equals the kernel's. */
function addressBurstTargets(r) {
  if (r.error) return [notMeasured('address-burst', 'address table equals the kernel\'s after each burst', r.error)];
  return r.runs.map((run) => {
    const label = `address burst ${run.count}, ${run.receiveBuffer} buffer: table equals ip -j addr after add and delete`;
    if (run.failed) return { id: `address-burst-${run.receiveBuffer}`, target: label, status: 'missed', result: `failed: ${run.failed}` };
    const bad = run.phases.filter((p) => !p.diff.empty);
    return {
      id: `address-burst-${run.receiveBuffer}`,
      target: label,
      status: bad.length === 0 ? 'met' : 'missed',
      result: run.phases.map((p) => `${p.phase}: ${p.tableRows}/${p.kernelRows} rows, lag ${p.lagFromLastRequestMs?.toFixed(1)} ms, ${p.overruns} overruns`).join('; '),
    };
  });
}

function judge(results) {
  return [
    ...latencyTargets(results.latency),
    ...burstTargets(results.burst),
    ...idleTargets(results.idle),
    ...churnTargets(results.churn),
    ...operatorTargets(results.operators),
    ...floorTargets(results.latency),
    ...(results.table ? tableTargets(results.table) : []),
    ...(results['windows-fake'] ? windowsFakeTargets(results['windows-fake']) : []),
    ...(results['address-latency'] ? addressLatencyTargets(results['address-latency']) : []),
    ...(results['address-burst'] ? addressBurstTargets(results['address-burst']) : []),
    ...(results.routes && results.routes.listeners ? routeTargets(results.routes) : []),
  ];
}

/** Issue 14: route latency against ip monitor (as for interfaces), every change seen, a complete burst. */
function routeTargets(r) {
  const lib = r.listeners.library;
  const mon = r.listeners['ip-monitor'];
  const ratio = lib.all.p50 !== null && mon.all.p50 ? lib.all.p50 / mon.all.p50 : null;
  const burstSeen = r.burst.add.seen + r.burst.delete.seen;
  return [
    {
      id: 'route-latency',
      target: 'our route p50 ≤ 2.0× ip monitor route p50',
      status: ratio === null ? 'not measured' : ratio <= 2 ? 'met' : 'missed',
      result: ratio === null ? 'not measured' : `${ratio.toFixed(2)}× (${Math.round(lib.all.p50)} µs vs ${Math.round(mon.all.p50)} µs)`,
      value: ratio,
    },
    {
      id: 'route-seen',
      target: 'the library sees every route change, and every route of the burst',
      status: lib.missed === 0 && burstSeen === 2 * r.burst.add.routes ? 'met' : 'missed',
      result: `${lib.seen} of ${lib.changes}; burst ${burstSeen} of ${2 * r.burst.add.routes}`,
      value: lib.missed,
    },
  ];
}

module.exports = { judge, judgedLagMs };
