#!/usr/bin/env node
/**
 * The `rxjs-ip-interface` command: `watch` and `table`, of interfaces or of `addresses` (see
 * docs/cli.md). Parses the arguments, loads the adapter, runs the command and exits with its code:
 * 0 done or stopped by Ctrl-C / SIGTERM / SIGHUP or a closed stdout (EPIPE), 1 adapter error or any
 * other output error (ENOSPC...), 2 bad arguments.
 * @module
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CliIo } from './cli-io.js';
import { formatCliError } from './format-cli-error.js';
import { parseCliArguments } from './parse-cli-arguments.js';
import { readPackageVersion } from './read-package-version.js';
import { resolveCliAdapter } from './resolve-cli-adapter.js';
import { runAddressTable } from './run-address-table.js';
import { runAddressWatch } from './run-address-watch.js';
import { runTable } from './run-table.js';
import { runWatch } from './run-watch.js';
import { runRouteCommand } from './run-route-command.js';

function colorWanted(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return process.stdout.isTTY === true && process.stdout.hasColors();
}

/** The signals that stop `watch` (cancel the registration, exit 0). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Set once a write to stdout failed with anything but EPIPE: the exit code is then 1. */
let outputFailed = false;

function processIo(): CliIo {
  let outputGone = false;
  const stopHandlers = new Set<(reason: string) => void>();
  // Every failed write reports here twice (its callback and the stream's 'error' event): act once.
  // EPIPE (`| head` closed our stdout) means nobody reads any more: stop like Ctrl-C, exit 0. Any other
  // error (ENOSPC of `> /dev/full`, EIO) loses output: say so on stderr, stop, exit 1.
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    if (outputGone) return;
    outputGone = true;
    if (error.code !== 'EPIPE') {
      outputFailed = true;
      process.stderr.write(`rxjs-ip-interface: cannot write the output: ${error.message}\n`);
    }
    for (const handler of stopHandlers) handler(error.code === 'EPIPE' ? 'SIGPIPE' : 'output error');
  };
  // Kept for the life of the process: without a listener a failed write would crash it.
  process.stdout.on('error', onOutputError);
  return {
    write: (text) => {
      if (outputGone) return;
      process.stdout.write(text, (error) => {
        if (error) onOutputError(error);
      });
    },
    writeError: (text) => void process.stderr.write(text),
    color: colorWanted(),
    trace: process.env.RXJS_IP_INTERFACE_TRACE === '1',
    now: () => new Date(),
    onStopRequest(handler) {
      let requests = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        // A second Ctrl-C while the registration is being cancelled: stop waiting.
        if (++requests > 1) process.exit(130);
        handler(signal);
      };
      // SIGHUP too (the terminal closed, `kill -HUP`): without a listener Node exits 129 at once and
      // the registration is never cancelled.
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      stopHandlers.add(handler);
      return () => {
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
        stopHandlers.delete(handler);
      };
    },
  };
}

/** Exits once stdout and stderr have taken everything written (they may be pipes); 1 if the output failed. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(outputFailed && code === 0 ? 1 : code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function main(): Promise<void> {
  // This file runs as dist/cjs/src/cli/main.js; the package.json is a few levels up.
  const here = typeof __dirname === 'string' ? __dirname : dirname(realpathSync(process.argv[1] ?? '.'));
  const invocation = parseCliArguments(process.argv.slice(2), { version: readPackageVersion(here) });
  const io = processIo();
  if (invocation.command === 'exit') {
    if (invocation.stdout !== '') io.write(invocation.stdout);
    io.writeError(invocation.stderr);
    return exitAfterFlush(invocation.code);
  }
  let resolved;
  try {
    resolved = await resolveCliAdapter(invocation.options);
  } catch (error) {
    io.writeError(`${formatCliError(error)}\n`);
    return exitAfterFlush(1);
  }
  if (invocation.command === 'table') {
    const run = invocation.subject === 'addresses' ? runAddressTable : runTable;
    return exitAfterFlush(await run(invocation.options, resolved.adapter, io));
  }
  if (invocation.command !== 'watch') return exitAfterFlush(await runRouteCommand(invocation, resolved.adapter, io));
  if (resolved.polledByDefault) {
    io.writeError(
      invocation.subject === 'addresses'
        ? `rxjs-ip-interface: note: no native adapter on ${process.platform}: addresses are polled every second ` +
            '(os.networkInterfaces()), so DAD state, lifetimes and origins are not known, and changes shorter than a second can be missed.\n'
        : `rxjs-ip-interface: note: no native adapter on ${process.platform}: interfaces are polled every second ` +
            '(os.networkInterfaces()), so only interfaces with an address are seen, parameter changes such as the MTU are not, ' +
            'and changes shorter than a second can be missed.\n',
    );
  }
  const code =
    invocation.subject === 'addresses'
      ? await runAddressWatch(invocation.options, resolved.adapter, io)
      : await runWatch(invocation.options, resolved.adapter, io);
  exitAfterFlush(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`${formatCliError(error)}\n`);
  exitAfterFlush(1);
});
