import { Observable, Subject, Subscription, type GroupedObservable, type OperatorFunction } from 'rxjs';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../ip-interface-change.js';
import { interfaceKey } from '../interface-key.js';

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
  type RowChange = T & IpInterfaceRowChange;
  return (source) =>
    new Observable<GroupedObservable<string, RowChange>>((subscriber) => {
      const groups = new Map<string, Subject<RowChange>>();
      // Subscriptions to groups that are still open: they keep the source alive after the outer
      // subscriber left (groupBy semantics).
      let groupSubscribers = 0;
      let outerClosed = false;
      const sourceSubscription = new Subscription();
      const release = (): void => {
        if (outerClosed && groupSubscribers === 0) sourceSubscription.unsubscribe();
      };

      const makeGroup = (key: string, subject: Subject<RowChange>): GroupedObservable<string, RowChange> => {
        const group = new Observable<RowChange>((groupSubscriber) => {
          groupSubscribers++;
          const inner = subject.subscribe(groupSubscriber);
          return () => {
            inner.unsubscribe();
            groupSubscribers--;
            release();
          };
        });
        return Object.assign(group, { key });
      };

      const endAll = (end: (group: Subject<RowChange>) => void): void => {
        const open = [...groups.values()];
        groups.clear();
        for (const group of open) end(group);
      };

      sourceSubscription.add(
        source.subscribe({
          next: (change) => {
            if (change.kind === 'initial') return;
            const rowChange = change as RowChange;
            const key = interfaceKey(rowChange.row);
            let group = groups.get(key);
            if (group === undefined) {
              group = new Subject<RowChange>();
              groups.set(key, group);
              subscriber.next(makeGroup(key, group));
            }
            group.next(rowChange);
            if (rowChange.kind === 'removed') {
              // A subscriber may have re-entered and replaced the group meanwhile: only drop our own.
              if (groups.get(key) === group) groups.delete(key);
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
