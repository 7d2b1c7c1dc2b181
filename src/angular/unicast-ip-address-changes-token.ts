import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';
import type { UnicastIpAddressChange } from '../unicast-ip-address-change.js';

/**
 * The app's shared stream of unicast IP address changes (`unicastIpAddressChanges$`), provided by
 * {@link provideUnicastIpAddressChanges}. Like {@link IP_INTERFACE_CHANGES}: emissions arrive inside
 * Angular's zone; one registration with the OS while at least one consumer is subscribed, released
 * when the last one unsubscribes or the injector is destroyed.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { toSignal } from '@angular/core/rxjs-interop';
 * import { filter, map } from 'rxjs';
 * import { UNICAST_IP_ADDRESS_CHANGES } from 'rxjs-ip-interface/angular';
 *
 * @Component({ selector: 'app-address', template: 'last address change: {{ last() }}' })
 * export class AddressComponent {
 *   readonly last = toSignal(
 *     inject(UNICAST_IP_ADDRESS_CHANGES).pipe(
 *       filter((c) => c.kind !== 'initial'),
 *       map((c): string => `${c.kind} ${c.row.address}`),
 *     ),
 *     { initialValue: 'none' },
 *   );
 * }
 * ```
 */
export const UNICAST_IP_ADDRESS_CHANGES = new InjectionToken<Observable<UnicastIpAddressChange>>('UNICAST_IP_ADDRESS_CHANGES');
