import type { IpInterfaceAdapter } from '../adapter.js';
import type { AddressFamily } from '../address-family.js';
import type { IpForwardRow } from '../ip-forward-row.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatCliError } from './format-cli-error.js';
import { formatRouteText } from './format-route-text.js';

/** Options of `table routes`. */
export interface TableRoutesOptions {
  readonly family: AddressFamily;
  readonly json: boolean;
}

/** IPv4 first, then by prefix length (longest first, as a lookup prefers), prefix, metric. */
function compareRoutes(a: IpForwardRow, b: IpForwardRow): number {
  return (
    a.family.localeCompare(b.family) ||
    b.destinationPrefix.prefixLength - a.destinationPrefix.prefixLength ||
    a.destinationPrefix.prefix.localeCompare(b.destinationPrefix.prefix) ||
    (a.metric ?? 0) - (b.metric ?? 0)
  );
}

/**
 * `table routes`: prints the route table of `options.family` (`getIpForwardTable2`), one route per
 * line as `ip route` prints it (with the family first), or with `json` a JSON array of the rows, one
 * per line, bigints as strings. Resolves with the exit code: 0, or 1 on an adapter error (an
 * adapter without the route half: `NOT_SUPPORTED`).
 *
 * @example
 * ```ts
 * process.exitCode = await runTableRoutes({ family: 'inet', json: false }, adapter, io);
 * ```
 */
export async function runTableRoutes(options: TableRoutesOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  try {
    if (typeof adapter.getIpForwardTable2 !== 'function') {
      throw new IpInterfaceError('NOT_SUPPORTED', `${adapter.name} adapter does not support getIpForwardTable2: it has no route half`, { adapter: adapter.name });
    }
    const rows = [...(await adapter.getIpForwardTable2(options.family))].sort(compareRoutes);
    io.write(
      options.json
        ? `[\n${rows.map((row) => `  ${JSON.stringify(row, bigintToString)}`).join(',\n')}\n]\n`
        : rows.map((row) => `${row.family.padEnd(6)}  ${formatRouteText(row)}\n`).join(''),
    );
    return 0;
  } catch (error) {
    io.writeError(`${formatCliError(error)}\n`);
    return 1;
  }
}
