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
});
