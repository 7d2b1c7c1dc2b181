import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAMESPACE_WATCH_LINGER_MS, watchedNamespaceDirectories, watchNamespaceFile } from '../../../adapters/linux/namespace-watch';
import { sleep, waitFor } from '../../helpers/wait-for';

describe('watchNamespaceFile: one watcher per directory, shared, kept a moment after its last user', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxipi-nswatch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells only the listeners of the name that changed; stopping is idempotent; the directory closes after the linger, and a watch during it reuses the watcher', async () => {
    const base = watchedNamespaceDirectories();
    writeFileSync(join(dir, 'a'), '');
    writeFileSync(join(dir, 'b'), '');
    const seen: string[] = [];
    const stopA = watchNamespaceFile(join(dir, 'a'), () => seen.push('a'))!;
    const stopA2 = watchNamespaceFile(join(dir, 'a'), () => seen.push('a2'))!;
    const stopB = watchNamespaceFile(join(dir, 'b'), () => seen.push('b'))!;
    expect(watchedNamespaceDirectories()).toBe(base + 1); // three users, one watcher
    unlinkSync(join(dir, 'a'));
    await waitFor(() => seen.includes('a') && seen.includes('a2'), 'both listeners of a');
    await sleep(50);
    expect(seen).not.toContain('b');
    stopA();
    stopA();
    stopA2();
    stopB();
    // Within the linger a new user takes the same watcher over: churn opens none per cycle.
    await sleep(NAMESPACE_WATCH_LINGER_MS / 4);
    expect(watchedNamespaceDirectories()).toBe(base + 1);
    const stopC = watchNamespaceFile(join(dir, 'b'), () => seen.push('c'))!;
    await sleep(NAMESPACE_WATCH_LINGER_MS);
    expect(watchedNamespaceDirectories()).toBe(base + 1);
    seen.length = 0;
    unlinkSync(join(dir, 'b'));
    await waitFor(() => seen.includes('c'), 'the new listener of b');
    expect(seen.filter((s) => s === 'b')).toEqual([]); // stopped listeners hear nothing
    stopC();
    await waitFor(() => watchedNamespaceDirectories() === base, 'the watcher to close after the linger', NAMESPACE_WATCH_LINGER_MS + 2000);
  });

  it('a throwing listener stops no other; a directory that cannot be watched gives undefined', async () => {
    writeFileSync(join(dir, 'x'), '');
    const seen: string[] = [];
    const thrown: unknown[] = [];
    const original = queueMicrotask;
    globalThis.queueMicrotask = (task) => original(() => { try { task(); } catch (e) { thrown.push(e); } });
    try {
      const stop1 = watchNamespaceFile(join(dir, 'x'), () => { throw new Error('listener threw'); })!;
      const stop2 = watchNamespaceFile(join(dir, 'x'), () => seen.push('second'))!;
      unlinkSync(join(dir, 'x'));
      await waitFor(() => seen.length > 0, 'the second listener');
      await sleep(10);
      stop1();
      stop2();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(thrown.length).toBeGreaterThan(0);
    expect(watchNamespaceFile(join(dir, 'missing-dir', 'y'), () => undefined)).toBeUndefined();
  });
});
