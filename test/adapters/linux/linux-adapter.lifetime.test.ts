import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

// Child processes run the built package (`npm test` builds dist/ before jest runs).
const root = path.resolve(__dirname, '../../..');
const linuxDist = path.join(root, 'dist/cjs/adapters/linux/index.js');
const coreDist = path.join(root, 'dist/cjs/src/index.js');

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the child printing `ready` to its exit. */
  afterReadyMs: number | undefined;
  /** True when the child was still running at `killAfterMs` and was killed by the test. */
  killed: boolean;
}

function runChild(script: string, netns: string, killAfterMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, linuxDist, coreDist, netns], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let readyAt: number | undefined;
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (readyAt === undefined && stdout.includes('ready')) readyAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed, afterReadyMs: readyAt === undefined ? undefined : Date.now() - readyAt });
    });
  });
}

const PRELUDE = `
const [linuxPath, corePath, netns] = process.argv.slice(1);
const { linuxAdapter } = require(linuxPath);
const { ipInterfaceChanges$ } = require(corePath);
const adapter = linuxAdapter({ netns });
`;

describeWithNetns('linux adapter: process lifetime', () => {
  let ns: TestNetns;

  beforeAll(() => {
    if (!existsSync(linuxDist) || !existsSync(coreDist)) throw new Error(`build first (npm run build): ${linuxDist} is missing`);
    TestNetns.cleanupStale('lxlife');
    ns = TestNetns.create('lxlife');
  });
  afterAll(() => ns?.delete());

  it('a process that unsubscribes exits by itself', async () => {
    const r = await runChild(
      `${PRELUDE}
      const sub = ipInterfaceChanges$('unspec', true, { adapter }).subscribe({
        next: (c) => {
          if (c.kind !== 'initial') return;
          console.log('ready ' + adapter.stats().open);
          setTimeout(() => { sub.unsubscribe(); console.log('unsubscribed'); }, 50);
        },
        error: (e) => { console.error(e); process.exitCode = 2; },
      });`,
      ns.path,
      10000,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ready true');
    expect(r.stdout).toContain('unsubscribed');
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
  }, 20000);

  it('after many netns open/close cycles and a failed open the process still exits by itself', async () => {
    // The namespace worker outlives each cycle: it must be unref'd while idle, and an error reply
    // must not leave it ref'd.
    const r = await runChild(
      `${PRELUDE}
      (async () => {
        for (let i = 0; i < 30; i++) {
          const h = await adapter.notifyIpInterfaceChange('unspec', () => undefined, true);
          await adapter.cancelMibChangeNotify2(h);
        }
        const missing = linuxAdapter({ netns: netns + '-missing' });
        await missing.notifyIpInterfaceChange('unspec', () => undefined, true).then(
          () => console.log('unexpected success'),
          (e) => console.log('failed ' + e.code + ' ' + e.osCode),
        );
        console.log('ready ' + adapter.stats().open);
      })().catch((e) => { console.error(e); process.exitCode = 2; });`,
      ns.path,
      15000,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('failed OS_ERROR 2');
    expect(r.stdout).toContain('ready false');
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
    expect(r.afterReadyMs).toBeLessThan(2000);
  }, 30000);

  it('process.exit() while subscribed returns promptly', async () => {
    const r = await runChild(
      `${PRELUDE}
      ipInterfaceChanges$('unspec', true, { adapter }).subscribe((c) => {
        if (c.kind === 'initial') { console.log('ready'); setTimeout(() => process.exit(7), 20); }
      });`,
      ns.path,
      10000,
    );
    expect(r.killed).toBe(false);
    expect(r.code).toBe(7);
    expect(r.afterReadyMs).toBeLessThan(2000);
  }, 20000);

  it('a process with a live subscription stays alive', async () => {
    const r = await runChild(
      `${PRELUDE}
      ipInterfaceChanges$('unspec', true, { adapter }).subscribe((c) => { if (c.kind === 'initial') console.log('ready'); });`,
      ns.path,
      1500,
    );
    expect(r.stdout).toContain('ready');
    expect(r.killed).toBe(true);
  }, 20000);
});
