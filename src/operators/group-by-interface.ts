import { Observable, Subscription, type GroupedObservable, type OperatorFunction, type Subscriber } from 'rxjs';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../ip-interface-change.js';
import { interfaceKey } from '../interface-key.js';
import { unicastAddressKey } from '../unicast-address-key.js';
import type { UnicastIpAddressChange, UnicastIpAddressRowChange } from '../unicast-ip-address-change.js';
import type { RouteChange, RouteRowChange } from '../route-change.js';
import { routeKey } from '../route-key.js';
import { AddressMap, InterfaceMap, RouteMap, type RowMap } from './interface-map.js';

/**
 * Splits IP interface changes into one `GroupedObservable` per interface, keyed by
 * {@link interfaceKey} (family + LUID).
 *
 * A group completes right after it delivered its interface's `removed` change, so groups of removed
 * interfaces do not pile up; a later `added` for the same key opens a new group. The `initial` marker
 * is dropped (it belongs to no interface). When the source completes or errors, every open group does
 * the same, then the outer Observable. Like RxJS `groupBy`, the source stays subscribed while a group
 * is still subscribed after the outer subscriber left; it is released when the last one leaves.
 *
 * In a per-group pipeline, that completion also makes a per-group `debounceInterfaceChanges` emit
 * the removal at once instead of after its quiet time.
 *
 * Why not `groupBy(key, { duration })`: its duration notifier can see the `removed` change before a
 * group's own subscribers do and close the group under them; here the group always delivers it first.
 *
 * ```text
 * source:   i-a-b-c-r---a---|   a: added eth1, b: added eth2, c: changed eth1, r: removed eth1
 * result:   --1-2-------3---|   1, 2, 3: groups
 * group 1:  --a---c-(r|)        eth1, completes with its removal
 * group 2:  ----b-----------|   eth2, completes with the source
 * group 3:  ------------a---|   eth1 again: a new group
 * ```
 *
 * @example
 * ```ts
 * import { mergeMap } from 'rxjs';
 * import { ipInterfaceChanges$, groupByInterface, serialDelivery, AF_UNSPEC } from 'rxjs-ip-interface';
 *
 * // One pipeline per interface: each interface's changes are handled in order, interfaces in parallel.
 * ipInterfaceChanges$(AF_UNSPEC)
 *   .pipe(
 *     groupByInterface(),
 *     mergeMap((group) => group.pipe(serialDelivery(async (change) => console.log(group.key, change.kind)))),
 *   )
 *   .subscribe();
 * ```
 */
export function groupByInterface<T extends IpInterfaceChange>(): OperatorFunction<
  T,
  GroupedObservable<string, T & IpInterfaceRowChange>
> {
  return groupByRow<T, IpInterfaceRowChange>(() => new InterfaceMap(), interfaceKey);
}

/**
 * {@link groupByInterface} for unicast address changes: one `GroupedObservable` per address, keyed
 * by `unicastAddressKey` (family + LUID + address text), completing right after the address's
 * `removed`. Use this, not `groupByInterface`, on `unicastIpAddressChanges$`: the interface form
 * would put every address of an interface into one group (address changes fit its type).
 *
 * ```text
 * source:   i-a-b-c-r---|   a: added 10.9.0.1, b: added 10.9.0.2 (same interface), c: changed 10.9.0.1, r: removed 10.9.0.1
 * result:   --1-2-------|
 * group 1:  --a---c-(r|)
 * group 2:  ----b-------|
 * ```
 *
 * @example
 * ```ts
 * import { mergeMap } from 'rxjs';
 * import { unicastIpAddressChanges$, groupByAddress, AF_UNSPEC } from 'rxjs-ip-interface';
 *
 * unicastIpAddressChanges$(AF_UNSPEC)
 *   .pipe(groupByAddress(), mergeMap((group) => group))
 *   .subscribe((change) => console.log(change.kind, change.row.address));
 * ```
 */
export function groupByAddress<T extends UnicastIpAddressChange>(): OperatorFunction<
  T,
  GroupedObservable<string, T & UnicastIpAddressRowChange>
> {
  return groupByRow<T, UnicastIpAddressRowChange>(() => new AddressMap(), unicastAddressKey);
}

/**
 * {@link groupByInterface} for route changes: one `GroupedObservable` per route next hop, keyed by
 * `routeKey` (family, table, prefix, metric, next hop, LUID), completing right after its `removed`.
 * Use this on `routeChanges$`: the interface form would put every route of an interface into one group.
 *
 * ```text
 * source:   i-a-b-c-r---|   a: added 10.77.0.0/16 via 10.9.0.2, b: added default via 10.9.0.1 (same interface),
 * result:   --1-2-------|   c: changed 10.77.0.0/16, r: removed 10.77.0.0/16
 * group 1:  --a---c-(r|)
 * group 2:  ----b-------|
 * ```
 *
 * @example
 * ```ts
 * import { mergeMap } from 'rxjs';
 * import { routeChanges$, groupByRoute, AF_INET } from 'rxjs-ip-interface';
 *
 * routeChanges$(AF_INET)
 *   .pipe(groupByRoute(), mergeMap((group) => group))
 *   .subscribe((change) => console.log(change.kind, `${change.row.destinationPrefix.prefix}/${change.row.destinationPrefix.prefixLength}`));
 * ```
 */
export function groupByRoute<T extends RouteChange>(): OperatorFunction<T, GroupedObservable<string, T & RouteRowChange>> {
  return groupByRow<T, RouteRowChange>(() => new RouteMap(), routeKey);
}

/** The grouping itself, over a row map (the key's lookup structure) and the key's text. */
function groupByRow<T extends { readonly kind: string }, C extends { readonly kind: 'added' | 'changed' | 'removed'; readonly row: object }>(
  newMap: <V>() => RowMap<C['row'], V>,
  keyOf: (row: C['row']) => string,
): OperatorFunction<T, GroupedObservable<string, T & C>> {
  type RowChange = T & C;
  return (source) =>
    new Observable<GroupedObservable<string, RowChange>>((subscriber) => {
      // Looked up by family + LUID (+ address): the key string is built once per group, not once per change.
      const groups = newMap<Channel<RowChange>>();
      // Subscriptions to groups that are still open: they keep the source alive after the outer
      // subscriber left (groupBy semantics).
      let groupSubscribers = 0;
      let outerClosed = false;
      const sourceSubscription = new Subscription();
      const release = (): void => {
        if (outerClosed && groupSubscribers === 0) sourceSubscription.unsubscribe();
      };

      const makeGroup = (key: string, channel: Channel<RowChange>): GroupedObservable<string, RowChange> => {
        const group = new Observable<RowChange>((groupSubscriber) => {
          if (!channel.add(groupSubscriber)) return undefined;
          groupSubscribers++;
          return () => {
            channel.remove(groupSubscriber);
            groupSubscribers--;
            release();
          };
        });
        return Object.assign(group, { key });
      };

      const endAll = (end: (group: Channel<RowChange>) => void): void => {
        const open = [...groups.values()];
        groups.clear();
        for (const group of open) end(group);
      };

      sourceSubscription.add(
        source.subscribe({
          next: (change) => {
            if (change.kind === 'initial') return;
            const rowChange = change as RowChange;
            const row = rowChange.row;
            let group = groups.get(row);
            if (group === undefined) {
              group = new Channel<RowChange>();
              groups.set(row, group);
              subscriber.next(makeGroup(keyOf(row), group));
            }
            group.next(rowChange);
            if (rowChange.kind === 'removed') {
              // A subscriber may have re-entered and replaced the group meanwhile: only drop our own.
              if (groups.get(row) === group) groups.delete(row);
              group.complete();
            }
          },
          error: (error: unknown) => {
            endAll((group) => group.error(error));
            subscriber.error(error);
          },
          complete: () => {
            endAll((group) => group.complete());
            subscriber.complete();
          },
        }),
      );

      return () => {
        outerClosed = true;
        release();
      };
    });
}

/**
 * The multicast behind one group: what a `Subject` does here, minus its per-value closure and
 * iterator (the CommonJS build of rxjs is ES5): a copy-on-write list of subscribers, so one that
 * leaves or joins during a delivery does not disturb it. A subscriber that joins after the end gets
 * the end at once.
 */
class Channel<T> {
  private subscribers: readonly Subscriber<T>[] = [];
  private ended: { readonly error: unknown; readonly failed: boolean } | undefined;

  /** False when the channel already ended (the subscriber was told so at once). */
  add(subscriber: Subscriber<T>): boolean {
    if (this.ended) {
      if (this.ended.failed) subscriber.error(this.ended.error);
      else subscriber.complete();
      return false;
    }
    this.subscribers = [...this.subscribers, subscriber];
    return true;
  }

  remove(subscriber: Subscriber<T>): void {
    const index = this.subscribers.indexOf(subscriber);
    if (index >= 0) this.subscribers = this.subscribers.filter((_, i) => i !== index);
  }

  next(value: T): void {
    const list = this.subscribers;
    for (let i = 0; i < list.length; i++) list[i]!.next(value);
  }

  complete(): void {
    this.end({ error: undefined, failed: false });
  }

  error(error: unknown): void {
    this.end({ error, failed: true });
  }

  private end(how: { readonly error: unknown; readonly failed: boolean }): void {
    if (this.ended) return;
    this.ended = how;
    const list = this.subscribers;
    this.subscribers = [];
    for (const subscriber of list) {
      if (how.failed) subscriber.error(how.error);
      else subscriber.complete();
    }
  }
}
