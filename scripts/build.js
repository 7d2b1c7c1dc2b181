#!/usr/bin/env node
// Builds CommonJS (dist/cjs) and ESM (dist/esm) from the same sources, then marks each tree's module
// type so Node reads the .js files of each correctly whatever the root package.json says.
//
//   node scripts/build.js               always builds (`npm run build`, `npm test`)
//   node scripts/build.js --if-changed  builds only when an input changed since the last build
//                                       (`npm start`, and `prepare`, which npm runs on `npm ci` in a
//                                       clone and when a consumer installs the package from git)
//
// The inputs are every file under src/ and adapters/, the tsconfig files, package.json, this script
// and the TypeScript version; their SHA-256 is kept in node_modules/.cache (not in dist/, which is
// published). A build takes about 7 s on 2 cores; the check about 30 ms.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, 'node_modules/.cache/rxjs-ip-interface/build-stamp');
const outputs = ['dist/cjs/src/index.js', 'dist/esm/src/index.js', 'dist/cjs/src/cli/main.js'];

function resolveTsc() {
  try {
    return require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    console.error(
      'rxjs-ip-interface: cannot build: the TypeScript compiler is not installed. In a clone run `npm ci` ' +
        '(it installs the devDependencies, then this build runs as `prepare`).',
    );
    process.exit(1);
  }
}

/** SHA-256 over the build's inputs (paths and contents), in a stable order. */
function inputsHash(tsc) {
  const hash = crypto.createHash('sha256');
  const add = (file) => {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(fs.readFileSync(file));
  };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) add(file);
    }
  };
  for (const dir of ['src', 'adapters']) walk(path.join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.esm.json', 'package.json', 'scripts/build.js']) add(path.join(root, file));
  hash.update(JSON.parse(fs.readFileSync(path.join(path.dirname(tsc), '../package.json'), 'utf8')).version);
  return hash.digest('hex');
}

const ifChanged = process.argv.includes('--if-changed');
const tsc = resolveTsc();
const stamp = inputsHash(tsc);
if (ifChanged && outputs.every((f) => fs.existsSync(path.join(root, f))) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
  process.exit(0);
}
fs.rmSync(stampFile, { force: true });
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
fs.mkdirSync(path.dirname(stampFile), { recursive: true });
fs.writeFileSync(stampFile, stamp);
