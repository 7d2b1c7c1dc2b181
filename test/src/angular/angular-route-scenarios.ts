/**
 * Angular scenarios of provideRoutes (ROUTE_CHANGES, ROUTE_TABLE, DEFAULT_ROUTE), run in a child
 * `node` process as ESM against dist/esm like angular-scenarios.ts; expectations in provide-routes.test.ts.
 */
import { createEnvironmentInjector, Injector, NgZone, provideZonelessChangeDetection, type EnvironmentInjector, type EnvironmentProviders, type Provider } from '@angular/core';
import { AF_INET, type IpInterfaceAdapter } from '../../../src/index';
import { DEFAULT_ROUTE, ROUTE_CHANGES, ROUTE_TABLE, provideRoutes } from '../../../src/angular/index';
import { createMockAdapter, mockRouteRow } from '../../../adapters/mock/index';

const lan = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const gw = mockRouteRow({ interfaceIndex: 3, nextHop: '10.0.0.1' });
const injectorWith = (...providers: (Provider | EnvironmentProviders)[]): EnvironmentInjector =>
  createEnvironmentInjector(providers, Injector.NULL as EnvironmentInjector);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

export const withZone: Record<string, () => unknown> = {
  async delivery() {
    const zone = new NgZone({});
    const mock = createMockAdapter({ routeTable: [lan] });
    const registeredInZone: boolean[] = [];
    const adapter: IpInterfaceAdapter = {
      ...mock,
      notifyRouteChange2: (...args) => {
        registeredInZone.push(NgZone.isInAngularZone());
        return mock.notifyRouteChange2(...args);
      },
    };
    const injector = injectorWith({ provide: NgZone, useValue: zone }, provideRoutes({ family: AF_INET, initial: true, adapter }));
    const changes: { kind: string; inAngularZone: boolean }[] = [];
    const tables: number[] = [];
    const answers: (string | null)[] = [];
    zone.run(() => {
      injector.get(ROUTE_CHANGES).subscribe((c) => changes.push({ kind: c.kind, inAngularZone: NgZone.isInAngularZone() }));
      injector.get(ROUTE_TABLE).subscribe((t) => tables.push(t.size));
      injector.get(DEFAULT_ROUTE).subscribe((r) => answers.push(r && r.nextHop));
    });
    await tick();
    zone.runOutsideAngular(() => mock.emitRoute({ kind: 'added', row: gw }));
    await tick();
    const late: (string | null)[] = [];
    injector.get(DEFAULT_ROUTE).subscribe((r) => late.push(r && r.nextHop)).unsubscribe();
    const activeBefore = mock.active;
    injector.destroy();
    return { registeredInZone, changes, tables, answers, late, activeBefore, activeAfterDestroy: mock.active };
  },
};

export const zoneless: Record<string, () => unknown> = {
  async zoneless() {
    const mock = createMockAdapter({ routeTable: [gw] });
    const injector = injectorWith(provideZonelessChangeDetection(), provideRoutes({ adapter: mock }));
    const answers: (string | null)[] = [];
    injector.get(DEFAULT_ROUTE).subscribe((r) => answers.push(r && r.nextHop));
    mock.emitRoute({ kind: 'removed', row: gw });
    await tick();
    const activeBefore = mock.active;
    injector.destroy();
    return { answers, activeBefore, activeAfterDestroy: mock.active };
  },
};
