/**
 * Angular ships ESM only and jest runs CommonJS, so the scenarios of angular-scenarios.ts run in a
 * child `node` process against the built dist/esm, with and without zone.js; this file holds the
 * expectations on what they observed.
 */
import { join } from 'node:path';
import { runEsmScenarios } from '../../helpers/esm-scenarios';

const runHarness = (mode: 'zone' | 'zoneless'): Record<string, unknown> =>
  runEsmScenarios(join(__dirname, 'angular-scenarios.ts'), {
    requires: 'src/angular/index.js',
    preload: mode === 'zone' ? ['zone.js'] : [],
    exportName: mode === 'zone' ? 'withZone' : 'zoneless',
  });

describe('provideIpInterfaceChanges with zone.js (NgZone)', () => {
  let observed: Record<string, unknown>;
  beforeAll(() => {
    observed = runHarness('zone');
  });

  it('registers outside the zone and delivers every emission inside it, triggering change detection', () => {
    expect(observed.delivery).toEqual({
      registeredInZone: [false],
      received: [
        { kind: 'initial', inAngularZone: true },
        { kind: 'added', inAngularZone: true },
        { kind: 'changed', inAngularZone: true },
      ],
      // onMicrotaskEmpty is what makes ApplicationRef tick: once per emission re-entered from outside.
      turnsAfterOutsideEmits: 2,
    });
  });

  it('shares one registration between consumers; a late consumer gets no replayed initial marker', () => {
    expect(observed.sharing).toEqual({
      sameInstance: true,
      activeWithTwo: 1,
      activeWithOne: 1,
      activeAfterAll: 0,
      registrations: 1,
      first: ['initial', 'added'],
      late: ['added'],
    });
  });

  it('releases the registration when the injector is destroyed and registers nothing afterwards', () => {
    expect(observed.destroy).toEqual({
      activeBefore: 1,
      activeAfter: 0,
      completed: true,
      resubscribeCompleted: true,
      activeAfterResubscribe: 0,
      calls: ['NotifyIpInterfaceChange', 'CancelMibChangeNotify2'],
    });
  });

  it('delivers a registration failure as an IpInterfaceError inside the zone', () => {
    expect(observed.error).toEqual({ name: 'IpInterfaceError', code: 'NOT_SUPPORTED', osCode: 50, inAngularZone: true, active: 0 });
  });

  it('re-enters a forwarded source (Electron IPC) into the zone and lets go of it on destroy', () => {
    expect(observed.source).toEqual({ received: [{ kind: 'removed', inAngularZone: true }], observedBefore: true, observedAfterDestroy: false });
  });
});

describe('provideUnicastIpAddressChanges with zone.js (NgZone)', () => {
  let observed: Record<string, unknown>;
  beforeAll(() => {
    observed = runHarness('zone');
  });

  it('registers NotifyUnicastIpAddressChange outside the zone and delivers every address change of the family inside it', () => {
    expect(observed.addressDelivery).toEqual({
      registeredInZone: [false],
      received: [
        { change: 'initial inet6', inAngularZone: true },
        { change: 'added 2001:db8::1 tentative', inAngularZone: true },
        { change: 'changed 2001:db8::1 preferred', inAngularZone: true },
      ],
      turnsAfterOutsideEmits: 2,
      calls: ['NotifyUnicastIpAddressChange'],
    });
  });

  it('shares one registration, next to the interface token; destroy releases it and registers nothing afterwards', () => {
    expect(observed.addressSharingAndDestroy).toEqual({
      sameInstance: true,
      interfacesSeparate: true,
      activeWithTwo: 1,
      first: ['initial', 'removed'],
      late: ['removed'],
      completed: true,
      activeAfterDestroy: 0,
      resubscribeCompleted: true,
      calls: ['NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2'],
    });
  });

  it('an adapter without the address half: NOT_SUPPORTED inside the zone, nothing registered', () => {
    expect(observed.addressNotSupported).toEqual({ name: 'IpInterfaceError', code: 'NOT_SUPPORTED', inAngularZone: true, calls: 0 });
  });

  it('re-enters a forwarded address source into the zone and lets go of it on destroy', () => {
    expect(observed.addressSource).toEqual({ received: [{ kind: 'added', inAngularZone: true }], observedBefore: true, observedAfterDestroy: false });
  });
});

describe('provideIpInterfaceChanges without zone.js', () => {
  let observed: Record<string, unknown>;
  beforeAll(() => {
    observed = runHarness('zoneless');
  });

  it('works in a zoneless app (provideZonelessChangeDetection: NgZone is a no-op)', () => {
    expect(observed.zoneless).toEqual({ zoneJsLoaded: false, ngZoneIsNoop: true, received: ['initial', 'added'], activeBefore: 1, activeAfterDestroy: 0 });
  });

  it('works in an injector that has no NgZone at all', () => {
    expect(observed.withoutNgZone).toEqual({ received: ['removed'], activeAfterDestroy: 0 });
  });

  it('the address provider works zoneless too', () => {
    expect(observed.addressZoneless).toEqual({ received: ['initial', 'added'], activeBefore: 1, activeAfterDestroy: 0 });
  });
});
