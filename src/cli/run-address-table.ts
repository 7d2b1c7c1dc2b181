import type { IpInterfaceAdapter } from '../adapter.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatAddressTable } from './format-address-table.js';
import { formatCliError } from './format-cli-error.js';
import type { CliCommonOptions } from './parse-cli-arguments.js';

/**
 * `table addresses`: prints the current unicast addresses of `options.family`
 * (`getUnicastIpAddressTable`; aligned columns, or with `json` a JSON array of the rows, one row per
 * line, bigints as strings). Resolves with the exit code: 0, or 1 on an adapter error (written to
 * stderr; an adapter without the address half: `NOT_SUPPORTED`).
 *
 * @example
 * ```ts
 * process.exitCode = await runAddressTable({ family: 'inet', json: true, adapter: undefined, netns: undefined }, adapter, io);
 * ```
 */
export async function runAddressTable(options: CliCommonOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  try {
    if (!adapter.getUnicastIpAddressTable) {
      throw new IpInterfaceError('NOT_SUPPORTED', `${adapter.name} adapter does not support getUnicastIpAddressTable`, { adapter: adapter.name });
    }
    const rows = await adapter.getUnicastIpAddressTable(options.family);
    io.write(options.json ? `[\n${rows.map((row) => `  ${JSON.stringify(row, bigintToString)}`).join(',\n')}\n]\n` : formatAddressTable(rows));
    return 0;
  } catch (error) {
    io.writeError(`${formatCliError(error)}\n`);
    return 1;
  }
}
