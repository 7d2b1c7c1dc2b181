/**
 * Point 3 of issue 15: a consumer of the packed tarball compiles with TypeScript 5.0 (the lowest
 * supported), the latest 5.x, 6.0 and 7 in every module resolution mode that TypeScript version
 * offers: node10 (CommonJS, what `module: commonjs` implies; types of subpaths come from
 * `typesVersions`), node16 and nodenext (CommonJS .cts and ESM .mts; from `exports`), and bundler.
 * Each consumer imports every subpath and ends with wrong uses marked `@ts-expect-error`, so a subpath
 * whose types did not resolve (an implicit `any`, or TS2307) fails the compile.
 *
 * The compilers come from the npm registry into node_modules/.cache (test/package/tool-cache.ts);
 * the compilations run a few at a time, in parallel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, root, typescriptCompiler } from './tool-cache';

/** Oldest supported, latest 5.x, the 6.0 the package builds with, and 7 (the registry's latest on 2026-12-03). */
const VERSIONS = ['5.0.4', '5.9.3', '6.0.3', '7.0.2'] as const;

interface Mode {
  readonly name: string;
  readonly options: Record<string, string>;
  /** The consumer file: .ts under node10 / bundler, .cts or .mts under node16 / nodenext. */
  readonly file: 'use.ts' | 'use.cts' | 'use.mts';
  /** The Angular entry is ESM only: a CommonJS file cannot import it (exports has no `require`). */
  readonly angular: boolean;
}

const MODES: readonly Mode[] = [
  { name: 'node10 (CommonJS)', options: { module: 'commonjs', moduleResolution: 'node10' }, file: 'use.ts', angular: true },
  { name: 'node16 CommonJS', options: { module: 'node16', moduleResolution: 'node16' }, file: 'use.cts', angular: false },
  { name: 'node16 ESM', options: { module: 'node16', moduleResolution: 'node16' }, file: 'use.mts', angular: true },
  { name: 'nodenext CommonJS', options: { module: 'nodenext', moduleResolution: 'nodenext' }, file: 'use.cts', angular: false },
  { name: 'nodenext ESM', options: { module: 'nodenext', moduleResolution: 'nodenext' }, file: 'use.mts', angular: true },
  { name: 'bundler (ESM)', options: { module: 'esnext', moduleResolution: 'bundler' }, file: 'use.ts', angular: true },
];

const consumer = (angular: boolean): string => `
import { ipInterfaceChanges$, serialDelivery, AF_INET, IpInterfaceError, type IpInterfaceChange } from 'rxjs-ip-interface';
import { createMockAdapter, mockRow } from 'rxjs-ip-interface/adapters/mock';
import { linuxAdapter } from 'rxjs-ip-interface/adapters/linux';
import { windowsAdapter } from 'rxjs-ip-interface/adapters/windows';
import { pollingAdapter } from 'rxjs-ip-interface/adapters/polling';
import { IpInterfaceModule } from 'rxjs-ip-interface/nestjs';
${angular ? "import { provideIpInterfaceChanges } from 'rxjs-ip-interface/angular';" : ''}

const adapter = createMockAdapter({ table: [mockRow({ interfaceIndex: 2 })] });
ipInterfaceChanges$(AF_INET, true, { adapter })
  .pipe(serialDelivery((change: IpInterfaceChange) => { if (change.kind !== 'initial') console.log(change.row.nlMtu); }))
  .subscribe({ error: (e: unknown) => console.log(e instanceof IpInterfaceError ? e.code : e) });
const mtu: number | undefined = mockRow().nlMtu;
void [mtu, linuxAdapter({ netns: 'blue' }), windowsAdapter(), IpInterfaceModule.forRoot({ debounceMs: 250 })];
${angular ? 'void provideIpInterfaceChanges({ family: AF_INET });' : ''}

// Wrong uses: each must be an error, or the directive itself is one (TS2578), so an \`any\` cannot pass.
// @ts-expect-error: not an AddressFamily
ipInterfaceChanges$('ipx');
// @ts-expect-error: intervalMs is a number
pollingAdapter({ intervalMs: 'fast' });
// @ts-expect-error: receiveBufferBytes is a number
linuxAdapter({ receiveBufferBytes: 'big' });
// @ts-expect-error: no such mock row field
mockRow({ mtu: 1500 });
// @ts-expect-error: debounceMs is a number
IpInterfaceModule.forRoot({ debounceMs: '250' });
${angular ? "// @ts-expect-error: not an AddressFamily\nprovideIpInterfaceChanges({ family: 'ipv4' });" : ''}
`;

/** Runs `jobs` with at most `limit` at a time (2 cores: more would only queue). */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

const installed = (name: string): string => `${name}@${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string}`;

describe('TypeScript consumers of the packed package', () => {
  let scratch: string;
  const outcome = new Map<string, { status: number | null; output: string }>();

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rxipi-tsv-'));
    const [pack, ...compilers] = await Promise.all([
      exec('npm', ['pack', '--silent', '--pack-destination', scratch], root),
      ...VERSIONS.map((v) => typescriptCompiler(v)),
    ]);
    if (pack!.status !== 0) throw new Error(`npm pack failed: ${pack!.stderr}`);
    const tarball = join(scratch, pack!.stdout.trim().split('\n').pop()!);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const peers = ['rxjs', '@nestjs/common', '@nestjs/core', 'reflect-metadata', '@angular/core'].map(installed);
    const install = await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, '@types/node@20', ...peers], scratch);
    if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
    for (const mode of MODES) writeFileSync(join(scratch, `${mode.file.replace(/\..*$/, '')}-${mode.angular ? 'ng' : 'nong'}${mode.file.slice(mode.file.indexOf('.'))}`), consumer(mode.angular));
    const jobs = VERSIONS.flatMap((version, v) =>
      MODES.map((mode) => async () => {
        const file = `${mode.file.replace(/\..*$/, '')}-${mode.angular ? 'ng' : 'nong'}${mode.file.slice(mode.file.indexOf('.'))}`;
        const options = { ...mode.options, strict: 'true', noEmit: 'true', skipLibCheck: 'true', types: 'node', target: 'es2022' };
        // TypeScript 6 deprecates node10 (an error unless acknowledged); a consumer on 6 writes the same.
        const extra = version.startsWith('6.') && mode.options.moduleResolution === 'node10' ? ['--ignoreDeprecations', '6.0'] : [];
        const args = [compilers[v]!, ...Object.entries(options).flatMap(([k, val]) => [`--${k}`, val]), ...extra, file];
        const result = await exec(process.execPath, args, scratch, {}, 120_000);
        outcome.set(`${version} ${mode.name}`, { status: result.status, output: (result.stdout + result.stderr).trim() });
      }),
    );
    await pool(jobs, 3);
  }, 600_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const version of VERSIONS) {
    for (const mode of MODES) {
      if (version.startsWith('7.') && mode.options.moduleResolution === 'node10') {
        it(`TypeScript ${version}, ${mode.name}: not a mode TypeScript 7 has (it removed node10; consumers on 7 use node16, nodenext or bundler)`, () => {
          expect(outcome.get(`${version} ${mode.name}`)).toEqual({ status: 1, output: expect.stringContaining("error TS5108: Option 'moduleResolution=node10' has been removed.") });
        });
        continue;
      }
      it(`TypeScript ${version}, ${mode.name}: every subpath's types resolve, wrong uses are errors`, () => {
        expect(outcome.get(`${version} ${mode.name}`)).toEqual({ status: 0, output: '' });
      });
    }
  }
});
