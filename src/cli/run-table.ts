import type { IpInterfaceAdapter } from '../adapter.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatCliError } from './format-cli-error.js';
import { formatTable } from './format-table.js';
import type { CliCommonOptions } from './parse-cli-arguments.js';

/**
 * `table`: prints the current IP interface table of `options.family` (aligned columns, or with
 * `json` a JSON array of the rows, bigints as strings). Resolves with the exit code: 0, or 1 on an
 * adapter error (written to stderr).
 *
 * @example
 * ```ts
 * process.exitCode = await runTable({ family: 'inet', json: true, adapter: undefined, netns: undefined }, adapter, io);
 * ```
 */
export async function runTable(options: CliCommonOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  try {
    const rows = await adapter.getIpInterfaceTable(options.family);
    io.write(options.json ? `${JSON.stringify(rows, bigintToString, 2)}\n` : formatTable(rows));
    return 0;
  } catch (error) {
    io.writeError(`${formatCliError(error)}\n`);
    return 1;
  }
}
