import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The built CLI (`npm run build`; `npm test` builds first). */
export const CLI = join(resolve(__dirname, '../../..'), 'dist/cjs/src/cli/main.js');

export function assertCliBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

/** The built CLI running as a child process, its output collected line by line. */
export class CliProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcessWithoutNullStreams;

  /** `wrapper`: a command that runs node in its place (`['ip', 'netns', 'exec', name]`, which execs it: same pid). */
  constructor(args: readonly string[], env: Record<string, string> = {}, wrapper: readonly string[] = []) {
    assertCliBuilt();
    const [file, ...prefix] = [...wrapper, process.execPath];
    this.child = spawn(file!, [...prefix, CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.stdout.push(line));
    createInterface({ input: this.child.stderr }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Waits for a stdout (or stderr) line matching `pattern` (searching from line `from`); returns its index. */
  async waitForLine(pattern: RegExp, timeoutMs = 5000, from = 0, stream: 'stdout' | 'stderr' = 'stdout'): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this[stream].findIndex((line, i) => i >= from && pattern.test(line));
      if (index >= 0) return index;
      if (Date.now() > deadline) {
        throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the process if it is still running (test cleanup). */
  dispose(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Runs the CLI to completion. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  wrapper: readonly string[] = [],
): Promise<{ code: number | null; stdout: string[]; stderr: string[] }> {
  const cli = new CliProcess(args, env, wrapper);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}
