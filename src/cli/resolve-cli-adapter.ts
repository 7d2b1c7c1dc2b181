import type { IpInterfaceAdapter } from '../adapter.js';
import { defaultAdapterName, loadAdapter } from '../default-adapter.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import type { CliAdapterName, CliCommonOptions } from './parse-cli-arguments.js';

/** The adapter the CLI runs with. */
export interface CliAdapter {
  readonly adapter: IpInterfaceAdapter;
  readonly name: CliAdapterName;
  /** True when polling was picked because this platform has no native adapter (not by `--adapter`). */
  readonly polledByDefault: boolean;
}

/**
 * Loads the adapter the options ask for: `--adapter`, else the platform default; with `--netns`, a
 * linux adapter for that namespace. Rejects with an `IpInterfaceError` (`NATIVE_LOAD_FAILED` when an
 * adapter module cannot be loaded).
 *
 * @example
 * ```ts
 * const { adapter } = await resolveCliAdapter({ adapter: 'polling', netns: undefined });
 * ```
 */
export async function resolveCliAdapter(
  options: Pick<CliCommonOptions, 'adapter' | 'netns'>,
  platform: NodeJS.Platform = process.platform,
): Promise<CliAdapter> {
  const name = options.adapter ?? defaultAdapterName(platform);
  const polledByDefault = options.adapter === undefined && name === 'polling';
  if (options.netns === undefined) return { adapter: await loadAdapter(name), name, polledByDefault };
  let linux: typeof import('../../adapters/linux/index.js');
  try {
    linux = await import('../../adapters/linux/index.js');
  } catch (error) {
    throw new IpInterfaceError('NATIVE_LOAD_FAILED', `could not load the linux adapter: ${String(error)}`, { adapter: 'linux', cause: error });
  }
  return { adapter: linux.linuxAdapter({ netns: options.netns }), name, polledByDefault };
}
