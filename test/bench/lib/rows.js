'use strict';
/** Rows across IPC (bigint -> string) and table diffs keyed like interfaceKey (family + LUID). */
function toPlain(row) {
  return JSON.parse(JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}

function keyOf(row) {
  return `${row.family}:${row.interfaceLuid}`;
}

/**
 * Differences between two tables (arrays of plain rows): keys only in one, and rows whose fields
 * differ (field names listed). `ignore` names fields left out of the comparison.
 */
function diffTables(mine, truth, ignore = []) {
  const a = new Map(mine.map((r) => [keyOf(r), r]));
  const b = new Map(truth.map((r) => [keyOf(r), r]));
  const onlyMine = [...a.keys()].filter((k) => !b.has(k));
  const missing = [...b.keys()].filter((k) => !a.has(k));
  const differing = [];
  for (const [k, r] of a) {
    const t = b.get(k);
    if (!t) continue;
    const fields = [...new Set([...Object.keys(r), ...Object.keys(t)])].filter(
      (f) => !ignore.includes(f) && JSON.stringify(r[f]) !== JSON.stringify(t[f]),
    );
    if (fields.length) differing.push({ key: k, name: r.interfaceName, fields });
  }
  return { onlyMine, missing, differing, empty: onlyMine.length + missing.length + differing.length === 0 };
}

module.exports = { toPlain, keyOf, diffTables };
