/**
 * Proves the optional peer ranges package.json claims (`@nestjs/common`/`@nestjs/core` `>=10 <13`,
 * `@angular/core` `>=19 <23`) for the majors pack.test.ts does not cover (it uses the devDependency
 * versions, NestJS 12 and Angular 22): each major's latest release is installed next to the packed
 * tarball in its own scratch project, npm must accept it without a peer conflict, the same smoke
 * scenario as pack.test.ts must pass, and a typed use must compile against that major's declarations.
 *
 * Needs the npm registry (the older majors are not in the repository's lockfile). The installs, runs and
 * compilations of all versions go in parallel, to keep the wall time down.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { frameworkScenarios } from './framework-scenarios';

const root = resolve(__dirname, '../..');

interface Exited {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a child process without throwing on failure: the tests assert on what it printed. */
const exec = (file: string, args: string[], cwd: string): Promise<Exited> =>
  new Promise((done) => {
    // Default npm loglevel (not `error` as in pack.test.ts): the peer warnings this file checks are `warn`s.
    const env = { ...process.env, npm_config_loglevel: 'warn', npm_config_update_notifier: 'false' };
    execFile(file, args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 150_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ status, stdout, stderr: error !== null && status === null ? `${stderr}\n${error.message}` : stderr });
    });
  });

/** The version the repository's devDependencies resolved to (rxjs, reflect-metadata), as pack.test.ts does. */
const installed = (name: string): string => `${name}@${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string}`;
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
/** npm's stderr lines that report a dependency conflict (it prints `ERESOLVE` and `peer` for those). */
const conflicts = (stderr: string): string[] => stderr.split('\n').filter((line) => /ERESOLVE|peer ?dep|conflicting peer/i.test(line));

/**
 * A typed use of the entry, compiled against the framework's own declarations. Each ends with a wrong use
 * marked `@ts-expect-error`, so a declaration that degraded to `any` (an unresolved import) fails the check.
 */
const typedUses = {
  nestjs: `
    import 'reflect-metadata';
    import type { DynamicModule } from '@nestjs/common';
    import { NestFactory } from '@nestjs/core';
    import type { Observable } from 'rxjs';
    import { AF_INET, type IpInterfaceChange } from 'rxjs-ip-interface';
    import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
    import { IpInterfaceModule, IpInterfaceService, type IpInterfaceModuleOptions } from 'rxjs-ip-interface/nestjs';

    const options: IpInterfaceModuleOptions = { family: AF_INET, initial: true, adapter: createMockAdapter(), debounceMs: 250 };
    const global: DynamicModule = IpInterfaceModule.forRoot({ ...options, isGlobal: true });
    const lazy: DynamicModule = IpInterfaceModule.forRootAsync({ useFactory: (): IpInterfaceModuleOptions => options });
    const app = await NestFactory.createApplicationContext(global);
    const changes: Observable<IpInterfaceChange> = app.get(IpInterfaceService).changes$;
    void [lazy, changes];
    // @ts-expect-error debounceMs is a number
    IpInterfaceModule.forRoot({ debounceMs: '250' });
  `,
  angular: `
    import { createEnvironmentInjector, Injector, type EnvironmentInjector, type EnvironmentProviders } from '@angular/core';
    import type { Observable } from 'rxjs';
    import { AF_INET6, type IpInterfaceChange } from 'rxjs-ip-interface';
    import { createMockAdapter } from 'rxjs-ip-interface/adapters/mock';
    import { IP_INTERFACE_CHANGES, provideIpInterfaceChanges } from 'rxjs-ip-interface/angular';

    const providers: EnvironmentProviders = provideIpInterfaceChanges({ family: AF_INET6, initial: true, adapter: createMockAdapter() });
    const injector = createEnvironmentInjector([providers], Injector.NULL as EnvironmentInjector);
    const changes: Observable<IpInterfaceChange> = injector.get(IP_INTERFACE_CHANGES);
    void changes;
    // @ts-expect-error family is an AddressFamily
    provideIpInterfaceChanges({ family: 'ipv4' });
  `,
} as const;

type Framework = keyof typeof frameworkScenarios;

interface PeerVersion {
  readonly framework: Framework;
  readonly major: number;
  /** What is installed next to the tarball. */
  readonly packages: readonly string[];
  /** The package whose resolved version is reported and must be of `major`. */
  readonly main: string;
}

const rxjs = installed('rxjs');
const versions: readonly PeerVersion[] = [
  ...[10, 11].map((major) => ({
    framework: 'nestjs' as const,
    major,
    main: '@nestjs/core',
    packages: [`@nestjs/common@${major}`, `@nestjs/core@${major}`, installed('reflect-metadata'), rxjs],
  })),
  // Nothing else: no @angular/compiler (only JIT-compiling decorated classes needs it; the package has none),
  // no zone.js (the scenario runs zoneless; Angular 19 lists it as a required peer, so npm adds it by itself).
  ...[19, 20, 21].map((major) => ({ framework: 'angular' as const, major, main: '@angular/core', packages: [`@angular/core@${major}`, rxjs] })),
];

interface Outcome {
  readonly install: Exited;
  readonly resolved: string | undefined;
  readonly run: { readonly output: unknown } | { readonly error: string };
  readonly types: Exited;
}

describe('the packed package with the older majors of its peer ranges', () => {
  let scratch: string;
  const outcomes = new Map<PeerVersion, Outcome>();
  const refusals = new Map<string, Exited>();

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/esm/src/index.js'))) throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    scratch = mkdtempSync(join(tmpdir(), 'rxipi-peers-'));
    // Packed once for the whole file; every scratch project installs the same tarball.
    const tarball = join(scratch, execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!);
    const project = (name: string): string => {
      const dir = join(scratch, name);
      mkdirSync(dir);
      // npm 11.19+ lists unapproved install scripts, ours (`prepare`) among them: approve as the README says.
      const allowScripts = { koffi: true, [`file:${tarball}`]: true };
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `scratch-${name}`, version: '1.0.0', private: true, allowScripts }));
      return dir;
    };
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const check = async (v: PeerVersion): Promise<void> => {
      const dir = project(`${v.framework}-${v.major}`);
      const install = await exec('npm', [...npmInstall, tarball, ...v.packages], dir);
      const manifest = join(dir, 'node_modules', v.main, 'package.json');
      const resolved = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')).version as string) : undefined;
      writeFileSync(join(dir, 'use.mts'), typedUses[v.framework]);
      const [run, types] = await Promise.all([
        frameworkScenarios[v.framework].run(dir).then(
          (output) => ({ output }),
          (e: unknown) => ({ error: String(e) }),
        ),
        // The repository's TypeScript, nodenext as consumers compile. skipLibCheck: only to keep it fast
        // (not re-checking every framework .d.ts); our declarations are still resolved and used by use.mts.
        exec(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', 'use.mts'], dir),
      ]);
      outcomes.set(v, { install, resolved, run, types });
    };
    // The control: npm does enforce the optional peer ranges, so the "no conflict" checks below can fail.
    // A dry run resolves the tree (from the same package documents) without downloading anything.
    const refuse = async (spec: string): Promise<void> => {
      refusals.set(spec, await exec('npm', [...npmInstall, '--dry-run', tarball, spec, rxjs], project(`refuse-${spec.replace(/\W/g, '-')}`)));
    };
    await Promise.all([...versions.map(check), refuse('@nestjs/common@9'), refuse('@angular/core@18')]);
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe.each(versions.map((v) => [`${v.framework === 'nestjs' ? 'NestJS' : 'Angular'} ${v.major}`, v] as const))('%s', (_name, v) => {
    const outcome = (): Outcome => outcomes.get(v) ?? { install: { status: null, stdout: '', stderr: 'not run' }, resolved: undefined, run: { error: 'not run' }, types: { status: null, stdout: '', stderr: 'not run' } };

    it(`installs its latest ${v.major}.x next to the tarball with no peer-dependency conflict`, () => {
      const { install, resolved } = outcome();
      expect({ status: install.status, conflicts: conflicts(install.stderr) }).toEqual({ status: 0, conflicts: [] });
      expect(install.stderr).not.toMatch(/rxjs-ip-interface/);
      expect(resolved).toMatch(new RegExp(`^${v.major}\\.\\d+\\.\\d+$`));
    });

    it('passes the smoke scenario: changes arrive, closing the app / destroying the injector releases the registration', () => {
      expect(outcome().run).toEqual({ output: frameworkScenarios[v.framework].expected });
    });

    it('type-checks a typed use of the entry under module nodenext (and rejects a wrong one)', () => {
      const { types } = outcome();
      expect(types.stdout + types.stderr).toBe('');
      expect(types.status).toBe(0);
    });
  });

  it.each(['@nestjs/common@9', '@angular/core@18'])('npm refuses %s next to the tarball (the peer ranges are enforced, so the checks above are real)', (spec) => {
    const refusal = refusals.get(spec);
    expect(refusal?.status).not.toBe(0);
    expect(refusal?.stderr).toMatch(/ERESOLVE/);
    expect(refusal?.stderr).toMatch(/peerOptional .*from rxjs-ip-interface/);
  });
});
