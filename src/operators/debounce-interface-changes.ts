import { Observable, asyncScheduler, type OperatorFunction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { hasRow, type IpInterfaceChange, type IpInterfaceRowChange } from '../ip-interface-change.js';
import { IpInterfaceError } from '../ip-interface-error.js';
import { interfaceKey } from '../interface-key.js';
import { netEffect, presentBefore } from './net-effect.js';

/**
 * How many interfaces last seen `removed` are remembered as absent. Interface keys churn (every new
 * veth gets a new index), so this memory is bounded; the oldest absences are forgotten first, after
 * which a burst for that interface infers its earlier presence from its first event again.
 */
const MAX_REMEMBERED_ABSENT = 10_000;

/** What the operator knows about one interface. Allocated once per interface, reused per burst. */
interface Slot<T> {
  readonly key: string;
  /** Presence before the pending burst (when idle: the presence last emitted). */
  present: boolean;
  /** The latest change of the pending burst; `undefined` when no burst is pending. */
  last: T | undefined;
  /** When the pending burst goes quiet: time of its latest change + dueTime. */
  deadline: number;
}

/**
 * Debounces IP interface changes per interface and emits the net effect of each burst.
 *
 * After `dueTime` without a change to an interface, the burst of changes it had is reduced to its net
 * effect: absent -> present = `added`, present -> absent = `removed`, present -> present = `changed`
 * carrying the latest row, absent -> absent = nothing. Presence before a burst is what the operator
 * last saw for that interface; for one it has not seen yet it follows from the burst's first change
 * (`added` means it was absent, `changed` or `removed` that it was present). Interfaces are keyed by
 * {@link interfaceKey} and are independent: a busy interface never delays another. The `initial`
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
  return (source) =>
    new Observable<T | IpInterfaceRowChange>((subscriber) => {
      if (typeof dueTime !== 'number' || !(dueTime >= 0) || !Number.isFinite(dueTime)) {
        subscriber.error(new IpInterfaceError('INVALID_PARAMETER', `debounceInterfaceChanges: dueTime must be a finite number >= 0, got ${String(dueTime)}`));
        return;
      }
      type RowChange = T & IpInterfaceRowChange;
      const slots = new Map<string, Slot<RowChange>>();
      // Slots with a pending burst, in the order of their latest change, hence of their deadlines
      // (dueTime is constant): the earliest deadline is always the first entry.
      const pending = new Map<string, Slot<RowChange>>();
      // Idle slots of absent interfaces, oldest first: the only ones that may be forgotten.
      const absent = new Set<string>();
      let tail: Slot<RowChange> | undefined;
      let timer: Subscription | undefined;
      let firing = false;

      const settle = (slot: Slot<RowChange>): void => {
        const last = slot.last as RowChange;
        const before = slot.present;
        slot.last = undefined;
        slot.present = last.kind !== 'removed';
        if (!slot.present) {
          absent.add(slot.key);
          if (absent.size > MAX_REMEMBERED_ABSENT) {
            const oldest = absent.values().next().value as string;
            absent.delete(oldest);
            slots.delete(oldest);
          }
        }
        const effect = netEffect(before, last);
        if (effect !== undefined) subscriber.next(effect);
      };

      function fire(this: SchedulerAction<undefined>): void {
        timer = undefined;
        firing = true;
        const now = scheduler.now();
        for (const slot of pending.values()) {
          if (slot.deadline > now) break;
          pending.delete(slot.key);
          settle(slot);
          if (subscriber.closed) return;
        }
        firing = false;
        const head = pending.values().next().value;
        // Re-arm the same action (rxjs reuses it, and its interval when the delay is unchanged).
        if (head !== undefined) timer = this.schedule(undefined, head.deadline - now);
      }

      const onRow = (change: RowChange): void => {
        const key = interfaceKey(change.row);
        let slot = slots.get(key);
        if (slot === undefined) {
          slot = { key, present: presentBefore(change.kind), last: undefined, deadline: 0 };
          slots.set(key, slot);
        } else if (slot.last === undefined) {
          if (!slot.present) absent.delete(key);
        } else if (slot !== tail) {
          // Move to the end so `pending` stays ordered by deadline (re-inserted below).
          pending.delete(key);
        }
        const wasPending = slot.last !== undefined;
        slot.last = change;
        slot.deadline = scheduler.now() + dueTime;
        if (!wasPending || slot !== tail) pending.set(key, slot);
        tail = slot;
        if (timer === undefined && !firing) timer = scheduler.schedule(fire, dueTime);
      };

      const subscription = source.subscribe({
        next: (change) => {
          if (hasRow(change)) onRow(change);
          else subscriber.next(change);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          timer?.unsubscribe();
          timer = undefined;
          firing = true; // nothing re-arms while flushing
          for (const slot of pending.values()) {
            pending.delete(slot.key);
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
        pending.clear();
        slots.clear();
        absent.clear();
        tail = undefined;
      };
    });
}
