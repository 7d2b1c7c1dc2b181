/**
 * NestJS scenarios of the route streams of IpInterfaceService (routeChanges$, routeTable$,
 * defaultRoute$), run in a child `node` process as ESM like nest-scenarios.ts; the expectations live
 * in ip-interface-service.routes.test.ts.
 */
import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, type RouteChange } from '../../../src/index';
import { IpInterfaceModule, IpInterfaceService, type IpInterfaceModuleOptions } from '../../../src/nestjs/index';
import { createMockAdapter, mockRouteRow } from '../../../adapters/mock/index';
import { pollingAdapter } from '../../../adapters/polling/index';

const lan = mockRouteRow({ interfaceIndex: 3, destinationPrefix: { prefix: '10.77.0.0', prefixLength: 16 }, nextHop: '10.9.0.2' });
const gw = mockRouteRow({ interfaceIndex: 3, nextHop: '10.0.0.1' });
const gw6 = mockRouteRow({ interfaceIndex: 3, family: AF_INET6 });
const brief = (c: RouteChange): string => (c.kind === 'initial' ? `initial ${c.family}` : `${c.kind} ${c.row.destinationPrefix.prefix}/${c.row.destinationPrefix.prefixLength} via ${c.row.nextHop}`);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

async function withModule<T>(options: IpInterfaceModuleOptions, run: (ref: TestingModule) => Promise<T> | T): Promise<T> {
  const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot(options)] }).compile();
  try {
    return await run(ref);
  } finally {
    await ref.close();
  }
}

export const scenarios: Record<string, () => Promise<unknown>> = {
  async routeChanges() {
    const adapter = createMockAdapter();
    return withModule({ family: AF_INET, initial: true, adapter }, (ref) => {
      const service = ref.get(IpInterfaceService);
      const first: string[] = [];
      const late: string[] = [];
      const a = service.routeChanges$.subscribe((c) => first.push(brief(c)));
      const b = service.routeChanges$.subscribe((c) => late.push(brief(c)));
      const activeWithTwo = adapter.active;
      adapter.emitRoute({ kind: 'added', row: lan });
      adapter.emitRoute({ kind: 'added', row: gw6 }); // another family
      a.unsubscribe();
      b.unsubscribe();
      return { first, late, activeWithTwo, activeAfter: adapter.active, calls: adapter.calls.map((c) => c.fn) };
    });
  },

  async routeTableAndDefault() {
    const adapter = createMockAdapter({ routeTable: [lan] });
    return withModule({ family: AF_INET, adapter }, async (ref) => {
      const service = ref.get(IpInterfaceService);
      const tables: number[] = [];
      const answers: (string | null)[] = [];
      const t = service.routeTable$.subscribe((table) => tables.push(table.size));
      const d = service.defaultRoute$.subscribe((route) => answers.push(route && route.nextHop));
      await tick();
      adapter.emitRoute({ kind: 'added', row: gw });
      await tick();
      const late: (string | null)[] = [];
      service.defaultRoute$.subscribe((route) => late.push(route && route.nextHop)).unsubscribe();
      const activeWithConsumers = adapter.active;
      t.unsubscribe();
      d.unsubscribe();
      return { tables, answers, late, activeWithConsumers, activeAfter: adapter.active };
    });
  },

  async defaultRouteFamily() {
    const adapter = createMockAdapter({ routeTable: [gw6] });
    return withModule({ family: AF_INET6, adapter }, async (ref) => {
      const answers: (string | null)[] = [];
      const s = ref.get(IpInterfaceService).defaultRoute$.subscribe((route) => answers.push(route && `${route.family} via ${route.nextHop}`));
      await tick();
      s.unsubscribe();
      return { answers, lookups: adapter.lookups };
    });
  },

  async pollingNotSupported() {
    return withModule({ adapter: pollingAdapter() }, async (ref) => {
      const service = ref.get(IpInterfaceService);
      const codes: string[] = [];
      const streams: Observable<unknown>[] = [service.routeChanges$, service.routeTable$, service.defaultRoute$];
      for (const stream of streams) {
        await new Promise<void>((resolve) => stream.subscribe({ error: (e: { code: string }) => (codes.push(e.code), resolve()), complete: resolve }));
      }
      return { codes };
    });
  },

  async moduleClose() {
    const adapter = createMockAdapter({ routeTable: [gw] });
    const ref = await Test.createTestingModule({ imports: [IpInterfaceModule.forRoot({ adapter })] }).compile();
    const service = ref.get(IpInterfaceService);
    const completed: string[] = [];
    service.routeChanges$.subscribe({ complete: () => completed.push('routeChanges$') });
    service.routeTable$.subscribe({ complete: () => completed.push('routeTable$') });
    service.defaultRoute$.subscribe({ complete: () => completed.push('defaultRoute$') });
    await tick();
    const activeBefore = adapter.active;
    await ref.close();
    return { activeBefore, activeAfter: adapter.active, completed };
  },
};
