/**
 * Angular scenarios, run in a child `node` process as ESM against dist/esm by
 * `test/helpers/esm-scenarios.ts` (Angular ships ESM only; jest runs CommonJS). `withZone` runs
 * with zone.js loaded, `zoneless` without it. Each scenario returns plain JSON observations; the
 * expectations live in provide-ip-interface-changes.test.ts.
 */
import { createEnvironmentInjector, Injector, NgZone, provideZonelessChangeDetection, ɵNoopNgZone as NoopNgZone, type EnvironmentInjector, type EnvironmentProviders, type Provider } from '@angular/core';
import { Subject } from 'rxjs';
import { AF_INET, AF_INET6, type IpInterfaceAdapter, type IpInterfaceChange, type UnicastIpAddressChange } from '../../../src/index';
import { IP_INTERFACE_CHANGES, provideIpInterfaceChanges, provideUnicastIpAddressChanges, UNICAST_IP_ADDRESS_CHANGES } from '../../../src/angular/index';
import { createMockAdapter, mockAddressRow, mockRow, type MockIpInterfaceAdapter } from '../../../adapters/mock/index';

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const v6 = mockAddressRow({ family: AF_INET6, address: '2001:db8::1', interfaceIndex: 3, interfaceName: 'eth1', dadState: 'tentative' });
const v4 = mockAddressRow({ address: '10.9.0.1', interfaceIndex: 3, interfaceName: 'eth1' });
const injectorWith = (...providers: (Provider | EnvironmentProviders)[]): EnvironmentInjector =>
  createEnvironmentInjector(providers, Injector.NULL as EnvironmentInjector);
const inZone = (): boolean => NgZone.isInAngularZone();

/** A mock adapter that also records whether each registration was made inside Angular's zone. */
function recordingAdapter(): { mock: MockIpInterfaceAdapter; adapter: IpInterfaceAdapter; registeredInZone: boolean[] } {
  const mock = createMockAdapter();
  const registeredInZone: boolean[] = [];
  const adapter: IpInterfaceAdapter = {
    name: mock.name,
    notifyIpInterfaceChange: (...args) => {
      registeredInZone.push(inZone());
      return mock.notifyIpInterfaceChange(...args);
    },
    cancelMibChangeNotify2: (handle) => mock.cancelMibChangeNotify2(handle),
    getIpInterfaceTable: (family) => mock.getIpInterfaceTable(family),
    notifyUnicastIpAddressChange: (...args) => {
      registeredInZone.push(inZone());
      return mock.notifyUnicastIpAddressChange(...args);
    },
    getUnicastIpAddressTable: (family) => mock.getUnicastIpAddressTable(family),
  };
  return { mock, adapter, registeredInZone };
}

export const withZone: Record<string, () => unknown> = {
  delivery() {
    const zone = new NgZone({});
    const { mock, adapter, registeredInZone } = recordingAdapter();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ family: AF_INET, initial: true, adapter }));
    const received: { kind: string; inAngularZone: boolean }[] = [];
    let changeDetectionTurns = 0;
    zone.onMicrotaskEmpty.subscribe(() => changeDetectionTurns++);
    zone.run(() => injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push({ kind: c.kind, inAngularZone: inZone() })));
    const turnsBeforeEmit = changeDetectionTurns;
    // Native callbacks arrive outside the zone: do the same.
    zone.runOutsideAngular(() => {
      mock.emit({ kind: 'added', row: eth1 });
      mock.emit({ kind: 'changed', row: { ...eth1, nlMtu: 1400 } });
    });
    const result = { registeredInZone, received, turnsAfterOutsideEmits: changeDetectionTurns - turnsBeforeEmit };
    injector.destroy();
    return result;
  },

  sharing() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ family: AF_INET, initial: true, adapter: mock }));
    const changes$ = injector.get(IP_INTERFACE_CHANGES);
    const first: string[] = [];
    const late: string[] = [];
    const a = changes$.subscribe((c) => first.push(c.kind));
    const b = changes$.subscribe();
    const activeWithTwo = mock.active;
    const c = changes$.subscribe((x) => late.push(x.kind));
    mock.emit({ kind: 'added', row: eth1 });
    const sameInstance = injector.get(IP_INTERFACE_CHANGES) === changes$;
    a.unsubscribe();
    b.unsubscribe();
    const activeWithOne = mock.active;
    c.unsubscribe();
    const result = {
      sameInstance,
      activeWithTwo,
      activeWithOne,
      activeAfterAll: mock.active,
      registrations: mock.calls.filter((x) => x.fn === 'NotifyIpInterfaceChange').length,
      first,
      late,
    };
    injector.destroy();
    return result;
  },

  destroy() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ adapter: mock }));
    const changes$ = injector.get(IP_INTERFACE_CHANGES);
    let completed = false;
    changes$.subscribe({ complete: () => (completed = true) });
    const activeBefore = mock.active;
    injector.destroy();
    const activeAfter = mock.active;
    let resubscribeCompleted = false;
    changes$.subscribe({ complete: () => (resubscribeCompleted = true) });
    return { activeBefore, activeAfter, completed, resubscribeCompleted, activeAfterResubscribe: mock.active, calls: mock.calls.map((x) => x.fn) };
  },

  error() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    mock.failNextRegistration('NOT_SUPPORTED', 50);
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ adapter: mock }));
    return new Promise((resolve) => {
      zone.run(() =>
        injector.get(IP_INTERFACE_CHANGES).subscribe({
          error: (e: { name: string; code: string; osCode: number }) => {
            resolve({ name: e.name, code: e.code, osCode: e.osCode, inAngularZone: inZone(), active: mock.active });
            injector.destroy();
          },
        }),
      );
    });
  },

  source() {
    const zone = new NgZone({});
    const forwarded = new Subject<IpInterfaceChange>();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ source: forwarded }));
    const received: { kind: string; inAngularZone: boolean }[] = [];
    zone.run(() => injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push({ kind: c.kind, inAngularZone: inZone() })));
    zone.runOutsideAngular(() => forwarded.next({ kind: 'removed', row: eth1 }));
    const observedBefore = forwarded.observed;
    injector.destroy();
    return { received, observedBefore, observedAfterDestroy: forwarded.observed };
  },
};

/** The address provider: the same zone handling, sharing and release as the interface one. */
Object.assign(withZone, {
  addressDelivery() {
    const zone = new NgZone({});
    const { mock, adapter, registeredInZone } = recordingAdapter();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideUnicastIpAddressChanges({ family: AF_INET6, initial: true, adapter }));
    const received: { change: string; inAngularZone: boolean }[] = [];
    let changeDetectionTurns = 0;
    zone.onMicrotaskEmpty.subscribe(() => changeDetectionTurns++);
    const describe = (c: UnicastIpAddressChange): string => (c.kind === 'initial' ? `initial ${c.family}` : `${c.kind} ${c.row.address} ${c.row.dadState}`);
    zone.run(() => injector.get(UNICAST_IP_ADDRESS_CHANGES).subscribe((c) => received.push({ change: describe(c), inAngularZone: inZone() })));
    const turnsBeforeEmit = changeDetectionTurns;
    zone.runOutsideAngular(() => {
      mock.emitAddress({ kind: 'added', row: v6 });
      mock.emitAddress({ kind: 'added', row: v4 }); // another family
      mock.emitAddress({ kind: 'changed', row: { ...v6, dadState: 'preferred' } });
    });
    const result = { registeredInZone, received, turnsAfterOutsideEmits: changeDetectionTurns - turnsBeforeEmit, calls: mock.calls.map((x) => x.fn) };
    injector.destroy();
    return result;
  },

  addressSharingAndDestroy() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    const injector = injectorWith(
      { provide: NgZone, useValue: zone },
      provideIpInterfaceChanges({ adapter: mock }),
      provideUnicastIpAddressChanges({ adapter: mock, initial: true }),
    );
    const changes$ = injector.get(UNICAST_IP_ADDRESS_CHANGES);
    const first: string[] = [];
    const late: string[] = [];
    let completed = false;
    changes$.subscribe({ next: (c) => first.push(c.kind), complete: () => (completed = true) });
    changes$.subscribe((c) => late.push(c.kind));
    const activeWithTwo = mock.active;
    mock.emitAddress({ kind: 'removed', row: v4 });
    const sameInstance = injector.get(UNICAST_IP_ADDRESS_CHANGES) === changes$;
    // The interface token is a stream of its own: nothing registered for it until subscribed.
    const interfacesSeparate = injector.get(IP_INTERFACE_CHANGES) !== (changes$ as unknown);
    injector.destroy();
    const activeAfterDestroy = mock.active;
    let resubscribeCompleted = false;
    changes$.subscribe({ complete: () => (resubscribeCompleted = true) });
    return { sameInstance, interfacesSeparate, activeWithTwo, first, late, completed, activeAfterDestroy, resubscribeCompleted, calls: mock.calls.map((x) => x.fn) };
  },

  addressNotSupported() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    const interfacesOnly: IpInterfaceAdapter = {
      name: 'interfaces-only',
      notifyIpInterfaceChange: (...args) => mock.notifyIpInterfaceChange(...args),
      cancelMibChangeNotify2: (handle) => mock.cancelMibChangeNotify2(handle),
      getIpInterfaceTable: (family) => mock.getIpInterfaceTable(family),
    };
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideUnicastIpAddressChanges({ adapter: interfacesOnly }));
    return new Promise((resolve) => {
      zone.run(() =>
        injector.get(UNICAST_IP_ADDRESS_CHANGES).subscribe({
          error: (e: { name: string; code: string }) => {
            resolve({ name: e.name, code: e.code, inAngularZone: inZone(), calls: mock.calls.length });
            injector.destroy();
          },
        }),
      );
    });
  },

  addressSource() {
    const zone = new NgZone({});
    const forwarded = new Subject<UnicastIpAddressChange>();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideUnicastIpAddressChanges({ source: forwarded }));
    const received: { kind: string; inAngularZone: boolean }[] = [];
    zone.run(() => injector.get(UNICAST_IP_ADDRESS_CHANGES).subscribe((c) => received.push({ kind: c.kind, inAngularZone: inZone() })));
    zone.runOutsideAngular(() => forwarded.next({ kind: 'added', row: v4 }));
    const observedBefore = forwarded.observed;
    injector.destroy();
    return { received, observedBefore, observedAfterDestroy: forwarded.observed };
  },
});

export const zoneless: Record<string, () => unknown> = {
  addressZoneless() {
    const mock = createMockAdapter();
    const injector = injectorWith(provideZonelessChangeDetection(), provideUnicastIpAddressChanges({ family: AF_INET, initial: true, adapter: mock }));
    const received: string[] = [];
    injector.get(UNICAST_IP_ADDRESS_CHANGES).subscribe((c) => received.push(c.kind));
    mock.emitAddress({ kind: 'added', row: v4 });
    const activeBefore = mock.active;
    injector.destroy();
    return { received, activeBefore, activeAfterDestroy: mock.active };
  },

  zoneless() {
    const mock = createMockAdapter();
    const injector = injectorWith(provideZonelessChangeDetection(), provideIpInterfaceChanges({ family: AF_INET, initial: true, adapter: mock }));
    const received: string[] = [];
    injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push(c.kind));
    mock.emit({ kind: 'added', row: eth1 });
    const result = {
      zoneJsLoaded: typeof (globalThis as { Zone?: unknown }).Zone !== 'undefined',
      ngZoneIsNoop: injector.get(NgZone) instanceof NoopNgZone,
      received,
      activeBefore: mock.active,
    };
    injector.destroy();
    return { ...result, activeAfterDestroy: mock.active };
  },

  withoutNgZone() {
    const mock = createMockAdapter();
    const injector = injectorWith(provideIpInterfaceChanges({ adapter: mock }));
    const received: string[] = [];
    injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push(c.kind));
    mock.emit({ kind: 'removed', row: eth1 });
    injector.destroy();
    return { received, activeAfterDestroy: mock.active };
  },
};
