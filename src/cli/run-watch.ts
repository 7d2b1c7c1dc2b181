import type { IpInterfaceAdapter } from '../adapter.js';
import type { IpInterfaceChange } from '../ip-interface-change.js';
import { ipInterfaceChanges$ } from '../ip-interface-changes.js';
import type { IpInterfaceRow } from '../ip-interface-row.js';
import { interfaceKey } from '../interface-key.js';
import { debounceInterfaceChanges } from '../operators/debounce-interface-changes.js';
import type { CliIo } from './cli-io.js';
import { formatChangeLine } from './format-change-line.js';
import type { WatchOptions } from './parse-cli-arguments.js';
import { runWatchStream, type WatchSubject } from './run-watch-stream.js';

const INTERFACES: WatchSubject<IpInterfaceRow, IpInterfaceChange> = {
  changes$: (family, adapter, onCancelError) => ipInterfaceChanges$(family, true, { adapter, onCancelError }),
  debounce: (dueTime) => debounceInterfaceChanges<IpInterfaceChange>(dueTime),
  key: interfaceKey,
  table: (adapter, family) => adapter.getIpInterfaceTable(family),
  format: formatChangeLine,
};

/**
 * `watch`: streams the interface changes of `options.family` through `adapter` until a stop request
 * (SIGINT / SIGTERM / SIGHUP) or an adapter error. On a stop, bursts that `--debounce` still holds are
 * printed first. Human lines or NDJSON, one `write` per line. For `changed`
 * the fields that differ from the row seen before for the interface are shown; rows are first
 * seeded from the table once the registration is live. Resolves with the exit code once the
 * registration is cancelled: 0 when stopped, 1 on an adapter error (written to stderr).
 *
 * @example
 * ```ts
 * process.exitCode = await runWatch({ family: 'unspec', initial: true, json: false, ... }, adapter, io);
 * ```
 */
export function runWatch(options: WatchOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  return runWatchStream(INTERFACES, options, adapter, io);
}
