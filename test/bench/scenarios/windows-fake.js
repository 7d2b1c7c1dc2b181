'use strict';
/**
 * Scenario 6 (issue 10): the windows adapter's fan-out over the fake iphlpapi (Linux .so built here
 * with gcc from test/adapters/windows/fake-iphlpapi.c): CPU per delivered OS callback with 1, 100
 * and 1000 subscribers on one adapter, each count in a fresh child process. All subscribers share
 * one OS registration; each OS callback is decoded, refreshed (GetIpInterfaceEntry, name) once and
 * fanned out. Target: cost(1000) <= 3 x cost(1) + 1 us x 999.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Child } = require('../lib/child.js');
const { root } = require('../lib/library.js');

const SUBSCRIBERS = [1, 100, 1000];

function buildFake(dir) {
  const out = path.join(dir, 'fake-iphlpapi.so');
  const source = path.join(root, 'test', 'adapters', 'windows', 'fake-iphlpapi.c');
  // -z nodelete: see test/adapters/windows/fake-build.ts (the fake's thread must outlive dlclose at exit).
  execFileSync('gcc', ['-O2', '-shared', '-fPIC', '-pthread', '-Wl,-z,nodelete', '-o', out, source], { stdio: 'pipe' });
  return out;
}

async function run(ctx) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxipi-bench-winfake-'));
  try {
    const library = buildFake(dir);
    const batches = ctx.quick ? 10 : 40;
    const perBatch = 25; // 50 OS callbacks per batch (both families)
    ctx.log(`windows-fake: ${batches} batches of ${perBatch * 2} OS callbacks per subscriber count (${SUBSCRIBERS.join(', ')})`);
    const runs = [];
    for (const subscribers of SUBSCRIBERS) {
      const child = new Child('windows-fake-worker.js', { dist: ctx.dist, library, subscribers, batches, perBatch, warmup: 3 });
      let r;
      try {
        r = await child.waitFor('result', 120000);
      } catch (error) {
        await child.stop();
        throw error;
      }
      // The worker exits by itself after its result, once the adapter released everything (asking it
      // to exit would race that: EPIPE). Killed after 10 s: then it did not.
      const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10000);
      const exit = await child.exited;
      clearTimeout(timer);
      if (exit.code !== 0) throw new Error(`the worker for ${subscribers} subscribers did not exit by itself (code ${exit.code}, signal ${exit.signal})`);
      delete r.type;
      ctx.log(`  ${subscribers} subscribers: ${r.cpuUsPerCallback.toFixed(1)} us CPU per OS callback (${r.deliveriesPerCallback.toFixed(0)} deliveries each), wall ${r.wallUsPerCallback.toFixed(1)} us, ${r.nativeRegistrations} OS registration, exit ${exit.code}`);
      runs.push({ ...r, exitCode: exit.code });
    }
    return { batches, perBatch, runs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run };
