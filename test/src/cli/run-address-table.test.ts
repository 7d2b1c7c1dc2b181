import { runAddressTable } from '../../../src/cli/run-address-table';
import { formatAddressTable } from '../../../src/cli/format-address-table';
import type { CliCommonOptions } from '../../../src/cli/parse-cli-arguments';
import type { IpInterfaceAdapter } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { createMockAdapter, mockAddressRow } from '../../../adapters/mock';
import { testIo } from './cli-test-io';

const options = (overrides: Partial<CliCommonOptions> = {}): CliCommonOptions => ({ family: 'unspec', json: false, netns: undefined, adapter: undefined, ...overrides });
const rows = [mockAddressRow({ address: '10.9.0.1', interfaceIndex: 3 }), mockAddressRow({ family: 'inet6', address: '2001:db8::1', interfaceIndex: 3 })];

describe('runAddressTable', () => {
  it('prints the addresses of the family asked for', async () => {
    const io = testIo();
    expect(await runAddressTable(options({ family: 'inet6' }), createMockAdapter({ addressTable: rows }), io)).toBe(0);
    expect(io.out).toEqual([formatAddressTable([rows[1]!])]);
  });

  it('--json prints the rows as a JSON array, one per line, bigints as strings, undefined fields absent', async () => {
    const io = testIo();
    expect(await runAddressTable(options({ json: true }), createMockAdapter({ addressTable: rows }), io)).toBe(0);
    const expected = rows.map(({ creationTimeStamp: _absent, ...row }) => ({ ...row, interfaceLuid: String(row.interfaceLuid) }));
    expect(JSON.parse(io.out.join(''))).toEqual(expected);
    expect(io.out.join('').split('\n').map((l) => l.slice(0, 3))).toEqual(['[', '  {', '  {', ']', '']);
  });

  it('--json of an empty table is an empty array', async () => {
    const io = testIo();
    expect(await runAddressTable(options({ json: true }), createMockAdapter(), io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual([]);
  });

  it('an adapter without the address half: NOT_SUPPORTED, exit 1, nothing on stdout', async () => {
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'interfaces-only',
      notifyIpInterfaceChange: (f, cb, i) => mock.notifyIpInterfaceChange(f, cb, i),
      cancelMibChangeNotify2: (h) => mock.cancelMibChangeNotify2(h),
      getIpInterfaceTable: (f) => mock.getIpInterfaceTable(f),
    };
    const io = testIo();
    expect(await runAddressTable(options(), interfacesOnly, io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual(['rxjs-ip-interface: NOT_SUPPORTED: interfaces-only adapter does not support getUnicastIpAddressTable\n']);
  });

  it('an adapter error: code and message on stderr, exit 1', async () => {
    const failing: IpInterfaceAdapter = {
      ...createMockAdapter(),
      getUnicastIpAddressTable: () => Promise.reject(new IpInterfaceError('OS_ERROR', 'RTM_GETADDR failed', { adapter: 'linux', osCode: 105 })),
    };
    const io = testIo();
    expect(await runAddressTable(options(), failing, io)).toBe(1);
    expect(io.err).toEqual(['rxjs-ip-interface: OS_ERROR: RTM_GETADDR failed\n']);
  });
});
