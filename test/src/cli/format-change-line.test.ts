import { formatChangeLine } from '../../../src/cli/format-change-line';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';

const time = new Date(2026, 10, 25, 14, 3, 12, 345);
const eth1: IpInterfaceRow = { family: 'inet', interfaceLuid: (6n << 48n) | (3n << 24n), interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500, connected: true };

describe('formatChangeLine', () => {
  it('aligns time, kind, family, name and index in fixed columns', () => {
    const lines = [
      formatChangeLine({ kind: 'added', row: eth1 }, { time, color: false }),
      formatChangeLine({ kind: 'removed', row: { ...eth1, family: 'inet6', interfaceIndex: 12345 } }, { time, color: false }),
    ];
    expect(lines).toEqual([
      '14:03:12.345  added    inet    eth1                 3',
      '14:03:12.345  removed  inet6   eth1             12345',
    ]);
  });

  it('shows the changed fields of a change as old -> new', () => {
    const line = formatChangeLine({ kind: 'changed', row: { ...eth1, nlMtu: 1400, connected: false } }, { time, previous: eth1, color: false });
    expect(line).toBe('14:03:12.345  changed  inet    eth1                 3  nlMtu 1500 -> 1400, connected true -> false');
  });

  it('says so when there is nothing to compare with, or nothing changed', () => {
    expect(formatChangeLine({ kind: 'changed', row: eth1 }, { time, color: false })).toMatch(/ 3 {2}\(no earlier row to compare\)$/);
    expect(formatChangeLine({ kind: 'changed', row: eth1 }, { time, previous: { ...eth1 }, color: false })).toMatch(/ 3 {2}\(no field changed\)$/);
  });

  it('shows a missing name as -, and a long name pushes the index out rather than being cut', () => {
    const { interfaceName: _n, ...nameless } = eth1;
    expect(formatChangeLine({ kind: 'added', row: nameless }, { time, color: false })).toBe('14:03:12.345  added    inet    -                    3');
    expect(formatChangeLine({ kind: 'added', row: { ...eth1, interfaceName: 'a-very-long-interface' } }, { time, color: false })).toBe(
      '14:03:12.345  added    inet    a-very-long-interface     3',
    );
  });

  it('writes the initial marker with its family', () => {
    expect(formatChangeLine({ kind: 'initial', family: 'unspec' }, { time, color: false })).toBe('14:03:12.345  initial  unspec  registration is live');
  });

  it('colours the padded kind only, so the columns stay aligned', () => {
    expect(formatChangeLine({ kind: 'added', row: eth1 }, { time, color: true })).toBe(
      '14:03:12.345  \u001b[32madded  \u001b[39m  inet    eth1                 3',
    );
  });
});
