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
        'Usage: rxjs-ip-interface watch [options]',
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
