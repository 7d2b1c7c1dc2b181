import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI, CliProcess, runCli } from './cli-process';

const pkg = JSON.parse(readFileSync(join(resolve(__dirname, '../../..'), 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('the built CLI (no network needed)', () => {
  it('is the package bin and starts with a node shebang', () => {
    expect(resolve(__dirname, '../../..', pkg.bin['rxjs-ip-interface']!)).toBe(CLI);
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('--version prints the package version, exit 0', async () => {
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: [pkg.version], stderr: [] });
  });

  it('--help prints usage on stdout, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toBe('Usage: rxjs-ip-interface [options] [command]');
    expect(result.stderr).toEqual([]);
  });

  it('bad arguments: a one-line message and usage on stderr, nothing on stdout, exit 2', async () => {
    const result = await runCli(['watch', '--family', 'ipx']);
    expect(result).toEqual({
      code: 2,
      stdout: [],
      stderr: [
        "rxjs-ip-interface: error: option '--family <family>' argument 'ipx' is invalid. Allowed choices are inet, inet6, unspec.",
        'Usage: rxjs-ip-interface watch [options] [interfaces|addresses]',
        "Run 'rxjs-ip-interface watch --help' for the options.",
      ],
    });
  });

  it('no command: usage on stderr, exit 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr[0]).toBe('Usage: rxjs-ip-interface [options] [command]');
  });
});

describe('the built CLI with the polling adapter (no network needed)', () => {
  it('SIGHUP stops watch like SIGINT: the registration is cancelled, exit 0 (it was 129, uncancelled)', async () => {
    const cli = new CliProcess(['watch', '--initial', '--adapter', 'polling'], { RXJS_IP_INTERFACE_TRACE: '1' });
    try {
      await cli.waitForLine(/initial  unspec  registration is live$/);
      cli.signal('SIGHUP');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr).toEqual(['trace: NotifyIpInterfaceChange(unspec) -> polling handle 1', 'trace: CancelMibChangeNotify2(polling handle 1) done']);
    } finally {
      cli.dispose();
    }
  });

  it('watch addresses: registers NotifyUnicastIpAddressChange for the family; SIGHUP cancels it, exit 0', async () => {
    const cli = new CliProcess(['watch', 'addresses', '--family', 'inet6', '--initial', '--adapter', 'polling'], { RXJS_IP_INTERFACE_TRACE: '1' });
    try {
      await cli.waitForLine(/^\d\d:\d\d:\d\d\.\d{3}  initial  inet6   registration is live$/);
      cli.signal('SIGHUP');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr).toEqual(['trace: NotifyUnicastIpAddressChange(inet6) -> polling handle 1', 'trace: CancelMibChangeNotify2(polling handle 1) done']);
    } finally {
      cli.dispose();
    }
  });

  it('table addresses --json: every address os.networkInterfaces() lists, bigints as strings', async () => {
    const result = await runCli(['table', 'addresses', '--json', '--adapter', 'polling']);
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([]);
    const rows = JSON.parse(result.stdout.join('\n')) as { family: string; address: string; interfaceName: string; interfaceLuid: string; onLinkPrefixLength?: number }[];
    const listed = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
      (list ?? []).map((a) => `${name} ${a.family === 'IPv4' ? 'inet' : 'inet6'} ${a.address.toLowerCase()}/${a.cidr?.split('/')[1]}`),
    );
    expect(rows.map((r) => `${r.interfaceName} ${r.family} ${r.address}/${r.onLinkPrefixLength}`).sort()).toEqual(listed.sort());
    expect(rows.every((r) => /^\d+$/.test(r.interfaceLuid))).toBe(true);
  });

  it('table addresses: a header and one aligned line per address', async () => {
    const result = await runCli(['table', 'addresses', '--family', 'inet', '--adapter', 'polling']);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toMatch(/^INDEX  NAME +FAMILY  ADDRESS +STATE  VALID  PREFERRED  PREFIX  SUFFIX$/);
    expect(result.stdout.slice(1).some((line) => /^ +1  lo +inet  +127\.0\.0\.1\/8 +- +- +- +- +-$/.test(line))).toBe(true);
  });
});

describe('the built CLI on a platform without a native adapter (process.platform set to darwin by a preload)', () => {
  let dir: string;
  let preload: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxipi-darwin-'));
    preload = join(dir, 'darwin.js');
    writeFileSync(preload, "Object.defineProperty(process, 'platform', { value: 'darwin' });\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('watch defaults to polling, says so once on stderr, and stops on SIGINT with exit 0', async () => {
    const cli = new CliProcess(['watch', '--initial'], { NODE_OPTIONS: `--require ${preload}`, RXJS_IP_INTERFACE_TRACE: '1' });
    try {
      await cli.waitForLine(/initial  unspec  registration is live$/);
      cli.signal('SIGINT');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr).toEqual([
        'rxjs-ip-interface: note: no native adapter on darwin: interfaces are polled every second (os.networkInterfaces()), so only interfaces with an address are seen, parameter changes such as the MTU are not, and changes shorter than a second can be missed.',
        'trace: NotifyIpInterfaceChange(unspec) -> polling handle 1',
        'trace: CancelMibChangeNotify2(polling handle 1) done',
      ]);
    } finally {
      cli.dispose();
    }
  });

  it('watch addresses defaults to polling too and says what polling cannot know about addresses', async () => {
    const cli = new CliProcess(['watch', 'addresses', '--initial'], { NODE_OPTIONS: `--require ${preload}` });
    try {
      await cli.waitForLine(/initial  unspec  registration is live$/);
      cli.signal('SIGINT');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr).toEqual([
        'rxjs-ip-interface: note: no native adapter on darwin: addresses are polled every second (os.networkInterfaces()), so DAD state, lifetimes and origins are not known, and changes shorter than a second can be missed.',
      ]);
    } finally {
      cli.dispose();
    }
  });

  it('an explicit --adapter polling prints no note', async () => {
    const cli = new CliProcess(['watch', '--initial', '--adapter', 'polling'], { NODE_OPTIONS: `--require ${preload}` });
    try {
      await cli.waitForLine(/registration is live$/);
      cli.signal('SIGTERM');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr).toEqual([]);
    } finally {
      cli.dispose();
    }
  });

  it('table derives indexes without /sys: the link-local scope id where there is one, else a synthetic index', async () => {
    const result = await runCli(['table', '--json'], { NODE_OPTIONS: `--require ${preload}` });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout.join('\n')) as { family: string; interfaceName: string; interfaceIndex: number; interfaceLuid: string }[];
    const listed = networkInterfaces();
    expect(new Set(rows.map((r) => r.interfaceName))).toEqual(new Set(Object.keys(listed)));
    for (const row of rows) {
      const linkLocal = (listed[row.interfaceName] ?? []).find((a) => a.family === 'IPv6' && /^fe[89ab]/i.test(a.address) && (a.scopeid ?? 0) > 0);
      if (linkLocal) expect(row.interfaceIndex).toBe(linkLocal.scopeid);
      else expect(row.interfaceIndex).toBeGreaterThanOrEqual(2 ** 24);
    }
    expect(new Set(rows.map((r) => `${r.family}:${r.interfaceLuid}`)).size).toBe(rows.length);
  });
});
