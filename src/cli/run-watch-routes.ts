import type { IpInterfaceAdapter } from '../adapter.js';
import type { AddressFamily } from '../address-family.js';
import { routeChanges$ } from '../route-changes.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatRouteLine } from './format-route-line.js';
import { runRouteStream } from './run-route-stream.js';

/** Options of `watch routes`. */
export interface WatchRoutesOptions {
  readonly family: AddressFamily;
  readonly json: boolean;
  readonly initial: boolean;
}

/**
 * `watch routes`: streams the route changes of `options.family` (`routeChanges$`) until a stop
 * request or an adapter error: lines like `ip monitor route`, or NDJSON (`{ time, kind, row }`,
 * bigints as strings). Resolves with the exit code (0 stopped, 1 adapter error, e.g. NOT_SUPPORTED
 * on the polling adapter).
 *
 * @example
 * ```ts
 * process.exitCode = await runWatchRoutes({ family: 'inet', json: false, initial: true }, adapter, io);
 * ```
 */
export function runWatchRoutes(options: WatchRoutesOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  return runRouteStream(
    (a, onCancelError) => routeChanges$(options.family, options.initial, { adapter: a, onCancelError }),
    (change) => {
      const time = io.now();
      io.write(`${options.json ? JSON.stringify({ time: time.toISOString(), ...change }, bigintToString) : formatRouteLine(change, { time, color: io.color })}\n`);
    },
    adapter,
    io,
  );
}
