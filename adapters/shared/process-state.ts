/**
 * The policy for process-wide state of the adapters.
 *
 * A process can load this package twice: once through `require` (dist/cjs) and once through
 * `import` (dist/esm), for example a CommonJS app using an ESM-only dependency that uses the
 * package too. Each load has its own copy of every module. The rule, for every module-level cache:
 *
 * - **Process-wide, through {@link processWide}** (one `globalThis` slot per name, shared by every
 *   copy): what must exist once per process for correctness or for a resource limit:
 *   - the linux reader registry (`linux.readers.v2`, adapters/linux/reader-registry.ts): one event
 *     socket and one table per network namespace, however many copies ask;
 *   - the linux namespace worker (`linux.namespace-worker.v1`, adapters/linux/namespace-worker-client.ts):
 *     one thread (a Worker lifetime leaks about 45 KB of RSS);
 *   - the windows budget of koffi async calls (`windows.koffi-async-budget.v1`,
 *     adapters/windows/native-call-budget.ts): koffi's pool of async slots is per process, so the
 *     bound in front of it must be too.
 * - **Per module copy** (plain module variables): what is only a cost when doubled, never a
 *   correctness issue:
 *   - the loaded libc binding (adapters/linux/libc.ts `loadLibc`);
 *   - the scratch receive buffers of the read loop (64 KiB) and of the requester (256 KiB), used
 *     synchronously and never across a yield (netlink-reader.ts, netlink-requester.ts);
 *   - the per-device row constants (row-mapping.ts) and interface-name strings (netlink-parser.ts),
 *     pure memoization;
 *   - the polling timers (adapters/polling/poll-timer.ts: one timer per interval per copy, so two
 *     copies poll twice as often) and the sysfs device-type cache (read-interface-snapshot.ts);
 *   - the windows adapter's koffi type cache (adapters/windows/iphlpapi-library.ts; koffi itself
 *     caches named types per process).
 *
 * @module
 */

const ROOT = Symbol.for('rxjs-ip-interface.adapters');

/**
 * The process-wide value named `name`, created by `create` on first use in any module copy.
 * Names are versioned by shape: change the name when the shape of the value changes, so two
 * package versions in one process never share an object they disagree about.
 *
 * @example
 * ```ts
 * const readers = processWide('linux.readers.v2', () => new Map<string, Entry>());
 * ```
 */
export function processWide<T>(name: string, create: () => T): T {
  const holder = globalThis as Record<symbol, Map<string, unknown> | undefined>;
  const values = (holder[ROOT] ??= new Map<string, unknown>());
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}
