'use strict';
/**
 * docs/performance.md from one run's JSON. Everything between the analysis markers of an existing
 * file is kept as it is: that block is written by people (what was found about a miss), the rest
 * is regenerated.
 */
const { judgedLagMs } = require('./targets.js');

const START = '<!-- analysis:start -->';
const END = '<!-- analysis:end -->';

const n0 = (v) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const f1 = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));
const f2 = (v) => (v === null || v === undefined ? '–' : v.toFixed(2));
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const LABEL = {
  library: 'this library (`ipInterfaceChanges$`, linux adapter)',
  'ip-monitor': '`ip -ts monitor link` (iproute2)',
  'netlink-npm': '`netlink` npm 0.3.0',
  'floor-koffi': 'reference floor: Node + koffi poll, minimal parse (not a product)',
  'floor-c': 'physical floor: minimal C listener, poll + recv, compiled with gcc at bench time (not a product)',
  'polling-1s': 'this library, polling adapter (1 s), same rapid changes',
  'polling-1s-slow': 'this library, polling adapter (1 s), up/down 1.05-1.6 s apart',
};

function latencySection(r, svgName) {
  if (!r || r.error) return `## 1. Change → listener latency\n\nNot measured: ${r ? r.error : 'not run'}.\n`;
  const rows = Object.entries(r.listeners).map(([id, l]) =>
    l.unavailable
      ? [LABEL[id] ?? id, `unavailable: ${l.unavailable}`, '', '', '', '', '', '', '', '']
      : l.latencyNote
        ? [LABEL[id] ?? id, `${l.seen} / ${l.changes}`, `${l.missedMtu} MTU, ${l.missedUpDown} up/down`, 'see next row', '', '', '', '', '', l.clock]
        : [LABEL[id] ?? id, `${l.seen} / ${l.changes}`, `${l.missedMtu} MTU, ${l.missedUpDown} up/down`, n0(l.all.p50), n0(l.all.p90), n0(l.all.p99), n0(l.all.max), n0(l.mtu.p50), n0(l.upDown.p50), l.clock],
  );
  return `## 1. Change → listener latency

${r.count} changes per listener (half MTU changes, half up/down), ${r.gapMs} ms apart (±25 %), round-robin over
one namespace per listener; ${f1(r.runSeconds)} s. Wall-clock minus monotonic clock drift over the run: ${f1(r.clockDriftUs)} µs.
Latencies in µs.

${table(['listener', 'seen', 'missed', 'p50', 'p90', 'p99', 'max', 'MTU p50', 'up/down p50', 'clock'], rows)}

![latency distributions](${svgName})

How it is measured: the benchmark makes every change itself through its own rtnetlink socket
(\`test/bench/lib/rtnl.js\`, koffi → libc) and reads CLOCK_REALTIME and CLOCK_MONOTONIC right
before the \`sendto()\` that makes it (the kernel applies the change and multicasts the
notification inside that syscall). Node listeners stamp CLOCK_MONOTONIC (\`process.hrtime\`) first
thing in their callback and are compared with the monotonic stamp. \`ip -ts monitor\` stamps each
message with \`gettimeofday()\` when it has received it (before formatting), so it is compared with
the CLOCK_REALTIME stamp: the two clock domains are never mixed; the drift line above says how far
they moved apart during the run. A change counts as seen by the first event that shows it: the new
MTU, or the new operational state (\`state UP\` / IFLA_OPERSTATE / \`connected\`). Bringing a veth up
produces two kernel messages (flags first, operstate from the kernel's linkwatch work about 30 µs
later); every listener is measured to the second one. Each listener has its own namespace, so a
change wakes exactly one listener and listeners never compete for the CPU over the same change;
changes alternate between listeners so load drifts hit all of them alike. The polling adapter
cannot see MTU changes (\`os.networkInterfaces()\` has no MTU) and samples once a second, so it
misses most of these rapid changes (first polling row: what it saw of them); its latency is then
measured separately with up/down changes more than a second apart (second polling row).
`;
}

function burstSection(r) {
  if (!r || r.error) return `## 2. Bursts\n\nNot measured: ${r ? r.error : 'not run'}.\n`;
  const rows = [];
  for (const run of r.runs) {
    if (run.failed) {
      rows.push([run.mainThread, 'failed', run.failed, '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const p of run.phases) {
      const e = p.events;
      rows.push([
        run.mainThread,
        p.phase,
        f2(p.requestsSeconds),
        `${e.added} / ${e.changed} / ${e.removed}`,
        p.statsDelta ? `${n0(p.statsDelta.messages)} / ${n0(p.statsDelta.resyncs)}` : 'no stats()',
        (p.statsDelta
          ? ['wakeups', 'dumps', 'neighDumps', 'linkGets', 'requestMs', 'overruns', 'errors', 'tableSize'].filter((k) => typeof p.statsDelta[k] === 'number').map((k) => `${k} ${n0(p.statsDelta[k])}`).join(', ') + '; '
          : '') + `subscriber CPU ${n0(p.subscriberCpuMs)} ms`,
        f1(judgedLagMs(p)),
        f1(p.lagFromIpMonitorLastMs),
        f1(p.lagFromLastRequestMs),
        f1(p.kernelTrailMs),
        p.diff.empty && p.ipLinkProblemCount === 0
          ? `empty (${p.tableRows} rows)${p.diff.silentFieldDiffs.length ? `; reachableTime only: ${p.diff.silentFieldDiffs.map((d) => d.name).join(', ')}` : ''}`
          : `${p.diff.missing} missing, ${p.diff.onlySubscriber} extra, ${p.diff.differingCount} differing${p.diff.differing.length ? ` (${p.diff.differing.map((d) => `${d.name}: ${d.fields.join(',')}`).join('; ')})` : ''}, ip link: ${p.ipLinkProblemCount}`,
      ]);
    }
  }
  return `## 2. Bursts

${r.pairs} veth pairs in a fresh namespace: added (one request per pair), every end brought up (one
request per device), then all deleted by one group delete (the kernel unregisters them together and
sends every message inside one syscall). Linux adapter with its default receive buffer, one
\`AF_UNSPEC\` subscription in a child process keeping its own table. "Busy" keeps that process's main
thread in 20 ms chunks of synchronous work, yielding to the event loop between chunks. After each
phase (once the subscriber has been quiet for 1.5 s) its table is compared with a fresh dump by a
fresh process (every field but \`reachableTime\`, which the kernel re-randomizes for IPv6 every
300 s without sending any message; rows that differ only there are listed apart) and with
\`ip -j link\` (index, name, MTU, operstate; UNKNOWN with LOWER_UP counts as up, as in the kernel's
\`netif_oper_up()\`).
The subscriber's table starts from \`getIpInterfaceTable\` at the \`initial\` marker (the Windows
pattern; the namespace is quiet then). Messages, resyncs, wakeups, dumps, overruns and errors are
what the adapter's \`stats()\` counted during the phase (tableSize: at its end); subscriber CPU is
the subscriber process's CPU time over the phase (with the busy main thread, the busy work included).
Lag (the target): the subscriber's last event minus the time an \`ip -ts monitor link\` in the
namespace received the kernel's last message of the phase (wall clock converted to monotonic with a
clock pair read at the end of the phase); 0 when delivery was complete before the kernel stopped
sending (after the up phase the kernel's linkwatch work sends operstate messages for seconds, the
last ones repeating a state already sent, so no event is due for them). Also shown: the last event's
own delay (the event minus ip monitor's last message about that same interface before it: catches
an event held back while others went on), the lag from the return of the phase's last request
(negative for the group delete: one long syscall whose messages are delivered while it still runs),
and how long the kernel kept sending after the last request.

${table(['main thread', 'phase', 'requests (s)', 'events added / changed / removed', 'messages / resyncs', 'other adapter counters', 'lag (ms)', "last event's own delay (ms)", 'lag vs last request (ms)', 'kernel sent until (ms after last request)', 'diff vs kernel'], rows)}
`;
}

function idleSection(r) {
  if (!r || r.error) return `## 3. Idle cost\n\nNot measured: ${r ? r.error : 'not run'}.\n`;
  const rows = Object.values(r.processes).map((p) =>
    p.unavailable
      ? [p.label, `unavailable: ${p.unavailable}`, '', '', '', '', '', '']
      : [p.label, f2(p.cpuMs), f2(p.cpuSecondsPerHour), p.contextSwitches, p.mainThreadVoluntary, p.gcsInWindow, p.threads, `${p.settleContextSwitches} switches, ${f1(p.settleCpuMs)} ms CPU, ${p.gcsInSettle} GCs`],
  );
  return `## 3. Idle cost

Over ${r.seconds} s with no change, after a ${r.settleSeconds} s settle (reported in the last column: V8's
memory reducer runs a one-off full GC some 8-16 s after a process that loaded code goes idle, which
shows as 100-200 switches of V8's worker threads); the three processes ran side by side. CPU from each thread's \`/proc/<pid>/task/<tid>/schedstat\` (ns), context switches =
voluntary + involuntary summed over all threads (\`/proc/<pid>/task/*/status\`), each counted
switch being a wakeup.

${table(['process', 'CPU (ms)', 'CPU s / hour', 'context switches (all threads)', 'main thread voluntary', 'V8 GCs in the window', 'threads', 'during the settle'], rows)}
`;
}

function churnSection(r) {
  if (!r || r.error) return `## 4. Subscribe / unsubscribe churn\n\nNot measured: ${r ? r.error : 'not run'}.\n`;
  const parts = Object.values(r.variants).map((v) => {
    const row = (label, x) => [label, x.fds, x.threads, f1(x.rssKiB / 1024), f1(x.heapUsedKiB / 1024), f1(x.heapTotalKiB / 1024), f1(x.externalKiB / 1024)];
    return `### ${v.how}

${v.cycles} cycles${v.capped ? ` (stopped by the ${r.capSeconds} s time cap; ${v.requested} requested)` : ''} in ${f1(v.totalSeconds)} s. Time per cycle:
p50 ${n0(v.cycleUs.p50)} µs, p90 ${n0(v.cycleUs.p90)} µs, p99 ${n0(v.cycleUs.p99)} µs, max ${n0(v.cycleUs.max)} µs.

${table(['when', 'fds', 'threads', 'RSS (MiB)', 'JS heap used (MiB)', 'JS heap reserved (MiB)', 'external (MiB)'], [
  row('before loading the library', v.cold),
  row('library loaded', v.afterLoad),
  row('after 1 warm-up cycle (baseline)', v.warm),
  ...v.samples.map((s) => row(`after ${s.cycle} cycles`, s)),
  row('end (1 s later, after a GC)', v.end),
])}
`;
  });
  return `## 4. Subscribe / unsubscribe churn

Each cycle: subscribe \`ipInterfaceChanges$(AF_UNSPEC, true)\` with one linux adapter instance, wait
for the \`initial\` marker, unsubscribe. As nothing else is subscribed, every cycle opens and closes
the shared namespace reader (sockets, dump, poll handle). Two variants: the process runs inside the
namespace and uses \`linuxAdapter()\`, or stays outside and uses \`linuxAdapter({ netns })\`, where the
adapter creates its sockets from a short-lived Worker thread that enters the namespace; the first
variant is run again with V8's young generation capped (\`node --max-semi-space-size=1\`) to show how
much of the RSS growth is V8 enlarging its heap under the loop's allocation rate. The baseline
is the process after one warm-up cycle (things created once per process, like the loaded native
library or libuv's thread pool, exist from then on). Every row after the baseline is read after a
forced GC (\`--expose-gc\`), so "JS heap used" and "external" are live memory, while RSS also holds
what V8 keeps reserved (its young generation grows under allocation pressure and stays committed)
and what malloc keeps after \`free()\`.

${parts.join('\n')}`;
}

function operatorsSection(r) {
  if (!r || r.error) return `## 5. Operator throughput\n\nNot measured: ${r ? r.error : 'not run'}.\n`;
  const label = {
    subject: 'bare `Subject` → subscriber (floor)',
    adapter: 'mock adapter → `ipInterfaceChanges$` → subscriber',
    pipeline: '**`groupByInterface` → `mergeMap(debounceInterfaceChanges(100))` → `serialDelivery`**',
    flat: '`debounceInterfaceChanges(100)` → `serialDelivery` (no groups)',
  };
  const rows = Object.entries(r.results).map(([k, x]) => [
    label[k] ?? k,
    n0(x.medianPerSecond),
    `${n0(x.minPerSecond)} – ${n0(x.maxPerSecond)}`,
    `${x.delivered[0]} of ${x.expected}${x.deliveredOk ? '' : ' (INCOMPLETE)'}`,
  ]);
  return `## 5. Operator throughput

${r.changes.toLocaleString('en-US')} \`changed\` rows round-robin over ${r.interfaces} interfaces, emitted synchronously by the mock
adapter; ${r.repeats} runs per case after a warm-up, in a child process. Input rate = changes / time of
the emit loop. The pipeline is \`ipInterfaceChanges$(AF_UNSPEC, false, { adapter: mock })\` →
\`groupByInterface()\` → \`mergeMap(group => group.pipe(debounceInterfaceChanges(100)))\` →
\`serialDelivery(handler)\` (handler counts and returns \`EMPTY\`), on the real \`asyncScheduler\`: the
debounce coalesces every interface's changes, so 100 ms after the loop one net change per interface
comes out of \`serialDelivery\` (checked: "delivered").

${table(['case', 'input changes/s (median)', 'range', 'delivered'], rows)}
`;
}

function windowsFakeSection(r) {
  if (!r) return '';
  if (r.error) return `## 6. Windows adapter fan-out\n\nNot measured: ${r.error}.\n`;
  const rows = r.runs.map((x) => [x.subscribers, f1(x.cpuUsPerCallback), f1(x.wallUsPerCallback), f1(x.deliveriesPerCallback), x.nativeRegistrations, f2(x.entryCallsPerCallback)]);
  return `## 6. Windows adapter fan-out

One \`windowsAdapter\` over the fake iphlpapi (\`test/adapters/windows/fake-iphlpapi.c\` built with gcc: the real
DLL's exports, callbacks from a native thread), N subscriptions of \`ipInterfaceChanges$\` (half AF_UNSPEC, half
AF_INET), each count in a fresh process. ${r.batches} batches of ${r.perBatch * 2} OS callbacks (parameter changes of
both families), each batch delivered to every subscriber before the next. CPU: the whole process (native thread,
koffi, JS) from \`process.cpuUsage()\`, per OS callback. All subscribers share one OS registration; each callback is
refreshed once (GetIpInterfaceEntry calls per callback, process lifetime, last column).

${table(['subscribers', 'CPU µs per OS callback', 'wall µs per OS callback', 'deliveries per OS callback', 'OS registrations', 'GetIpInterfaceEntry per callback'], rows)}
`;
}


function tableSection(r) {
  if (!r) return '';
  if (r.error) return `## ipInterfaceTable$ at scale\n\nNot measured: ${r.error}.\n`;
  const rows = r.bySize.map((s) => [
    n0(s.devices), n0(s.rows), f1(s.firstEmissionColdMs), f1(s.firstEmissionAgainMs), f1(s.ipLinkShowMs),
    f1(s.mainThreadCpuUsPerChange), f1(s.mainThreadCpuUsPerEmission), `${s.emissions} / ${s.changes}`, f1(s.changesRefCpuUsPerChange), n0(s.heapBytesPerExtraSubscriber),
  ]);
  return `## ipInterfaceTable$ at scale

One namespace per size with that many veth devices (down), one child process subscribing
\`ipInterfaceTable$(AF_UNSPEC)\` through the linux adapter. First emission: subscribe → first table, in a
fresh process (native code loads then) and again after the last unsubscribe closed the reader, next to
\`ip -n NS link show\` (fresh process, median of 5). CPU: the child's main thread (schedstat) over MTU
changes of one device, one request each; next to it the same figure of a plain \`ipInterfaceChanges$\`
subscriber (another process, same changes: the adapter's own share). Heap: per extra subscriber of the
same table (100 more, after GC).

${table(['devices', 'rows', 'first emission, fresh process (ms)', 'first emission, reader restarted (ms)', 'ip link show (ms)', 'main thread µs / change', 'µs / emission', 'emissions / changes', '`ipInterfaceChanges$` alone, µs / change', 'heap B / extra subscriber'], rows)}
`;
}

function render(data, previous, svgName) {
  const kept = previous && previous.includes(START) && previous.includes(END) ? previous.slice(previous.indexOf(START), previous.indexOf(END) + END.length) : `${START}\n_No analysis written yet._\n${END}`;
  const m = data.meta;
  const targets = table(
    ['target', 'result', 'status'],
    data.targets.map((t) => [t.target, t.result, t.status === 'met' ? 'met' : t.status === 'missed' ? '**MISSED**' : `_${t.status}_`]),
  );
  return `# Performance

Generated by \`${m.command}\` (\`test/bench/run.js\`) on ${m.date}; raw figures in
[performance.json](performance.json). Do not edit outside the analysis block: the next run rewrites it.${m.rendered ? `\nThis page was ${m.rendered}.` : ''}

**Run conditions:** ${m.quick ? 'quick mode (smaller counts). ' : 'full run. '}${m.loadNote}

## Targets

${targets}

## Analysis

${kept}

## Machine and versions

${table(['', ''], [
  ['CPU', `${m.cpu} × ${m.cpus}`],
  ['memory', `${m.memGiB} GiB`],
  ['kernel', m.kernel],
  ['OS', m.os],
  ['Node', m.node],
  ['iproute2', m.iproute2],
  ['rxjs-ip-interface', `${m.packageVersion}; measured: ${m.measured}`],
  ['netlink (npm)', m.netlinkVersion],
  ['koffi', m.koffiVersion],
  ['rxjs', m.rxjsVersion],
  ['load average (1/5/15 min) at start / end', `${m.loadStart} / ${m.loadEnd}`],
  ['duration', `${f1(m.durationSeconds)} s`],
])}

${latencySection(data.results.latency, svgName)}
${burstSection(data.results.burst)}
${idleSection(data.results.idle)}
${churnSection(data.results.churn)}
${operatorsSection(data.results.operators)}${tableSection(data.results.table) ? `\n${tableSection(data.results.table)}` : ''}${windowsFakeSection(data.results['windows-fake']) ? `\n${windowsFakeSection(data.results['windows-fake'])}` : ''}`;
}

module.exports = { render };
