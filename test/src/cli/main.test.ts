import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, runCli } from './cli-process';

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
