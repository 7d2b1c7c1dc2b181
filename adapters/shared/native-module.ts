/**
 * The one way adapters reach koffi: a dynamic `import()` (so importing the package loads no native
 * library, contract rule 8), and the path of the koffi this package resolves to, for worker threads
 * that must load it themselves.
 *
 * @module
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeLoadFailed } from './os-error.js';

/** The koffi module as its typings describe it. */
export type Koffi = typeof import('koffi').default;

/**
 * The message of anything thrown (an Error's message, else its string form).
 *
 * @example
 * ```ts
 * describeError(new Error('ENOENT')); // 'ENOENT'
 * ```
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Imports koffi; a failure is `NATIVE_LOAD_FAILED` naming the platform (koffi ships one binary per
 * platform and architecture, and a missing one is the usual cause).
 *
 * @example
 * ```ts
 * const koffi = await importKoffi('linux');
 * const libc = koffi.load('libc.so.6');
 * ```
 */
export async function importKoffi(adapter: string): Promise<Koffi> {
  try {
    const mod = await import('koffi');
    // `import()` of the CJS entry puts the API on `default`; the ESM entry has `default` too.
    return (mod.default ?? mod) as Koffi;
  } catch (error) {
    throw nativeLoadFailed(adapter, `could not load koffi (tried import('koffi') for ${process.platform}-${process.arch}): ${describeError(error)}`, error);
  }
}

/**
 * Where this module lives (CommonJS build: `__filename`; ESM build: the first file URL of a stack),
 * to find files shipped beside the adapters in either build.
 *
 * @example
 * ```ts
 * const adaptersDir = path.dirname(path.dirname(moduleFile())); // adapters/
 * ```
 */
export function moduleFile(): string {
  if (typeof __filename === 'string') return __filename;
  const match = /(file:\/\/[^\s)]+?):\d+:\d+/.exec(new Error().stack ?? '');
  return match?.[1] ? fileURLToPath(match[1]) : path.join(process.cwd(), 'index.js');
}

/**
 * Absolute path of the koffi entry point this package resolves to, for code that must `require`
 * koffi itself (a worker thread).
 *
 * @example
 * ```ts
 * new Worker(workerFile, { workerData: { koffi: koffiEntryPath() } });
 * ```
 */
export function koffiEntryPath(): string {
  return createRequire(moduleFile()).resolve('koffi');
}
