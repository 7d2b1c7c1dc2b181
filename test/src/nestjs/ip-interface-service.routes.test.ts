import { join } from 'node:path';
import { runEsmScenarios } from '../../helpers/esm-scenarios';

describe('IpInterfaceService route streams (NestJS, run as ESM in a child process)', () => {
  let observed: Record<string, unknown>;
  beforeAll(() => {
    observed = runEsmScenarios(join(__dirname, 'nest-route-scenarios.ts'), { requires: 'src/nestjs/index.js' });
  }, 60_000);

  it('routeChanges$: one shared route registration, family filtered; a late consumer gets no marker', () => {
    expect(observed.routeChanges).toEqual({
      first: ['initial inet', 'added 10.77.0.0/16 via 10.9.0.2'],
      late: ['added 10.77.0.0/16 via 10.9.0.2'],
      activeWithTwo: 1,
      activeAfter: 0,
      calls: ['NotifyRouteChange2', 'CancelMibChangeNotify2'],
    });
  });

  it('routeTable$ follows the table; defaultRoute$ emits the answer and its change; a late consumer gets the current answer', () => {
    expect(observed.routeTableAndDefault).toEqual({ tables: [1, 2], answers: [null, '10.0.0.1'], late: ['10.0.0.1'], activeWithConsumers: 2, activeAfter: 0 });
  });

  it('defaultRoute$ is IPv6 when the configured family is AF_INET6', () => {
    expect(observed.defaultRouteFamily).toEqual({ answers: ['inet6 via fe80::1'], lookups: [{ family: 'inet6', destination: '2001:4860:4860::8888' }] });
  });

  it('on the polling adapter every route stream errors NOT_SUPPORTED', () => {
    expect(observed.pollingNotSupported).toEqual({ codes: ['NOT_SUPPORTED', 'NOT_SUPPORTED', 'NOT_SUPPORTED'] });
  });

  it('closing the module releases the route registrations and completes the consumers', () => {
    expect(observed.moduleClose).toEqual({ activeBefore: 3, activeAfter: 0, completed: ['routeChanges$', 'routeTable$', 'defaultRoute$'] });
  });
});
