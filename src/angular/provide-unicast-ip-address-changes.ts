import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import type { Observable } from 'rxjs';
import { AF_UNSPEC, type AddressFamily } from '../address-family.js';
import type { IpInterfaceAdapter } from '../adapter.js';
import type { UnicastIpAddressChange } from '../unicast-ip-address-change.js';
import { unicastIpAddressChanges$ } from '../unicast-ip-address-changes.js';
import { sharedInZone } from './shared-in-zone.js';
import { UNICAST_IP_ADDRESS_CHANGES } from './unicast-ip-address-changes-token.js';

/**
 * Options of {@link provideUnicastIpAddressChanges}.
 *
 * @example
 * ```ts
 * const options: UnicastIpAddressChangesProviderOptions = { family: AF_INET6, initial: true, lifetimeUpdates: false };
 * ```
 */
export interface UnicastIpAddressChangesProviderOptions {
  /** Which addresses to watch. Default `AF_UNSPEC` (IPv4 and IPv6). */
  family?: AddressFamily | undefined;
  /**
   * Emit `{ kind: 'initial' }` first once the registration is live. The stream is shared: only the
   * consumers subscribed when the registration starts see it.
   */
  initial?: boolean | undefined;
  /** Also emit lifetime-only updates (router-advertisement refreshes) as `changed`. Default false. */
  lifetimeUpdates?: boolean | undefined;
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first use. */
  adapter?: IpInterfaceAdapter | undefined;
  /**
   * Use these changes instead of registering locally (forwarded over IPC from the Electron main
   * process, for example). `family`, `initial`, `lifetimeUpdates` and `adapter` are then ignored; the
   * stream still gets zone re-entry, sharing and release on destroy.
   */
  source?: Observable<UnicastIpAddressChange> | undefined;
}

/**
 * Provides {@link UNICAST_IP_ADDRESS_CHANGES} for an application or an environment injector: the
 * address sibling of {@link provideIpInterfaceChanges}, with the same zone handling (registered with
 * `NgZone.runOutsideAngular`, each emission re-entered with `NgZone.run`; a no-op in zoneless apps),
 * sharing and release on destroy. An adapter without the address half errors the stream with
 * `NOT_SUPPORTED` on first subscribe.
 *
 * @example
 * ```ts
 * import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
 * import { AF_UNSPEC } from 'rxjs-ip-interface';
 * import { provideIpInterfaceChanges, provideUnicastIpAddressChanges } from 'rxjs-ip-interface/angular';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [provideZonelessChangeDetection(), provideIpInterfaceChanges(), provideUnicastIpAddressChanges({ family: AF_UNSPEC, initial: true })],
 * };
 * ```
 */
export function provideUnicastIpAddressChanges(options: UnicastIpAddressChangesProviderOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: UNICAST_IP_ADDRESS_CHANGES,
      useFactory: (): Observable<UnicastIpAddressChange> =>
        sharedInZone(
          options.source ??
            unicastIpAddressChanges$(options.family ?? AF_UNSPEC, options.initial ?? false, { adapter: options.adapter, lifetimeUpdates: options.lifetimeUpdates }),
        ),
    },
  ]);
}
