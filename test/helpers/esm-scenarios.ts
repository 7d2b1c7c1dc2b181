/**
 * Runs a TypeScript file of scenarios in a child `node` process as ESM, against the built dist/esm.
 * For integrations whose framework ships ESM only (NestJS 12, Angular), which jest on Node 20 cannot
 * load. The file exports `scenarios: Record<string, () => unknown>` (or another `exportName`); each returns plain JSON
 * observations, and the jest test that calls this holds the expectations.
 *
 * The file is transpiled with TypeScript (decorators and their metadata included) and its relative
 * imports of the sources (`'../../../src/x/index'`, `'../../../adapters/mock/index'`) are pointed
 * at the same modules in dist/esm, so the scenarios exercise what the package ships.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export const root = resolve(__dirname, '../..');
export const distEsm = join(root, 'dist/esm');

export interface EsmScenarioOptions {
  /** Modules imported before the scenarios (for example `zone.js`). */
  readonly preload?: readonly string[];
  /** A dist/esm file that must exist (a clear message instead of a module-not-found). */
  readonly requires: string;
  /** The export holding the scenarios. Default `scenarios`. */
  readonly exportName?: string;
}

export function runEsmScenarios(file: string, options: EsmScenarioOptions): Record<string, unknown> {
  if (!existsSync(join(distEsm, options.requires))) {
    throw new Error(`dist/esm/${options.requires} is missing: \`npm test\` builds it first (npm run build)`);
  }
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  const fromDir = dirname(file);
  const esm = outputText.replace(/from '(\.\.\/[^']+)'/g, (whole, spec: string) => {
    const target = resolve(fromDir, spec);
    const inRepo = target.startsWith(join(root, 'src')) || target.startsWith(join(root, 'adapters'));
    return inRepo ? `from '${pathToFileURL(join(distEsm, `${target.slice(root.length + 1)}.js`)).href}'` : whole;
  });
  // Inside the repository, so that the child resolves the frameworks and rxjs from node_modules.
  mkdirSync(join(root, 'build'), { recursive: true });
  const dir = mkdtempSync(join(root, 'build', 'esm-scenarios-'));
  try {
    writeFileSync(join(dir, 'scenarios.mjs'), esm);
    writeFileSync(
      join(dir, 'run.mjs'),
      `${(options.preload ?? []).map((m) => `await import(${JSON.stringify(m)});`).join('\n')}
       const { ${options.exportName ?? 'scenarios'}: scenarios } = await import('./scenarios.mjs');
       const results = {};
       for (const [name, run] of Object.entries(scenarios)) results[name] = await run();
       console.log(JSON.stringify(results));`,
    );
    // The child must exit by itself: a registration, server or timer left behind would hang it (and time out).
    const out = spawnSync(process.execPath, [join(dir, 'run.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (out.status !== 0) throw new Error(`${file} failed (status ${String(out.status)}, signal ${String(out.signal)}):\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
