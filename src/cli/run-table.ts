import type { IpInterfaceAdapter } from '../adapter.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatCliError } from './format-cli-error.js';
import { formatTable } from './format-table.js';
import type { CliCommonOptions } from './parse-cli-arguments.js';

/**
 * `table`: prints the current IP interface table of `options.family` (aligned columns, or with
 * `json` a JSON array of the rows, one row per line, bigints as strings). Resolves with the exit code: 0, or 1 on an
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
    // JSON: an array with one compact row per line (valid JSON, and greppable line by line).
    io.write(options.json ? `[\n${rows.map((row) => `  ${JSON.stringify(row, bigintToString)}`).join(',\n')}\n]\n` : formatTable(rows));
    return 0;
  } catch (error) {
    io.writeError(`${formatCliError(error)}\n`);
    return 1;
  }
}
