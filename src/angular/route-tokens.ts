import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';
import type { IpForwardRow } from '../ip-forward-row.js';
import type { RouteChange } from '../route-change.js';

/**
 * The app's shared stream of route changes (`routeChanges$`), provided by {@link provideRoutes}:
 * inside Angular's zone, one registration while at least one consumer is subscribed.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { toSignal } from '@angular/core/rxjs-interop';
 * import { map } from 'rxjs';
 * import { ROUTE_CHANGES } from 'rxjs-ip-interface/angular';
 *
 * @Component({ selector: 'app-routes', template: '{{ last() }}' })
 * export class RoutesComponent {
 *   readonly last = toSignal(inject(ROUTE_CHANGES).pipe(map((c): string => c.kind)), { initialValue: 'none' });
 * }
 * ```
 */
export const ROUTE_CHANGES = new InjectionToken<Observable<RouteChange>>('ROUTE_CHANGES');

/**
 * The app's shared live route table (`routeTable$`, keyed by `routeKey`), provided by
 * {@link provideRoutes}; a late consumer gets the latest table at once.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { toSignal } from '@angular/core/rxjs-interop';
 * import { map } from 'rxjs';
 * import { ROUTE_TABLE } from 'rxjs-ip-interface/angular';
 *
 * @Component({ selector: 'app-route-count', template: '{{ count() }} routes' })
 * export class RouteCountComponent {
 *   readonly count = toSignal(inject(ROUTE_TABLE).pipe(map((table): number => table.size)), { initialValue: 0 });
 * }
 * ```
 */
export const ROUTE_TABLE = new InjectionToken<Observable<ReadonlyMap<string, IpForwardRow>>>('ROUTE_TABLE');

/**
 * The app's shared default route (`defaultRoute$`): the route the OS would use for a global
 * destination, or null; provided by {@link provideRoutes}; a late consumer gets the current answer at once.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { toSignal } from '@angular/core/rxjs-interop';
 * import { map } from 'rxjs';
 * import { DEFAULT_ROUTE } from 'rxjs-ip-interface/angular';
 *
 * @Component({ selector: 'app-gateway', template: 'gateway: {{ gateway() }}' })
 * export class GatewayComponent {
 *   readonly gateway = toSignal(inject(DEFAULT_ROUTE).pipe(map((route): string => route?.nextHop ?? 'none')), { initialValue: '?' });
 * }
 * ```
 */
export const DEFAULT_ROUTE = new InjectionToken<Observable<IpForwardRow | null>>('DEFAULT_ROUTE');
