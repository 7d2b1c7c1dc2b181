// Runs provideIpInterfaceChanges inside real Angular injectors, as ESM (Angular ships ESM only and
// jest runs CommonJS), against the built dist/esm. Prints one JSON object of observations; the
// jest test next to this file holds the expectations.
// usage: node angular-harness.mjs <zone|zoneless> <dist/esm directory>
const [mode, distEsm] = process.argv.slice(2);
if (mode === 'zone') await import('zone.js');
const ng = await import('@angular/core');
const { createEnvironmentInjector, Injector, NgZone, provideZonelessChangeDetection, ɵNoopNgZone: NoopNgZone } = ng;
const { Subject } = await import('rxjs');
const { provideIpInterfaceChanges, IP_INTERFACE_CHANGES } = await import(`${distEsm}/src/angular/index.js`);
const { AF_INET } = await import(`${distEsm}/src/index.js`);
const { createMockAdapter, mockRow } = await import(`${distEsm}/adapters/mock/index.js`);

const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
const injectorWith = (...providers) => createEnvironmentInjector(providers, Injector.NULL);
const inZone = () => NgZone.isInAngularZone();

/** A mock adapter that also records whether each registration was made inside Angular's zone. */
function recordingAdapter() {
  const mock = createMockAdapter();
  const registeredInZone = [];
  const adapter = Object.create(mock);
  adapter.notifyIpInterfaceChange = (...args) => {
    registeredInZone.push(inZone());
    return mock.notifyIpInterfaceChange(...args);
  };
  return { mock, adapter, registeredInZone };
}

const zoneScenarios = {
  delivery() {
    const zone = new NgZone({});
    const { mock, adapter, registeredInZone } = recordingAdapter();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ family: AF_INET, initial: true, adapter }));
    const received = [];
    let changeDetectionTurns = 0;
    zone.onMicrotaskEmpty.subscribe(() => changeDetectionTurns++);
    zone.run(() => injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push({ kind: c.kind, inAngularZone: inZone() })));
    const turnsBeforeEmit = changeDetectionTurns;
    // Native callbacks arrive outside the zone: simulate that.
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
    const first = [];
    const late = [];
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
    return { activeBefore, activeAfter, completed, resubscribeCompleted, activeAfterResubscribe: mock.active, calls: mock.calls.map((c) => c.fn) };
  },

  error() {
    const zone = new NgZone({});
    const mock = createMockAdapter();
    mock.failNextRegistration('NOT_SUPPORTED', 50);
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ adapter: mock }));
    return new Promise((resolve) => {
      zone.run(() =>
        injector.get(IP_INTERFACE_CHANGES).subscribe({
          error: (e) => {
            resolve({ name: e.name, code: e.code, osCode: e.osCode, inAngularZone: inZone(), active: mock.active });
            injector.destroy();
          },
        }),
      );
    });
  },

  source() {
    const zone = new NgZone({});
    const forwarded = new Subject();
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideIpInterfaceChanges({ source: forwarded }));
    const received = [];
    zone.run(() => injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push({ kind: c.kind, inAngularZone: inZone() })));
    zone.runOutsideAngular(() => forwarded.next({ kind: 'removed', row: eth1 }));
    const observedBefore = forwarded.observed;
    injector.destroy();
    return { received, observedBefore, observedAfterDestroy: forwarded.observed };
  },
};

const zonelessScenarios = {
  zoneless() {
    const mock = createMockAdapter();
    const injector = injectorWith(provideZonelessChangeDetection(), provideIpInterfaceChanges({ family: AF_INET, initial: true, adapter: mock }));
    const received = [];
    injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push(c.kind));
    mock.emit({ kind: 'added', row: eth1 });
    const result = { zoneJsLoaded: typeof globalThis.Zone !== 'undefined', ngZoneIsNoop: injector.get(NgZone) instanceof NoopNgZone, received, activeBefore: mock.active };
    injector.destroy();
    return { ...result, activeAfterDestroy: mock.active };
  },

  withoutNgZone() {
    const mock = createMockAdapter();
    const injector = injectorWith(provideIpInterfaceChanges({ adapter: mock }));
    const received = [];
    injector.get(IP_INTERFACE_CHANGES).subscribe((c) => received.push(c.kind));
    mock.emit({ kind: 'removed', row: eth1 });
    injector.destroy();
    return { received, activeAfterDestroy: mock.active };
  },
};

const scenarios = mode === 'zone' ? zoneScenarios : zonelessScenarios;
const results = {};
for (const [name, run] of Object.entries(scenarios)) results[name] = await run();
console.log(JSON.stringify(results));
