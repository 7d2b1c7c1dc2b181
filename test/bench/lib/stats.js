'use strict';
/** Order statistics over latency samples (nearest-rank percentiles, no interpolation). */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** { n, p50, p90, p99, max, mean } of `values` (any unit; returned in the same unit). */
function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1] : null,
    mean: n ? sorted.reduce((a, b) => a + b, 0) / n : null,
  };
}

module.exports = { percentile, summarize };
