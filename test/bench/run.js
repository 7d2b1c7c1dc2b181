#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the benchmarks of issue 7, in one run, on Linux as root, everything inside
 * network namespaces the benchmark makes and deletes.
 *
 *   node test/bench/run.js [--quick] [--no-write | --write] [--only latency,burst,idle,churn,operators,table,windows-fake,address-latency,address-burst]
 *                          [--dist <dir> | --head] [--out <dir>] [--strict]
 *
 * --quick     all scenarios with smaller counts (for CI; under 4 minutes). Writes nothing unless --write.
 * --write     write the tracked docs/performance.{md,json} and the SVG chart (or into --out <dir>).
 *             Without it a full run writes them into build/bench/ (untracked), so a trial run
 *             leaves the working tree clean.
 * --no-write  print only.
 * --strict    exit 1 when a target is missed (default: only when a scenario could not run).
 * --dist      the CommonJS build to measure (default dist/cjs; env BENCH_DIST).
 * --head      measure the committed HEAD, built apart (see lib/build-head.js).
 * --render <performance.json>  measure nothing: re-judge and re-render the docs from a run's JSON
 *             (after a change to how results are judged or shown; the figures stay those of the run).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { BenchNetns } = require('./lib/netns.js');
const { distDir, root } = require('./lib/library.js');
const { judge } = require('./lib/targets.js');
const { render } = require('./lib/report.js');
const { latencyCdfSvg, fmtUs } = require('./lib/svg.js');
const { buildHead } = require('./lib/build-head.js');

const SCENARIOS = ['latency', 'burst', 'idle', 'churn', 'operators', 'table', 'windows-fake', 'address-latency', 'address-burst', 'routes'];

function parseArgs(argv) {
  const a = { quick: false, write: undefined, only: SCENARIOS, dist: undefined, head: false, out: undefined, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--quick') a.quick = true;
    else if (v === '--no-write') a.write = false;
    else if (v === '--write') a.write = true;
    else if (v === '--strict') a.strict = true;
    else if (v === '--only') a.only = argv[++i].split(',');
    else if (v === '--dist') a.dist = argv[++i];
    else if (v === '--head') a.head = true;
    else if (v === '--render') a.render = path.resolve(argv[++i]);
    else if (v === '--out') a.out = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${v}`);
  }
  for (const s of a.only) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (${SCENARIOS.join(', ')})`);
  // Tracked docs only when asked with --write; a plain full run writes into the untracked build/.
  if (a.out === undefined) a.out = path.join(root, a.write === true ? 'docs' : 'build/bench');
  if (a.write === undefined) a.write = !a.quick;
  return a;
}

function cannotRun() {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root (network namespaces need it)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'iproute2 (ip) is not installed';
  }
  return undefined;
}

const tryRead = (f, fallback = 'unknown') => {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return fallback;
  }
};
const tryExec = (file, args) => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};
const pkgVersion = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
};

/** Whole-machine CPU busy share between two /proc/stat samples. */
function cpuSample() {
  const f = tryRead('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] || 0);
  return { idle, total: f.reduce((x, y) => x + y, 0) };
}
const busyShare = (a, b) => (b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : 0);

function meta(args) {
  const dirty = tryExec('git', ['status', '--porcelain', '--', 'src', 'adapters']) ? ' + uncommitted changes in src/adapters' : '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick: args.quick,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    kernel: `${os.release()} (${os.arch()})`,
    os: (/^PRETTY_NAME="?([^"\n]*)/m.exec(tryRead('/etc/os-release', '')) || [, 'unknown'])[1],
    node: process.version,
    iproute2: tryExec('ip', ['-V']),
    packageVersion: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version,
    commit: tryExec('git', ['rev-parse', '--short', 'HEAD']) + dirty,
    netlinkVersion: pkgVersion('netlink'),
    koffiVersion: pkgVersion('koffi'),
    rxjsVersion: pkgVersion('rxjs'),
    loadStart: os.loadavg().map((v) => v.toFixed(2)).join(' '),
  };
}


/** Judges, prints the summary and the ratio line, and writes the docs (unless --no-write). */
function output(args, data) {
  const { meta: m, results } = data;
  const targets = judge(results);
  data.targets = targets;

  console.log('\nTargets:');
  for (const t of targets) console.log(`  [${t.status === 'met' ? ' met  ' : t.status === 'missed' ? 'MISSED' : '  --  '}] ${t.target}: ${t.result}`);
  const L = results.latency && results.latency.listeners;
  const ratio = L && L.library && L['ip-monitor'] && L.library.all && L['ip-monitor'].all && L.library.all.p50 && L['ip-monitor'].all.p50
    ? (L.library.all.p50 / L['ip-monitor'].all.p50).toFixed(2)
    : 'n/a';
  console.log(`p50 ratio vs ip monitor: ${ratio}`);
  console.log(`bench: total ${m.durationSeconds.toFixed(1)} s${args.quick ? ' (quick)' : ''}`);

  if (args.write) {
    fs.mkdirSync(args.out, { recursive: true });
    const svgName = 'performance-latency.svg';
    const mdFile = path.join(args.out, 'performance.md');
    fs.writeFileSync(path.join(args.out, 'performance.json'), JSON.stringify(data, null, 1) + '\n');
    if (L) {
      const series = Object.entries(L)
        .filter(([, l]) => !l.unavailable && !l.latencyNote && l.samplesUs.length)
        .map(([id, l]) => ({
          label: { library: 'this library (linux adapter)', 'ip-monitor': 'ip -ts monitor (iproute2)', 'netlink-npm': 'netlink npm 0.3.0', 'floor-koffi': 'floor: Node + koffi poll, minimal parse', 'floor-c': 'floor: minimal C listener (gcc)', 'polling-1s-slow': 'polling adapter 1 s (changes > 1 s apart)' }[id] ?? id,
          note: `p50 ${fmtUs(l.all.p50 ?? 0)}, p99 ${fmtUs(l.all.p99 ?? 0)}, ${l.seen} of ${l.changes} changes seen`,
          samplesUs: l.samplesUs,
          dashed: id === 'floor-koffi' || id === 'floor-c',
        }));
      fs.writeFileSync(
        path.join(args.out, svgName),
        latencyCdfSvg(series, { title: 'Change → listener latency (cumulative)', subtitle: `${m.date}, ${m.kernel}, ${m.cpus} CPUs; dots mark p50` }),
      );
    }
    const previous = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf8') : undefined;
    fs.writeFileSync(mdFile, render(data, previous, svgName));
    console.log(`bench: wrote ${path.relative(root, mdFile)}, performance.json, ${svgName}`);
  }
  return targets;
}

async function rerender(args) {
  const data = JSON.parse(fs.readFileSync(args.render, 'utf8'));
  // Older runs stored a derived burst lag under another definition: the judged one is recomputed.
  for (const run of data.results.burst?.runs ?? []) for (const p of run.phases ?? []) delete p.lagMs;
  data.meta.rendered = `re-judged and re-rendered on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} from the run's JSON (no new measurement)`;
  const targets = output({ ...args, write: args.write !== false, out: path.dirname(args.render) }, data);
  process.exitCode = args.strict && targets.some((t) => t.status === 'missed') ? 1 : 0;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.render) return rerender(args);
  const why = cannotRun();
  if (why) {
    console.error(`bench: cannot run: ${why}. The benchmarks need Linux, root and iproute2.`);
    process.exit(1);
  }
  const stale = BenchNetns.cleanupStale();
  if (stale) console.log(`bench: removed ${stale} namespaces left by an earlier, killed run`);
  let built;
  if (args.head) {
    built = buildHead();
    console.log(`bench: measuring HEAD ${built.commit}, built in ${path.relative(root, built.dist)}`);
  }
  const dist = distDir(built ? built.dist : args.dist);
  const ctx = { quick: args.quick, dist, log: (s) => console.log(s) };
  const m = meta(args);
  const flags = process.argv.slice(2).join(' ');
  m.command = `npm run bench${flags ? ` -- ${flags}` : ''}`;
  m.measured = built
    ? `HEAD ${built.commit} (clean export of src/ and adapters/, built apart)`
    : `the build in ${path.relative(root, dist)} (working tree at ${m.commit})`;
  const started = Date.now();
  const results = {};
  const busy = {};
  let broken = false;
  for (const name of args.only) {
    const before = cpuSample();
    const t = Date.now();
    try {
      results[name] = await require(`./scenarios/${name}.js`).run(ctx);
    } catch (error) {
      broken = true;
      results[name] = { error: String(error && error.message ? error.message : error).split('\n')[0] };
      console.error(`bench: ${name} failed: ${error && error.stack ? error.stack : error}`);
    }
    busy[name] = { seconds: (Date.now() - t) / 1000, machineBusy: busyShare(before, cpuSample()) };
    console.log(`bench: ${name} done in ${busy[name].seconds.toFixed(1)} s (machine ${Math.round(busy[name].machineBusy * 100)}% busy)`);
  }
  m.durationSeconds = (Date.now() - started) / 1000;
  m.loadEnd = os.loadavg().map((v) => v.toFixed(2)).join(' ');
  m.scenarioTimes = busy;
  m.loadNote =
    `Whole-machine CPU busy share during each scenario (all processes, the benchmark included): ` +
    Object.entries(busy).map(([k, v]) => `${k} ${Math.round(v.machineBusy * 100)}%`).join(', ') +
    `; load average ${m.loadStart} at start, ${m.loadEnd} at end (${m.cpus} CPUs).`;
  const data = { meta: m, results };
  const targets = output(args, data);
  const missed = targets.some((t) => t.status === 'missed');
  process.exitCode = broken || (args.strict && missed) ? 1 : 0;
  BenchNetns.deleteAll();
}

module.exports = { parseArgs };

if (require.main === module) {
  main().catch((error) => {
    console.error(error && error.stack ? error.stack : error);
    BenchNetns.deleteAll();
    process.exit(1);
  });
}
