import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPackageVersion } from '../../../src/cli/read-package-version';

describe('readPackageVersion', () => {
  it("finds this package's version from a directory below it (as dist/cjs/src/cli is)", () => {
    const root = resolve(__dirname, '../../..');
    const expected = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(readPackageVersion(join(root, 'dist/cjs/src/cli'))).toBe(expected);
    expect(readPackageVersion(__dirname)).toBe(expected);
  });

  it('skips package.json files of other packages and says unknown when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxipi-version-'));
    try {
      mkdirSync(join(dir, 'a/b'), { recursive: true });
      writeFileSync(join(dir, 'a/b/package.json'), '{ "type": "commonjs" }');
      writeFileSync(join(dir, 'a/package.json'), '{ "name": "other", "version": "1.0.0" }');
      expect(readPackageVersion(join(dir, 'a/b'))).toBe('unknown');
      writeFileSync(join(dir, 'package.json'), '{ "name": "rxjs-ip-interface", "version": "3.2.1" }');
      expect(readPackageVersion(join(dir, 'a/b'))).toBe('3.2.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
