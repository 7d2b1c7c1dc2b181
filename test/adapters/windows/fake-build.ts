/**
 * Compiles the fake iphlpapi (fake-iphlpapi.c) for the tests: a Linux .so with gcc, or a Windows DLL
 * with mingw-w64. Jest side only (Linux); the result goes to a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The C source of the fake library. */
export const FAKE_SOURCE = path.join(__dirname, 'fake-iphlpapi.c');

/** `full`: every export; `minimal`: only the two required functions plus the test controls. */
export type FakeVariant = 'full' | 'minimal';

/** A fresh temporary directory (the caller removes it). */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rxipi-${prefix}-`));
}

/** Compiles the fake as a Linux shared object into `dir` and returns its path. */
export function buildFakeSharedObject(dir: string, variant: FakeVariant = 'full'): string {
  const out = path.join(dir, `fake-iphlpapi-${variant}.so`);
  const defines = variant === 'minimal' ? ['-DFAKE_MINIMAL'] : [];
  // -z nodelete: koffi dlclose()s its libraries when Node tears down, while the fake's detached
  // delivery thread still waits on the fake's condition variable; unmapped under it, that thread
  // crashed about 1 exit in 10 on a loaded machine (SIGSEGV in pthread_cond_wait, core dump). The
  // real iphlpapi.dll is never unmapped under its notification threads, so the fake stays mapped too.
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-pthread', '-Wl,-z,nodelete', ...defines, '-o', out, FAKE_SOURCE], { stdio: 'pipe' });
  return out;
}

/** Compiles the fake as a Windows DLL with x86_64-w64-mingw32-gcc into `dir` and returns its path. */
export function buildFakeDll(dir: string): string {
  const out = path.join(dir, 'fake-iphlpapi.dll');
  execFileSync('x86_64-w64-mingw32-gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-o', out, FAKE_SOURCE], { stdio: 'pipe' });
  return out;
}
