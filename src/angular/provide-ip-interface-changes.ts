import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import type { Observable } from 'rxjs';
import { AF_UNSPEC, type AddressFamily } from '../address-family.js';
import type { IpInterfaceAdapter } from '../adapter.js';
import type { IpInterfaceChange } from '../ip-interface-change.js';
import { ipInterfaceChanges$ } from '../ip-interface-changes.js';
import { IP_INTERFACE_CHANGES } from './ip-interface-changes-token.js';
import { sharedInZone } from './shared-in-zone.js';

/**
 * Options of {@link provideIpInterfaceChanges}.
 *
 * @example
 * ```ts
 * const options: IpInterfaceChangesProviderOptions = { family: AF_INET6, initial: true };
 * ```
 */
export interface IpInterfaceChangesProviderOptions {
  /** Which interfaces to watch. Default `AF_UNSPEC` (IPv4 and IPv6). */
  family?: AddressFamily | undefined;
  /**
   * Emit `{ kind: 'initial' }` first once the registration is live. The stream is shared: only the
   * consumers subscribed when the registration starts see it.
   */
  initial?: boolean | undefined;
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first use. */
  adapter?: IpInterfaceAdapter | undefined;
  /**
   * Use these changes instead of registering locally: for example changes forwarded over IPC from
   * the Electron main process. `family`, `initial` and `adapter` are then ignored; the stream still
   * gets zone re-entry, sharing and release on destroy.
   */
  source?: Observable<IpInterfaceChange> | undefined;
}

/**
 * Provides {@link IP_INTERFACE_CHANGES} for an application or an environment injector.
 *
 * Native callbacks (and the polling adapter's timers) run outside Angular's zone: the registration
 * is made with `NgZone.runOutsideAngular`, so the adapter's own wake-ups never trigger change
 * detection, and each emission is re-entered with `NgZone.run`, so change detection runs after it.
 * In zoneless apps (`provideZonelessChangeDetection()`) `NgZone` is a no-op and the emissions
 * simply pass through: `toSignal` or the `async` pipe schedule the update.
 *
 * @example
 * ```ts
 * import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
 * import { AF_INET } from 'rxjs-ip-interface';
 * import { provideIpInterfaceChanges } from 'rxjs-ip-interface/angular';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [provideZonelessChangeDetection(), provideIpInterfaceChanges({ family: AF_INET, initial: true })],
 * };
 * // main.ts: bootstrapApplication(AppComponent, appConfig) (from '@angular/platform-browser')
 * ```
 */
export function provideIpInterfaceChanges(options: IpInterfaceChangesProviderOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: IP_INTERFACE_CHANGES,
      useFactory: (): Observable<IpInterfaceChange> =>
        sharedInZone(options.source ?? ipInterfaceChanges$(options.family ?? AF_UNSPEC, options.initial ?? false, { adapter: options.adapter })),
    },
  ]);
}
