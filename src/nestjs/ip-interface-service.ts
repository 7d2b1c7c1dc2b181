import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { identity, type MonoTypeOperatorFunction, Observable, ReplaySubject, share, takeUntil } from 'rxjs';
import { AF_UNSPEC } from '../address-family.js';
import type { IpInterfaceChange } from '../ip-interface-change.js';
import { ipInterfaceChanges$ } from '../ip-interface-changes.js';
import type { IpInterfaceRow } from '../ip-interface-row.js';
import { ipInterfaceTable$ } from '../ip-interface-table.js';
import { debounceAddressChanges, debounceInterfaceChanges } from '../operators/debounce-interface-changes.js';
import type { UnicastIpAddressChange } from '../unicast-ip-address-change.js';
import { unicastIpAddressChanges$ } from '../unicast-ip-address-changes.js';
import type { UnicastIpAddressRow } from '../unicast-ip-address-row.js';
import { unicastIpAddressTable$ } from '../unicast-ip-address-table.js';
import { IP_INTERFACE_MODULE_OPTIONS } from './ip-interface-module-definition.js';
import type { IpForwardRow } from '../ip-forward-row.js';
import type { RouteChange } from '../route-change.js';
import { routeChanges$ } from '../route-changes.js';
import { routeTable$ } from '../route-table.js';
import { defaultRoute$ } from '../default-route.js';
import type { IpInterfaceModuleOptions } from './ip-interface-module-options.js';

/**
 * The injectable face of the library in NestJS, provided and exported by {@link IpInterfaceModule}.
 *
 * Interfaces (`changes$`, `table$`) and unicast addresses (`addressChanges$`, `addressTable$`, the
 * `unicastIpAddressChanges$` / `unicastIpAddressTable$` streams). Every stream is shared and
 * reference-counted: however many consumers subscribe, there is one registration with the OS per
 * stream while at least one is subscribed, cancelled when the last one leaves and when the module is
 * destroyed (`app.close()`, shutdown hooks), which completes every consumer. A stream nobody
 * subscribes to registers nothing; on an adapter without the address half the address streams
 * error with `NOT_SUPPORTED` (the interface ones are unaffected).
 *
 * @example
 * ```ts
 * import { Controller, Sse, type MessageEvent } from '@nestjs/common';
 * import { map, type Observable } from 'rxjs';
 * import { IpInterfaceService } from 'rxjs-ip-interface/nestjs';
 *
 * @Controller('network')
 * export class NetworkController {
 *   constructor(private readonly ipInterfaces: IpInterfaceService) {}
 *
 *   @Sse('changes')
 *   changes(): Observable<MessageEvent> {
 *     return this.ipInterfaces.changes$.pipe(map((change) => ({ data: change.kind })));
 *   }
 *
 *   @Sse('addresses')
 *   addresses(): Observable<MessageEvent> {
 *     return this.ipInterfaces.addressChanges$.pipe(map((c) => ({ data: c.kind === 'initial' ? 'live' : `${c.kind} ${c.row.address}` })));
 *   }
 * }
 * ```
 */
@Injectable()
export class IpInterfaceService implements OnModuleDestroy {
  /**
   * Changes of the configured family, debounced when `debounceMs` is set. One shared registration;
   * a consumer that subscribes while it is already live gets no `initial` marker (use `table$`
   * for the current state).
   */
  readonly changes$: Observable<IpInterfaceChange>;

  /**
   * The live table of the configured family, keyed by `interfaceKey(row)`. Shared like `changes$`;
   * a late consumer gets the latest table at once.
   */
  readonly table$: Observable<ReadonlyMap<string, IpInterfaceRow>>;

  /**
   * Unicast address changes of the configured family (`unicastIpAddressChanges$`), debounced per
   * address when `debounceMs` is set, lifetime-only updates only with `lifetimeUpdates`. Shared like
   * `changes$` (its own registration); a late consumer gets no `initial` marker.
   */
  readonly addressChanges$: Observable<UnicastIpAddressChange>;

  /**
   * The live unicast address table of the configured family (`unicastIpAddressTable$`), keyed by
   * `unicastAddressKey(row)`. Shared like `table$`; a late consumer gets the latest table at once.
   */
  readonly addressTable$: Observable<ReadonlyMap<string, UnicastIpAddressRow>>;

  /**
   * Route changes of the configured family (`routeChanges$`, with the `initial` option), shared like
   * `changes$`. An adapter without the route half errors consumers with `NOT_SUPPORTED`.
   */
  readonly routeChanges$: Observable<RouteChange>;

  /** The live route table of the configured family, keyed by `routeKey(row)`; shared like `table$`. */
  readonly routeTable$: Observable<ReadonlyMap<string, IpForwardRow>>;

  /**
   * The route the OS would use for a global destination (`defaultRoute$`): IPv6 when the configured
   * family is `AF_INET6`, else IPv4. Shared; a late consumer gets the current answer at once.
   */
  readonly defaultRoute$: Observable<IpForwardRow | null>;

  // A ReplaySubject, so that a subscription made after destroy completes at once instead of registering.
  private readonly destroyed = new ReplaySubject<void>(1);

  constructor(@Inject(IP_INTERFACE_MODULE_OPTIONS) options: IpInterfaceModuleOptions) {
    const family = options.family ?? AF_UNSPEC;
    const adapter = options.adapter;
    const debounce: MonoTypeOperatorFunction<IpInterfaceChange> =
      options.debounceMs === undefined ? identity : debounceInterfaceChanges<IpInterfaceChange>(options.debounceMs);
    this.changes$ = ipInterfaceChanges$(family, options.initial ?? false, { adapter }).pipe(
      debounce,
      takeUntil(this.destroyed),
      share(),
    );
    this.table$ = ipInterfaceTable$(family, { adapter }).pipe(
      takeUntil(this.destroyed),
      share({ connector: () => new ReplaySubject<ReadonlyMap<string, IpInterfaceRow>>(1) }),
    );
    const debounceAddresses: MonoTypeOperatorFunction<UnicastIpAddressChange> =
      options.debounceMs === undefined ? identity : debounceAddressChanges<UnicastIpAddressChange>(options.debounceMs);
    this.addressChanges$ = unicastIpAddressChanges$(family, options.initial ?? false, { adapter, lifetimeUpdates: options.lifetimeUpdates }).pipe(
      debounceAddresses,
      takeUntil(this.destroyed),
      share(),
    );
    this.addressTable$ = unicastIpAddressTable$(family, { adapter }).pipe(
      takeUntil(this.destroyed),
      share({ connector: () => new ReplaySubject<ReadonlyMap<string, UnicastIpAddressRow>>(1) }),
    );
    // Routes (issue 14): the same sharing and release as the interface streams.
    this.routeChanges$ = routeChanges$(family, options.initial ?? false, { adapter }).pipe(takeUntil(this.destroyed), share());
    this.routeTable$ = routeTable$(family, { adapter }).pipe(
      takeUntil(this.destroyed),
      share({ connector: () => new ReplaySubject<ReadonlyMap<string, IpForwardRow>>(1) }),
    );
    this.defaultRoute$ = defaultRoute$(family === 'inet6' ? 'inet6' : 'inet', { adapter }).pipe(
      takeUntil(this.destroyed),
      share({ connector: () => new ReplaySubject<IpForwardRow | null>(1) }),
    );
  }

  /** Cancels the registrations and completes every consumer. Called by NestJS. */
  onModuleDestroy(): void {
    this.destroyed.next();
    this.destroyed.complete();
  }
}
