/**
 * Runs one misuse of the public API in a child Node process against the built package (dist/cjs),
 * so that anything the library throws asynchronously (an uncaught exception, an unhandled rejection)
 * ends that child, not jest, and shows as a non-zero exit with its stack on stderr.
 *
 * The script gets `lib` (the package), `mock` (rxjs-ip-interface/adapters/mock), `rxjs`, `out` (an
 * object to fill) and `settle()`, which waits until timers, microtasks and immediates of the misuse
 * have run (so a late throw would have happened), then prints `out` as JSON. The child must then
 * exit by itself: a leaked timer or registration would keep it alive until the watchdog kills it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export interface MisuseResult {
  /** Exit code (null: killed by the watchdog, or by a signal). */
  readonly code: number | null;
  readonly stderr: string;
  /** What the script put in `out`, or undefined when it printed nothing (it died first). */
  readonly out: Record<string, unknown> | undefined;
}

const prelude = `
'use strict';
const lib = require(${JSON.stringify(join(root, 'dist/cjs/src/index.js'))});
const mock = require(${JSON.stringify(join(root, 'dist/cjs/adapters/mock/index.js'))});
const rxjs = require(${JSON.stringify(require.resolve('rxjs', { paths: [root] }))});
const out = {};
const describe = (e) => (e && typeof e === 'object' && typeof e.code === 'string' ? { name: e.name, code: e.code, message: e.message } : { type: typeof e });
const settle = () =>
  setTimeout(() => setImmediate(() => setTimeout(() => process.stdout.write(JSON.stringify(out)), 20)), 20);
`;

/** Runs `script` (CommonJS, after the prelude above) in a child process with a 10 s watchdog. */
export function runMisuse(script: string): Promise<MisuseResult> {
  if (!existsSync(join(root, 'dist/cjs/src/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  return new Promise((done) => {
    execFile(process.execPath, ['-e', `${prelude}\n${script}`], { encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) => {
      let out: Record<string, unknown> | undefined;
      try {
        out = stdout.trim() === '' ? undefined : (JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        out = { unparsed: stdout };
      }
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, stderr, out });
    });
  });
}
