import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { formatDefaultRouteLine } from '../../../src/cli/format-default-route-line';
import { formatRouteLine } from '../../../src/cli/format-route-line';
import { formatRouteText } from '../../../src/cli/format-route-text';
import { parseCliArguments, type CliInvocation } from '../../../src/cli/parse-cli-arguments';
import { runRouteCommand } from '../../../src/cli/run-route-command';
import { createMockAdapter, mockRouteRow } from '../../../adapters/mock';
import { pollingAdapter } from '../../../adapters/polling';
import { testIo } from './cli-test-io';

const parse = (args: string[]): CliInvocation => parseCliArguments(args, { version: '9.8.7', platform: 'linux' });
const time = new Date(2026, 10, 25, 14, 0, 0, 0);
const lan = mockRouteRow({ interfaceIndex: 3, interfaceName: 'eth1', destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const gw = mockRouteRow({ interfaceIndex: 3, interfaceName: 'eth1', nextHop: '10.0.0.1', metric: 100 });
const gw2 = mockRouteRow({ interfaceIndex: 4, interfaceName: 'wlan0', nextHop: '192.168.1.1', metric: 50, protocol: 'dhcp' });
const link6 = mockRouteRow({ family: AF_INET6, interfaceIndex: 3, interfaceName: undefined, destinationPrefix: { prefix: 'fe80::', prefixLength: 64 }, nextHop: '::', protocol: undefined, metric: 256, table: 255 });
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const lines = (out: string[]): string[] => out.join('').split('\n').filter((l) => l !== '');

describe('route commands: parsing', () => {
  it('watch routes, watch default-route, table routes: defaults and every option; watch and table alone are unchanged', () => {
    expect(parse(['watch', 'routes'])).toEqual({ command: 'watch routes', options: { family: 'unspec', initial: false, json: false, netns: undefined, adapter: undefined } });
    expect(parse(['watch', 'routes', '--family', 'inet6', '--initial', '--json', '--netns', 'blue', '--adapter', 'linux'])).toEqual({
      command: 'watch routes',
      options: { family: 'inet6', initial: true, json: true, netns: 'blue', adapter: 'linux' },
    });
    expect(parse(['watch', 'default-route'])).toEqual({ command: 'watch default-route', options: { family: 'inet', json: false, netns: undefined, adapter: undefined, destination: undefined } });
    expect(parse(['watch', 'default-route', '--family', 'inet6', '--destination', '2001:db8::1', '--json'])).toMatchObject({
      command: 'watch default-route',
      options: { family: 'inet6', destination: '2001:db8::1', json: true },
    });
    expect(parse(['table', 'routes', '--family', 'inet', '--json'])).toEqual({ command: 'table routes', options: { family: 'inet', json: true, netns: undefined, adapter: undefined } });
    expect(parse(['watch', '--json'])).toMatchObject({ command: 'watch', options: { json: true } });
    expect(parse(['table'])).toMatchObject({ command: 'table' });
  });

  it('bad route arguments exit 2 with the subcommand usage', () => {
    const unspec = parse(['watch', 'default-route', '--family', 'unspec']);
    expect(unspec).toMatchObject({ command: 'exit', code: 2 });
    expect(unspec.command === 'exit' && unspec.stderr).toContain('Usage: rxjs-ip-interface watch default-route [options]');
    expect(parse(['watch', 'default-route', '--destination', 'gateway'])).toMatchObject({ command: 'exit', code: 2 });
    expect(parse(['watch', 'routes', '--netns', 'x', '--adapter', 'polling'])).toMatchObject({ command: 'exit', code: 2 });
    expect(parse(['watch', 'bogus'])).toMatchObject({ command: 'exit', code: 2 });
  });
});

describe('route commands: formatting', () => {
  it('routes as `ip route` prints them', () => {
    expect(formatRouteText(lan)).toBe('10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0');
    expect(formatRouteText(gw2)).toBe('default via 192.168.1.1 dev wlan0 proto dhcp metric 50');
    expect(formatRouteText(link6)).toBe('fe80::/64 dev if3 metric 256 table 255');
    expect(formatRouteLine({ kind: 'removed', row: lan }, { time, color: false })).toBe('14:00:00.000  removed  inet    10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0');
    expect(formatRouteLine({ kind: 'added', row: lan }, { time, color: true })).toContain('\u001b[32madded  \u001b[39m');
    expect(formatRouteLine({ kind: 'initial', family: AF_INET }, { time, color: false })).toBe('14:00:00.000  initial  inet    registration is live');
    expect(formatDefaultRouteLine(null, { time, family: AF_INET, destination: '8.8.8.8' })).toBe('14:00:00.000  route    inet    8.8.8.8: none (unreachable)');
  });
});

describe('route commands: running (io injected)', () => {
  it('watch routes: the marker with --initial, one line per change, Ctrl-C cancels the registration, exit 0', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runRouteCommand({ command: 'watch routes', options: { family: 'unspec', initial: true, json: false, adapter: undefined, netns: undefined } }, adapter, io);
    await settle();
    adapter.emitRoute({ kind: 'added', row: lan });
    adapter.emitRoute({ kind: 'removed', row: lan });
    expect(io.stop()).toBe(true);
    expect(await done).toBe(0);
    expect(lines(io.out)).toEqual([
      '14:00:00.000  initial  unspec  registration is live',
      '14:00:00.000  added    inet    10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0',
      '14:00:00.000  removed  inet    10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0',
    ]);
    expect(io.err).toEqual([]);
    expect(adapter.active).toBe(0);
    expect(io.listening).toBe(false);
  });

  it('watch routes --json: NDJSON with bigints as strings', async () => {
    const adapter = createMockAdapter();
    const io = testIo();
    const done = runRouteCommand({ command: 'watch routes', options: { family: 'inet', initial: false, json: true, adapter: undefined, netns: undefined } }, adapter, io);
    await settle();
    adapter.emitRoute({ kind: 'added', row: lan });
    io.stop();
    expect(await done).toBe(0);
    const [line] = lines(io.out);
    expect(JSON.parse(line!)).toEqual({ time: time.toISOString(), kind: 'added', row: { ...lan, interfaceLuid: lan.interfaceLuid.toString() } });
  });

  it('watch default-route: the answer at start and each change of it, a better default switches, none is printed; --json', async () => {
    const adapter = createMockAdapter({ routeTable: [gw] });
    const io = testIo();
    const done = runRouteCommand({ command: 'watch default-route', options: { family: 'inet', json: false, destination: undefined, adapter: undefined, netns: undefined } }, adapter, io);
    await settle();
    adapter.emitRoute({ kind: 'added', row: lan }); // not the answer: no line
    await new Promise((r) => setTimeout(r, 5));
    adapter.emitRoute({ kind: 'added', row: gw2 });
    await new Promise((r) => setTimeout(r, 5));
    adapter.emitRoute({ kind: 'removed', row: gw2 });
    adapter.emitRoute({ kind: 'removed', row: gw });
    await new Promise((r) => setTimeout(r, 5));
    io.stop();
    expect(await done).toBe(0);
    expect(lines(io.out)).toEqual([
      '14:00:00.000  route    inet    8.8.8.8: default via 10.0.0.1 dev eth1 proto netmgmt metric 100',
      '14:00:00.000  route    inet    8.8.8.8: default via 192.168.1.1 dev wlan0 proto dhcp metric 50',
      '14:00:00.000  route    inet    8.8.8.8: none (unreachable)',
    ]);
    expect(adapter.active).toBe(0);

    const jsonIo = testIo();
    const json = runRouteCommand({ command: 'watch default-route', options: { family: 'inet', json: true, destination: '10.77.1.1', adapter: undefined, netns: undefined } }, adapter, jsonIo);
    await settle();
    jsonIo.stop();
    expect(await json).toBe(0);
    expect(lines(jsonIo.out).map((l) => JSON.parse(l))).toEqual([{ time: time.toISOString(), family: 'inet', destination: '10.77.1.1', route: null }]);
  });

  it('table routes: sorted lines (longest prefix first), or a JSON array', async () => {
    const adapter = createMockAdapter({ routeTable: [gw, lan, link6] });
    const io = testIo();
    expect(await runRouteCommand({ command: 'table routes', options: { family: 'unspec', json: false, adapter: undefined, netns: undefined } }, adapter, io)).toBe(0);
    expect(lines(io.out)).toEqual([
      'inet    10.77.0.0/16 via 10.9.0.2 dev eth1 proto netmgmt metric 0',
      'inet    default via 10.0.0.1 dev eth1 proto netmgmt metric 100',
      'inet6   fe80::/64 dev if3 metric 256 table 255',
    ]);
    const jsonIo = testIo();
    expect(await runRouteCommand({ command: 'table routes', options: { family: 'inet6', json: true, adapter: undefined, netns: undefined } }, adapter, jsonIo)).toBe(0);
    expect(JSON.parse(jsonIo.out.join(''))).toEqual([{ ...link6, interfaceLuid: link6.interfaceLuid.toString() }]);
  });

  it.each([
    ['watch routes', { command: 'watch routes', options: { family: 'unspec', initial: false, json: false, adapter: 'polling', netns: undefined } }],
    ['watch default-route', { command: 'watch default-route', options: { family: 'inet', json: false, destination: undefined, adapter: 'polling', netns: undefined } }],
    ['table routes', { command: 'table routes', options: { family: 'unspec', json: false, adapter: 'polling', netns: undefined } }],
  ] as const)('%s on the polling adapter: NOT_SUPPORTED on stderr, exit 1, nothing on stdout', async (_name, invocation) => {
    const io = testIo();
    expect(await runRouteCommand(invocation, pollingAdapter(), io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toMatch(/^rxjs-ip-interface: NOT_SUPPORTED: polling adapter does not support/);
    expect(io.listening).toBe(false);
  });

  it('a failed lookup ends watch default-route with exit 1 and the error on stderr; the registration is cancelled', async () => {
    const mock = createMockAdapter();
    const adapter: IpInterfaceAdapter = { ...mock, getBestRoute2: () => Promise.reject(new Error('lookup failed')) };
    const io = testIo();
    expect(await runRouteCommand({ command: 'watch default-route', options: { family: 'inet', json: false, destination: undefined, adapter: undefined, netns: undefined } }, adapter, io)).toBe(1);
    expect(io.err.join('')).toContain('lookup failed');
    expect(mock.active).toBe(0);
  });
});
