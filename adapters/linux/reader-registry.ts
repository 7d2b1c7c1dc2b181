/**
 * The process-wide registry of readers: one per network namespace, opened by the first
 * registration, shared and reference-counted by every registration and table read of every adapter
 * instance and every module copy (see adapters/shared/process-state.ts), closed by the last release.
 *
 * @module
 */
import { statSync } from 'node:fs';
import { processWide } from '../shared/process-state.js';

/** What the registry needs of a reader. */
export interface RegisteredReader {
  /** The registry key it was opened under. */
  readonly key: string;
  close(): void;
}

interface RegistryEntry<R> {
  reader: R | undefined;
  opening: Promise<R> | undefined;
  refs: number;
}

// Shared by every copy of this module in the process (CommonJS and ESM builds): one reader per namespace.
const registry = processWide('linux.readers.v2', () => new Map<string, RegistryEntry<RegisteredReader>>());

/**
 * The registry key of a namespace: '' for this process's own; else the namespace's identity, the
 * device and inode of its nsfs file (`stat`, which never blocks and opens nothing), so that a name
 * deleted and re-created is a new namespace with a new reader. A path that cannot be stat'ed keys
 * by itself (opening it will then report why).
 *
 * @example
 * ```ts
 * namespaceKey('/run/netns/blue'); // '4:4026532290'
 * ```
 */
export function namespaceKey(path: string | undefined): string {
  if (path === undefined) return '';
  try {
    const st = statSync(path, { bigint: true });
    return `ns:${st.dev}:${st.ino}`;
  } catch {
    return `path:${path}`;
  }
}

/**
 * Takes a reference on the reader under `key`, opening it with `open` on first use. Pair every
 * successful call with {@link releaseReader}. A failed open leaves nothing registered.
 *
 * @example
 * ```ts
 * const reader = await acquireReader(key, () => NetlinkReader.open(key, path, bytes));
 * releaseReader(reader);
 * ```
 */
export async function acquireReader<R extends RegisteredReader>(key: string, open: () => Promise<R>): Promise<R> {
  let entry = registry.get(key) as RegistryEntry<R> | undefined;
  if (!entry) {
    const created: RegistryEntry<R> = { reader: undefined, opening: undefined, refs: 0 };
    created.opening = open().then(
      (reader) => {
        created.reader = reader;
        created.opening = undefined;
        return reader;
      },
      (error: unknown) => {
        if (registry.get(key) === created) registry.delete(key);
        throw error;
      },
    );
    registry.set(key, created);
    entry = created;
  }
  entry.refs++;
  try {
    return entry.reader ?? (await entry.opening!);
  } catch (error) {
    entry.refs--;
    throw error;
  }
}

/**
 * Drops one reference; the last one closes the reader and forgets it.
 *
 * @example
 * ```ts
 * releaseReader(reader);
 * ```
 */
export function releaseReader(reader: RegisteredReader): void {
  const entry = registry.get(reader.key);
  if (!entry || entry.reader !== reader) {
    reader.close();
    return;
  }
  entry.refs--;
  if (entry.refs <= 0) {
    registry.delete(reader.key);
    reader.close();
  }
}

/**
 * Removes `reader` from the registry without closing it (its namespace is gone: the next acquire of
 * its key, which a new namespace may reuse, opens a new reader). Later releases of it just close it.
 *
 * @example
 * ```ts
 * forgetReader(reader);
 * ```
 */
export function forgetReader(reader: RegisteredReader): void {
  if (registry.get(reader.key)?.reader === reader) registry.delete(reader.key);
}

/**
 * The open reader under `key`, if any (no reference taken).
 *
 * @example
 * ```ts
 * peekReader(namespaceKey(undefined));
 * ```
 */
export function peekReader<R extends RegisteredReader>(key: string): R | undefined {
  return registry.get(key)?.reader as R | undefined;
}

/**
 * References held on the reader under `key` (0 when none is open).
 *
 * @example
 * ```ts
 * readerRefs('');
 * ```
 */
export function readerRefs(key: string): number {
  return registry.get(key)?.refs ?? 0;
}
