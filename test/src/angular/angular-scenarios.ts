/**
 * Angular scenarios, run in a child `node` process as ESM against dist/esm by
 * `test/helpers/esm-scenarios.ts` (Angular ships ESM only; jest runs CommonJS). `withZone` runs
 * with zone.js loaded, `zoneless` without it. Each scenario returns plain JSON observations; the
 * expectations live in provide-ip-interface-changes.test.ts.
 */
import { createEnvironmentInjector, Injector, NgZone, provideZonelessChangeDetection, ɵNoopNgZone as NoopNgZone, type EnvironmentInjector, type EnvironmentProviders, type Provider } from '@angular/core';
import { Subject } from 'rxjs';
import { AF_INET, type IpInterfaceAdapter, type IpInterfaceChange } from '../../../src/index';
import { IP_INTERFACE_CHANGES, provideIpInterfaceChanges } from '../../../src/angular/index';
import { createMockAdapter, mockRow, type MockIpInterfaceAdapter } from '../../../adapters/mock/index';

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
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

export const zoneless: Record<string, () => unknown> = {
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
