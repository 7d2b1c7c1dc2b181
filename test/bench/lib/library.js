'use strict';
/**
 * Loads the built library (CommonJS build). `npm run bench` builds `dist/` first; `--dist <dir>`
 * or BENCH_DIST points at another build of the same sources (handy while others rebuild dist/).
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');

function distDir(explicit) {
  const dir = path.resolve(root, explicit || process.env.BENCH_DIST || 'dist/cjs');
  if (!fs.existsSync(path.join(dir, 'src', 'index.js'))) {
    throw new Error(`no built library at ${dir}: run \`npm run build\` (or pass --dist)`);
  }
  return dir;
}

/** require() of a module of the build, e.g. load(dir, 'adapters/linux/index.js'). */
function load(dir, rel) {
  return require(path.join(dir, rel));
}

module.exports = { distDir, load, root };
