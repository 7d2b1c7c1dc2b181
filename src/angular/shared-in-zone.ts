import { DestroyRef, inject, NgZone } from '@angular/core';
import { identity, Observable, ReplaySubject, share, takeUntil, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * What the providers of this entry make of a stream, in an injection context: subscribed outside
 * Angular's zone and delivered inside it (when the injector has an NgZone), shared by every consumer
 * (one registration while at least one is subscribed), completed when the injector is destroyed.
 *
 * @example
 * ```ts
 * useFactory: () => sharedInZone(unicastIpAddressChanges$(AF_UNSPEC))
 * ```
 */
export function sharedInZone<T>(source: Observable<T>): Observable<T> {
  // An injector without NgZone (a bare test injector) behaves like a zoneless app.
  const zone = inject(NgZone, { optional: true });
  const destroyed = new ReplaySubject<void>(1);
  inject(DestroyRef).onDestroy(() => {
    destroyed.next();
    destroyed.complete();
  });
  // takeUntil a ReplaySubject: a subscription made after destroy completes at once, registering nothing.
  return source.pipe(zone ? inNgZone<T>(zone) : identity, takeUntil(destroyed), share());
}

/** Subscribes to the source outside the zone and delivers every notification inside it. */
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
