#!/usr/bin/env node
// `npm start [-- args]`: builds dist/ if an input changed since the last build (scripts/build.js
// --if-changed: ~30 ms when nothing did), then runs the CLI in this very process. No arguments, or
// options only, mean `watch --initial [options]`.
//
// Signals: npm runs a script as `sh -c "<script> <args>"` and forwards SIGINT / SIGTERM to that shell,
// which (dash, Debian's sh) does not exec its one command and dies of the signal without passing it
// on: npm exits 143 and the CLI runs on, orphaned and still registered (issue 15, measured on npm 11).
// So the CLI's process watches its parent and, once it is gone, stops as on SIGTERM (cancels the
// registration, exits). A signal sent to this process itself (Ctrl-C reaches the whole foreground
// process group) works as for the CLI.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
try {
  execFileSync(process.execPath, [path.join(__dirname, 'build.js'), '--if-changed'], { cwd: root, stdio: 'inherit' });
} catch (error) {
  process.exit(typeof error.status === 'number' ? error.status : 1);
}
const cli = path.join(root, 'dist/cjs/src/cli/main.js');
const args = process.argv.slice(2);
process.argv = [process.argv[0], cli, ...(args.length === 0 || args[0].startsWith('-') && !['-h', '--help', '-V', '--version'].includes(args[0]) ? ['watch', '--initial', ...args] : args)];
watchParent();
require(cli);

/** Stops like SIGTERM once the parent (the shell npm started) has gone. Checked every 100 ms, unref'd. */
function watchParent() {
  const parent = process.ppid;
  const gone = () => {
    if (process.ppid !== parent) return true; // re-parented (POSIX)
    try {
      process.kill(parent, 0);
      return false;
    } catch (error) {
      return error.code === 'ESRCH';
    }
  };
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
    else process.exit(143);
  }, 100);
  timer.unref();
}
