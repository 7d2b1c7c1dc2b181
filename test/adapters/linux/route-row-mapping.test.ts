import { RTM_NEWROUTE, RTNH_F_DEAD, RTNH_F_LINKDOWN } from '../../../adapters/linux/netlink-constants';
import type { RouteMessage } from '../../../adapters/linux/route-parser';
import { isForwardingRoute, mapRouteRows, routeOriginOf, routeProtocolOf, routeRowKeys, routeRowsEqual } from '../../../adapters/linux/route-row-mapping';
import type { IpForwardRow } from '../../../src/ip-forward-row';

function message(partial: Partial<RouteMessage>): RouteMessage {
  return {
    type: RTM_NEWROUTE, flags: 0, seq: 0, pid: 0, kind: 'route', deleted: false, family: 2, dstLength: 16, srcLength: 0, tos: 0, table: 254,
    protocol: 3, scope: 0, routeType: 1, routeFlags: 0, destination: Uint8Array.from([10, 77, 0, 0]),
    nextHops: [{ ifindex: 3, gateway: Uint8Array.from([10, 9, 0, 2]), flags: 0, hops: 0 }], multipath: false, ...partial,
  };
}
const lookup = (ifindex: number) => ({ interfaceLuid: BigInt(ifindex) << 24n, interfaceName: `eth${ifindex}`, loopback: ifindex === 1 });

describe('route row mapping: every derivation of the table', () => {
  it('lifetimes: rta_expires ticks rounded up to seconds, else RTA_EXPIRES, else forever (immortal)', () => {
    const rows = (partial: Partial<RouteMessage>): IpForwardRow => mapRouteRows(message(partial), lookup)![0]!;
    expect(rows({}).validLifetime).toBe(0xffffffff);
    expect(rows({}).immortal).toBe(true);
    expect(rows({ cacheInfo: { expires: 57969, error: 0, used: 0, lastUse: 0 } })).toMatchObject({ validLifetime: 580, immortal: false });
    expect(rows({ cacheInfo: { expires: 0, error: 0, used: 0, lastUse: 0 }, expires: 30 })).toMatchObject({ validLifetime: 30, immortal: false });
    expect(rows({}).preferredLifetime).toBeUndefined();
  });

  it('prefix, next hop (gateway, RTA_VIA, on-link), metric (absent = 0), loopback from the device, table', () => {
    expect(mapRouteRows(message({ destination: undefined, dstLength: 0, priority: 100, table: 1000 }), lookup)![0]).toMatchObject({
      destinationPrefix: { prefix: '0.0.0.0', prefixLength: 0 }, nextHop: '10.9.0.2', metric: 100, table: 1000, interfaceName: 'eth3', loopback: false,
    });
    const via = mapRouteRows(message({ nextHops: [{ ifindex: 1, via: { family: 10, address: Uint8Array.from([0xfe, 0x80, ...new Array<number>(13).fill(0), 1]) }, flags: 0, hops: 0 }] }), lookup)![0]!;
    expect(via).toMatchObject({ nextHop: 'fe80::1', loopback: true });
    expect(mapRouteRows(message({ family: 10, destination: undefined, dstLength: 0, nextHops: [{ ifindex: 2, flags: 0, hops: 0 }] }), lookup)![0]!.nextHop).toBe('::');
  });

  it('multipath: one row per live hop; RTNH_F_DEAD hops give none (LINKDOWN alone still routes)', () => {
    const hops = [
      { ifindex: 3, gateway: Uint8Array.from([10, 9, 0, 2]), flags: RTNH_F_DEAD | RTNH_F_LINKDOWN, hops: 0 },
      { ifindex: 4, gateway: Uint8Array.from([10, 9, 2, 4]), flags: RTNH_F_LINKDOWN, hops: 1 },
      { ifindex: 5, gateway: Uint8Array.from([10, 9, 3, 4]), flags: 0, hops: 0 },
    ];
    expect(mapRouteRows(message({ nextHops: hops, multipath: true }), lookup)!.map((r) => `${r.nextHop} ${r.interfaceName}`)).toEqual(['10.9.2.4 eth4', '10.9.3.4 eth5']);
  });

  it('not forwarding rows: other route types, RTM_F_CLONED, nexthop objects, other families; unknown devices -> undefined', () => {
    for (const partial of [{ routeType: 2 }, { routeType: 6 }, { routeFlags: 0x200 }, { nexthopId: 1 }, { family: 28 }] as Partial<RouteMessage>[]) {
      expect(isForwardingRoute(message(partial))).toBe(false);
      expect(mapRouteRows(message(partial), lookup)).toEqual([]);
    }
    expect(mapRouteRows(message({}), () => undefined)).toBeUndefined();
    expect(mapRouteRows(message({ nextHops: [{ ifindex: undefined, flags: 0, hops: 0 }] }), lookup)).toBeUndefined();
  });
});

describe('route row mapping', () => {
  it('protocol and origin of every rtm_protocol the kernel and iproute2 name', () => {
    const table = [0, 1, 2, 3, 4, 9, 11, 12, 16, 42, 186, 187, 188, 189, 192].map((p) => [p, routeProtocolOf(p), routeOriginOf(p)]);
    expect(table).toEqual([
      [0, 'other', 'manual'], [1, 'icmp', 'manual'], [2, 'local', 'wellKnown'], [3, 'netmgmt', 'manual'], [4, 'netmgmt', 'manual'],
      [9, 'icmp', 'routerAdvertisement'], [11, 'other', 'manual'], [12, 'other', 'manual'], [16, 'dhcp', 'dhcp'], [42, 'other', 'manual'],
      [186, 'bgp', 'manual'], [187, 'isIs', 'manual'], [188, 'ospf', 'manual'], [189, 'rip', 'manual'], [192, 'eigrp', 'manual'],
    ]);
  });

  it('routeRowKeys names every field and routeRowsEqual sees each', () => {
    const row: IpForwardRow = {
      family: 'inet', destinationPrefix: { prefix: '10.0.0.0', prefixLength: 8 }, nextHop: '10.0.0.1', interfaceLuid: 1n, interfaceIndex: 2,
      interfaceName: 'eth0', sitePrefixLength: 0, validLifetime: 1, preferredLifetime: 1, metric: 0, protocol: 'local', loopback: false,
      autoconfigureAddress: false, publish: false, immortal: true, age: 0, origin: 'manual', table: 254,
    };
    expect([...routeRowKeys()].sort()).toEqual(Object.keys(row).sort());
    expect(routeRowsEqual(row, { ...row, destinationPrefix: { ...row.destinationPrefix } })).toBe(true);
    for (const key of routeRowKeys()) {
      const value = key === 'destinationPrefix' ? { prefix: '10.0.0.0', prefixLength: 9 } : key === 'interfaceLuid' ? 9n : 'x';
      expect({ key, equal: routeRowsEqual(row, { ...row, [key]: value } as IpForwardRow) }).toEqual({ key, equal: false });
    }
  });
});
