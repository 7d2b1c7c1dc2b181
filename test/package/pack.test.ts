/**
 * Packs the package as npm would publish it, installs the tarball into a scratch project, and uses it
 * the way consumers do: `require`, `import`, subpath exports and TypeScript type resolution.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const run = (file: string, args: string[], cwd: string): string =>
  execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

describe('the packed package', () => {
  let scratch: string;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist/cjs/src/index.js')) || !existsSync(join(root, 'dist/esm/src/index.js'))) {
      throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    }
    scratch = mkdtempSync(join(tmpdir(), 'rxipi-pack-'));
    const tarball = run('npm', ['pack', '--silent', '--pack-destination', scratch], root).trim().split('\n').pop()!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    const rxjs = JSON.parse(readFileSync(join(root, 'node_modules/rxjs/package.json'), 'utf8')).version as string;
    const ts = JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version as string;
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(scratch, tarball), `rxjs@${rxjs}`, `typescript@${ts}`, '@types/node@20'], scratch);
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships only dist/, docs and the README (no sources or tests)', () => {
    const files = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], root))[0].files.map((f: { path: string }) => f.path) as string[];
    expect(files).toContain('dist/cjs/src/index.js');
    expect(files).toContain('dist/esm/src/index.js');
    expect(files).toContain('dist/cjs/src/index.d.ts');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('adapters/'))).toEqual([]);
  });

  it('works with require: core, mock subpath, one error class, no native code loaded', () => {
    const out = run(
      process.execPath,
      [
        '-e',
        `
        const core = require('rxjs-ip-interface');
        const { createMockAdapter, mockRow } = require('rxjs-ip-interface/adapters/mock');
        const adapter = createMockAdapter();
        const seen = [];
        const sub = core.ipInterfaceChanges$(core.AF_INET, true, { adapter }).subscribe((c) => seen.push(c.kind));
        adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 7 }) });
        sub.unsubscribe();
        const koffiLoaded = Object.keys(require.cache).some((k) => k.includes('koffi'));
        console.log(JSON.stringify({ seen, active: adapter.active, koffiLoaded, af: [core.AF_UNSPEC, core.AF_INET, core.AF_INET6] }));
        `,
      ],
      scratch,
    );
    expect(JSON.parse(out)).toEqual({ seen: ['initial', 'added'], active: 0, koffiLoaded: false, af: ['unspec', 'inet', 'inet6'] });
  });

  it('works with import, and IpInterfaceError instanceof holds across the require and import builds', () => {
    const out = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
        import { createRequire } from 'node:module';
        import { ipInterfaceChanges$, IpInterfaceError, AF_INET6 } from 'rxjs-ip-interface';
        import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
        const cjs = createRequire(import.meta.url)('rxjs-ip-interface');
        const adapter = createMockAdapter();
        adapter.failNextRegistration('NOT_SUPPORTED', 50);
        ipInterfaceChanges$(AF_INET6, false, { adapter }).subscribe({ error: (e) => {
          console.log(JSON.stringify({
            esm: e instanceof IpInterfaceError, cjs: e instanceof cjs.IpInterfaceError, code: e.code, osCode: e.osCode,
            sameBuild: cjs.IpInterfaceError === IpInterfaceError,
          }));
        } });
        `,
      ],
      scratch,
    );
    expect(JSON.parse(out)).toEqual({ esm: true, cjs: true, code: 'NOT_SUPPORTED', osCode: 50, sameBuild: false });
  });

  it('resolves type declarations for both module systems', () => {
    const source = `
      import { ipInterfaceChanges$, AF_UNSPEC, interfaceKey, type IpInterfaceChange } from 'rxjs-ip-interface';
      import { createMockAdapter, mockRow } from 'rxjs-ip-interface/adapters/mock';
      const adapter = createMockAdapter({ table: [mockRow()] });
      ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe((c: IpInterfaceChange) => {
        if (c.kind !== 'initial') { const k: string = interfaceKey(c.row); void k; }
      });
    `;
    writeFileSync(join(scratch, 'use.mts'), source);
    writeFileSync(join(scratch, 'use.cts'), source.replace(/^\s*import (.*) from ('[^']+');$/gm, 'import $1 from $2;'));
    const tsc = join(scratch, 'node_modules/typescript/bin/tsc');
    const common = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--skipLibCheck', 'false'];
    const check = (...files: string[]) => spawnSync(process.execPath, [tsc, ...common, ...files], { cwd: scratch, encoding: 'utf8' });
    const good = check('use.mts', 'use.cts');
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    // And a wrong use is a type error, so the check above is a real check.
    writeFileSync(join(scratch, 'bad.mts'), `import { ipInterfaceChanges$ } from 'rxjs-ip-interface';\nipInterfaceChanges$('ipx');\n`);
    const bad = check('bad.mts');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.mts.*not assignable to parameter of type 'AddressFamily'/);
  });
});
