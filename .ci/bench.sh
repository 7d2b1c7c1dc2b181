#!/usr/bin/env bash
# Quick benchmark run for CI (issue 7): every scenario with smaller counts, so the benchmark cannot
# rot. Needs Linux, root and iproute2 (as the netns tests do). Writes no docs; prints the targets and
# `p50 ratio vs ip monitor: X`. Exit 1 only when a scenario could not run (missed targets are
# reported, not failed: timings on shared CI machines are noisy). Idempotent, non-interactive.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/cjs/src/index.js ] || npm run build --silent
start=$(date +%s)
node test/bench/run.js --quick "$@"
echo "bench --quick took $(( $(date +%s) - start )) s"
