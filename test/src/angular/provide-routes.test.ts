/**
 * provideRoutes (Angular ships ESM only): the scenarios of angular-route-scenarios.ts run in a child
 * `node` process against dist/esm, with and without zone.js; the expectations are here.
 */
import { join } from 'node:path';
import { runEsmScenarios } from '../../helpers/esm-scenarios';

const run = (mode: 'zone' | 'zoneless'): Record<string, unknown> =>
  runEsmScenarios(join(__dirname, 'angular-route-scenarios.ts'), {
    requires: 'src/angular/index.js',
    preload: mode === 'zone' ? ['zone.js'] : [],
    exportName: mode === 'zone' ? 'withZone' : 'zoneless',
  });

describe('provideRoutes', () => {
  it('with zone.js: registers outside the zone, delivers inside; the table and default route follow; destroy releases all', () => {
    expect(run('zone').delivery).toEqual({
      registeredInZone: [false, false, false],
      changes: [
        { kind: 'initial', inAngularZone: true },
        { kind: 'added', inAngularZone: true },
      ],
      tables: [1, 2],
      answers: [null, '10.0.0.1'],
      late: ['10.0.0.1'],
      activeBefore: 3,
      activeAfterDestroy: 0,
    });
  });

  it('zoneless: DEFAULT_ROUTE emits the answer and its change; destroy releases the registration', () => {
    expect(run('zoneless').zoneless).toEqual({ answers: ['10.0.0.1', null], activeBefore: 1, activeAfterDestroy: 0 });
  });
});
