'use strict';
/**
 * `--head`: measure exactly the committed library. Exports HEAD's src/, adapters/ and tsconfig files
 * (`git archive`) to node_modules/.cache/rxipi-bench/head-<commit>/ and compiles the CommonJS build
 * there, so uncommitted work of others in the shared checkout is not measured, and nobody's
 * `npm run build` can delete the build under a running benchmark. Module resolution from there
 * walks up to the project's node_modules.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root } = require('./library.js');

function buildHead() {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const dir = path.join(root, 'node_modules', '.cache', 'rxipi-bench', `head-${commit}`);
  const dist = path.join(dir, 'dist', 'cjs');
  const cache = path.dirname(dir);
  if (fs.existsSync(cache)) {
    for (const old of fs.readdirSync(cache)) if (old.startsWith('head-') && old !== path.basename(dir)) fs.rmSync(path.join(cache, old), { recursive: true, force: true });
  }
  if (!fs.existsSync(path.join(dist, 'src', 'index.js'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', 'HEAD', 'src', 'adapters', 'tsconfig.json', 'tsconfig.build.json'], { cwd: root, maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(dir, 'tsconfig.build.json')], { cwd: dir, stdio: 'inherit' });
    fs.writeFileSync(path.join(dist, 'package.json'), '{ "type": "commonjs" }\n');
  }
  return { dist, commit };
}

module.exports = { buildHead };
