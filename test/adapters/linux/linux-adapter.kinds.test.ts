import type { Subscription } from 'rxjs';
import { routeChanges$ } from '../../../src/route-changes';
import { unicastIpAddressChanges$ } from '../../../src/unicast-ip-address-changes';
import type { UnicastIpAddressChange } from '../../../src/unicast-ip-address-change';
import { isIpInterfaceError } from '../../../src/ip-interface-error';
import { linuxAdapter } from '../../../adapters/linux';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { sleep, waitFor } from '../../helpers/wait-for';

/**
 * Address and route registrations share one reader with interface registrations: what one kind
 * does must not break another. Two merges met here: both the address table and the IPv4 route
 * table join RTNLGRP_IPV4_IFADDR, and rule 10 must end every kind when the namespace goes.
 */
describeWithNetns('linux adapter: address and route registrations side by side (real kernel, test namespaces)', () => {
  const made: TestNetns[] = [];
  beforeAll(() => TestNetns.cleanupStale('lxkinds'));
  afterAll(() => {
    for (const ns of made) ns.delete();
  });
  const create = (): TestNetns => {
    const ns = TestNetns.create('lxkinds');
    made.push(ns);
    ns.addVeth('k0');
    ns.ip('link', 'set', 'k0', 'up');
    ns.ip('link', 'set', 'k0p', 'up');
    ns.ip('addr', 'add', '10.66.0.1/24', 'dev', 'k0');
    return ns;
  };

  it('cancelling the only route registration keeps the IPv4 address group of a live address registration', async () => {
    const ns = create();
    const adapter = linuxAdapter({ netns: ns.path });
    const seen: UnicastIpAddressChange[] = [];
    const addresses = unicastIpAddressChanges$('inet', true, { adapter }).subscribe((c) => seen.push(c));
    const routes = routeChanges$('inet', true, { adapter }).subscribe();
    await waitFor(() => seen.length > 0 && adapter.liveRegistrations === 2, 'both registrations live');
    routes.unsubscribe();
    await waitFor(() => adapter.liveRegistrations === 1, 'the route registration cancelled');
    await sleep(50);
    ns.ip('addr', 'add', '10.67.0.1/24', 'dev', 'k0');
    await waitFor(() => seen.some((c) => c.kind === 'added' && c.row.address === '10.67.0.1'), 'the IPv4 address added after the route cancel');
    addresses.unsubscribe();
  });

  it('deleting the namespace ends live address and route subscriptions with OS_ERROR ENOENT within 1 s', async () => {
    const ns = create();
    const adapter = linuxAdapter({ netns: ns.path });
    const errors: { kind: string; error: unknown; ms: number }[] = [];
    const subs: Subscription[] = [];
    let deletedAt = 0;
    const watch = (kind: string) => ({ error: (error: unknown) => errors.push({ kind, error, ms: performance.now() - deletedAt }) });
    subs.push(unicastIpAddressChanges$('unspec', true, { adapter }).subscribe(watch('addresses')));
    subs.push(routeChanges$('unspec', true, { adapter }).subscribe(watch('routes')));
    await waitFor(() => adapter.liveRegistrations === 2, 'both registrations live');
    deletedAt = performance.now();
    ns.delete();
    made.splice(made.indexOf(ns), 1);
    await waitFor(() => errors.length === 2, 'both subscriptions ended', 2000);
    for (const e of errors) {
      expect(isIpInterfaceError(e.error, 'OS_ERROR')).toBe(true);
      expect((e.error as { osCode?: number }).osCode).toBe(2);
      expect(e.ms).toBeLessThan(1000);
    }
    expect(errors.map((e) => e.kind).sort()).toEqual(['addresses', 'routes']);
    expect(adapter.liveRegistrations).toBe(0);
    expect(adapter.stats().open).toBe(false);
    for (const s of subs) expect(s.closed).toBe(true);
  });
});
