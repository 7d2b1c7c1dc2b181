/**
 * Point 8 of issue 15: `npm run bench` writes the tracked docs only when asked with `--write`; a plain
 * full run writes its report into the untracked build/bench/, a quick run nowhere.
 */
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseArgs } = require('./run.js') as { parseArgs: (argv: string[]) => { write: boolean; out: string; quick: boolean } };
const root = resolve(__dirname, '../..');

describe('npm run bench arguments', () => {
  it.each([
    [[], { write: true, out: join(root, 'build/bench') }],
    [['--write'], { write: true, out: join(root, 'docs') }],
    [['--quick'], { write: false, out: join(root, 'build/bench') }],
    [['--quick', '--write'], { write: true, out: join(root, 'docs') }],
    [['--no-write'], { write: false, out: join(root, 'build/bench') }],
    [['--write', '--out', '/tmp/elsewhere'], { write: true, out: '/tmp/elsewhere' }],
  ])('%j -> %j', (argv, expected) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  it('build/ (where an unasked run writes) is ignored by git; docs/ is tracked', () => {
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const ignored = (p: string): boolean => {
      try {
        execFileSync('git', ['check-ignore', '-q', p], { cwd: root });
        return true;
      } catch {
        return false;
      }
    };
    expect([ignored('build/bench/performance.md'), ignored('docs/performance.md')]).toEqual([true, false]);
  });
});
