'use strict';
/**
 * Hand-written SVG: cumulative latency distributions on a log time axis, one line per listener,
 * p50 marked. Self-contained (no fonts or scripts beyond a generic sans-serif).
 */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmtUs(us) {
  const r = (v) => (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10);
  if (us >= 1e6) return `${r(us / 1e6)} s`;
  if (us >= 1e3) return `${r(us / 1e3)} ms`;
  return `${r(us)} µs`;
}

/**
 * @param {{ label: string, samplesUs: number[], note?: string, dashed?: boolean }[]} series
 * @param {{ title: string, subtitle?: string }} meta
 */
function latencyCdfSvg(series, meta) {
  const W = 860;
  const m = { left: 64, right: 24, top: 58, bottom: 64 + 20 * series.length };
  const H = 58 + 300 + m.bottom;
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = series.flatMap((s) => s.samplesUs).filter((v) => v > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, Math.min(...all, 100)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all, 1000))));
  const x = (us) => m.left + ((Math.log10(Math.max(us, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * pw;
  const y = (q) => m.top + (1 - q) * ph;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="24" font-size="16" font-weight="bold">${esc(meta.title)}</text>`);
  if (meta.subtitle) out.push(`<text x="${m.left}" y="42" fill="#555">${esc(meta.subtitle)}</text>`);
  // grid: decades and 2x/5x ticks
  for (let d = lo; d <= hi; d *= 10) {
    out.push(`<line x1="${x(d).toFixed(1)}" y1="${m.top}" x2="${x(d).toFixed(1)}" y2="${m.top + ph}" stroke="#ccc"/>`);
    out.push(`<text x="${x(d).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${esc(fmtUs(d))}</text>`);
    for (const k of [2, 5]) if (d * k < hi) out.push(`<line x1="${x(d * k).toFixed(1)}" y1="${m.top}" x2="${x(d * k).toFixed(1)}" y2="${m.top + ph}" stroke="#eee"/>`);
  }
  for (const q of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    out.push(`<line x1="${m.left}" y1="${y(q).toFixed(1)}" x2="${m.left + pw}" y2="${y(q).toFixed(1)}" stroke="${q === 0.5 ? '#999' : '#e4e4e4'}"${q === 0.5 ? ' stroke-dasharray="4 3"' : ''}/>`);
    if (q !== 0.99) out.push(`<text x="${m.left - 6}" y="${(y(q) + 4).toFixed(1)}" text-anchor="end">${Math.round(q * 100)}%</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 34}" text-anchor="middle">change → listener latency (log scale)</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">share of changes seen within</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const v = [...s.samplesUs].sort((a, b) => a - b);
    if (v.length) {
      const n = v.length;
      const step = Math.max(1, Math.floor(n / 500));
      const pts = [];
      for (let k = 0; k < n; k += step) pts.push(`${x(v[k]).toFixed(1)},${y((k + 1) / n).toFixed(1)}`);
      pts.push(`${x(v[n - 1]).toFixed(1)},${y(1).toFixed(1)}`);
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.join(' ')}"/>`);
      const p50 = v[Math.ceil(0.5 * n) - 1];
      out.push(`<circle cx="${x(p50).toFixed(1)}" cy="${y(0.5).toFixed(1)}" r="4" fill="${color}"/>`);
    }
    const lx = m.left;
    const ly = m.top + ph + 58 + i * 20;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly}">${esc(s.label)}${s.note ? ` — ${esc(s.note)}` : ''}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

module.exports = { latencyCdfSvg, fmtUs };
