import { RouteTable } from '../../../adapters/linux/route-table';
import type { IpForwardRow } from '../../../src/ip-forward-row';

const row = (nextHop: string, extra: Partial<IpForwardRow> = {}): IpForwardRow => ({
  family: 'inet', destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop, interfaceLuid: 1n, interfaceIndex: 1, metric: 0, table: 254, ...extra,
});
const v6 = (nextHop: string): IpForwardRow => row(nextHop, { family: 'inet6', destinationPrefix: { prefix: '2001:db8:77::', prefixLength: 48 }, metric: 1024 });
const summary = (t: RouteTable): string[] => t.rows().map((r) => `${r.destinationPrefix.prefix} ${r.nextHop} ${r.metric}`).sort();
const types = (r: { changes: { type: string; row: IpForwardRow }[] }): string[] => r.changes.map((c) => `${c.type} ${c.row.nextHop}`);

describe('RouteTable (pure)', () => {
  it('IPv4: add beside, replace of the one route, delete by hop, same row again is no change, a changed field is a parameter change', () => {
    const t = new RouteTable();
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.2')] }))).toEqual(['add 10.9.0.2']);
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.2')] }))).toEqual([]);
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.2', { validLifetime: 5 })] }))).toEqual(['parameter 10.9.0.2']);
    expect(types(t.apply({ deleted: false, replace: true, family: 'inet', rows: [row('10.9.0.4')] }))).toEqual(['delete 10.9.0.2', 'add 10.9.0.4']);
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.5', { metric: 5 })] }))).toEqual(['add 10.9.0.5']);
    expect(types(t.apply({ deleted: true, replace: false, family: 'inet', rows: [row('10.9.0.4')] }))).toEqual(['delete 10.9.0.4']);
    expect(types(t.apply({ deleted: true, replace: false, family: 'inet', rows: [row('10.9.0.4')] }))).toEqual([]);
    expect(summary(t)).toEqual(['10.77.0.0 10.9.0.5 5']);
  });

  it('IPv4 replace among two appended same-metric routes: resync, nothing changed', () => {
    const t = new RouteTable();
    t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.2')] });
    t.apply({ deleted: false, replace: false, family: 'inet', rows: [row('10.9.0.3')] });
    expect(t.apply({ deleted: false, replace: true, family: 'inet', rows: [row('10.9.0.4')] })).toEqual({ changes: [], resync: true });
    expect(summary(t)).toEqual(['10.77.0.0 10.9.0.2 0', '10.77.0.0 10.9.0.3 0']);
  });

  it('IPv6: every NEWROUTE is the whole hop set; all hops dead (no rows, identity given) removes the route', () => {
    const t = new RouteTable();
    t.apply({ deleted: false, replace: false, family: 'inet6', rows: [v6('2001:db8::2')] });
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet6', rows: [v6('2001:db8:2::4'), v6('2001:db8::2')] }))).toEqual(['add 2001:db8:2::4']);
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet6', rows: [v6('2001:db8::3')] }))).toEqual(['delete 2001:db8:2::4', 'delete 2001:db8::2', 'add 2001:db8::3']);
    const identity = { family: 'inet6' as const, table: 254, destinationPrefix: { prefix: '2001:db8:77::', prefixLength: 48 }, metric: 1024 };
    expect(types(t.apply({ deleted: false, replace: false, family: 'inet6', rows: [], route: identity }))).toEqual(['delete 2001:db8::3']);
    expect(t.size).toBe(0);
  });

  it('reconcile: only inside its scope, deletes what the dump lacks, adds what is new, keeps the rest silent', () => {
    const t = new RouteTable();
    t.load([[row('10.9.0.2')], [row('10.9.9.9', { interfaceIndex: 2, destinationPrefix: { prefix: '10.99.0.0', prefixLength: 16 } })]]);
    const changes = t.reconcile([[row('10.9.0.6', { destinationPrefix: { prefix: '10.66.0.0', prefixLength: 16 } })]], { interfaceIndex: 1 });
    expect(changes.map((c) => `${c.type} ${c.row.nextHop}`)).toEqual(['delete 10.9.0.2', 'add 10.9.0.6']);
    expect(summary(t)).toEqual(['10.66.0.0 10.9.0.6 0', '10.99.0.0 10.9.9.9 0']);
    expect(t.reconcile([[row('10.9.0.6', { destinationPrefix: { prefix: '10.66.0.0', prefixLength: 16 } })]], { interfaceIndex: 1 })).toEqual([]);
  });
});
