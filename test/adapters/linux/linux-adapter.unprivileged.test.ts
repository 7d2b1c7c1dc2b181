/**
 * The linux adapter in an unprivileged process, as most applications run: uid nobody, no
 * capabilities, inside a test namespace (`ip netns exec` + `setpriv`). Without CAP_NET_ADMIN the
 * receive buffer falls back from SO_RCVBUFFORCE to SO_RCVBUF, and events must still arrive.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { waitFor } from '../../helpers/wait-for';

const root = path.resolve(__dirname, '../../..');
const NOBODY = 65534;

/**
 * The built package (`npm test` builds dist/ before jest runs) and its runtime dependencies, copied
 * where uid nobody can read them: the checkout may sit below a directory only root can enter.
 */
function copyForNobody(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rxipi-unpriv-'));
  chmodSync(dir, 0o755);
  cpSync(path.join(root, 'dist/cjs'), path.join(dir, 'dist/cjs'), { recursive: true });
  for (const pkg of ['rxjs', 'tslib', 'koffi', `@koromix/koffi-linux-${process.arch}`]) {
    cpSync(path.join(root, 'node_modules', pkg), path.join(dir, 'node_modules', pkg), { recursive: true });
  }
  return dir;
}

const CHILD = `
const fs = require('node:fs');
const { linuxAdapter } = require(process.argv[1]);
const { ipInterfaceChanges$, AF_UNSPEC } = require(process.argv[2]);
const adapter = linuxAdapter();
const print = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const sub = ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe({
  next(c) {
    if (c.kind === 'initial') {
      adapter.getIpInterfaceTable('unspec').then((rows) => {
        const capEff = /CapEff:\\s*(\\w+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1];
        print({ ready: true, uid: process.getuid(), capEff, receiveBufferOption: adapter.stats().receiveBufferOption, tableNames: rows.map((r) => r.family + ' ' + r.interfaceName).sort() });
      }, (e) => print({ tableError: String(e) }));
      return;
    }
    print({ kind: c.kind, family: c.row.family, name: c.row.interfaceName, mtu: c.row.nlMtu });
  },
  error(e) { print({ error: String(e), code: e.code }); },
});
// Ends by itself once unsubscribed: nothing may keep it alive.
process.on('SIGTERM', () => sub.unsubscribe());
`;

interface Line {
  ready?: boolean;
  uid?: number;
  capEff?: string;
  receiveBufferOption?: string;
  tableNames?: string[];
  kind?: string;
  family?: string;
  name?: string;
  mtu?: number;
  error?: string;
  tableError?: string;
}

describeWithNetns('linux adapter in an unprivileged process (uid nobody, no capabilities)', () => {
  let ns: TestNetns;
  let copy = '';

  beforeAll(() => {
    copy = copyForNobody();
    TestNetns.cleanupStale('unpriv');
    ns = TestNetns.create('unpriv');
    ns.addVeth('uv0');
  });
  afterAll(() => {
    ns?.delete();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('registers with the SO_RCVBUF fallback, reads the table, sees an MTU change and a delete, and exits by itself after unsubscribe', async () => {
    const child = spawn(
      'ip',
      ['netns', 'exec', ns.name, 'setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', CHILD, path.join(copy, 'dist/cjs/adapters/linux/index.js'), path.join(copy, 'dist/cjs/src/index.js')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: Line[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const seen = (): string => `lines ${JSON.stringify(lines)}; stderr ${stderr}`;
    try {
      await waitFor(() => lines.some((l) => l.ready || l.error || l.tableError), 'ready', 10000, seen);
      const ready = lines.find((l) => l.ready);
      expect({ ready, problems: lines.filter((l) => l.error || l.tableError) }).toEqual({
        ready: {
          ready: true,
          uid: NOBODY,
          capEff: '0000000000000000',
          receiveBufferOption: 'SO_RCVBUF',
          tableNames: ['inet lo', 'inet uv0', 'inet uv0p', 'inet6 lo', 'inet6 uv0', 'inet6 uv0p'],
        },
        problems: [],
      });

      ns.ip('link', 'set', 'uv0', 'mtu', '1400');
      await waitFor(() => ['inet', 'inet6'].every((f) => lines.some((l) => l.kind === 'changed' && l.family === f && l.name === 'uv0' && l.mtu === 1400)), 'MTU 1400 on both families', 10000, seen);

      ns.ip('link', 'del', 'uv0');
      const removedNames = (): string[] => lines.filter((l) => l.kind === 'removed').map((l) => `${l.family} ${l.name}`).sort();
      await waitFor(() => removedNames().length === 4, 'both ends removed in both families', 10000, seen);
      expect(removedNames()).toEqual(['inet uv0', 'inet uv0p', 'inet6 uv0', 'inet6 uv0p']);
    } finally {
      // setpriv execs node, so the signal reaches the child's node process itself.
      child.kill('SIGTERM');
    }
    const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
    const end = await exited;
    clearTimeout(timeout);
    expect({ ...end, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  }, 30000);
});
