import { marbles } from 'rxjs-marbles/jest';
import { filter, firstValueFrom, map, type Observable } from 'rxjs';
import { AF_INET, debounceInterfaceChanges, hasRow, ipInterfaceChanges$, type IpInterfaceAdapter } from '../../src/index';
import { createMockAdapter, mockRow, type MockChange } from '../../adapters/mock/index';

// ---- Your code (in your app it lives in its own module) ------------------------------------------

/** An interface whose MTU settled below what the VPN tunnel needs. */
export interface MtuAlert {
  readonly interfaceName: string;
  readonly mtu: number;
}

/**
 * Alerts when an IPv4 interface's MTU settles below `minMtu`: at most once per burst of changes
 * (100 ms of calm), never for an interface that is gone. Taking the adapter as an option is what
 * makes it testable: production code passes nothing and gets the OS.
 */
export function mtuAlerts$(minMtu: number, options: { adapter?: IpInterfaceAdapter } = {}): Observable<MtuAlert> {
  return ipInterfaceChanges$(AF_INET, false, { adapter: options.adapter }).pipe(
    debounceInterfaceChanges(100),
    filter(hasRow),
    filter((change) => change.kind !== 'removed'),
    map((change) => ({ interfaceName: change.row.interfaceName ?? `#${change.row.interfaceIndex}`, mtu: change.row.nlMtu })),
    filter((alert): alert is MtuAlert => alert.mtu !== undefined && alert.mtu < minMtu),
  );
}

// ---- Its tests ------------------------------------------------------------------------------------

describe('mtuAlerts$', () => {
  const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', nlMtu: 1500 });
  const eth2 = mockRow({ interfaceIndex: 4, interfaceName: 'eth2', nlMtu: 1280 });
  const mtu = (nlMtu: number): MockChange => ({ kind: 'changed', row: { ...eth1, nlMtu } });

  it('alerts once per burst, with the MTU the interface settled on', marbles((m) => {
    // A flapping link: three MTU changes within 5 ms, calm, then back to 1500.
    const adapter = createMockAdapter({
      source: m.hot('-a-b-c 200ms d', { a: mtu(1400), b: mtu(1300), c: mtu(1420), d: mtu(1500) }),
    });
    // 100 ms after the last change of the burst (frame 5): one alert. 1500 is fine: no alert.
    m.expect(mtuAlerts$(1500, { adapter })).toBeObservable('105ms x', {
      x: { interfaceName: 'eth1', mtu: 1420 },
    });
  }));

  it('says nothing about an interface that came and went within a burst', marbles((m) => {
    const source = m.hot<MockChange>('-a-r', { a: { kind: 'added', row: eth2 }, r: { kind: 'removed', row: eth2 } });
    const adapter = createMockAdapter({ source });
    m.expect(mtuAlerts$(1500, { adapter }), '^ 300ms !').toBeObservable('-');
    // The mock listens to its source only while a registration is live: registered, then released.
    m.expect(source).toHaveSubscriptions('^ 300ms !');
  }));

  it('cancels its OS registration when unsubscribed', () => {
    const adapter = createMockAdapter();
    const subscription = mtuAlerts$(1500, { adapter }).subscribe();
    expect(adapter.active).toBe(1);
    subscription.unsubscribe();
    expect(adapter.active).toBe(0);
    expect(adapter.calls.map((call) => call.fn)).toEqual(['NotifyIpInterfaceChange', 'CancelMibChangeNotify2']);
  });

  it('passes a failed registration on as an IpInterfaceError', async () => {
    const adapter = createMockAdapter();
    adapter.failNextRegistration('NOT_SUPPORTED', 50);
    await expect(firstValueFrom(mtuAlerts$(1500, { adapter }))).rejects.toMatchObject({
      name: 'IpInterfaceError',
      code: 'NOT_SUPPORTED',
    });
  });
});
