/**
 * Runs the compiled child scripts (child/*.ts) in separate node processes under a watchdog, so that
 * a deadlock fails one test quickly instead of hanging jest.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Compiles src, adapters, test/contract and child/*.ts with tsc (tsconfig.child.json) into a fresh
 * directory under build/ (inside the repository so that node finds node_modules), and returns it.
 * `--noCheck`: emit only; type checking is `npm run typecheck`'s job, and a type error elsewhere in
 * the tree must not turn into a failure here.
 */
export function compileChildren(label: string): string {
  const outDir = path.join(ROOT, 'build', `windows-${label}-${process.pid}-${Date.now()}`);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.child.json'), '--noCheck', '--outDir', outDir], { cwd: ROOT, stdio: 'pipe' });
  return outDir;
}

/** Path of a compiled child script inside `outDir`. */
export function childScript(outDir: string, name: string): string {
  return path.join(outDir, 'test', 'adapters', 'windows', 'child', `${name}.js`);
}

/** How a child ended. */
export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed by the watchdog. */
  readonly timedOut: boolean;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The parsed `RESULT {...}` line, if any. */
  readonly result: Record<string, unknown> | undefined;
}

/** Runs `node script ...args`, killing it with SIGKILL after `timeoutMs`. */
export function runNodeChild(script: string, args: readonly string[], timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const watchdog = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = line ? (JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>) : undefined;
      resolve({ code, signal, timedOut, ms: Date.now() - started, stdout, stderr, result });
    });
  });
}

/** Removes a directory made by {@link compileChildren}. */
export function removeDir(dir: string | undefined): void {
  if (dir && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
}
