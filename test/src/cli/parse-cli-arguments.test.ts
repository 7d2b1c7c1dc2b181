import { parseCliArguments, type CliInvocation } from '../../../src/cli/parse-cli-arguments';

const parse = (args: string[], platform: NodeJS.Platform = 'linux'): CliInvocation => parseCliArguments(args, { version: '9.8.7', platform });
const exit = (invocation: CliInvocation) => {
  if (invocation.command !== 'exit') throw new Error(`expected an exit, got ${JSON.stringify(invocation)}`);
  return invocation;
};

describe('parseCliArguments', () => {
  it('watch: defaults', () => {
    expect(parse(['watch'])).toEqual({
      command: 'watch',
      subject: 'interfaces',
      options: { family: 'unspec', initial: false, debounceMs: undefined, json: false, netns: undefined, adapter: undefined },
    });
  });

  it('watch: every option', () => {
    expect(parse(['watch', '--family', 'inet6', '--initial', '--debounce', '250', '--json', '--netns', 'blue', '--adapter', 'linux'])).toEqual({
      command: 'watch',
      subject: 'interfaces',
      options: { family: 'inet6', initial: true, debounceMs: 250, json: true, netns: 'blue', adapter: 'linux' },
    });
    expect(parse(['watch', '--family=inet', '--debounce=0'])).toMatchObject({ options: { family: 'inet', debounceMs: 0 } });
  });

  it('table: family, json, adapter and netns', () => {
    expect(parse(['table'])).toEqual({ command: 'table', subject: 'interfaces', options: { family: 'unspec', json: false, netns: undefined, adapter: undefined } });
    expect(parse(['table', '--family', 'inet', '--json', '--adapter', 'polling'])).toEqual({
      command: 'table',
      subject: 'interfaces',
      options: { family: 'inet', json: true, netns: undefined, adapter: 'polling' },
    });
  });

  it('watch addresses: the interface options plus --lifetime-updates; the subject may come after the options', () => {
    expect(parse(['watch', 'addresses'])).toEqual({
      command: 'watch',
      subject: 'addresses',
      options: { family: 'unspec', initial: false, debounceMs: undefined, json: false, netns: undefined, adapter: undefined, lifetimeUpdates: false },
    });
    expect(parse(['watch', '--family', 'inet6', 'addresses', '--initial', '--debounce', '500', '--json', '--lifetime-updates', '--netns', 'blue'])).toEqual({
      command: 'watch',
      subject: 'addresses',
      options: { family: 'inet6', initial: true, debounceMs: 500, json: true, netns: 'blue', adapter: undefined, lifetimeUpdates: true },
    });
    expect(parse(['watch', 'interfaces', '--family', 'inet'])).toMatchObject({ command: 'watch', subject: 'interfaces', options: { family: 'inet' } });
  });

  it('table addresses: family, json, adapter and netns', () => {
    expect(parse(['table', 'addresses', '--family', 'inet', '--json', '--adapter', 'polling'])).toEqual({
      command: 'table',
      subject: 'addresses',
      options: { family: 'inet', json: true, netns: undefined, adapter: 'polling' },
    });
  });

  it('the help of watch and table names the subjects and the address output', () => {
    const watchHelp = exit(parse(['watch', '--help'])).stdout;
    expect(watchHelp).toMatch(/^Usage: rxjs-ip-interface watch \[options\] \[interfaces\|addresses\]/);
    expect(watchHelp).toContain('--lifetime-updates');
    expect(watchHelp).toContain('Output (addresses): time, kind, address/prefix dev name (family), DAD state, valid_lft, preferred_lft');
    expect(exit(parse(['table', '--help'])).stdout).toMatch(/^Usage: rxjs-ip-interface table \[options\] \[interfaces\|addresses\]/);
    expect(exit(parse(['--help'])).stdout).toMatch(/print the current IP interface \(or unicast address\)/);
  });

  it('--version and --help print to stdout and exit 0', () => {
    expect(parse(['--version'])).toEqual({ command: 'exit', code: 0, stdout: '9.8.7\n', stderr: '' });
    const help = exit(parse(['--help']));
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: rxjs-ip-interface \[options\] \[command\]/);
    expect(help.stdout).toMatch(/watch \[options\]/);
    const watchHelp = exit(parse(['watch', '--help']));
    expect(watchHelp.code).toBe(0);
    for (const flag of ['--family <family>', '--initial', '--debounce <ms>', '--json', '--netns <name>', '--adapter <name>']) expect(watchHelp.stdout).toContain(flag);
    expect(exit(parse(['help', 'table'])).stdout).toMatch(/^Usage: rxjs-ip-interface table \[options\]/);
  });

  it.each([
    [['watch', '--family', 'ipx'], "option '--family <family>' argument 'ipx' is invalid"],
    [['watch', '--adapter', 'bsd'], "option '--adapter <name>' argument 'bsd' is invalid"],
    [['watch', '--debounce', '-5'], "option '--debounce <ms>' argument '-5' is invalid"],
    [['watch', '--debounce', '1.5'], "option '--debounce <ms>' argument '1.5' is invalid"],
    [['watch', '--debounce', 'soon'], "option '--debounce <ms>' argument 'soon' is invalid"],
    [['watch', '--debounce', '2147483648'], "option '--debounce <ms>' argument '2147483648' is invalid. expected a whole number of milliseconds from 0 to 2147483647."],
    [['watch', '--debounce'], "option '--debounce <ms>' argument missing"],
    [['watch', '--bogus'], "unknown option '--bogus'"],
    [['watch', 'extra'], "command-argument value 'extra' is invalid for argument 'subject'. Allowed choices are interfaces, addresses."],
    [['watch', 'addresses', 'extra'], "too many arguments for 'watch'"],
    [['table', 'neighbours'], "command-argument value 'neighbours' is invalid for argument 'subject'"],
    [['watch', '--lifetime-updates'], "--lifetime-updates works with 'watch addresses' only"],
    [['table', 'addresses', '--lifetime-updates'], "unknown option '--lifetime-updates'"],
    [['watch', 'addresses', '--netns', 'blue', '--adapter', 'polling'], '--netns works with the linux adapter only (not --adapter polling)'],
    [['table', '--initial'], "unknown option '--initial'"],
    [['watch', '--netns', 'blue', '--adapter', 'polling'], '--netns works with the linux adapter only (not --adapter polling)'],
    [['watch', '--netns', ''], "option '--netns <name>' argument '' is invalid. expected a namespace name (under /run/netns) or a path, not an empty string."],
    [['table', '--netns', '  '], "option '--netns <name>' argument '  ' is invalid"],
  ])('bad arguments %j: one-line message, then usage, on stderr; exit 2', (args, message) => {
    const result = exit(parse(args));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^rxjs-ip-interface: error: /);
    expect(first).toContain(message);
    const command = args[0]!;
    expect(rest).toEqual([`Usage: rxjs-ip-interface ${command} [options] [interfaces|addresses]`, `Run 'rxjs-ip-interface ${command} --help' for the options.`]);
  });

  it("each command's help describes its own --netns: table reads, watch watches", () => {
    expect(exit(parse(['table', '--help'])).stdout).toMatch(/--netns <name> +network namespace to read:/);
    expect(exit(parse(['table', '--help'])).stdout).not.toMatch(/watch/);
    expect(exit(parse(['watch', '--help'])).stdout).toMatch(/--netns <name> +network namespace to watch:/);
  });

  it('an unknown command is a usage error too', () => {
    const result = exit(parse(['wtach']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rxjs-ip-interface: error: unknown command 'wtach'/);
    expect(result.stderr).toContain('Usage: rxjs-ip-interface [options] [command]');
  });

  it('no command: usage on stderr, exit 2', () => {
    const result = exit(parse([]));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: rxjs-ip-interface \[options\] \[command\]/);
  });

  it('--netns needs the linux adapter, also when polling is only the platform default', () => {
    expect(exit(parse(['watch', '--netns', 'blue'], 'darwin')).stderr).toContain('--netns works with the linux adapter only (the default here is polling)');
    expect(parse(['watch', '--netns', 'blue', '--adapter', 'linux'], 'darwin')).toMatchObject({ command: 'watch', options: { netns: 'blue' } });
  });

  it('names the platform default adapter in the help', () => {
    expect(exit(parse(['watch', '--help'], 'darwin')).stdout).toMatch(/default on this platform: polling/);
    expect(exit(parse(['watch', '--help'], 'win32')).stdout).toMatch(/default on this platform: windows/);
  });
});
