#!/usr/bin/env node
'use strict';
/**
 * Micro-benchmark of the linux parser's IPv4 fast path (not part of `npm run bench`; not a test):
 * ns per `summarizeLink` call on the first real kernel RTM_NEWLINK event of
 * test/adapters/linux/fixtures/kernel-newlink.hex (1492 bytes), in a 64 KiB receive buffer as
 * the reader has it; best of 7 runs of 2 million calls, and the full parse of the same datagram.
 *
 *   node test/bench/micro/summarize-link.js [<dist dir, default dist/cjs>]
 *
 * Compare builds side by side in one invocation each, alternating, on a quiet machine.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const dist = path.resolve(root, process.argv[2] || 'dist/cjs');
const p = require(path.join(dist, 'adapters/linux/netlink-parser.js'));
const msgs = fs
  .readFileSync(path.join(root, 'test/adapters/linux/fixtures/kernel-newlink.hex'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((h) => Buffer.from(h.trim(), 'hex'));
const buffer = Buffer.alloc(65536);
const length = msgs[0].copy(buffer);
const summary = p.emptyLinkSummary();
const N = 2_000_000;
let best = Infinity;
let accepted = 0;
for (let r = 0; r < 7; r++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) if (p.summarizeLink(buffer, length, summary)) accepted++;
  best = Math.min(best, Number(process.hrtime.bigint() - t) / N);
}
let bestFull = Infinity;
for (let r = 0; r < 5; r++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i++) p.parseNetlinkMessages(buffer, length);
  bestFull = Math.min(bestFull, Number(process.hrtime.bigint() - t) / 200_000);
}
console.log(`summarizeLink ${best.toFixed(1)} ns/call (accepted ${accepted} of ${7 * N}); parseNetlinkMessages ${bestFull.toFixed(0)} ns/call`);
