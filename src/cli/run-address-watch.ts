import type { IpInterfaceAdapter } from '../adapter.js';
import { debounceAddressChanges } from '../operators/debounce-interface-changes.js';
import { unicastAddressKey } from '../unicast-address-key.js';
import type { UnicastIpAddressChange } from '../unicast-ip-address-change.js';
import { unicastIpAddressChanges$ } from '../unicast-ip-address-changes.js';
import type { UnicastIpAddressRow } from '../unicast-ip-address-row.js';
import type { CliIo } from './cli-io.js';
import { formatAddressChangeLine } from './format-address-change-line.js';
import type { AddressWatchOptions } from './parse-cli-arguments.js';
import { runWatchStream, type WatchSubject } from './run-watch-stream.js';

const addresses = (lifetimeUpdates: boolean): WatchSubject<UnicastIpAddressRow, UnicastIpAddressChange> => ({
  changes$: (family, adapter, onCancelError) => unicastIpAddressChanges$(family, true, { adapter, onCancelError, lifetimeUpdates }),
  debounce: (dueTime) => debounceAddressChanges<UnicastIpAddressChange>(dueTime),
  key: unicastAddressKey,
  // Without the address half the stream itself errors with NOT_SUPPORTED before any seeding.
  table: (adapter, family) => adapter.getUnicastIpAddressTable?.(family),
  format: formatAddressChangeLine,
});

/**
 * `watch addresses`: streams the unicast address changes of `options.family` through `adapter`
 * (`unicastIpAddressChanges$`, lifetime-only updates only with `--lifetime-updates`) until a stop
 * request (SIGINT / SIGTERM / SIGHUP) or an adapter error, exactly as `watch` does for interfaces:
 * `--debounce` per address (`debounceAddressChanges`), the rows seeded from
 * `getUnicastIpAddressTable` to show what a `changed` changed, exit 0 when stopped, 1 on an adapter
 * error (an adapter without the address half: `NOT_SUPPORTED`).
 *
 * @example
 * ```ts
 * process.exitCode = await runAddressWatch({ family: 'inet6', initial: true, lifetimeUpdates: false, ... }, adapter, io);
 * ```
 */
export function runAddressWatch(options: AddressWatchOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  return runWatchStream(addresses(options.lifetimeUpdates), options, adapter, io);
}
