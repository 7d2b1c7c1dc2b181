import { ifTypeOfArphrd, mapRow, rowKeys, rowsEqual, synthesizeLuid, type LinkState } from '../../../adapters/linux/row-mapping';
import { offloadFlagsFromByte, type IpInterfaceRow } from '../../../src/ip-interface-row';
import { assertValidRow } from '../../contract/contract-suite';

function conf(values: Record<number, number>): number[] {
  const out = new Array<number>(32).fill(0);
  for (const [i, v] of Object.entries(values)) out[Number(i)] = v;
  return out;
}

const eth: LinkState = {
  ifindex: 3,
  ifiType: 1,
  ifiFlags: 0x1043,
  name: 'eth0',
  mtu: 9000,
  operstate: 6,
  inetConf: [1],
  inet6: {
    flags: 0x40,
    conf: conf({ 0: 0, 2: 1500, 3: 1, 6: 2, 17: 0, 27: 1 }),
    cacheInfo: { maxReasmLen: 65535, reachableTime: 29000, retransTime: 1000 },
    token: 0n,
    addrGenMode: 0,
  },
};

describe('row mapping', () => {
  it('synthesizes the LUID as Windows lays it out, with ifType from ARPHRD', () => {
    expect(synthesizeLuid(1, 3)).toBe((6n << 48n) | (3n << 24n));
    expect(synthesizeLuid(772, 1)).toBe((24n << 48n) | (1n << 24n));
    expect(ifTypeOfArphrd(65534)).toBe(53);
    expect(ifTypeOfArphrd(12345)).toBe(1);
    expect(synthesizeLuid(1, 0x1234567)).toBe((6n << 48n) | (0x234567n << 24n));
  });

  it('maps an IPv4 interface', () => {
    const row = mapRow('inet', eth, { forwarding: 1, neigh: { baseReachableTime: 30000, reachableTime: 21000, retransTime: 1000 } });
    assertValidRow(row, 'inet');
    expect(row).toMatchObject({
      family: 'inet', interfaceIndex: 3, interfaceName: 'eth0', nlMtu: 9000, connected: true, forwardingEnabled: true,
      baseReachableTime: 30000, reachableTime: 21000, retransmitTime: 1000, weakHostSend: true, weakHostReceive: true,
      useNeighborUnreachabilityDetection: true, supportsNeighborDiscovery: true,
    });
    expect(row.zoneIndices?.slice(0, 5)).toEqual([0, 3, 3, 3, 1]);
    expect(row.metric).toBeUndefined();
    expect(row.maxReassemblySize).toBeUndefined();
  });

  it('maps an IPv6 interface: mtu6, RA flags, DAD, default routes, link-local behaviour, identifier', () => {
    const row = mapRow('inet6', eth, { forwarding: 0, linkLocalIdentifier: 0x021122fffe334455n, neigh: { baseReachableTime: 30000 } });
    assertValidRow(row, 'inet6');
    expect(row).toMatchObject({
      family: 'inet6', nlMtu: 1500, forwardingEnabled: false, maxReassemblySize: 65535, reachableTime: 29000, retransmitTime: 1000,
      baseReachableTime: 30000, managedAddressConfigurationSupported: true, otherStatefulConfigurationSupported: false,
      routerDiscoveryBehavior: 'enabled', dadTransmits: 2, disableDefaultRoutes: true, linkLocalAddressBehavior: 'alwaysOn',
      interfaceIdentifier: 0x021122fffe334455n,
    });
  });

  it('token beats the link-local address; accept_dad 0 means no DAD; addr_gen_mode none is alwaysOff', () => {
    const link: LinkState = { ...eth, inet6: { ...eth.inet6, token: 0x1234n, addrGenMode: 1, conf: conf({ 2: 1500, 6: 3, 27: 0 }) } };
    const row = mapRow('inet6', link, { linkLocalIdentifier: 99n });
    expect(row).toMatchObject({ interfaceIdentifier: 0x1234n, dadTransmits: 0, linkLocalAddressBehavior: 'alwaysOff', routerDiscoveryBehavior: 'disabled' });
  });

  it('connected: UP operstate, or UNKNOWN with IFF_UP|IFF_RUNNING (lo); NOARP devices do no neighbour discovery', () => {
    expect(mapRow('inet', { ...eth, operstate: 0, ifiFlags: 0x49 }).connected).toBe(true);
    expect(mapRow('inet', { ...eth, operstate: 0, ifiFlags: 0x1 }).connected).toBe(false);
    expect(mapRow('inet', { ...eth, operstate: 2 }).connected).toBe(false);
    const noArp = mapRow('inet', { ...eth, ifiFlags: 0x80 });
    expect(noArp.supportsNeighborDiscovery).toBe(false);
    expect(noArp.useNeighborUnreachabilityDetection).toBe(false);
  });

  it('rowsEqual compares every field, arrays by value', () => {
    const a = mapRow('inet6', eth);
    expect(rowsEqual(a, mapRow('inet6', eth))).toBe(true);
    expect(rowsEqual(a, { ...a, zoneIndices: [...(a.zoneIndices ?? [])] })).toBe(true);
    expect(rowsEqual(a, { ...a, nlMtu: 1400 })).toBe(false);
    expect(rowsEqual(a, { ...a, zoneIndices: [9] })).toBe(false);
    expect(rowsEqual(mapRow('inet', eth), a)).toBe(false);
  });

  it('rowsEqual sees a difference in every field of the row type, and treats absent as undefined', () => {
    const a: IpInterfaceRow = { ...mapRow('inet6', eth), transmitOffload: offloadFlagsFromByte(3), receiveOffload: offloadFlagsFromByte(3) };
    const other = (key: keyof IpInterfaceRow): unknown => {
      const v = a[key];
      if (key === 'zoneIndices') return [...(a.zoneIndices ?? []), 7];
      if (key === 'transmitOffload' || key === 'receiveOffload') return offloadFlagsFromByte(4);
      if (typeof v === 'bigint') return v + 1n;
      if (typeof v === 'number') return v + 1;
      if (typeof v === 'boolean') return !v;
      return v === undefined ? 42 : `${String(v)}x`;
    };
    expect(rowKeys().length).toBeGreaterThan(30);
    for (const key of rowKeys()) {
      expect([key, rowsEqual(a, { ...a, [key]: other(key) } as IpInterfaceRow)]).toEqual([key, false]);
      expect([key, rowsEqual({ ...a, [key]: other(key) } as IpInterfaceRow, a)]).toEqual([key, false]);
    }
    expect(rowsEqual(a, { ...a, transmitOffload: offloadFlagsFromByte(3) })).toBe(true);
    expect('metric' in a).toBe(false);
    expect(rowsEqual(a, { ...a, metric: undefined })).toBe(true);
  });
});
