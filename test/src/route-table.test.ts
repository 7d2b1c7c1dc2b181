import { marbles } from 'rxjs-marbles/jest';
import { firstValueFrom, skip, take, toArray } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../src/address-family';
import type { IpInterfaceAdapter } from '../../src/adapter';
import { routeKey } from '../../src/route-key';
import { routeTable$ } from '../../src/route-table';
import { createMockAdapter, mockRouteRow, type MockRouteChange } from '../../adapters/mock';

const gw = mockRouteRow({ interfaceIndex: 3 });
const lan = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const gw6 = mockRouteRow({ interfaceIndex: 3, family: AF_INET6 });

describe('routeTable$', () => {
  it('reads the table once registered, applies changes, shares one registration between subscribers', async () => {
    const adapter = createMockAdapter({ routeTable: [gw] });
    const first = firstValueFrom(routeTable$(AF_UNSPEC, { adapter }).pipe(take(2), toArray()));
    const second = firstValueFrom(routeTable$(AF_UNSPEC, { adapter }).pipe(skip(1), take(1)));
    await new Promise((r) => setTimeout(r, 0));
    expect(adapter.calls.filter((c) => c.fn === 'NotifyRouteChange2')).toHaveLength(1);
    adapter.emitRoute({ kind: 'added', row: gw6 });
    const [t0, t1] = await first;
    expect([...t0!.keys()]).toEqual([routeKey(gw)]);
    expect([...t1!.keys()].sort()).toEqual([routeKey(gw), routeKey(gw6)].sort());
    expect(await second).toBe(t1);
    await Promise.resolve();
    expect(adapter.active).toBe(0);
  });

  it('one row per next hop of a multipath route; a metric change is a removal and an addition', async () => {
    const hop2 = { ...gw, nextHop: '10.0.0.2' };
    const adapter = createMockAdapter({ routeTable: [gw, hop2] });
    const tables: ReadonlyMap<string, unknown>[] = [];
    const sub = routeTable$(AF_INET, { adapter }).subscribe((t) => tables.push(t));
    await new Promise((r) => setTimeout(r, 0));
    expect(tables[0]!.size).toBe(2);
    adapter.emitRoute({ kind: 'removed', row: hop2 });
    adapter.emitRoute({ kind: 'added', row: { ...hop2, metric: 5 } });
    sub.unsubscribe();
    expect([...tables[2]!.keys()].sort()).toEqual([routeKey(gw), routeKey({ ...hop2, metric: 5 })].sort());
  });

  it('never misses a change that races with the table read', async () => {
    const adapter = createMockAdapter({ routeTable: [gw] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: IpInterfaceAdapter = { ...adapter, getIpForwardTable2: async (f) => {
      const rows = await adapter.getIpForwardTable2(f);
      await gate;
      return rows;
    } };
    const table = firstValueFrom(routeTable$(AF_INET, { adapter: slow }));
    await new Promise((r) => setTimeout(r, 0));
    adapter.emitRoute({ kind: 'removed', row: gw }); // the read already saw gw: the replay removes it
    adapter.emitRoute({ kind: 'added', row: lan });
    release();
    expect([...(await table).keys()]).toEqual([routeKey(lan)]);
  });

  it('a table read that resolves garbage errors every subscriber with OS_ERROR', async () => {
    const adapter = createMockAdapter();
    const bad: IpInterfaceAdapter = { ...adapter, getIpForwardTable2: () => Promise.resolve([{ ...gw, destinationPrefix: null }] as never) };
    const error = await new Promise((resolve) => routeTable$(AF_INET, { adapter: bad }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'OS_ERROR' });
    await Promise.resolve();
    expect(adapter.active).toBe(0);
  });

  it('errors INVALID_PARAMETER for a bad family', async () => {
    const error = await new Promise((resolve) => routeTable$('ipx' as never, { adapter: createMockAdapter() }).subscribe({ error: resolve }));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('marbles: the table after each change; unsubscribing cancels the registration and releases the route source (teardown)', marbles((m) => {
    const routeSource = m.hot<MockRouteChange>('--a--r---', { a: { kind: 'added', row: lan }, r: { kind: 'removed', row: gw } });
    const adapter = createMockAdapter({ routeSource, routeTable: [gw] });
    const keys: string[][] = [];
    // The table read is a promise (resolved after the virtual frames), so the marble checks the registration's life.
    const sub = routeTable$(AF_INET, { adapter }).subscribe((t) => keys.push([...t.keys()]));
    m.scheduler.schedule(() => sub.unsubscribe(), 7);
    m.expect(routeSource).toHaveSubscriptions('^------!');
  }));
});
