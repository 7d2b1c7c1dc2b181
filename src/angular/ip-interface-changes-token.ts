import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';
import type { IpInterfaceChange } from '../ip-interface-change.js';

/**
 * The app's shared stream of IP interface changes, provided by {@link provideIpInterfaceChanges}.
 * Emissions arrive inside Angular's zone (so change detection runs); one registration with the OS
 * while at least one consumer is subscribed, released when the last one unsubscribes or the
 * injector is destroyed.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { toSignal } from '@angular/core/rxjs-interop';
 * import { map } from 'rxjs';
 * import { IP_INTERFACE_CHANGES } from 'rxjs-ip-interface/angular';
 *
 * @Component({ selector: 'app-net', template: '{{ last() }}' })
 * export class NetComponent {
 *   readonly last = toSignal(inject(IP_INTERFACE_CHANGES).pipe(map((c): string => c.kind)), { initialValue: 'none' });
 * }
 * ```
 */
export const IP_INTERFACE_CHANGES = new InjectionToken<Observable<IpInterfaceChange>>('IP_INTERFACE_CHANGES');
