/**
 * The docs checker, run by `npm test`: every public export (function, class, interface, type alias,
 * constant, re-export) has TSDoc with an `@example`, every ```ts block of the README, docs/*.md and
 * those `@example` tags compiles against the sources, the worked testing example in the docs is the
 * test file next to this one, and typedoc builds the API reference without errors.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  asPackageImports,
  brokenLinks,
  exampleErrors,
  exampleSnippets,
  extractSnippets,
  headingSlug,
  markdownFiles,
  root,
  snippetErrors,
  undocumentedExports,
  type Snippet,
} from './docs-check';

describe('docs', () => {
  const snippets: Snippet[] = markdownFiles().flatMap(extractSnippets);

  it('every export of every entry point (of any kind) has a TSDoc comment with an @example', () => {
    expect(undocumentedExports()).toEqual([]);
  });

  it('the TSDoc check catches an undocumented export or one without @example (function, interface, type alias, constant), also behind a re-export', () => {
    // Not reported: documented, Documented, DocumentedType, documentedReexported (TSDoc with @example).
    expect(undocumentedExports({ fixture: 'test/docs/fixtures/exports-fixture.ts' })).toEqual([
      'fixture: Bare',
      'fixture: InterfaceWithoutExample (no @example)',
      'fixture: ReexportedWithoutExample (no @example)',
      'fixture: TypeWithoutExample (no @example)',
      'fixture: bare',
      'fixture: bareReexported',
      'fixture: constantWithoutExample (no @example)',
      'fixture: withoutExample (no @example)',
    ]);
  });

  it('every ```ts block of the @example tags of the entry points compiles, located as file:line', () => {
    const examples = exampleSnippets();
    // Every export has an @example (checked above); most are ```ts blocks.
    expect(examples.length).toBeGreaterThanOrEqual(60);
    expect(exampleErrors(examples)).toEqual([]);
  }, 60_000);

  it('the @example check compiles each block with its entry point imported, and reports errors at their line', () => {
    const fixture = 'test/docs/fixtures/exports-fixture.ts';
    const examples = exampleSnippets({ fixture });
    // documented, Documented, DocumentedType, brokenExample and the re-exported documentedReexported (the others have none).
    expect(examples.map((e) => e.where.split(':')[0]).sort()).toEqual(['test/docs/fixtures/exports-fixture-dep.ts', ...Array<string>(4).fill(fixture)]);
    // `documented + 1;` and `documentedReexported();` use their export bare: it is imported for them.
    // brokenExample's block imports `documented` itself and uses `brokenExample` bare: one error only.
    const line = readFileSync(join(root, fixture), 'utf8').split('\n').findIndex((l) => l.includes('const wrong: number = brokenExample;')) + 1;
    expect(exampleErrors(examples, { fixture })).toEqual([`${fixture}:${line}: Type 'string' is not assignable to type 'number'.`]);
  });

  it('the docs have TypeScript examples to check (the extractor found them)', () => {
    expect(snippets.filter((s) => !s.skip).length).toBeGreaterThanOrEqual(10);
  });

  it('every ```ts block of README.md and docs/*.md compiles', () => {
    expect(snippetErrors(snippets)).toEqual([]);
  }, 60_000);

  it('blocks marked `docs-check: same-as <file>` are that file, with its imports as package paths', () => {
    const marked = snippets.filter((s) => s.sameAs !== undefined);
    expect(marked.map((s) => s.sameAs)).toContain('test/docs/testing-example.test.ts');
    for (const s of marked) {
      expect({ where: s.where, code: s.code }).toEqual({ where: s.where, code: asPackageImports(readFileSync(join(root, s.sameAs!), 'utf8')) });
    }
  });

  it('relative links of README.md and docs/*.md point at files and headings that exist', () => {
    expect(headingSlug('`debounceInterfaceChanges(dueTime, scheduler?)`')).toBe('debounceinterfacechangesduetime-scheduler');
    expect(brokenLinks(markdownFiles())).toEqual([]);
  });

  it('`npm run docs` (typedoc) builds the API reference of every entry point without errors or warnings', () => {
    const out = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none', '--treatWarningsAsErrors'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const output = `${out.stdout}${out.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect({ status: out.status, output: out.status === 0 ? 'ok' : output }).toEqual({ status: 0, output: 'ok' });
  }, 60_000);
});
