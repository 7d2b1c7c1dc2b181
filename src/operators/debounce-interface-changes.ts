import { Observable, asyncScheduler, type OperatorFunction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { hasRow, type IpInterfaceChange, type IpInterfaceRowChange } from '../ip-interface-change.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import type { UnicastIpAddressChange, UnicastIpAddressRowChange } from '../unicast-ip-address-change.js';
import type { RouteChange, RouteRowChange } from '../route-change.js';
import { AddressMap, InterfaceMap, RouteMap, type InterfaceIdentity, type RowMap } from './interface-map.js';
import { netEffect, presentBefore } from './net-effect.js';

/**
 * How many interfaces last seen `removed` are remembered as absent. Interface keys churn (every new
 * veth gets a new index), so this memory is bounded; the oldest absences are forgotten first, after
 * which a burst for that interface infers its earlier presence from its first event again.
 */
const MAX_REMEMBERED_ABSENT = 10_000;

/** What the operator knows about one interface. Allocated once per interface, reused per burst. */
interface Slot<T> {
  /** Which interface (a row of it). */
  readonly id: InterfaceIdentity;
  /** Presence before the pending burst (when idle: the presence last emitted). */
  present: boolean;
  /** The latest change of the pending burst; `undefined` when no burst is pending. */
  last: T | undefined;
  /** When the pending burst goes quiet: time of its latest change + dueTime. */
  deadline: number;
  /** Neighbours in the list of pending slots (an intrusive list: moving a slot allocates and hashes nothing). */
  prev: Slot<T> | undefined;
  next: Slot<T> | undefined;
}

/**
 * Debounces IP interface changes per interface and emits the net effect of each burst.
 *
 * After `dueTime` without a change to an interface, the burst of changes it had is reduced to its net
 * effect: absent -> present = `added`, present -> absent = `removed`, present -> present = `changed`
 * carrying the latest row, absent -> absent = nothing. Presence before a burst is what the operator
 * last saw for that interface; for one it has not seen yet it follows from the burst's first change
 * (`added` means it was absent, `changed` or `removed` that it was present). Interfaces are keyed by
 * {@link interfaceKey} (family + LUID) and are independent: a busy interface never delays another. The `initial`
 * marker passes through at once. When the source completes, pending bursts are emitted at once (in
 * the order of their latest change), then the completion. Errors pass through at once (pending bursts
 * are dropped); every timer is released on error and unsubscribe.
 *
 * When the net kind is the kind of the burst's last change, that change object itself is emitted.
 * Cost: O(1) per change and one scheduled action for the whole operator (not one timer per change or
 * per interface): it wakes for the earliest deadline and re-arms for the next one.
 *
 * ```text
 * dueTime = 3 frames
 * source:  i-a-c--c-b---r--|      a: added eth1, c: changed eth1, b: added eth2, r: removed eth1
 * result:  i---------A-B---(R|)   A: added eth1 (row of the last c), B: added eth2, R: removed eth1
 * ```
 * `r` at frame 13 is still pending when the source completes at 16, so it is flushed at once.
 *
 * @param dueTime Quiet time per interface, in the scheduler's unit (milliseconds by default); >= 0.
 * @param scheduler Where the quiet time is measured and the bursts are emitted. Default `asyncScheduler`.
 * @example
 * ```ts
 * import { ipInterfaceChanges$, debounceInterfaceChanges, AF_UNSPEC } from 'rxjs-ip-interface';
 *
 * // A flapping link produces one event after 250 ms of calm, per interface.
 * ipInterfaceChanges$(AF_UNSPEC)
 *   .pipe(debounceInterfaceChanges(250))
 *   .subscribe((c) => c.kind !== 'initial' && console.log(c.kind, c.row.interfaceName));
 * ```
 */
export function debounceInterfaceChanges<T extends IpInterfaceChange>(
  dueTime: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, T | IpInterfaceRowChange> {
  return debounceByRow<T, IpInterfaceRowChange>('debounceInterfaceChanges', dueTime, scheduler, () => new InterfaceMap());
}

/**
 * {@link debounceInterfaceChanges} for unicast address changes: per address (`unicastAddressKey`:
 * family + LUID + address text), the net effect of each burst after `dueTime` of quiet, with the
 * same rules, costs and teardown. Use this, not the interface form, on `unicastIpAddressChanges$`:
 * the interface form would merge the bursts of different addresses of one interface into one.
 *
 * ```text
 * dueTime = 3 frames
 * source:  i-a-c--b---r--|     a: added 10.9.0.1, c: changed 10.9.0.1, b: added 10.9.0.2, r: removed 10.9.0.1
 * result:  i------A--B---(R|)  A: added 10.9.0.1 (row of c), B: added 10.9.0.2, R: removed 10.9.0.1
 * ```
 *
 * @param dueTime Quiet time per address, in the scheduler's unit (milliseconds by default); >= 0.
 * @param scheduler Default `asyncScheduler`.
 * @example
 * ```ts
 * import { unicastIpAddressChanges$, debounceAddressChanges, AF_INET6 } from 'rxjs-ip-interface';
 *
 * // DAD tentative -> preferred within 2 s becomes one event per address.
 * unicastIpAddressChanges$(AF_INET6)
 *   .pipe(debounceAddressChanges(2000))
 *   .subscribe((c) => c.kind !== 'initial' && console.log(c.kind, c.row.address, c.row.dadState));
 * ```
 */
export function debounceAddressChanges<T extends UnicastIpAddressChange>(
  dueTime: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, T | UnicastIpAddressRowChange> {
  return debounceByRow<T, UnicastIpAddressRowChange>('debounceAddressChanges', dueTime, scheduler, () => new AddressMap());
}

/**
 * {@link debounceInterfaceChanges} for route changes: per route next hop (`routeKey`), the net effect
 * of each burst after `dueTime` of quiet, with the same rules, costs and teardown. A route whose
 * next hop or metric changed has a new key (the kernel removes and adds it): that is two keys, a
 * `removed` and an `added`, not one `changed`.
 *
 * ```text
 * dueTime = 3 frames
 * source:  i-a-c--b---r--|     a: added 10.77.0.0/16, c: changed it, b: added default, r: removed 10.77.0.0/16
 * result:  i------A--B---(R|)  A: added 10.77.0.0/16 (row of c), B: added default, R: removed 10.77.0.0/16
 * ```
 *
 * @param dueTime Quiet time per route, in the scheduler's unit (milliseconds by default); >= 0.
 * @param scheduler Default `asyncScheduler`.
 * @example
 * ```ts
 * import { routeChanges$, debounceRouteChanges, AF_INET6 } from 'rxjs-ip-interface';
 *
 * // Router-advertisement refreshes of one route within a second become one event.
 * routeChanges$(AF_INET6)
 *   .pipe(debounceRouteChanges(1000))
 *   .subscribe((c) => c.kind !== 'initial' && console.log(c.kind, c.row.destinationPrefix.prefix, c.row.nextHop));
 * ```
 */
export function debounceRouteChanges<T extends RouteChange>(
  dueTime: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, T | RouteRowChange> {
  return debounceByRow<T, RouteRowChange>('debounceRouteChanges', dueTime, scheduler, () => new RouteMap());
}

/** The debounce itself, over a row map (the key's lookup structure). */
/** The longest wait a timer can hold (2^31-1 ms, about 24.8 days). */
const MAX_DUE_TIME = 2_147_483_647;

function debounceByRow<
  T extends { readonly kind: string },
  C extends { readonly kind: 'added' | 'changed' | 'removed'; readonly row: InterfaceIdentity },
>(name: string, dueTime: number, scheduler: SchedulerLike, newMap: <V>() => RowMap<C['row'], V>): OperatorFunction<T, T | C> {
  return (source) =>
    new Observable<T | C>((subscriber) => {
      // Above 2^31-1 ms Node's timers fire at once (TimeoutOverflowWarning) and the wait would spin.
      if (typeof dueTime !== 'number' || !(dueTime >= 0) || !(dueTime <= MAX_DUE_TIME)) {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `${name}: dueTime must be a number from 0 to ${MAX_DUE_TIME}, got ${String(dueTime)}`));
        return;
      }
      type RowChange = T & C;
      const slots = newMap<Slot<RowChange>>();
      // Slots with a pending burst, linked in the order of their latest change, hence of their
      // deadlines (dueTime is constant): the earliest deadline is always at the head.
      let head: Slot<RowChange> | undefined;
      let tail: Slot<RowChange> | undefined;
      // Idle slots of absent interfaces, oldest first: the only ones that may be forgotten.
      const absent = new Set<Slot<RowChange>>();
      let timer: Subscription | undefined;
      let firing = false;

      const unlink = (slot: Slot<RowChange>): void => {
        if (slot.prev) slot.prev.next = slot.next;
        else head = slot.next;
        if (slot.next) slot.next.prev = slot.prev;
        else tail = slot.prev;
        slot.prev = slot.next = undefined;
      };

      const append = (slot: Slot<RowChange>): void => {
        slot.prev = tail;
        slot.next = undefined;
        if (tail) tail.next = slot;
        else head = slot;
        tail = slot;
      };

      const settle = (slot: Slot<RowChange>): void => {
        const last = slot.last as RowChange;
        const before = slot.present;
        slot.last = undefined;
        slot.present = last.kind !== 'removed';
        if (!slot.present) {
          absent.add(slot);
          if (absent.size > MAX_REMEMBERED_ABSENT) {
            const oldest = absent.values().next().value as Slot<RowChange>;
            absent.delete(oldest);
            slots.delete(oldest.id);
          }
        }
        const effect = netEffect(before, last) as C | undefined;
        if (effect !== undefined) subscriber.next(effect);
      };

      function fire(this: SchedulerAction<undefined>): void {
        timer = undefined;
        firing = true;
        const now = scheduler.now();
        while (head !== undefined && head.deadline <= now) {
          const slot = head;
          unlink(slot);
          settle(slot);
          if (subscriber.closed) return;
        }
        firing = false;
        // Re-arm the same action (rxjs reuses it, and its interval when the delay is unchanged).
        if (head !== undefined) timer = this.schedule(undefined, head.deadline - now);
      }

      const onRow = (change: RowChange): void => {
        let slot = slots.get(change.row);
        if (slot === undefined) {
          slot = { id: change.row, present: presentBefore(change.kind), last: undefined, deadline: 0, prev: undefined, next: undefined };
          slots.set(change.row, slot);
          append(slot);
        } else if (slot.last === undefined) {
          if (!slot.present) absent.delete(slot);
          append(slot);
        } else if (slot !== tail) {
          // Move to the end so the list stays ordered by deadline.
          unlink(slot);
          append(slot);
        }
        slot.last = change;
        slot.deadline = scheduler.now() + dueTime;
        if (timer === undefined && !firing) timer = scheduler.schedule(fire, dueTime);
      };

      const subscription = source.subscribe({
        next: (change) => {
          if (hasRow(change as unknown as IpInterfaceChange)) onRow(change as RowChange);
          else subscriber.next(change);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          timer?.unsubscribe();
          timer = undefined;
          firing = true; // nothing re-arms while flushing
          while (head !== undefined) {
            const slot = head;
            unlink(slot);
            settle(slot);
            if (subscriber.closed) return;
          }
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        timer = undefined;
        head = tail = undefined;
        slots.clear();
        absent.clear();
      };
    });
}
