/**
 * The docs checker's machinery (used by docs.test.ts): which exports lack TSDoc, and which
 * ```ts blocks of the Markdown docs fail to compile.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const root = resolve(__dirname, '../..');

/** Every public entry point: the package.json `exports` map, as source files. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  'rxjs-ip-interface': 'src/index.ts',
  'rxjs-ip-interface/adapters/mock': 'adapters/mock/index.ts',
  'rxjs-ip-interface/adapters/linux': 'adapters/linux/index.ts',
  'rxjs-ip-interface/adapters/windows': 'adapters/windows/index.ts',
  'rxjs-ip-interface/adapters/polling': 'adapters/polling/index.ts',
  'rxjs-ip-interface/nestjs': 'src/nestjs/index.ts',
  'rxjs-ip-interface/angular': 'src/angular/index.ts',
};

/** Placed on the line before a ```ts block: the block must equal that file (imports mapped to package paths). */
export const SAME_AS_MARKER = /<!--\s*docs-check:\s*same-as\s+(\S+)\s*-->/;
/** Placed on the line before a ```ts block that is deliberately a fragment: not compiled. */
export const SKIP_MARKER = /<!--\s*docs-check:\s*skip\s*-->/;

export interface Snippet {
  /** `docs/x.md:12` (line of the opening fence). */
  readonly where: string;
  readonly code: string;
  readonly skip: boolean;
  readonly sameAs: string | undefined;
}

/** The Markdown files whose ```ts blocks must compile: README.md and docs/*.md (not the generated docs/api). */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join('docs', f));
  return ['README.md', ...docs];
}

export function extractSnippets(file: string): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(indent));
    const before = start > 0 ? lines[start - 1]! : '';
    snippets.push({
      where: `${file}:${start + 1}`,
      code: `${body.join('\n')}\n`,
      skip: SKIP_MARKER.test(before),
      sameAs: SAME_AS_MARKER.exec(before)?.[1],
    });
  }
  return snippets;
}

/** A test file's source as the docs show it: relative imports of the sources become package paths. */
export function asPackageImports(source: string): string {
  return source.replace(/(from\s+|import\s*\(\s*|import\s+)'((?:\.\.\/)+)(src|adapters)\/([^']*)'/g, (_m, lead: string, _up: string, top: string, rest: string) => {
    const path = `${top}/${rest.replace(/\/index$/, '').replace(/^index$/, '')}`.replace(/\/$/, '');
    const spec = path === 'src' ? 'rxjs-ip-interface' : top === 'src' ? `rxjs-ip-interface/${path.slice(4)}` : `rxjs-ip-interface/${path}`;
    return `${lead}'${spec}'`;
  });
}

function readConfig(file: string): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, file), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!config) throw new Error(`cannot read ${file}`);
  return config.options;
}

const format = (d: ts.Diagnostic, where?: (file: ts.SourceFile, line: number) => string): string => {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return text;
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${where ? where(d.file, line) : `${relative(root, d.file.fileName)}:${line + 1}`}: ${text}`;
};

/**
 * Exports of every entry point that carry no TSDoc comment, as `entry: name`, and exports (of any
 * kind: function, class, interface, type alias, constant, re-export) whose TSDoc has no `@example`,
 * as `entry: name (no @example)`.
 */
export function undocumentedExports(entries: Readonly<Record<string, string>> = ENTRY_POINTS): string[] {
  const options = { ...readConfig('tsconfig.esm.json'), noEmit: true };
  const program = ts.createProgram(Object.values(entries).map((f) => join(root, f)), options);
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(join(root, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) {
      missing.push(`${entry}: cannot read ${file}`);
      continue;
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      if (doc === '') missing.push(`${entry}: ${exported.name}`);
      else if (!symbol.getJsDocTags(checker).some((t) => t.name === 'example')) {
        missing.push(`${entry}: ${exported.name} (no @example)`);
      }
    }
  }
  return missing.sort();
}

/** Compiles every non-skipped ```ts block as its own module; returns the errors, located in the Markdown. */
export function snippetErrors(snippets: readonly Snippet[]): string[] {
  const paths: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) paths[entry] = [join(root, file)];
  const options: ts.CompilerOptions = {
    ...readConfig('tsconfig.json'),
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node', 'jest'],
    paths,
    noEmit: true,
    noUnusedLocals: false,
  };
  // Virtual files next to the sources, so node_modules resolve as they do for the package.
  const virtual = new Map<string, { text: string; where: string }>();
  snippets.forEach((s, i) => {
    if (s.skip) return;
    // `export {}` keeps each block a module of its own, even one without imports.
    virtual.set(join(root, 'test/docs', `__snippet_${i}.ts`), { text: `${s.code}export {};\n`, where: s.where });
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, onError) => {
    const v = virtual.get(name);
    return v ? ts.createSourceFile(name, v.text, language, true) : getSourceFile(name, language, onError);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => virtual.get(name)?.text ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter((d) => d.file && virtual.has(d.file.fileName));
  return diagnostics.map((d) =>
    format(d, (file, line) => {
      const [md, start] = virtual.get(file.fileName)!.where.split(':');
      return `${md}:${Number(start) + 1 + line}`;
    }),
  );
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(headingSlug(heading[1]!));
  }
  return anchors;
}

/** Relative links of the Markdown docs whose file or `#anchor` does not exist, as `file:line: link`. */
export function brokenLinks(files: readonly string[]): string[] {
  const broken: string[] = [];
  for (const file of files) {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    let fenced = false;
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*```/.test(line)) fenced = !fenced;
        if (fenced) return;
        for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          if (/^[a-z]+:/i.test(target!)) continue; // http:, https:, mailto:
          const [path, anchor] = target!.split('#') as [string, string | undefined];
          const resolved = path === '' ? file : join(dir, path);
          let ok = existsSync(join(root, resolved));
          if (ok && anchor !== undefined && resolved.endsWith('.md')) ok = anchorsOf(resolved).has(anchor);
          if (!ok) broken.push(`${file}:${i + 1}: ${target}`);
        }
      });
  }
  return broken;
}
