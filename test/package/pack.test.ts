/**
 * Packs the package as npm would publish it, installs the tarball into a scratch project, and uses it
 * the way consumers do: `require`, `import`, subpath exports (the NestJS and Angular entries with
 * the real frameworks) and TypeScript type resolution.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { frameworkScenarios } from './framework-scenarios';

const root = resolve(__dirname, '../..');
const run = (file: string, args: string[], cwd: string): string =>
  execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
/** The version the repository's devDependencies resolved to, so the scratch install comes from the npm cache. */
const installed = (name: string): string => `${name}@${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string}`;

let packed: string[] | undefined;
/** The files `npm pack` would publish (asked once per run). */
const packedFiles = (): string[] =>
  (packed ??= JSON.parse(run('npm', ['pack', '--dry-run', '--json'], root))[0].files.map((f: { path: string }) => f.path) as string[]);

describe('the packed package', () => {
  let scratch: string;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist/cjs/src/index.js')) || !existsSync(join(root, 'dist/esm/src/index.js'))) {
      throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    }
    scratch = mkdtempSync(join(tmpdir(), 'rxipi-pack-'));
    const tarball = run('npm', ['pack', '--silent', '--pack-destination', scratch], root).trim().split('\n').pop()!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    // The integration peers too (optional peers of the package, so not installed by themselves). Nothing
    // else: @angular/compiler is only needed to JIT-compile decorated Angular classes, and the package has none.
    const peers = ['@nestjs/common', '@nestjs/core', 'reflect-metadata', '@angular/core'].map(installed);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(scratch, tarball), installed('rxjs'), installed('typescript'), '@types/node@20', ...peers], scratch);
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships only dist/, docs and the README (no sources or tests)', () => {
    const files = packedFiles();
    expect(files).toContain('dist/cjs/src/index.js');
    expect(files).toContain('dist/esm/src/index.js');
    expect(files).toContain('dist/cjs/src/index.d.ts');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('adapters/'))).toEqual([]);
  });

  it('ships source maps that carry their TypeScript, and no declaration maps pointing at absent sources', () => {
    const files = packedFiles();
    expect(files.filter((f) => f.endsWith('.d.ts.map'))).toEqual([]);
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    const incomplete = maps.filter((f) => {
      const map = JSON.parse(readFileSync(join(root, f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      return map.sources.length === 0 || map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((c) => typeof c !== 'string' || c.length === 0);
    });
    expect(incomplete).toEqual([]);
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

  /** Writes a script into the scratch project and runs it there; it must exit by itself (a leaked registration or timer would hang it). */
  const script = (name: string, source: string): unknown => {
    writeFileSync(join(scratch, name), source);
    const out = execFileSync(process.execPath, [name], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return JSON.parse(out.trim().split('\n').pop()!);
  };

  it('rxjs-ip-interface/nestjs with import: a real NestJS application context injects the service, delivers mock changes, and close() releases the registration', async () => {
    expect(await frameworkScenarios.nestjs.run(scratch)).toEqual(frameworkScenarios.nestjs.expected);
  });

  it('rxjs-ip-interface/nestjs with require (the CJS build; NestJS 12 itself is ESM, loaded by require(esm))', () => {
    const observed = script(
      'nest.cjs',
      `
      require('reflect-metadata');
      const { NestFactory } = require('@nestjs/core');
      const { IpInterfaceModule, IpInterfaceService } = require('rxjs-ip-interface/nestjs');
      const { createMockAdapter, mockRow } = require('rxjs-ip-interface/adapters/mock');
      (async () => {
        const adapter = createMockAdapter();
        const app = await NestFactory.createApplicationContext(IpInterfaceModule.forRoot({ adapter, initial: true }), { logger: false });
        const seen = [];
        app.get(IpInterfaceService).changes$.subscribe((c) => seen.push(c.kind));
        adapter.emit({ kind: 'removed', row: mockRow({ interfaceIndex: 3 }) });
        const activeBefore = adapter.active;
        await app.close();
        console.log(JSON.stringify({ seen, activeBefore, activeAfter: adapter.active }));
      })();
      `,
    );
    expect(observed).toEqual({ seen: ['initial', 'removed'], activeBefore: 1, activeAfter: 0 });
  });

  it('rxjs-ip-interface/angular with import: an environment injector provides the shared changes, destroy() releases the registration; ESM only', async () => {
    expect(await frameworkScenarios.angular.run(scratch)).toEqual(frameworkScenarios.angular.expected);
  });

  it('resolves type declarations for both module systems, the NestJS and Angular entries included', () => {
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
    // The frameworks' entries, typed against the frameworks' own declarations (Angular's is ESM only: .mts).
    writeFileSync(
      join(scratch, 'frameworks.mts'),
      `
      import 'reflect-metadata';
      import type { DynamicModule } from '@nestjs/common';
      import { NestFactory } from '@nestjs/core';
      import { createEnvironmentInjector, Injector, type EnvironmentInjector, type EnvironmentProviders } from '@angular/core';
      import type { Observable } from 'rxjs';
      import { AF_INET, AF_INET6, type IpInterfaceChange, type UnicastIpAddressChange, type UnicastIpAddressRow } from 'rxjs-ip-interface';
      import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
      import { IpInterfaceModule, IpInterfaceService, IP_INTERFACE_MODULE_OPTIONS, type IpInterfaceModuleAsyncOptions, type IpInterfaceModuleOptions } from 'rxjs-ip-interface/nestjs';
      import { IP_INTERFACE_CHANGES, provideIpInterfaceChanges, type IpInterfaceChangesProviderOptions } from 'rxjs-ip-interface/angular';
      import { UNICAST_IP_ADDRESS_CHANGES, provideUnicastIpAddressChanges, type UnicastIpAddressChangesProviderOptions } from 'rxjs-ip-interface/angular';

      const adapter = createMockAdapter();
      const options: IpInterfaceModuleOptions = { family: AF_INET, initial: true, adapter, debounceMs: 250 };
      const global: DynamicModule = IpInterfaceModule.forRoot({ ...options, isGlobal: true });
      const async: IpInterfaceModuleAsyncOptions = { useFactory: (): IpInterfaceModuleOptions => options, isGlobal: false };
      const lazy: DynamicModule = IpInterfaceModule.forRootAsync(async);
      const app = await NestFactory.createApplicationContext(global);
      const nestChanges: Observable<IpInterfaceChange> = app.get(IpInterfaceService).changes$;
      const resolved = app.get<IpInterfaceModuleOptions>(IP_INTERFACE_MODULE_OPTIONS);

      const ngOptions: IpInterfaceChangesProviderOptions = { family: AF_INET6, adapter, source: nestChanges };
      const providers: EnvironmentProviders = provideIpInterfaceChanges(ngOptions);
      const injector = createEnvironmentInjector([providers], Injector.NULL as EnvironmentInjector);
      const ngChanges: Observable<IpInterfaceChange> = injector.get(IP_INTERFACE_CHANGES);
      ngChanges.subscribe((c) => { if (c.kind !== 'initial') { const mtu: number | undefined = c.row.nlMtu; void mtu; } });
      const nestAddresses: Observable<UnicastIpAddressChange> = app.get(IpInterfaceService).addressChanges$;
      const nestAddressTable: Observable<ReadonlyMap<string, UnicastIpAddressRow>> = app.get(IpInterfaceService).addressTable$;
      const ngAddressOptions: UnicastIpAddressChangesProviderOptions = { family: AF_INET6, lifetimeUpdates: true, source: nestAddresses };
      const addressInjector = createEnvironmentInjector([provideUnicastIpAddressChanges(ngAddressOptions)], Injector.NULL as EnvironmentInjector);
      const ngAddresses: Observable<UnicastIpAddressChange> = addressInjector.get(UNICAST_IP_ADDRESS_CHANGES);
      void [lazy, resolved.family, resolved.lifetimeUpdates, nestAddressTable, ngAddresses];
      `,
    );
    // The NestJS entry also has a CommonJS build with its own declarations.
    writeFileSync(
      join(scratch, 'nest.cts'),
      `
      import type { Observable } from 'rxjs';
      import type { IpInterfaceChange } from 'rxjs-ip-interface';
      import { IpInterfaceModule, type IpInterfaceService } from 'rxjs-ip-interface/nestjs';
      const changesOf = (service: IpInterfaceService): Observable<IpInterfaceChange> => service.changes$;
      void [IpInterfaceModule.forRoot({ debounceMs: 250, isGlobal: true }), changesOf];
      `,
    );
    const tsc = join(scratch, 'node_modules/typescript/bin/tsc');
    const common = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--skipLibCheck', 'false'];
    const check = (...files: string[]) => spawnSync(process.execPath, [tsc, ...common, ...files], { cwd: scratch, encoding: 'utf8' });
    const good = check('use.mts', 'use.cts', 'frameworks.mts', 'nest.cts');
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    // And a wrong use is a type error, so the check above is a real check.
    writeFileSync(
      join(scratch, 'bad.mts'),
      [
        `import { ipInterfaceChanges$ } from 'rxjs-ip-interface';`,
        `import { IpInterfaceModule } from 'rxjs-ip-interface/nestjs';`,
        `import { provideIpInterfaceChanges } from 'rxjs-ip-interface/angular';`,
        `ipInterfaceChanges$('ipx');`,
        `IpInterfaceModule.forRoot({ debounceMs: '250' });`,
        `provideIpInterfaceChanges({ family: 'ipv4' });`,
      ].join('\n'),
    );
    const bad = check('bad.mts');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.mts\(4,\d+\).*not assignable to parameter of type 'AddressFamily'/);
    expect(bad.stdout).toMatch(/bad\.mts\(5,\d+\).*Type 'string' is not assignable to type 'number'/);
    expect(bad.stdout).toMatch(/bad\.mts\(6,\d+\).*Type '"ipv4"' is not assignable to type 'AddressFamily \| undefined'/);
    expect(bad.stdout.match(/error TS/g)).toHaveLength(3);
  });
});
