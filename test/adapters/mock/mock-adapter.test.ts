import { Subject } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../../src/address-family';
import type { MibNotificationType } from '../../../src/adapter';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { createMockAdapter, mockAddressRow, mockLuid, mockRow, type MockChange } from '../../../adapters/mock';

const record = () => {
  const calls: Array<[number | undefined, MibNotificationType]> = [];
  return { calls, callback: (row: IpInterfaceRow | null, type: MibNotificationType) => calls.push([row?.interfaceIndex, type]) };
};

describe('createMockAdapter', () => {
  it('registers synchronously: the initial callback and a settled handle before the promise resolves', () => {
    const mock = createMockAdapter();
    const r = record();
    const registration = mock.notifyIpInterfaceChange(AF_INET, r.callback, true) as Promise<unknown> & { settledHandle?: unknown };
    expect(r.calls).toEqual([[undefined, 'initial']]);
    expect(registration.settledHandle).toEqual({ adapter: 'mock', id: 1 });
    expect(mock.active).toBe(1);
  });

  it('emit maps kinds to notification types, filters by family, and maintains the table', async () => {
    const mock = createMockAdapter();
    const v4 = record();
    const v6 = record();
    const all = record();
    await mock.notifyIpInterfaceChange(AF_INET, v4.callback, false);
    await mock.notifyIpInterfaceChange(AF_INET6, v6.callback, false);
    await mock.notifyIpInterfaceChange(AF_UNSPEC, all.callback, false);
    mock.emit({ kind: 'added', row: mockRow({ interfaceIndex: 4 }) });
    mock.emit({ kind: 'changed', row: mockRow({ interfaceIndex: 4, family: AF_INET6 }) });
    mock.emit({ kind: 'removed', row: mockRow({ interfaceIndex: 4 }) });
    expect(v4.calls).toEqual([[4, 'add'], [4, 'delete']]);
    expect(v6.calls).toEqual([[4, 'parameter']]);
    expect(all.calls).toEqual([[4, 'add'], [4, 'parameter'], [4, 'delete']]);
    expect((await mock.getIpInterfaceTable(AF_UNSPEC)).map((r) => [r.family, r.interfaceIndex])).toEqual([['inet6', 4]]);
  });

  it('serializes: an emit from inside a callback is delivered after the current one finishes', async () => {
    const mock = createMockAdapter();
    const order: string[] = [];
    let depth = 0;
    await mock.notifyIpInterfaceChange(AF_INET, (row) => {
      depth++;
      order.push(`start ${row?.interfaceIndex} depth ${depth}`);
      if (row?.interfaceIndex === 1) mock.emit({ kind: 'added', row: mockRow({ interfaceIndex: 2 }) });
      order.push(`end ${row?.interfaceIndex}`);
      depth--;
    }, false);
    mock.emit({ kind: 'added', row: mockRow({ interfaceIndex: 1 }) });
    expect(order).toEqual(['start 1 depth 1', 'end 1', 'start 2 depth 1', 'end 2']);
  });

  it('a registration cancelled by an earlier callback of the same change receives nothing more', async () => {
    const mock = createMockAdapter();
    const second = record();
    let handle2: Awaited<ReturnType<typeof mock.notifyIpInterfaceChange>> | undefined;
    await mock.notifyIpInterfaceChange(AF_INET, () => void mock.cancelMibChangeNotify2(handle2!), false);
    handle2 = await mock.notifyIpInterfaceChange(AF_INET, second.callback, false);
    mock.emit({ kind: 'added', row: mockRow() });
    expect(second.calls).toEqual([]);
  });

  it('subscribes to its source only while a registration is live', async () => {
    const source = new Subject<MockChange>();
    const mock = createMockAdapter({ source });
    expect(source.observed).toBe(false);
    const r = record();
    const handle = await mock.notifyIpInterfaceChange(AF_INET, r.callback, false);
    expect(source.observed).toBe(true);
    source.next({ kind: 'added', row: mockRow({ interfaceIndex: 9 }) });
    await mock.cancelMibChangeNotify2(handle);
    expect(source.observed).toBe(false);
    expect(r.calls).toEqual([[9, 'add']]);
  });

  it('logs calls, fails the next registration once, and setTable replaces the table without delivering', async () => {
    const mock = createMockAdapter({ table: [mockRow({ interfaceIndex: 1 })] });
    mock.failNextRegistration('NOT_ENOUGH_MEMORY', 8);
    const r = record();
    await expect(mock.notifyIpInterfaceChange(AF_INET, r.callback, true)).rejects.toMatchObject({ code: 'NOT_ENOUGH_MEMORY', osCode: 8 });
    expect(mock.calls).toEqual([]);
    const h = await mock.notifyIpInterfaceChange(AF_INET, r.callback, false);
    mock.setTable([mockRow({ interfaceIndex: 2 }), mockRow({ interfaceIndex: 3 })]);
    expect(r.calls).toEqual([]);
    expect((await mock.getIpInterfaceTable(AF_INET)).map((row) => row.interfaceIndex)).toEqual([2, 3]);
    await mock.cancelMibChangeNotify2(h);
    expect(mock.calls).toEqual([
      { fn: 'NotifyIpInterfaceChange', family: AF_INET, initial: false, handle: h },
      { fn: 'CancelMibChangeNotify2', handle: h },
    ]);
  });

  it('mockRow gives a complete row whose LUID follows the index unless given', () => {
    const row = mockRow({ interfaceIndex: 12, interfaceLuid: 99n });
    expect(row.interfaceLuid).toBe(99n);
    expect(mockRow({ interfaceIndex: 12 }).interfaceLuid).not.toBe(mockRow({ interfaceIndex: 13 }).interfaceLuid);
    expect(mockRow().zoneIndices).toHaveLength(16);
  });
});

describe('createMockAdapter: addresses', () => {
  const x = mockAddressRow({ interfaceIndex: 3, address: '10.9.0.1' });
  const x6 = mockAddressRow({ interfaceIndex: 3, family: AF_INET6, address: '2001:db8::1' });

  it('mockAddressRow has complete defaults, overridden by the partial', () => {
    expect(mockAddressRow()).toEqual({
      family: AF_INET, address: '10.0.0.2', interfaceLuid: mockLuid(2), interfaceIndex: 2, interfaceName: 'eth2', prefixOrigin: 'manual',
      suffixOrigin: 'manual', validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, onLinkPrefixLength: 24, skipAsSource: false,
      dadState: 'preferred', scopeId: 0, creationTimeStamp: undefined,
    });
    expect(mockAddressRow({ family: AF_INET6, interfaceIndex: 5 })).toMatchObject({ address: 'fe80::5', onLinkPrefixLength: 64, scopeId: 5 });
  });

  it('emitAddress delivers to matching address registrations only, updates the address table; lifetime-only changes are marked', async () => {
    const adapter = createMockAdapter({ addressTable: [x] });
    const v4: unknown[][] = [];
    const ifaces: unknown[][] = [];
    const h = await adapter.notifyUnicastIpAddressChange(AF_INET, (row, type, detail) => v4.push([type, row?.address, detail]), false);
    const hi = await adapter.notifyIpInterfaceChange(AF_UNSPEC, (row, type) => ifaces.push([type, row?.interfaceIndex]), false);
    adapter.emitAddress({ kind: 'added', row: x6 });
    adapter.emitAddress({ kind: 'changed', row: { ...x, validLifetime: 100, preferredLifetime: 50 } });
    adapter.emitAddress({ kind: 'changed', row: { ...x, dadState: 'deprecated', preferredLifetime: 0 } });
    adapter.emitAddress({ kind: 'removed', row: x });
    expect(v4).toEqual([
      ['parameter', '10.9.0.1', { lifetimeOnly: true }],
      ['parameter', '10.9.0.1', undefined],
      ['delete', '10.9.0.1', undefined],
    ]);
    expect(ifaces).toEqual([]);
    expect(await adapter.getUnicastIpAddressTable(AF_UNSPEC)).toEqual([x6]);
    adapter.setAddressTable([x]);
    expect(await adapter.getUnicastIpAddressTable(AF_INET6)).toEqual([]);
    expect(adapter.calls.map((c) => c.fn)).toEqual(['NotifyUnicastIpAddressChange', 'NotifyIpInterfaceChange']);
    await adapter.cancelMibChangeNotify2(h);
    await adapter.cancelMibChangeNotify2(hi);
    expect(adapter.active).toBe(0);
  });

  it('subscribes the address source only while an address registration is live', async () => {
    let subscribed = 0;
    let unsubscribed = 0;
    const addressSource = { subscribe: () => (subscribed++, { unsubscribe: () => void unsubscribed++ }) };
    const adapter = createMockAdapter({ addressSource });
    const hi = await adapter.notifyIpInterfaceChange(AF_INET, () => undefined, false);
    expect(subscribed).toBe(0);
    const h = await adapter.notifyUnicastIpAddressChange(AF_INET, () => undefined, false);
    expect(subscribed).toBe(1);
    await adapter.cancelMibChangeNotify2(h);
    expect(unsubscribed).toBe(1);
    await adapter.cancelMibChangeNotify2(hi);
  });
});
