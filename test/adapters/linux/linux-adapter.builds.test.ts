/**
 * The namespace worker is a file beside the adapters (namespace-worker.cjs), not code in a string:
 * it must be found from both builds, CommonJS and ESM, as a user's `require` or `import` loads them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeWithNetns, TestNetns } from '../../helpers/netns';

const root = resolve(__dirname, '../../..');

describeWithNetns('linux adapter from the built package: the namespace worker file', () => {
  let ns: TestNetns;
  beforeAll(() => {
    for (const tree of ['cjs', 'esm']) {
      const file = join(root, `dist/${tree}/adapters/linux/namespace-worker.cjs`);
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
    }
    TestNetns.cleanupStale('lxbuilds');
    ns = TestNetns.create('lxbuilds');
    ns.addVeth('bw0');
  });
  afterAll(() => ns?.delete());

  const script = (load: string): string => `
    ${load}
    const adapter = linuxAdapter({ netns: ${JSON.stringify(ns.name)} });
    adapter.getIpInterfaceTable('inet').then(async (rows) => {
      const handle = await adapter.notifyIpInterfaceChange('unspec', () => {}, true);
      await adapter.cancelMibChangeNotify2(handle);
      console.log(JSON.stringify(rows.map((r) => r.interfaceName).sort()));
    }, (e) => { console.error(String(e)); process.exit(1); });`;

  it('dist/cjs (require) opens sockets in a namespace through the worker and exits by itself', () => {
    const out = execFileSync(process.execPath, ['-e', script(`const { linuxAdapter } = require(${JSON.stringify(join(root, 'dist/cjs/adapters/linux/index.js'))});`)], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(JSON.parse(out)).toEqual(['bw0', 'bw0p', 'lo']);
  });

  it('dist/esm (import) opens sockets in a namespace through the worker and exits by itself', () => {
    const url = `file://${join(root, 'dist/esm/adapters/linux/index.js')}`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(`import { linuxAdapter } from ${JSON.stringify(url)};`)], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(JSON.parse(out)).toEqual(['bw0', 'bw0p', 'lo']);
  });
});
