/**
 * The policy for process-wide state of the linux adapter.
 *
 * A process can load this package twice: once through `require` (dist/cjs) and once through
 * `import` (dist/esm), for example a CommonJS app using an ESM-only dependency that uses the
 * package too. Each load has its own copy of every module. The rule:
 *
 * - **Process-wide, through {@link processWide}** (one `globalThis` slot per name, shared by every
 *   copy): what must exist once per process for correctness or for a resource limit: the reader
 *   registry (one event socket and one table per network namespace, however many copies ask), and
 *   the namespace worker (one thread; a Worker lifetime leaks about 45 KB of RSS).
 * - **Per module copy** (plain module variables): what is only a cost when doubled, never a
 *   correctness issue: the loaded libc binding (`loadLibc`), the scratch receive buffers of the read
 *   loop and of the requester (64 KiB and 256 KiB, used synchronously and never across a yield).
 *
 * Nothing else in adapters/linux holds state outside an object.
 *
 * @module
 */

const ROOT = Symbol.for('rxjs-ip-interface.linux');

/**
 * The process-wide value named `name`, created by `create` on first use in any module copy.
 * Names are versioned by shape: change the name when the shape of the value changes, so two
 * package versions in one process never share an object they disagree about.
 *
 * @example
 * ```ts
 * const readers = processWide('readers.v1', () => new Map<string, Entry>());
 * ```
 */
export function processWide<T>(name: string, create: () => T): T {
  const holder = globalThis as Record<symbol, Map<string, unknown> | undefined>;
  const values = (holder[ROOT] ??= new Map<string, unknown>());
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}
