/**
 * Watching namespace files for deletion: one inotify watch (`fs.watch`) per directory of namespace
 * files (`/run/netns`), shared by every reader of the process, counted, and kept a moment after its
 * last user. A watcher per reader, opened and closed with it, made `linuxAdapter({ netns })`
 * subscribe/unsubscribe churn grow RSS by +37.5 MiB over 3000 cycles (+9.3 MiB without any watcher;
 * issue 12, bench scenario `churn`, netns-option variant); with one lingering watcher a churn opens
 * none per cycle.
 *
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { processWide } from '../shared/process-state.js';
import { rethrowLater } from '../shared/safe-callback.js';

/** How long a directory's watcher outlives its last user (unref'd: it keeps no process alive). */
export const NAMESPACE_WATCH_LINGER_MS = 2000;

interface DirectoryWatch {
  readonly watcher: FSWatcher;
  /** Listeners by file name. */
  readonly byName: Map<string, Set<() => void>>;
  users: number;
  linger: NodeJS.Timeout | undefined;
}

const watches = processWide('linux.namespaceWatches.v1', () => new Map<string, DirectoryWatch>());

/**
 * Calls `onChange` whenever the directory of `path` reports a change of `path`'s name (or of an
 * unnamed entry: inotify may not say). Returns the function that stops it (idempotent), or
 * undefined when the directory cannot be watched (then nothing is called, as for a
 * `/proc/PID/ns` path). A watcher error stops the directory's watch for everyone, as before.
 *
 * @example
 * ```ts
 * const unwatch = watchNamespaceFile('/run/netns/blue', () => checkStillThere());
 * // ...
 * unwatch?.();
 * ```
 */
export function watchNamespaceFile(path: string, onChange: () => void): (() => void) | undefined {
  const dir = dirname(path);
  const entry = watches.get(dir) ?? openDirectory(dir);
  if (entry === undefined) return undefined;
  if (entry.linger !== undefined) {
    clearTimeout(entry.linger);
    entry.linger = undefined;
  }
  const name = basename(path);
  let listeners = entry.byName.get(name);
  if (listeners === undefined) {
    listeners = new Set();
    entry.byName.set(name, listeners);
  }
  const listener = (): void => onChange(); // one per call: the same function may watch twice
  listeners.add(listener);
  entry.users++;
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    listeners.delete(listener);
    if (listeners.size === 0 && entry.byName.get(name) === listeners) entry.byName.delete(name);
    if (--entry.users > 0 || watches.get(dir) !== entry) return;
    entry.linger = setTimeout(() => closeDirectory(dir, entry), NAMESPACE_WATCH_LINGER_MS);
    entry.linger.unref();
  };
}

/** Directories watched now (tests: a churn keeps one, the linger closes it). */
export function watchedNamespaceDirectories(): number {
  return watches.size;
}

function openDirectory(dir: string): DirectoryWatch | undefined {
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false });
  } catch {
    return undefined;
  }
  const entry: DirectoryWatch = { watcher, byName: new Map(), users: 0, linger: undefined };
  watcher.on('change', (_event, filename) => dispatch(entry, filename));
  watcher.on('error', () => closeDirectory(dir, entry));
  watches.set(dir, entry);
  return entry;
}

function closeDirectory(dir: string, entry: DirectoryWatch): void {
  if (entry.linger !== undefined) clearTimeout(entry.linger);
  entry.linger = undefined;
  if (watches.get(dir) === entry) watches.delete(dir);
  entry.byName.clear();
  entry.watcher.close();
}

function dispatch(entry: DirectoryWatch, filename: string | Buffer | null): void {
  const sets = filename === null ? [...entry.byName.values()] : [entry.byName.get(String(filename))];
  // Copies: a listener may stop its own watch, or another's, while this runs.
  for (const listener of sets.flatMap((s) => (s ? [...s] : []))) {
    try {
      listener();
    } catch (error) {
      rethrowLater(error);
    }
  }
}
