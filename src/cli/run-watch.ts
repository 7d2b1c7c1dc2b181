import { Subject, takeUntil, type Observable, type Subscription } from 'rxjs';
import type { IpInterfaceAdapter, NotificationHandle } from '../adapter.js';
import type { IpInterfaceChange } from '../ip-interface-change.js';
import { ipInterfaceChanges$ } from '../ip-interface-changes.js';
import type { IpInterfaceRow } from '../ip-interface-row.js';
import { interfaceKey } from '../interface-key.js';
import { debounceInterfaceChanges } from '../operators/debounce-interface-changes.js';
import type { CliIo } from './cli-io.js';
import { formatChangeLine } from './format-change-line.js';
import { formatCliError } from './format-cli-error.js';
import type { WatchOptions } from './parse-cli-arguments.js';
import { toJsonLine } from './to-json-line.js';

/** Wraps an adapter to know when its registrations and cancellations have settled (and trace them). */
function observed(adapter: IpInterfaceAdapter, io: CliIo) {
  const registrations: Promise<NotificationHandle>[] = [];
  const cancellations: Promise<void>[] = [];
  const trace = (line: string): void => {
    if (io.trace) io.writeError(`trace: ${line}\n`);
  };
  const wrapped: IpInterfaceAdapter = {
    name: adapter.name,
    notifyIpInterfaceChange(family, callback, initial) {
      // The adapter's own promise goes back unchanged: it may carry `settledHandle`.
      const registration = adapter.notifyIpInterfaceChange(family, callback, initial);
      registrations.push(registration);
      registration.then((h) => trace(`NotifyIpInterfaceChange(${family}) -> ${adapter.name} handle ${h.id}`), () => undefined);
      return registration;
    },
    cancelMibChangeNotify2(handle) {
      const cancellation = adapter.cancelMibChangeNotify2(handle);
      cancellations.push(cancellation);
      cancellation.then(() => trace(`CancelMibChangeNotify2(${adapter.name} handle ${handle.id}) done`), () => undefined);
      return cancellation;
    },
    getIpInterfaceTable: (family) => adapter.getIpInterfaceTable(family),
  };
  /** Resolves once every registration made is cancelled; rejects with a failed cancellation's error. */
  const settled = async (): Promise<void> => {
    await Promise.allSettled(registrations);
    // ipInterfaceChanges$ cancels a registration that settles after unsubscribe in its own `then`,
    // which ran before ours above; one more turn lets a cancellation it started be recorded.
    await Promise.resolve();
    await Promise.all(cancellations);
  };
  return { adapter: wrapped, settled };
}

/**
 * `watch`: streams the changes of `options.family` through `adapter` until a stop request
 * (SIGINT / SIGTERM) or an adapter error. On a stop, bursts that `--debounce` still holds are
 * printed first. Human lines or NDJSON, one `write` per line. For `changed`
 * the fields that differ from the row seen before for the interface are shown; rows are first
 * seeded from the table once the registration is live. Resolves with the exit code once the
 * registration is cancelled: 0 when stopped, 1 on an adapter error (written to stderr).
 *
 * @example
 * ```ts
 * process.exitCode = await runWatch({ family: 'unspec', initial: true, json: false, ... }, adapter, io);
 * ```
 */
export function runWatch(options: WatchOptions, adapter: IpInterfaceAdapter, io: CliIo): Promise<number> {
  return new Promise<number>((resolve) => {
    const rows = new Map<string, IpInterfaceRow>();
    const tracked = observed(adapter, io);
    let finished = false;
    let cancelError: unknown;

    // A stop completes the source instead of just unsubscribing, so that --debounce first prints the
    // bursts it still holds (the operator flushes on completion).
    const stop$ = new Subject<void>();
    // Always ask for the marker: it says when the registration is live (to seed the rows).
    let changes$: Observable<IpInterfaceChange> = ipInterfaceChanges$(options.family, true, {
      adapter: tracked.adapter,
      onCancelError: (error) => (cancelError = error),
    }).pipe(takeUntil(stop$));
    if (options.debounceMs !== undefined) changes$ = changes$.pipe(debounceInterfaceChanges<IpInterfaceChange>(options.debounceMs));

    const print = (change: IpInterfaceChange, previous: IpInterfaceRow | undefined): void => {
      const time = io.now();
      io.write(`${options.json ? toJsonLine(change, time) : formatChangeLine(change, { time, previous, color: io.color })}\n`);
    };

    const seed = (): void => {
      adapter.getIpInterfaceTable(options.family).then(
        (table) => {
          // Rows from events are newer than (or as new as) the table: never overwrite them.
          for (const row of table) if (!rows.has(interfaceKey(row))) rows.set(interfaceKey(row), row);
        },
        // Without the table the first `changed` of an interface just cannot show what changed.
        () => undefined,
      );
    };

    let stopListening: () => void = () => undefined;
    let subscription: Subscription | undefined;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      stopListening();
      subscription?.unsubscribe();
      tracked.settled().then(
        () => {
          if (cancelError === undefined) return resolve(code);
          io.writeError(`${formatCliError(cancelError)}\n`);
          resolve(1);
        },
        (error: unknown) => {
          io.writeError(`${formatCliError(error)}\n`);
          resolve(1);
        },
      );
    };

    // Listen before subscribing: the marker may be written during subscribe, and whoever reads it may
    // signal at once.
    stopListening = io.onStopRequest(() => {
      stop$.next();
      // Normally the completion above has finished already; not when the stop came during subscribe.
      finish(0);
    });
    subscription = changes$.subscribe({
      next: (change) => {
        if (change.kind === 'initial') {
          if (options.initial) print(change, undefined);
          seed();
          return;
        }
        const key = interfaceKey(change.row);
        print(change, rows.get(key));
        if (change.kind === 'removed') rows.delete(key);
        else rows.set(key, change.row);
      },
      error: (error: unknown) => {
        io.writeError(`${formatCliError(error)}\n`);
        finish(1);
      },
      complete: () => finish(0),
    });
    // An error or a stop during subscribe finished before `subscription` was assigned.
    if (finished) subscription.unsubscribe();
  });
}
