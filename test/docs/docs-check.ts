/**
 * The docs checker's machinery (used by docs.test.ts): which exports lack TSDoc or an `@example`,
 * and which ```ts blocks of the Markdown docs and of the `@example` tags fail to compile.
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

type Entries = Readonly<Record<string, string>>;

/** One export of an entry point, with the symbol it stands for (re-exports resolved). */
interface EntryExport {
  readonly entry: string;
  readonly name: string;
  readonly symbol: ts.Symbol;
}

interface EntryExports {
  readonly found: readonly EntryExport[];
  readonly checker: ts.TypeChecker;
  /** `entry: cannot read file` for an entry point the program has no module for. */
  readonly unreadable: readonly string[];
}

const exportsCache = new Map<string, EntryExports>();

/** The exports of each entry point, from one program per set of entry points (cached: building it takes a second or two). */
function entryExports(entries: Entries): EntryExports {
  const key = JSON.stringify(entries);
  const cached = exportsCache.get(key);
  if (cached) return cached;
  const program = ts.createProgram(Object.values(entries).map((f) => join(root, f)), { ...readConfig('tsconfig.esm.json'), noEmit: true });
  const checker = program.getTypeChecker();
  const found: EntryExport[] = [];
  const unreadable: string[] = [];
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(join(root, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) {
      unreadable.push(`${entry}: cannot read ${file}`);
      continue;
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      found.push({ entry, name: exported.name, symbol });
    }
  }
  const result = { found, checker, unreadable };
  exportsCache.set(key, result);
  return result;
}

/**
 * Exports of every entry point that carry no TSDoc comment, as `entry: name`, and exports (of any
 * kind: function, class, interface, type alias, constant, re-export) whose TSDoc has no `@example`,
 * as `entry: name (no @example)`.
 */
export function undocumentedExports(entries: Entries = ENTRY_POINTS): string[] {
  const { found, checker, unreadable } = entryExports(entries);
  const missing = [...unreadable];
  for (const { entry, name, symbol } of found) {
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    if (doc === '') missing.push(`${entry}: ${name}`);
    else if (!symbol.getJsDocTags(checker).some((t) => t.name === 'example')) missing.push(`${entry}: ${name} (no @example)`);
  }
  return missing.sort();
}

/** Options for compiling doc snippets as a user would: the entry points by package name, DOM + Node types. */
function snippetOptions(entries: Entries): ts.CompilerOptions {
  const paths: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(entries)) paths[entry] = [join(root, file)];
  return {
    ...readConfig('tsconfig.json'),
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node', 'jest'],
    paths,
    noEmit: true,
    noUnusedLocals: false,
  };
}

// The sources, lib and @types files parsed once for all compilations (the Markdown blocks, the
// examples): parsing lib.dom.d.ts and the rest is most of a compilation's time.
const sourceFileCache = new Map<string, ts.SourceFile>();

/**
 * Compiles virtual modules (keyed by a name under test/docs, so node_modules resolve as they do for
 * the package); returns the errors located by `where(virtualName, line)`.
 */
function compileVirtual(virtual: ReadonlyMap<string, string>, where: (name: string, line: number) => string, entries: Entries = ENTRY_POINTS): string[] {
  const options = snippetOptions(entries);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, onError) => {
    const text = virtual.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language, true);
    const key = `${name}|${JSON.stringify(language)}`;
    let source = sourceFileCache.get(key);
    if (!source) {
      source = getSourceFile(name, language, onError);
      if (source) sourceFileCache.set(key, source);
    }
    return source;
  };
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter((d) => d.file && virtual.has(d.file.fileName));
  return diagnostics.map((d) => format(d, (file, line) => where(file.fileName, line)));
}

/** Compiles every non-skipped ```ts block as its own module; returns the errors, located in the Markdown. */
export function snippetErrors(snippets: readonly Snippet[]): string[] {
  const virtual = new Map<string, string>();
  const located = new Map<string, string>();
  snippets.forEach((s, i) => {
    if (s.skip) return;
    const name = join(root, 'test/docs', `__snippet_${i}.ts`);
    // `export {}` keeps each block a module of its own, even one without imports.
    virtual.set(name, `${s.code}export {};\n`);
    located.set(name, s.where);
  });
  return compileVirtual(virtual, (name, line) => {
    const [md, start] = located.get(name)!.split(':');
    return `${md}:${Number(start) + 1 + line}`;
  });
}

/** A ```ts block of an `@example` tag. */
export interface ExampleSnippet {
  /** `src/x.ts:12` (line of the opening fence). */
  readonly where: string;
  readonly code: string;
  /** The entry point whose export it documents. */
  readonly entry: string;
}

/** The ```ts blocks inside the `@example` tags of every export of the entry points (each doc comment once). */
export function exampleSnippets(entries: Entries = ENTRY_POINTS): ExampleSnippet[] {
  const seen = new Set<string>();
  const examples: ExampleSnippet[] = [];
  for (const { entry, symbol } of entryExports(entries).found) {
    for (const declaration of symbol.declarations ?? []) {
      const source = declaration.getSourceFile();
      for (const doc of ts.getJSDocCommentsAndTags(declaration)) {
        if (!ts.isJSDoc(doc) || seen.has(`${source.fileName}:${doc.pos}`)) continue;
        seen.add(`${source.fileName}:${doc.pos}`);
        const start = doc.getStart(source);
        const first = source.getLineAndCharacterOfPosition(start).line;
        // The comment's lines without their ` * ` margin.
        const lines = source.text.slice(start, doc.end).split('\n').map((l) => l.replace(/^\s*(\/\*\*|\*\/|\*)? ?/, ''));
        let inExample = false;
        for (let i = 0; i < lines.length; i++) {
          if (/^@\w+/.test(lines[i]!)) inExample = /^@example\b/.test(lines[i]!);
          if (!inExample || !/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
          const fence = i;
          const body: string[] = [];
          for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
          examples.push({ where: `${relative(root, source.fileName)}:${first + fence + 1}`, code: `${body.join('\n')}\n`, entry });
        }
      }
    }
  }
  return examples;
}

/** Names a module's top-level statements import or declare. */
function boundNames(code: string): Set<string> {
  const bound = new Set<string>();
  for (const statement of ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) bound.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bound.add(named.name.text);
      if (named && ts.isNamedImports(named)) for (const e of named.elements) bound.add(e.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) bound.add(d.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name) {
      bound.add(statement.name.text);
    }
  }
  return bound;
}

/**
 * Compiles every `@example` block as its own module, as a user of its entry point would write it
 * (the same options as the Markdown blocks); returns the errors as `file:line: message`. The exports
 * of the block's own entry point (and of the package root, for a subpath such as
 * `rxjs-ip-interface/adapters/mock`) that it neither imports nor declares are imported for it, on one
 * added first line, so a short example may use them bare.
 */
export function exampleErrors(examples: readonly ExampleSnippet[], entries: Entries = ENTRY_POINTS): string[] {
  const rootEntry = Object.keys(ENTRY_POINTS)[0]!;
  const exportsOf = (entry: string): EntryExport[] => entryExports(entry in entries ? entries : ENTRY_POINTS).found.filter((e) => e.entry === entry);
  const virtual = new Map<string, string>();
  const located = new Map<string, string>();
  examples.forEach((example, i) => {
    const bound = boundNames(example.code);
    const preludes = example.entry.startsWith(`${rootEntry}/`) ? [rootEntry, example.entry] : [example.entry];
    const imports = preludes.map((entry) => {
      const names = exportsOf(entry).filter((e) => !bound.has(e.name));
      names.forEach((e) => bound.add(e.name));
      return `import { ${names.map((e) => (e.symbol.flags & ts.SymbolFlags.Value ? e.name : `type ${e.name}`)).join(', ')} } from '${entry}';`;
    });
    const name = join(root, 'test/docs', `__example_${i}.ts`);
    virtual.set(name, `${imports.join(' ')}\n${example.code}export {};\n`);
    located.set(name, example.where);
  });
  return compileVirtual(
    virtual,
    (name, line) => {
      const [file, fence] = located.get(name)!.split(':');
      // Line 0 is the added imports; line n is the fence's line + n.
      return `${file}:${Number(fence) + line}`;
    },
    { ...ENTRY_POINTS, ...entries },
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
