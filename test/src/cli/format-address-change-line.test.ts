import { formatAddressChangeLine } from '../../../src/cli/format-address-change-line';
import { mockAddressRow } from '../../../adapters/mock';

const time = new Date(2026, 10, 25, 14, 3, 12, 345);
const v4 = mockAddressRow({ address: '10.9.0.1', interfaceIndex: 5, interfaceName: 'veth0' });

describe('formatAddressChangeLine', () => {
  it('time, kind in the column of the interface lines, then the address as ip monitor address describes it', () => {
    expect([
      formatAddressChangeLine({ kind: 'added', row: v4 }, { time, color: false }),
      formatAddressChangeLine({ kind: 'removed', row: v4 }, { time, color: false }),
      formatAddressChangeLine({ kind: 'initial', family: 'inet6' }, { time, color: false }),
    ]).toEqual([
      '14:03:12.345  added    10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever',
      '14:03:12.345  removed  10.9.0.1/24 dev veth0 (inet) preferred valid_lft forever preferred_lft forever',
      '14:03:12.345  initial  inet6   registration is live',
    ]);
  });

  it('changed: the fields that differ from the previous row of the address, lifetimes as ip prints them', () => {
    const deprecated = { ...v4, dadState: 'deprecated' as const, preferredLifetime: 0 };
    expect(formatAddressChangeLine({ kind: 'changed', row: deprecated }, { time, previous: v4, color: false })).toBe(
      '14:03:12.345  changed  10.9.0.1/24 dev veth0 (inet) deprecated valid_lft forever preferred_lft 0  preferredLifetime forever -> 0, dadState preferred -> deprecated',
    );
    expect(formatAddressChangeLine({ kind: 'changed', row: v4 }, { time, color: false })).toMatch(/  \(no earlier row to compare\)$/);
    expect(formatAddressChangeLine({ kind: 'changed', row: v4 }, { time, previous: v4, color: false })).toMatch(/  \(no field changed\)$/);
  });

  it('colours the kind on a terminal', () => {
    expect(formatAddressChangeLine({ kind: 'added', row: v4 }, { time, color: true })).toMatch(/^14:03:12\.345  \u001b\[32madded  \u001b\[39m  10\.9\.0\.1\/24/);
  });
});
