import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireReader, namespaceKey, peekReader, readerRefs, releaseReader } from '../../../adapters/linux/reader-registry';

class FakeReader {
  closed = 0;
  constructor(readonly key: string) {}
  close(): void {
    this.closed++;
  }
}

describe('reader registry', () => {
  it('opens once per key, shares, counts references, closes on the last release', async () => {
    let opened = 0;
    const open = async () => {
      opened++;
      return new FakeReader('k1');
    };
    const [a, b] = await Promise.all([acquireReader('k1', open), acquireReader('k1', open)]);
    expect(a).toBe(b);
    expect(opened).toBe(1);
    expect(readerRefs('k1')).toBe(2);
    expect(peekReader('k1')).toBe(a);
    releaseReader(a);
    expect(a.closed).toBe(0);
    releaseReader(a);
    expect(a.closed).toBe(1);
    expect(peekReader('k1')).toBeUndefined();
    expect(readerRefs('k1')).toBe(0);
  });

  it('a failed open leaves nothing registered and the next acquire opens again', async () => {
    await expect(acquireReader('k2', async () => {
      throw new Error('EACCES');
    })).rejects.toThrow('EACCES');
    expect(readerRefs('k2')).toBe(0);
    const reader = await acquireReader('k2', async () => new FakeReader('k2'));
    expect(peekReader('k2')).toBe(reader);
    releaseReader(reader);
  });

  it('releasing a reader the registry does not hold just closes it', () => {
    const stray = new FakeReader('k3');
    releaseReader(stray);
    expect(stray.closed).toBe(1);
  });

  it('is process-wide: a second copy of the module (CJS + ESM double load) sees the same readers', async () => {
    const reader = await acquireReader('k4', async () => new FakeReader('k4'));
    let other: typeof import('../../../adapters/linux/reader-registry') | undefined;
    jest.isolateModules(() => {
      other = require('../../../adapters/linux/reader-registry');
    });
    expect(other!.peekReader).not.toBe(peekReader); // really another module copy
    expect(other!.peekReader('k4')).toBe(reader);
    other!.releaseReader(reader);
    expect(peekReader('k4')).toBeUndefined();
  });

  it('namespaceKey: own namespace is "", a file keys by device and inode (a re-created name differs), a missing path by itself', () => {
    expect(namespaceKey(undefined)).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'rxipi-key-'));
    try {
      const file = join(dir, 'ns');
      writeFileSync(file, '');
      const first = namespaceKey(file);
      expect(first).toMatch(/^ns:\d+:\d+$/);
      // Re-created under the same name while the first one is still held (as a namespace kept alive by a socket).
      const kept = join(dir, 'kept');
      renameSync(file, kept);
      writeFileSync(file, '');
      expect(namespaceKey(file)).not.toBe(first);
      expect(namespaceKey(join(dir, 'missing'))).toBe(`path:${join(dir, 'missing')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
