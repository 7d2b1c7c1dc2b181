import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { CliProcess, runCli } from './cli-process';

interface JsonChange {
  time: string;
  kind: string;
  family?: string;
  row?: { family: string; interfaceName: string; interfaceIndex: number; interfaceLuid: string; nlMtu?: number };
}

/** A line of human output: time, kind, family, name, index, details. */
const human = (kind: string, family: string, name: string, index: number, details = ''): RegExp =>
  new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ${kind} +${family} +${name} +${index}${details ? `  ${details}` : '$'}`);

describeWithNetns('the built CLI against real changes in a network namespace (linux adapter, --netns)', () => {
  let ns: TestNetns;
  const running: CliProcess[] = [];
  const start = (args: string[], env: Record<string, string> = {}): CliProcess => {
    const cli = new CliProcess(['watch', '--netns', ns.name, ...args], env);
    running.push(cli);
    return cli;
  };

  beforeAll(() => {
    TestNetns.cleanupStale('cli');
    ns = TestNetns.create('cli');
  });
  afterEach(() => running.splice(0).forEach((cli) => cli.dispose()));
  afterAll(() => ns?.delete());

  it('human output: added, changed with old -> new, removed; SIGINT cancels the registration and exits 0', async () => {
    const cli = start(['--initial'], { RXJS_IP_INTERFACE_TRACE: '1' });
    await cli.waitForLine(/^\d\d:\d\d:\d\d\.\d{3}  initial  unspec  registration is live$/);
    ns.addVeth('hv0');
    const index = ns.ifindex('hv0');
    const peer = ns.ifindex('hv0p');
    for (const family of ['inet', 'inet6']) {
      await cli.waitForLine(human('added', family, 'hv0', index));
      await cli.waitForLine(human('added', family, 'hv0p', peer));
    }
    ns.ip('link', 'set', 'hv0', 'mtu', '1400');
    await cli.waitForLine(human('changed', 'inet', 'hv0', index, 'nlMtu 1500 -> 1400'));
    ns.ip('link', 'delete', 'hv0');
    for (const family of ['inet', 'inet6']) await cli.waitForLine(human('removed', family, 'hv0', index));

    cli.signal('SIGINT');
    const exit = await cli.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.stderr).toEqual([expect.stringMatching(/^trace: NotifyIpInterfaceChange\(unspec\) -> linux handle \d+$/), expect.stringMatching(/^trace: CancelMibChangeNotify2\(linux handle \d+\) done$/)]);
  });

  it('--json: NDJSON, one change per line with time and bigints as strings; SIGTERM exits 0 after cancelling', async () => {
    const cli = start(['--json', '--initial'], { RXJS_IP_INTERFACE_TRACE: '1' });
    await cli.waitForLine(/"kind":"initial"/);
    ns.addVeth('jv0');
    const index = ns.ifindex('jv0');
    await cli.waitForLine(/"kind":"added".*"interfaceName":"jv0p"/);
    await cli.waitForLine(/"kind":"added".*"interfaceName":"jv0"/);
    cli.signal('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr[1]).toMatch(/^trace: CancelMibChangeNotify2\(linux handle \d+\) done$/);

    const changes = cli.stdout.map((line) => JSON.parse(line) as JsonChange);
    expect(changes[0]).toEqual({ time: expect.any(String), kind: 'initial', family: 'unspec' });
    for (const c of changes) expect(new Date(c.time).toISOString()).toBe(c.time);
    const jv0 = changes.filter((c) => c.kind === 'added' && c.row?.interfaceName === 'jv0');
    expect(jv0.map((c) => c.row!.family).sort()).toEqual(['inet', 'inet6']);
    for (const c of jv0) {
      expect(c.row).toMatchObject({ interfaceIndex: index, nlMtu: 1500 });
      // The 64-bit LUID as a decimal string: Ethernet (IfType 6) << 48 | ifindex << 24.
      expect(c.row!.interfaceLuid).toBe(String((6n << 48n) | (BigInt(index) << 24n)));
    }
    ns.ip('link', 'delete', 'jv0');
  });

  it('--family inet6: only IPv6 rows', async () => {
    const cli = start(['--family', 'inet6', '--json'], { RXJS_IP_INTERFACE_TRACE: '1' });
    // No --initial: the trace line says when the registration is live.
    await cli.waitForLine(/^trace: NotifyIpInterfaceChange\(inet6\)/, 5000, 0, 'stderr');
    ns.addVeth('fv0');
    await cli.waitForLine(/"interfaceName":"fv0"/);
    ns.ip('link', 'set', 'fv0', 'mtu', '1300');
    ns.ip('link', 'delete', 'fv0');
    await cli.waitForLine(/"kind":"removed".*"interfaceName":"fv0"/);
    cli.signal('SIGINT');
    expect((await cli.exited).code).toBe(0);
    const families = cli.stdout.map((line) => (JSON.parse(line) as JsonChange).row!.family);
    expect(families.length).toBeGreaterThanOrEqual(4);
    expect(new Set(families)).toEqual(new Set(['inet6']));
  });

  it('--debounce: a burst per interface becomes its net effect; a device that came and went prints nothing', async () => {
    ns.addVeth('dv0');
    const index = ns.ifindex('dv0');
    const cli = start(['--family', 'inet', '--debounce', '800', '--initial']);
    await cli.waitForLine(/initial  inet/);
    // Let the table seeding finish so the change can be compared with the row before the burst.
    await new Promise((r) => setTimeout(r, 300));
    ns.ipBatch([
      'link set dv0 mtu 1400', 'link set dv0 mtu 1300', 'link set dv0 mtu 1200',
      'link add tv0 type veth peer name tv0p', 'link delete tv0',
    ]);
    await cli.waitForLine(human('changed', 'inet', 'dv0', index, 'nlMtu 1500 -> 1200$'));
    // Quiet for longer than the debounce time: nothing else may come.
    await new Promise((r) => setTimeout(r, 1500));
    cli.signal('SIGINT');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout.slice(1)).toEqual([expect.stringMatching(human('changed', 'inet', 'dv0', index, 'nlMtu 1500 -> 1200$'))]);
    ns.ip('link', 'delete', 'dv0');
  });

  it('a namespace that does not exist: the IpInterfaceError code and message on stderr, exit 1', async () => {
    const result = await runCli(['watch', '--netns', `${ns.name}-missing`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toEqual([expect.stringMatching(new RegExp(`^rxjs-ip-interface: [A-Z_]+: .*${ns.name}-missing`))]);
  });

  it('table: the current rows as aligned columns, and as JSON', async () => {
    ns.addVeth('tb0');
    const index = ns.ifindex('tb0');
    const text = await runCli(['table', '--netns', ns.name, '--family', 'inet']);
    expect(text.code).toBe(0);
    expect(text.stdout[0]).toMatch(/^INDEX +FAMILY +NAME +MTU +CONNECTED +FORWARDING +METRIC +LUID$/);
    expect(text.stdout).toContainEqual(expect.stringMatching(new RegExp(`^ +${index} +inet +tb0 +1500 +false `)));
    const json = await runCli(['table', '--netns', ns.name, '--json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout.join('\n')) as { family: string; interfaceName: string; interfaceLuid: string }[];
    expect(rows.filter((r) => r.interfaceName === 'tb0').map((r) => r.family).sort()).toEqual(['inet', 'inet6']);
    expect(rows.every((r) => typeof r.interfaceLuid === 'string')).toBe(true);
    ns.ip('link', 'delete', 'tb0');
  });
});
