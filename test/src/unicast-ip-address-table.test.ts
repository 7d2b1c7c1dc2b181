import { firstValueFrom, skip, take, toArray } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../src/address-family';
import type { IpInterfaceAdapter } from '../../src/adapter';
import { unicastAddressKey } from '../../src/unicast-address-key';
import { unicastIpAddressTable$ } from '../../src/unicast-ip-address-table';
import { createMockAdapter, mockAddressRow } from '../../adapters/mock';

const a1 = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.1' });
const a6 = mockAddressRow({ interfaceIndex: 3, family: AF_INET6, address: '2001:db8::1' });

describe('unicastIpAddressTable$', () => {
  it('reads the table once registered, applies changes, shares one registration between subscribers', async () => {
    const adapter = createMockAdapter({ addressTable: [a1] });
    const first = firstValueFrom(unicastIpAddressTable$(AF_UNSPEC, { adapter }).pipe(take(2), toArray()));
    const second = firstValueFrom(unicastIpAddressTable$(AF_UNSPEC, { adapter }).pipe(skip(1), take(1)));
    await new Promise((r) => setTimeout(r, 0));
    expect(adapter.calls.filter((c) => c.fn === 'NotifyUnicastIpAddressChange')).toHaveLength(1);
    adapter.emitAddress({ kind: 'added', row: a6 });
    const [t0, t1] = await first;
    expect([...t0!.keys()]).toEqual([unicastAddressKey(a1)]);
    expect([...t1!.keys()].sort()).toEqual([unicastAddressKey(a1), unicastAddressKey(a6)].sort());
    expect(await second).toBe(t1);
    await Promise.resolve();
    expect(adapter.active).toBe(0);
  });

  it('drops lifetime-only updates: the table does not emit for them', async () => {
    const adapter = createMockAdapter({ addressTable: [a1] });
    const tables: ReadonlyMap<string, unknown>[] = [];
    const sub = unicastIpAddressTable$(AF_INET, { adapter }).subscribe((t) => tables.push(t));
    await new Promise((r) => setTimeout(r, 0));
    adapter.emitAddress({ kind: 'changed', row: { ...a1, validLifetime: 10, preferredLifetime: 5 } });
    adapter.emitAddress({ kind: 'changed', row: { ...a1, validLifetime: 10, preferredLifetime: 0, dadState: 'deprecated' } });
    sub.unsubscribe();
    expect(tables).toHaveLength(2);
    expect(tables[1]!.get(unicastAddressKey(a1))).toMatchObject({ dadState: 'deprecated' });
  });

  it('never misses a change that races with the table read', async () => {
    const adapter = createMockAdapter({ addressTable: [a1] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: IpInterfaceAdapter = { ...adapter, getUnicastIpAddressTable: async (f) => {
      const rows = await adapter.getUnicastIpAddressTable(f);
      await gate;
      return rows;
    } };
    const table = firstValueFrom(unicastIpAddressTable$(AF_INET, { adapter: slow }));
    await new Promise((r) => setTimeout(r, 0));
    adapter.emitAddress({ kind: 'removed', row: a1 }); // read already saw a1: the replay removes it
    adapter.emitAddress({ kind: 'added', row: { ...a1, address: '10.9.0.2' } });
    release();
    expect([...(await table).values()].map((r) => r.address)).toEqual(['10.9.0.2']);
  });
});
