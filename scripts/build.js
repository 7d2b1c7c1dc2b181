#!/usr/bin/env node
// Builds CommonJS (dist/cjs) and ESM (dist/esm) from the same sources, then marks each tree's module
// type so Node reads the .js files of each correctly whatever the root package.json says.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.build.json', 'tsconfig.esm.json']) {
  execFileSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
}
// Plain CommonJS files the adapters start as worker threads (tsc emits only what it compiles): the
// same file beside the compiled adapters in both trees (its .cjs extension keeps it CommonJS there).
for (const file of ['adapters/linux/namespace-worker.cjs']) {
  for (const tree of ['dist/cjs', 'dist/esm']) fs.copyFileSync(path.join(root, file), path.join(root, tree, file));
}
fs.writeFileSync(path.join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
fs.writeFileSync(path.join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
const cli = path.join(root, 'dist/cjs/src/cli/main.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
