import { AF_INET, AF_INET6 } from '../../../src/address-family';
import { interfaceKey } from '../../../src/interface-key';
import { InterfaceMap } from '../../../src/operators/interface-map';
import { mockLuid, mockRow } from '../../../adapters/mock';

describe('InterfaceMap (private helper of the operators)', () => {
  it('treats two rows as the same key exactly when their interfaceKeys are equal', () => {
    const rows = [
      mockRow({ interfaceIndex: 3 }),
      mockRow({ interfaceIndex: 3, nlMtu: 9000, interfaceName: 'renamed' }), // same interface, other fields
      mockRow({ interfaceIndex: 3, family: AF_INET6 }), // same device, other family
      mockRow({ interfaceIndex: 4 }),
      mockRow({ interfaceIndex: 4, interfaceLuid: mockLuid(4, 24n) }), // same index, other LUID
      mockRow({ interfaceIndex: 2 ** 24 + 5, interfaceLuid: 2n ** 63n + 1n }), // beyond 2^53
      mockRow({ interfaceIndex: 9, family: AF_INET, interfaceLuid: 0n }),
    ];
    for (const a of rows) {
      for (const b of rows) {
        const map = new InterfaceMap<string>();
        map.set(a, 'a');
        expect({ a: interfaceKey(a), b: interfaceKey(b), same: map.get(b) === 'a' }).toEqual({
          a: interfaceKey(a),
          b: interfaceKey(b),
          same: interfaceKey(a) === interfaceKey(b),
        });
      }
    }
  });

  it('deletes, clears and lists its values', () => {
    const map = new InterfaceMap<number>();
    const v4 = mockRow({ interfaceIndex: 3 });
    const v6 = mockRow({ interfaceIndex: 3, family: AF_INET6 });
    map.set(v4, 4);
    map.set(v6, 6);
    expect([...map.values()].sort()).toEqual([4, 6]);
    const v4Changed = { ...v4, nlMtu: 1 };
    expect(map.delete(v4Changed)).toBe(true);
    expect(map.delete(v4)).toBe(false);
    expect(map.get(v6)).toBe(6);
    map.clear();
    expect([...map.values()]).toEqual([]);
  });
});
