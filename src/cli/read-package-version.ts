import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `version` of the `rxjs-ip-interface` package.json found in `startDir` or above it (the CLI
 * runs from `dist/cjs/src/cli/` of the package). `'unknown'` if there is none.
 *
 * @example
 * ```ts
 * readPackageVersion(__dirname); // '0.1.0'
 * ```
 */
export function readPackageVersion(startDir: string): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'rxjs-ip-interface' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
