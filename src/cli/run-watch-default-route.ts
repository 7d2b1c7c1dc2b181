import type { IpInterfaceAdapter } from '../adapter.js';
import { DEFAULT_ROUTE_DESTINATIONS, defaultRoute$ } from '../default-route.js';
import { bigintToString } from './bigint-to-string.js';
import type { CliIo } from './cli-io.js';
import { formatDefaultRouteLine } from './format-default-route-line.js';
import { runRouteStream } from './run-route-stream.js';

/** Options of `watch default-route`. */
export interface WatchDefaultRouteOptions {
  readonly family: 'inet' | 'inet6';
  readonly json: boolean;
  /** `--destination`: the address whose route is followed (default `DEFAULT_ROUTE_DESTINATIONS`). */
  readonly destination: string | undefined;
}

/**
 * `watch default-route`: prints the route the OS would use for a global destination (`defaultRoute$`)
 * at start and whenever it changes, until a stop request or an adapter error; human lines like
 * `ip route get`, or NDJSON (`{ time, family, destination, route }`, `route` null when there is none).
 *
 * @example
 * ```ts
 * process.exitCode = await runWatchDefaultRoute({ family: 'inet', json: true, destination: undefined }, adapter, io);
 * ```
 */
export function runWatchDefaultRoute(options: WatchDefaultRouteOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  const destination = options.destination ?? DEFAULT_ROUTE_DESTINATIONS[options.family];
  return runRouteStream(
    (a, onCancelError) => defaultRoute$(options.family, { adapter: a, destination, onCancelError }),
    (route) => {
      const time = io.now();
      io.write(
        `${options.json
          ? JSON.stringify({ time: time.toISOString(), family: options.family, destination, route }, bigintToString)
          : formatDefaultRouteLine(route, { time, family: options.family, destination })}\n`,
      );
    },
    adapter,
    io,
  );
}
