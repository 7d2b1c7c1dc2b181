import type { IpInterfaceAdapter } from './adapter.js';
import { IpInterfaceError } from './ip-interface-error.js';

/**
 * Names of the adapters that can be a platform default.
 *
 * @example
 * ```ts
 * import { defaultAdapterName, ipInterfaceChanges$, loadAdapter, AF_UNSPEC, type DefaultAdapterName } from 'rxjs-ip-interface';
 *
 * // Polling when asked for (e.g. a sandbox without netlink), else the platform's adapter:
 * const name: DefaultAdapterName = process.env.USE_POLLING ? 'polling' : defaultAdapterName();
 * ipInterfaceChanges$(AF_UNSPEC, true, { adapter: await loadAdapter(name) }).subscribe(console.log);
 * ```
 */
export type DefaultAdapterName = 'linux' | 'windows' | 'polling';

/**
 * Which adapter `ipInterfaceChanges$` uses when none is given: linux on Linux, windows on win32,
 * polling elsewhere.
 *
 * @example
 * ```ts
 * defaultAdapterName('darwin'); // 'polling'
 * ```
 */
export function defaultAdapterName(platform: NodeJS.Platform = process.platform): DefaultAdapterName {
  if (platform === 'linux') return 'linux';
  if (platform === 'win32') return 'windows';
  return 'polling';
}

const cache = new Map<DefaultAdapterName, Promise<IpInterfaceAdapter>>();

/**
 * Loads (once per process) the adapter named, with its default options. Adapter modules are imported
 * on first use, so importing the package loads no native code. A native adapter that fails to load is
 * an error (`NATIVE_LOAD_FAILED`), never a silent fallback to polling.
 *
 * @example
 * ```ts
 * const adapter = await loadAdapter('polling');
 * ```
 */
export function loadAdapter(name: DefaultAdapterName = defaultAdapterName()): Promise<IpInterfaceAdapter> {
  let pending = cache.get(name);
  if (!pending) {
    pending = importAdapter(name);
    // A failed load is not cached: the cause (missing package, permissions) may be fixed and retried.
    pending.catch(() => cache.delete(name));
    cache.set(name, pending);
  }
  return pending;
}

async function importAdapter(name: DefaultAdapterName): Promise<IpInterfaceAdapter> {
  try {
    switch (name) {
      case 'linux':
        return (await import('../adapters/linux/index.js')).linuxAdapter();
      case 'windows':
        return (await import('../adapters/windows/index.js')).windowsAdapter();
      case 'polling':
        return (await import('../adapters/polling/index.js')).pollingAdapter();
    }
  } catch (error) {
    if (error instanceof IpInterfaceError) throw error;
    throw new IpInterfaceError('NATIVE_LOAD_FAILED', `could not load the ${name} adapter: ${String(error)}`, {
      adapter: name,
      cause: error,
    });
  }
}
