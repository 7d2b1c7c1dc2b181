/**
 * The built CLI's `watch addresses` / `table addresses` against real address changes in a network
 * namespace the test creates, through the polling adapter (`ip netns exec`: Node lists the
 * interfaces of its own namespace). The linux adapter's address half is tested with its backend.
 */
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { CliProcess, runCli } from './cli-process';

const TIME = '\\d\\d:\\d\\d:\\d\\d\\.\\d{3}';
const line = (kind: string, rest: string): RegExp => new RegExp(`^${TIME}  ${kind.padEnd(7)}  ${rest.replace(/[.()/]/g, '\\$&')}$`);

describeWithNetns('the built CLI: watch addresses / table addresses in a network namespace (polling adapter)', () => {
  let ns: TestNetns;
  const running: CliProcess[] = [];
  const start = (args: string[], env: Record<string, string> = {}): CliProcess => {
    const cli = new CliProcess(['watch', 'addresses', '--adapter', 'polling', ...args], env, ['ip', 'netns', 'exec', ns.name]);
    running.push(cli);
    return cli;
  };

  beforeAll(() => {
    TestNetns.cleanupStale('cliaddr');
    ns = TestNetns.create('cliaddr');
    ns.addVeth('av0');
    ns.ip('link', 'set', 'av0', 'up');
    ns.ip('link', 'set', 'av0p', 'up');
  });
  afterEach(() => running.splice(0).forEach((cli) => cli.dispose()));
  afterAll(() => ns?.delete());

  it('human lines: ip addr add -> added 10.9.0.1/24 dev av0 (inet), del -> removed; SIGHUP cancels and exits 0', async () => {
    const cli = start(['--initial', '--family', 'inet'], { RXJS_IP_INTERFACE_TRACE: '1' });
    await cli.waitForLine(line('initial', 'inet    registration is live'));
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'av0');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'av0', 'nodad');
    await cli.waitForLine(line('added', '10.9.0.1/24 dev av0 (inet)'));
    ns.ip('addr', 'del', '10.9.0.1/24', 'dev', 'av0');
    await cli.waitForLine(line('removed', '10.9.0.1/24 dev av0 (inet)'));
    cli.signal('SIGHUP');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    // --family inet: the IPv6 address was never printed.
    expect(cli.stdout.filter((l) => l.includes('2001:db8::1'))).toEqual([]);
    expect(cli.stderr).toEqual([
      expect.stringMatching(/^trace: NotifyUnicastIpAddressChange\(inet\) -> polling handle \d+$/),
      expect.stringMatching(/^trace: CancelMibChangeNotify2\(polling handle \d+\) done$/),
    ]);
    ns.ip('addr', 'del', '2001:db8::1/64', 'dev', 'av0');
  });

  it('--json: NDJSON with the address, its prefix length, index and name, then removed', async () => {
    const cli = start(['--json', '--family', 'inet6', '--initial']);
    await cli.waitForLine(/"kind":"initial","family":"inet6"/);
    ns.ip('addr', 'add', '2001:db8::7/64', 'dev', 'av0', 'nodad');
    const at = await cli.waitForLine(/"kind":"added".*"address":"2001:db8::7"/);
    const added = JSON.parse(cli.stdout[at]!) as { row: Record<string, unknown> };
    expect(added.row).toMatchObject({ family: 'inet6', address: '2001:db8::7', onLinkPrefixLength: 64, interfaceName: 'av0', interfaceIndex: ns.ifindex('av0') });
    expect(typeof added.row.interfaceLuid).toBe('string');
    ns.ip('addr', 'del', '2001:db8::7/64', 'dev', 'av0');
    await cli.waitForLine(/"kind":"removed".*"address":"2001:db8::7"/);
    cli.signal('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('table addresses: the addresses of the namespace, as ip addr has them', async () => {
    ns.ip('addr', 'add', '10.9.0.5/24', 'dev', 'av0');
    try {
      const result = await runCli(['table', 'addresses', '--family', 'inet', '--adapter', 'polling'], {}, ['ip', 'netns', 'exec', ns.name]);
      expect(result.code).toBe(0);
      expect(result.stdout).toEqual([
        'INDEX  NAME  FAMILY  ADDRESS      STATE  VALID  PREFERRED  PREFIX  SUFFIX',
        '    1  lo    inet    127.0.0.1/8  -          -          -  -       -',
        `${String(ns.ifindex('av0')).padStart(5)}  av0   inet    10.9.0.5/24  -          -          -  -       -`,
      ]);
    } finally {
      ns.ip('addr', 'del', '10.9.0.5/24', 'dev', 'av0');
    }
  });
});
