import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { defaultAdapterName, loadAdapter } from '../../src/default-adapter';
import { IpInterfaceError } from '../../src/ip-interface-error';

describe('default adapter', () => {
  it.each([
    ['linux', 'linux'],
    ['win32', 'windows'],
    ['darwin', 'polling'],
    ['freebsd', 'polling'],
  ] as const)('on %s is %s', (platform, name) => {
    expect(defaultAdapterName(platform)).toBe(name);
  });

  it('is this platform\'s by default', () => {
    expect(defaultAdapterName()).toBe(process.platform === 'linux' ? 'linux' : process.platform === 'win32' ? 'windows' : 'polling');
  });

  it('loads each adapter once per process and names it', async () => {
    const polling = await loadAdapter('polling');
    expect(polling.name).toBe('polling');
    expect(await loadAdapter('polling')).toBe(polling);
    if (process.platform === 'linux') expect((await loadAdapter()).name).toBe('linux');
  });

  it('a native adapter that cannot load is an IpInterfaceError, never a silent fallback', async () => {
    // windows on Linux: creating the adapter is lazy, so the failure comes at first use, typed.
    const windows = await loadAdapter('windows');
    const error = await windows.getIpInterfaceTable('inet').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect((error as IpInterfaceError).code).toBe(process.platform === 'win32' ? expect.anything() : 'NATIVE_LOAD_FAILED');
    expect((error as IpInterfaceError).adapter).toBe('windows');
  });

  it('importing the package and creating adapters loads no native code (built CommonJS entry)', () => {
    const dist = resolve(__dirname, '../../dist/cjs');
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `
        require(${JSON.stringify(dist + '/src/index.js')});
        require(${JSON.stringify(dist + '/adapters/linux/index.js')}).linuxAdapter();
        require(${JSON.stringify(dist + '/adapters/windows/index.js')}).windowsAdapter();
        require(${JSON.stringify(dist + '/adapters/polling/index.js')}).pollingAdapter();
        const maps = require('fs').readFileSync('/proc/self/maps', 'utf8');
        console.log(JSON.stringify({
          koffiModule: Object.keys(require.cache).some((k) => k.includes('koffi')),
          koffiMapped: /koffi/.test(maps),
        }));
        `,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({ koffiModule: false, koffiMapped: false });
  });
});
