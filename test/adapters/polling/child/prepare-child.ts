import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../../../..');

/**
 * Builds a runnable copy of `polling-child.ts` for `node`: the child, the contract suite and its helpers are
 * transpiled to CommonJS into a temporary tree whose `src` and `adapters` link to the built library
 * (`dist/cjs`, made by `npm run build`, which `npm test` runs first). Returns the child's path and a
 * cleanup function.
 */
export function preparePollingChild(): { script: string; cleanup: () => void } {
  const built = join(root, 'dist/cjs/adapters/polling/polling-adapter.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'rxipi-polling-child-'));
  for (const file of ['test/adapters/polling/child/polling-child.ts', 'test/contract/contract-suite.ts', 'test/contract/address-cases.ts', 'test/contract/route-cases.ts', 'test/helpers/recorder.ts', 'test/helpers/wait-for.ts']) {
    const output = ts.transpileModule(readFileSync(join(root, file), 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const target = join(dir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
  symlinkSync(join(root, 'dist/cjs/src'), join(dir, 'src'));
  symlinkSync(join(root, 'dist/cjs/adapters'), join(dir, 'adapters'));
  return { script: join(dir, 'test/adapters/polling/child/polling-child.js'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
