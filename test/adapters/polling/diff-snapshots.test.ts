import { diffSnapshots } from '../../../adapters/polling/diff-snapshots';
import type { InterfaceSnapshot } from '../../../adapters/polling/interface-snapshot';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { interfaceKey } from '../../../src/interface-key';

const row = (interfaceIndex: number, family: 'inet' | 'inet6', interfaceName: string): IpInterfaceRow => ({
  family, interfaceIndex, interfaceName, interfaceLuid: (6n << 48n) | (BigInt(interfaceIndex) << 24n),
});
const snap = (...rows: IpInterfaceRow[]): InterfaceSnapshot => new Map(rows.map((r) => [interfaceKey(r), r]));

describe('diffSnapshots', () => {
  it('reports nothing for equal snapshots (also distinct but equal row objects)', () => {
    expect(diffSnapshots(snap(row(1, 'inet', 'lo')), snap(row(1, 'inet', 'lo')))).toEqual([]);
  });

  it('reports deletes (last row seen) first, then adds and parameter changes in the order of the new snapshot', () => {
    const before = snap(row(1, 'inet', 'lo'), row(2, 'inet', 'eth0'), row(3, 'inet6', 'veth0'));
    const after = snap(row(1, 'inet', 'lo'), row(2, 'inet', 'wan0'), row(4, 'inet', 'veth1'), row(2, 'inet6', 'wan0'));
    expect(diffSnapshots(before, after)).toEqual([
      { type: 'delete', row: row(3, 'inet6', 'veth0') },
      { type: 'parameter', row: row(2, 'inet', 'wan0') },
      { type: 'add', row: row(4, 'inet', 'veth1') },
      { type: 'add', row: row(2, 'inet6', 'wan0') },
    ]);
  });

  it('treats a field that appears or disappears as a change', () => {
    const { interfaceName: _name, ...nameless } = row(2, 'inet', 'eth0');
    expect(diffSnapshots(snap(row(2, 'inet', 'eth0')), snap(nameless))).toEqual([{ type: 'parameter', row: nameless }]);
  });
});
