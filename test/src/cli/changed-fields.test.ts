import { changedFields } from '../../../src/cli/changed-fields';
import { offloadFlagsFromByte, type IpInterfaceRow } from '../../../src/ip-interface-row';

const row: IpInterfaceRow = {
  family: 'inet', interfaceLuid: 1n << 48n, interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500, connected: true,
  zoneIndices: [0, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], transmitOffload: offloadFlagsFromByte(0b11),
};

describe('changedFields', () => {
  it('is empty for equal rows (arrays compared by element, not identity)', () => {
    expect(changedFields(row, { ...row, zoneIndices: [...row.zoneIndices!], transmitOffload: { ...row.transmitOffload! } })).toEqual([]);
  });

  it('lists each changed field with before and after, in row order', () => {
    expect(changedFields(row, { ...row, connected: false, nlMtu: 1400 })).toEqual([
      { field: 'nlMtu', before: 1500, after: 1400 },
      { field: 'connected', before: true, after: false },
    ]);
  });

  it('reports fields that appear or disappear', () => {
    const { connected: _c, ...withoutConnected } = row;
    expect(changedFields(row, { ...withoutConnected, metric: 25 })).toEqual([
      { field: 'metric', before: undefined, after: 25 },
      { field: 'connected', before: true, after: undefined },
    ]);
  });

  it('reports a changed array as a whole and changed offload flags one by one', () => {
    const zones = [...row.zoneIndices!];
    zones[1] = 7;
    expect(changedFields(row, { ...row, zoneIndices: zones, transmitOffload: offloadFlagsFromByte(0b110) })).toEqual([
      { field: 'zoneIndices', before: row.zoneIndices, after: zones },
      { field: 'transmitOffload.nlChecksumSupported', before: true, after: false },
      { field: 'transmitOffload.tlDatagramChecksumSupported', before: false, after: true },
    ]);
  });
});
