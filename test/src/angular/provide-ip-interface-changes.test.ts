/**
 * Angular ships ESM only and jest runs CommonJS, so the Angular scenarios run in a child `node`
 * process (angular-harness.mjs) against the built dist/esm, with and without zone.js; this file
 * holds the expectations on what the harness observed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const distEsm = join(root, 'dist/esm');

function runHarness(mode: 'zone' | 'zoneless'): Record<string, unknown> {
  if (!existsSync(join(distEsm, 'src/angular/index.js'))) {
    throw new Error('dist/esm/src/angular is missing: `npm test` builds it first (npm run build)');
  }
  const out = spawnSync(process.execPath, [join(__dirname, 'angular-harness.mjs'), mode, distEsm], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) throw new Error(`angular harness (${mode}) failed with ${String(out.status)}:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

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
});
