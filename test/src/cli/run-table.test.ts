import { runTable } from '../../../src/cli/run-table';
import { formatTable } from '../../../src/cli/format-table';
import type { CliCommonOptions } from '../../../src/cli/parse-cli-arguments';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { createMockAdapter, mockRow } from '../../../adapters/mock';
import { testIo } from './cli-test-io';

const options = (overrides: Partial<CliCommonOptions> = {}): CliCommonOptions => ({ family: 'unspec', json: false, netns: undefined, adapter: undefined, ...overrides });
const rows = [mockRow({ interfaceIndex: 1, interfaceName: 'lo' }), mockRow({ interfaceIndex: 2, interfaceName: 'eth0', family: 'inet6' })];

describe('runTable', () => {
  it('prints the table of the family asked for', async () => {
    const io = testIo();
    expect(await runTable(options({ family: 'inet6' }), createMockAdapter({ table: rows }), io)).toBe(0);
    expect(io.out).toEqual([formatTable([rows[1]!])]);
  });

  it('--json prints the rows as a JSON array with bigints as strings', async () => {
    const io = testIo();
    expect(await runTable(options({ json: true }), createMockAdapter({ table: rows }), io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual(rows.map((r) => ({ ...r, interfaceLuid: String(r.interfaceLuid), interfaceIdentifier: String(r.interfaceIdentifier) })));
    // One row per line between the brackets.
    expect(io.out.join('').split('\n').map((l) => l.slice(0, 3))).toEqual(['[', '  {', '  {', ']', '']);
  });

  it('--json of an empty table is an empty array', async () => {
    const io = testIo();
    expect(await runTable(options({ json: true }), createMockAdapter(), io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual([]);
  });

  it('an adapter error: code and message on stderr, exit code 1', async () => {
    const failing: IpInterfaceAdapter = {
      ...createMockAdapter(),
      getIpInterfaceTable: () => Promise.reject(new IpInterfaceError('NATIVE_LOAD_FAILED', 'no iphlpapi.dll')),
    };
    const io = testIo();
    expect(await runTable(options(), failing, io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual(['rxjs-ip-interface: NATIVE_LOAD_FAILED: no iphlpapi.dll\n']);
  });
});
