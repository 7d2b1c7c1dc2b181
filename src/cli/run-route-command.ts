import type { IpInterfaceAdapter } from '../adapter.js';
import type { CliIo } from './cli-io.js';
import type { RouteCliInvocation } from './route-commands.js';
import { runTableRoutes } from './run-table-routes.js';
import { runWatchDefaultRoute } from './run-watch-default-route.js';
import { runWatchRoutes } from './run-watch-routes.js';

/**
 * Runs one of the route commands (`watch routes`, `watch default-route`, `table routes`) and
 * resolves with its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runRouteCommand({ command: 'table routes', options }, adapter, io);
 * ```
 */
export function runRouteCommand(invocation: RouteCliInvocation, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  switch (invocation.command) {
    case 'watch routes':
      return runWatchRoutes(invocation.options, adapter, io);
    case 'watch default-route':
      return runWatchDefaultRoute(invocation.options, adapter, io);
    case 'table routes':
      return runTableRoutes(invocation.options, adapter, io);
  }
}
