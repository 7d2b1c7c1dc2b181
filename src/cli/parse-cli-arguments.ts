import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AF_UNSPEC, type AddressFamily } from '../address-family.js';
import { defaultAdapterName, type DefaultAdapterName } from '../default-adapter.js';
import { addRouteCommands, type RouteCliInvocation } from './route-commands.js';

/** The adapters the CLI can be told to use. */
export type CliAdapterName = DefaultAdapterName;

/** Options shared by `watch` and `table`. */
export interface CliCommonOptions {
  readonly family: AddressFamily;
  readonly json: boolean;
  /** `--adapter`, when given (else the platform default). */
  readonly adapter: CliAdapterName | undefined;
  /** `--netns`: a name under /run/netns or a path (linux adapter only). */
  readonly netns: string | undefined;
}

/** Options of `watch`. */
export interface WatchOptions extends CliCommonOptions {
  readonly initial: boolean;
  /** `--debounce <ms>`: per-interface (per-address) quiet time, when given. */
  readonly debounceMs: number | undefined;
}

/** Options of `watch addresses`. */
export interface AddressWatchOptions extends WatchOptions {
  /** `--lifetime-updates`: also print lifetime-only updates (router-advertisement refreshes). */
  readonly lifetimeUpdates: boolean;
}

/** What `watch` and `table` are about: `interfaces` (the default) or `addresses`. */
export type CliSubject = 'interfaces' | 'addresses';

/** What the command line asks for: a command to run, or an exit with text already decided. */
export type CliInvocation =
  | { readonly command: 'watch'; readonly subject: 'interfaces'; readonly options: WatchOptions }
  | { readonly command: 'watch'; readonly subject: 'addresses'; readonly options: AddressWatchOptions }
  | { readonly command: 'table'; readonly subject: CliSubject; readonly options: CliCommonOptions }
  | { readonly command: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | RouteCliInvocation;

/** Where the parser is running (injected for tests). */
export interface CliParseContext {
  readonly version: string;
  readonly platform?: NodeJS.Platform | undefined;
}

/** Exit code for bad arguments (as most Unix tools use it). */
export const EXIT_USAGE = 2;
const PROGRAM = 'rxjs-ip-interface';

function parseDebounce(value: string): number {
  if (!/^\d+$/.test(value) || !(Number(value) <= 2_147_483_647)) throw new InvalidArgumentError('expected a whole number of milliseconds from 0 to 2147483647.');
  return Number(value);
}

function parseNetns(value: string): string {
  // An empty name would open /run/netns/ itself (a directory): say what is wanted instead.
  if (value.trim() === '') throw new InvalidArgumentError('expected a namespace name (under /run/netns) or a path, not an empty string.');
  return value;
}

/** The usage of `watch` and `table` after `rxjs-ip-interface <command>`. */
const SUBJECT_USAGE = '[options] [interfaces|addresses]';

function usageHint(command: string): string {
  return `Usage: ${PROGRAM} ${command} ${SUBJECT_USAGE}\nRun '${PROGRAM} ${command} --help' for the options.`;
}

/**
 * Parses the CLI's arguments (without `node` and the script) with commander. Never exits the
 * process and never writes: help, version and errors come back as `{ command: 'exit' }` with the
 * text for stdout / stderr. Bad arguments give exit code 2 and a one-line message plus usage.
 *
 * @example
 * ```ts
 * parseCliArguments(['watch', '--family', 'inet', '--json'], { version: '1.0.0' });
 * // { command: 'watch', options: { family: 'inet', json: true, initial: false, ... } }
 * ```
 */
export function parseCliArguments(args: readonly string[], context: CliParseContext): CliInvocation {
  const platform = context.platform ?? process.platform;
  let stdout = '';
  let stderr = '';
  let invocation: CliInvocation | undefined;
  const output = {
    writeOut: (text: string) => (stdout += text),
    writeErr: (text: string) => (stderr += text),
    outputError: (text: string, write: (text: string) => void) => write(`${PROGRAM}: ${text}`),
  };

  const program = new Command(PROGRAM)
    .description('IP interface change notifications (NotifyIpInterfaceChange / rtnetlink) on the command line.')
    .version(context.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput(output)
    .showHelpAfterError(`Usage: ${PROGRAM} [options] [command]\nRun '${PROGRAM} --help' for the commands.`)
    .exitOverride();

  const familyOption = () =>
    new Option('--family <family>', 'IP family: inet (IPv4), inet6 (IPv6) or unspec (both)').choices(['inet', 'inet6', 'unspec']).default(AF_UNSPEC);
  const adapterOption = () =>
    new Option('--adapter <name>', `OS backend (default on this platform: ${defaultAdapterName(platform)})`).choices(['linux', 'windows', 'polling']);
  const netnsOption = (verb: 'watch' | 'read') =>
    new Option('--netns <name>', `network namespace to ${verb}: a name under /run/netns or a path (linux adapter)`).argParser(parseNetns);
  const subjectArgument = (verb: string) =>
    new Argument('[subject]', `interfaces (the default) or addresses: ${verb}`).choices(['interfaces', 'addresses']).default('interfaces');

  const common = (command: Command, opts: Record<string, unknown>): CliCommonOptions => {
    const adapter = opts.adapter as CliAdapterName | undefined;
    const netns = opts.netns as string | undefined;
    if (netns !== undefined && (adapter ?? defaultAdapterName(platform)) !== 'linux') {
      command.error(`error: --netns works with the linux adapter only${adapter ? ` (not --adapter ${adapter})` : ` (the default here is ${defaultAdapterName(platform)})`}`, {
        exitCode: EXIT_USAGE,
      });
    }
    return { family: opts.family as AddressFamily, json: opts.json === true, adapter, netns };
  };

  const watch = program
    .command('watch')
    .usage(SUBJECT_USAGE)
    .description('stream IP interface (or unicast address) changes as they happen (Ctrl-C to stop); also: watch routes, watch default-route')
    .addArgument(subjectArgument('what to watch'))
    .addOption(familyOption())
    .option('--initial', 'first print a line once the registration is live')
    .addOption(
      new Option('--debounce <ms>', 'per interface (per address), wait for <ms> of quiet and print the net effect of the burst').argParser(parseDebounce),
    )
    .option('--lifetime-updates', 'addresses: also print lifetime-only updates (router-advertisement refreshes)')
    .option('--json', 'write NDJSON: one IpInterfaceChange (UnicastIpAddressChange) per line, bigints as strings, with a time field')
    .addOption(netnsOption('watch'))
    .addOption(adapterOption())
    .configureOutput(output)
    .showHelpAfterError(usageHint('watch'))
    .exitOverride()
    .action((subject: CliSubject, opts: Record<string, unknown>, command: Command) => {
      const options = { ...common(command, opts), initial: opts.initial === true, debounceMs: opts.debounce as number | undefined };
      if (subject === 'addresses') {
        invocation = { command: 'watch', subject, options: { ...options, lifetimeUpdates: opts.lifetimeUpdates === true } };
        return;
      }
      if (opts.lifetimeUpdates === true) command.error("error: --lifetime-updates works with 'watch addresses' only", { exitCode: EXIT_USAGE });
      invocation = { command: 'watch', subject, options };
    });
  watch.addHelpText(
    'after',
    '\nOutput (interfaces): time, kind (added, changed, removed), family, name, index; for changed, field old -> new.' +
      '\nOutput (addresses): time, kind, address/prefix dev name (family), DAD state, valid_lft, preferred_lft; for changed, field old -> new.' +
      '\nExample: rxjs-ip-interface watch addresses --family inet6 --initial',
  );

  const table = program
    .command('table')
    .usage(SUBJECT_USAGE)
    .description('print the current IP interface (or unicast address) table; also: table routes')
    .addArgument(subjectArgument('what to print'))
    .addOption(familyOption())
    .option('--json', 'write the rows as a JSON array, bigints as strings')
    .addOption(netnsOption('read'))
    .addOption(adapterOption())
    .configureOutput(output)
    .showHelpAfterError(usageHint('table'))
    .exitOverride()
    .action((subject: CliSubject, opts: Record<string, unknown>, command: Command) => {
      invocation = { command: 'table', subject, options: common(command, opts) };
    });

  // The route subcommands (watch routes, watch default-route, table routes): route-commands.ts.
  program.enablePositionalOptions();
  addRouteCommands({
    watch, table, familyOption, adapterOption, netnsOption, common,
    configure: (command, usage) => command.configureOutput(output).showHelpAfterError(usageHint(usage)).exitOverride(),
    set: (routeInvocation) => (invocation = routeInvocation),
  });

  try {
    program.parse([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { command: 'exit', code: error.exitCode === 0 ? 0 : EXIT_USAGE, stdout, stderr };
  }
  // parse() runs an action or throws (help, version, errors): an invocation is always set here.
  return invocation ?? { command: 'exit', code: EXIT_USAGE, stdout, stderr };
}
