import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AddressFamily } from '../address-family.js';
import type { DefaultAdapterName } from '../default-adapter.js';
import type { TableRoutesOptions } from './run-table-routes.js';
import type { WatchDefaultRouteOptions } from './run-watch-default-route.js';
import type { WatchRoutesOptions } from './run-watch-routes.js';

/** parse-cli-arguments.ts's CliCommonOptions, restated (structurally the same) so that file and this one do not import each other. */
interface CliCommonOptions {
  readonly family: AddressFamily;
  readonly json: boolean;
  readonly adapter: DefaultAdapterName | undefined;
  readonly netns: string | undefined;
}

/** What the route commands of the command line ask for. */
export type RouteCliInvocation =
  | { readonly command: 'watch routes'; readonly options: WatchRoutesOptions & CliCommonOptions }
  | { readonly command: 'watch default-route'; readonly options: WatchDefaultRouteOptions & Omit<CliCommonOptions, 'family'> }
  | { readonly command: 'table routes'; readonly options: TableRoutesOptions & CliCommonOptions };

/** What parse-cli-arguments.ts lends the route commands (its shared options and checks). */
export interface RouteCommandContext {
  readonly watch: Command;
  readonly table: Command;
  readonly familyOption: () => Option;
  readonly adapterOption: () => Option;
  readonly netnsOption: (verb: 'watch' | 'read') => Option;
  readonly common: (command: Command, opts: Record<string, unknown>) => CliCommonOptions;
  readonly configure: (command: Command, usage: string) => Command;
  readonly set: (invocation: RouteCliInvocation) => void;
}

function parseDestination(value: string): string {
  // The adapter checks the address strictly (INVALID_PARAMETER); this catches an obvious slip early.
  if (!/^[0-9a-fA-F:.]+$/.test(value)) throw new InvalidArgumentError('expected an IPv4 or IPv6 address.');
  return value;
}

/**
 * Adds `watch routes`, `watch default-route` and `table routes` as subcommands of `watch` and
 * `table` (which keep working alone). Kept in its own file so that the route commands stay one
 * block next to the interface and address ones.
 *
 * @example
 * ```ts
 * addRouteCommands({ watch, table, familyOption, adapterOption, netnsOption, common, configure, set: (i) => (invocation = i) });
 * ```
 */
export function addRouteCommands(ctx: RouteCommandContext): void {
  // Options before a subcommand name belong to `watch` / `table`, after it to the subcommand.
  ctx.watch.enablePositionalOptions();
  ctx.table.enablePositionalOptions();

  const routes = ctx.configure(
    ctx.watch
      .command('routes')
      .description('stream route changes as they happen, like `ip monitor route` (Ctrl-C to stop)')
      .addOption(ctx.familyOption())
      .option('--initial', 'first print a line once the registration is live')
      .option('--json', 'write NDJSON: one RouteChange per line, bigints as strings, with a time field')
      .addOption(ctx.netnsOption('watch'))
      .addOption(ctx.adapterOption()),
    'watch routes',
  );
  routes.action((opts: Record<string, unknown>, command: Command) => {
    ctx.set({ command: 'watch routes', options: { ...ctx.common(command, opts), initial: opts.initial === true } });
  });
  routes.addHelpText('after', '\nOutput: time, kind (added, changed, removed), family, then the route as `ip route` prints it.');

  const defaultRoute = ctx.configure(
    ctx.watch
      .command('default-route')
      .description('print the route the OS would use for a global destination, then each time it changes (Ctrl-C to stop)')
      .addOption(new Option('--family <family>', 'IP family: inet (IPv4) or inet6 (IPv6)').choices(['inet', 'inet6']).default('inet'))
      .addOption(new Option('--destination <address>', 'the address to follow the route of (default 8.8.8.8 / 2001:4860:4860::8888; no packet is sent)').argParser(parseDestination))
      .option('--json', 'write NDJSON: { time, family, destination, route } per change, route null when there is none')
      .addOption(ctx.netnsOption('watch'))
      .addOption(ctx.adapterOption()),
    'watch default-route',
  );
  defaultRoute.action((opts: Record<string, unknown>, command: Command) => {
    const { family, ...rest } = ctx.common(command, opts);
    ctx.set({
      command: 'watch default-route',
      options: { ...rest, family: family as 'inet' | 'inet6', destination: opts.destination as string | undefined },
    });
  });

  const tableRoutes = ctx.configure(
    ctx.table
      .command('routes')
      .description('print the current route table, like `ip route show`')
      .addOption(ctx.familyOption())
      .option('--json', 'write the rows as a JSON array, bigints as strings')
      .addOption(ctx.netnsOption('read'))
      .addOption(ctx.adapterOption()),
    'table routes',
  );
  tableRoutes.action((opts: Record<string, unknown>, command: Command) => {
    ctx.set({ command: 'table routes', options: ctx.common(command, opts) });
  });
}
