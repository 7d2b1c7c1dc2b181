/**
 * Runs `nest-scenarios.ts` in a child `node` process as ESM against the built dist/esm: NestJS 12
 * ships ESM only, which jest on Node 20 cannot load. Transpiles the file with TypeScript (decorators
 * and their metadata included), points its imports of the sources at dist/esm, and returns what
 * each scenario observed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export const root = resolve(__dirname, '../../..');
export const distEsm = join(root, 'dist/esm');

export function runNestScenarios(): Record<string, unknown> {
  if (!existsSync(join(distEsm, 'src/nestjs/index.js'))) {
    throw new Error('dist/esm/src/nestjs is missing: `npm test` builds it first (npm run build)');
  }
  const source = readFileSync(join(__dirname, 'nest-scenarios.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  const esm = outputText.replace(/from '((?:\.\.\/){3})([^']+)'/g, (_, _up: string, path: string) => `from '${pathToFileURL(join(distEsm, `${path}.js`)).href}'`);
  // Inside the repository, so that the child resolves @nestjs/* and rxjs from node_modules.
  mkdirSync(join(root, 'build'), { recursive: true });
  const dir = mkdtempSync(join(root, 'build', 'nest-scenarios-'));
  try {
    writeFileSync(join(dir, 'nest-scenarios.mjs'), esm);
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { scenarios } from './nest-scenarios.mjs';
       const results = {};
       for (const [name, run] of Object.entries(scenarios)) results[name] = await run();
       console.log(JSON.stringify(results));
       // Nothing may keep the process alive: every registration, server and timer is released.`,
    );
    const out = spawnSync(process.execPath, [join(dir, 'run.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (out.status !== 0) throw new Error(`nest scenarios failed (status ${String(out.status)}, signal ${String(out.signal)}):\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
