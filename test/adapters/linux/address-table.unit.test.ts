import { AddressTable } from '../../../adapters/linux/address-table';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';

const row = (address: string, extra: Partial<UnicastIpAddressRow> = {}): UnicastIpAddressRow => ({
  family: 'inet6', address, interfaceLuid: 1n, interfaceIndex: 1, onLinkPrefixLength: 64, validLifetime: 3600, preferredLifetime: 1800, dadState: 'preferred', ...extra,
});

describe('AddressTable (pure)', () => {
  it('add, same row again (nothing), lifetime-only (counted, silent), real change, delete, delete of unknown', () => {
    const t = new AddressTable();
    expect(t.apply(row('2001:db8::1'), false)?.type).toBe('add');
    expect(t.apply(row('2001:db8::1'), false)).toBeUndefined();
    expect(t.apply(row('2001:db8::1', { validLifetime: 3500 }), false)).toBeUndefined();
    expect(t.lifetimeOnlyUpdates).toBe(1);
    expect(t.apply(row('2001:db8::1', { validLifetime: 3500, dadState: 'deprecated', preferredLifetime: 0 }), false)?.type).toBe('parameter');
    expect(t.apply(row('2001:db8::1'), true)).toEqual({ type: 'delete', row: row('2001:db8::1', { validLifetime: 3500, dadState: 'deprecated', preferredLifetime: 0 }) });
    expect(t.apply(row('2001:db8::1'), true)).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('lifetimeUpdates: the refresh is a parameter change', () => {
    const t = new AddressTable({ lifetimeUpdates: true });
    t.apply(row('2001:db8::1'), false);
    expect(t.apply(row('2001:db8::1', { validLifetime: 3500 }), false)?.type).toBe('parameter');
    expect(t.lifetimeOnlyUpdates).toBe(1);
  });

  it('the same address on two interfaces is two rows; reconcile stays inside its scope', () => {
    const t = new AddressTable();
    t.load([row('fe80::1'), row('fe80::1', { interfaceLuid: 2n, interfaceIndex: 2 }), row('10.0.0.1', { family: 'inet', interfaceIndex: 1 })]);
    expect(t.size).toBe(3);
    const changes = t.reconcile([row('fe80::2')], { family: 'inet6', interfaceIndex: 1 });
    expect(changes.map((c) => `${c.type} ${c.row.interfaceIndex} ${c.row.address}`)).toEqual(['add 1 fe80::2', 'delete 1 fe80::1']);
    expect(t.rows().map((r) => `${r.interfaceIndex} ${r.address}`).sort()).toEqual(['1 10.0.0.1', '1 fe80::2', '2 fe80::1']);
    expect(t.rows('inet')).toHaveLength(1);
  });

  it('removeDevice deletes only that device\'s rows; a device-scoped reconcile touches only that device', () => {
    const t = new AddressTable();
    const other = { interfaceLuid: 2n, interfaceIndex: 2 };
    t.load([row('fe80::1'), row('2001:db8::1'), row('fe80::1', other), row('10.0.0.2', { family: 'inet', ...other })]);
    expect(t.deviceRows(1).map((r) => r.address).sort()).toEqual(['2001:db8::1', 'fe80::1']);
    expect(t.removeDevice(1).map((c) => `${c.type} ${c.row.address}`).sort()).toEqual(['delete 2001:db8::1', 'delete fe80::1']);
    expect(t.removeDevice(1)).toEqual([]);
    expect(t.deviceRows(1)).toEqual([]);
    expect(t.reconcile([], { family: 'inet6', interfaceIndex: 2 }).map((c) => `${c.type} ${c.row.address}`)).toEqual(['delete fe80::1']);
    expect(t.rows().map((r) => r.address)).toEqual(['10.0.0.2']);
  });

  it('lifetimeUpdates: a lifetime-only change is marked lifetimeOnly, a real change is not', () => {
    const t = new AddressTable({ lifetimeUpdates: true });
    t.apply(row('2001:db8::1'), false);
    expect(t.apply(row('2001:db8::1', { validLifetime: 3000 }), false)).toMatchObject({ type: 'parameter', lifetimeOnly: true });
    expect(t.apply(row('2001:db8::1', { validLifetime: 3000, dadState: 'deprecated' }), false)?.lifetimeOnly).toBeUndefined();
  });
});
