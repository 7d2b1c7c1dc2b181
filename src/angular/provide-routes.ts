import { DestroyRef, type EnvironmentProviders, inject, makeEnvironmentProviders, NgZone } from '@angular/core';
import { Observable, ReplaySubject, share, takeUntil, type MonoTypeOperatorFunction, type ShareConfig } from 'rxjs';
import { AF_INET, AF_UNSPEC, type AddressFamily } from '../address-family.js';
import type { IpInterfaceAdapter } from '../adapter.js';
import { defaultRoute$ } from '../default-route.js';
import type { IpForwardRow } from '../ip-forward-row.js';
import { routeChanges$ } from '../route-changes.js';
import { routeTable$ } from '../route-table.js';
import { DEFAULT_ROUTE, ROUTE_CHANGES, ROUTE_TABLE } from './route-tokens.js';

/**
 * Options of {@link provideRoutes}.
 *
 * @example
 * ```ts
 * import { AF_INET6 } from 'rxjs-ip-interface';
 * import type { RoutesProviderOptions } from 'rxjs-ip-interface/angular';
 *
 * const options: RoutesProviderOptions = { family: AF_INET6, defaultRouteFamily: AF_INET6 };
 * ```
 */
export interface RoutesProviderOptions {
  /** Which routes `ROUTE_CHANGES` and `ROUTE_TABLE` follow. Default `AF_UNSPEC` (IPv4 and IPv6). */
  family?: AddressFamily | undefined;
  /** Emit `{ kind: 'initial' }` first on `ROUTE_CHANGES` once the registration is live. */
  initial?: boolean | undefined;
  /** The family of `DEFAULT_ROUTE`. Default `AF_INET`. */
  defaultRouteFamily?: 'inet' | 'inet6' | undefined;
  /** The destination `DEFAULT_ROUTE` follows. Default `DEFAULT_ROUTE_DESTINATIONS` of the family. */
  destination?: string | undefined;
  /** The OS backend. Default: the platform's, loaded on first use. */
  adapter?: IpInterfaceAdapter | undefined;
}

/**
 * Provides {@link ROUTE_CHANGES}, {@link ROUTE_TABLE} and {@link DEFAULT_ROUTE} for an application or
 * an environment injector, with the zone handling of `provideIpInterfaceChanges`: registrations are
 * made outside Angular's zone, emissions re-entered inside it (a no-op in zoneless apps). Each
 * stream is shared and released when its last consumer leaves or the injector is destroyed.
 *
 * @example
 * ```ts
 * import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
 * import { AF_INET } from 'rxjs-ip-interface';
 * import { provideRoutes } from 'rxjs-ip-interface/angular';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [provideZonelessChangeDetection(), provideRoutes({ family: AF_INET })],
 * };
 * ```
 */
export function provideRoutes(options: RoutesProviderOptions = {}): EnvironmentProviders {
  const family = options.family ?? AF_UNSPEC;
  const adapter = options.adapter;
  const replay = <T>(): ShareConfig<T> => ({ connector: () => new ReplaySubject<T>(1) });
  return makeEnvironmentProviders([
    { provide: ROUTE_CHANGES, useFactory: () => shared(routeChanges$(family, options.initial ?? false, { adapter })) },
    { provide: ROUTE_TABLE, useFactory: () => shared(routeTable$(family, { adapter }), replay<ReadonlyMap<string, IpForwardRow>>()) },
    {
      provide: DEFAULT_ROUTE,
      useFactory: () => shared(defaultRoute$(options.defaultRouteFamily ?? AF_INET, { adapter, destination: options.destination }), replay<IpForwardRow | null>()),
    },
  ]);
}

/** In an injection context: the stream in the zone, released on destroy, shared. */
function shared<T>(source: Observable<T>, config: ShareConfig<T> = {}): Observable<T> {
  // An injector without NgZone (a bare test injector) behaves like a zoneless app.
  const zone = inject(NgZone, { optional: true });
  const destroyed = new ReplaySubject<void>(1);
  inject(DestroyRef).onDestroy(() => {
    destroyed.next();
    destroyed.complete();
  });
  return source.pipe(zone ? inNgZone<T>(zone) : (s) => s, takeUntil(destroyed), share(config));
}

/**
 * Subscribes outside the zone and delivers inside it: the same as in provide-ip-interface-changes.ts
 * (kept separate while the address integration changes that file; one place after the merge).
 */
function inNgZone<T>(zone: NgZone): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      zone.runOutsideAngular(() =>
        source.subscribe({
          next: (value) => zone.run(() => subscriber.next(value)),
          error: (error: unknown) => zone.run(() => subscriber.error(error)),
          complete: () => zone.run(() => subscriber.complete()),
        }),
      ),
    );
}
