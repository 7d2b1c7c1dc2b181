import { takeUntil, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import type { AddressFamily } from '../address-family.js';
import type { IpInterfaceAdapter, NotificationHandle } from '../adapter.js';
import type { CliIo } from './cli-io.js';
import { superviseStream } from './supervise-stream.js';
import type { WatchOptions } from './parse-cli-arguments.js';
import { toJsonLine } from './to-json-line.js';

/** A change as every stream of the library has it: the marker, or a row change. */
export type WatchedChange<Row> =
  | { readonly kind: 'initial'; readonly family: AddressFamily }
  | { readonly kind: 'added' | 'changed' | 'removed'; readonly row: Row };

/** What `watch` needs to know about one kind of row (interfaces, addresses). */
export interface WatchSubject<Row, Change extends WatchedChange<Row>> {
  /** The stream, always with the marker (it says when the registration is live, to seed the rows). */
  changes$(family: AddressFamily, adapter: IpInterfaceAdapter, onCancelError: (error: unknown) => void): Observable<Change>;
  /** `--debounce`: the per-key debounce operator. */
  debounce(dueTime: number): MonoTypeOperatorFunction<Change>;
  /** The key the rows are remembered by, to show what a `changed` changed. */
  key(row: Row): string;
  /** The current table of the adapter, to seed the rows (undefined: the adapter has none). */
  table(adapter: IpInterfaceAdapter, family: AddressFamily): Promise<readonly Row[]> | undefined;
  /** One human line (without newline). */
  format(change: Change, options: { readonly time: Date; readonly previous: Row | undefined; readonly color: boolean }): string;
}

/** Wraps an adapter to know when its registrations and cancellations have settled (and trace them). */
function observed(adapter: IpInterfaceAdapter, io: CliIo) {
  const registrations: Promise<NotificationHandle>[] = [];
  const cancellations: Promise<void>[] = [];
  const trace = (line: string): void => {
    if (io.trace) io.writeError(`trace: ${line}\n`);
  };
  const track = (what: string, family: AddressFamily, registration: Promise<NotificationHandle>): Promise<NotificationHandle> => {
    registrations.push(registration);
    registration.then((h) => trace(`${what}(${family}) -> ${adapter.name} handle ${h.id}`), () => undefined);
    // The adapter's own promise goes back unchanged: it may carry `settledHandle`.
    return registration;
  };
  const wrapped: IpInterfaceAdapter = {
    name: adapter.name,
    notifyIpInterfaceChange: (family, callback, initial, ended) =>
      track('NotifyIpInterfaceChange', family, adapter.notifyIpInterfaceChange(family, callback, initial, ended)),
    cancelMibChangeNotify2(handle) {
      const cancellation = adapter.cancelMibChangeNotify2(handle);
      cancellations.push(cancellation);
      cancellation.then(() => trace(`CancelMibChangeNotify2(${adapter.name} handle ${handle.id}) done`), () => undefined);
      return cancellation;
    },
    getIpInterfaceTable: (family) => adapter.getIpInterfaceTable(family),
  };
  // The address half only where the adapter has it: without it the stream says NOT_SUPPORTED.
  const { notifyUnicastIpAddressChange, getUnicastIpAddressTable } = adapter;
  if (notifyUnicastIpAddressChange && getUnicastIpAddressTable) {
    wrapped.notifyUnicastIpAddressChange = (family, callback, initial, ended) =>
      track('NotifyUnicastIpAddressChange', family, notifyUnicastIpAddressChange.call(adapter, family, callback, initial, ended));
    wrapped.getUnicastIpAddressTable = (family) => getUnicastIpAddressTable.call(adapter, family);
  }
  /** Resolves once every registration made is cancelled; rejects with a failed cancellation's error. */
  const settled = async (): Promise<void> => {
    await Promise.allSettled(registrations);
    // The stream cancels a registration that settles after unsubscribe in its own `then`, which
    // ran before ours above; one more turn lets a cancellation it started be recorded.
    await Promise.resolve();
    await Promise.all(cancellations);
  };
  return { adapter: wrapped, settled };
}

/**
 * The loop behind `watch` and `watch addresses`: streams the changes of `options.family` through
 * `adapter` until a stop request (SIGINT / SIGTERM / SIGHUP, a closed stdout) or an adapter error.
 * On a stop, bursts that `--debounce` still holds are printed first. Human lines or NDJSON, one
 * `write` per line. For `changed` the row seen before under the same key is passed to the
 * formatter; rows are first seeded from the table once the registration is live. Resolves with the
 * exit code once the registration is cancelled: 0 when stopped, 1 on an adapter error (written to
 * stderr).
 *
 * @example
 * ```ts
 * process.exitCode = await runWatchStream(INTERFACES, options, adapter, io);
 * ```
 */
export function runWatchStream<Row, Change extends WatchedChange<Row>>(
  subject: WatchSubject<Row, Change>,
  options: WatchOptions,
  adapter: IpInterfaceAdapter,
  io: CliIo,
): Promise<number> {
  const rows = new Map<string, Row>();
  const tracked = observed(adapter, io);
  let cancelError: unknown;
  const print = (change: Change, previous: Row | undefined): void => {
    const time = io.now();
    io.write(`${options.json ? toJsonLine(change, time) : subject.format(change, { time, previous, color: io.color })}\n`);
  };

  const seed = (): void => {
    const table = subject.table(adapter, options.family);
    table?.then(
      (current) => {
        // Rows from events are newer than (or as new as) the table: never overwrite them.
        for (const row of current) if (!rows.has(subject.key(row))) rows.set(subject.key(row), row);
      },
      // Without the table the first `changed` of a row just cannot show what changed.
      () => undefined,
    );
  };

  const next = (change: Change): void => {
    if (change.kind === 'initial') {
      if (options.initial) print(change, undefined);
      seed();
      return;
    }
    const row = (change as Extract<WatchedChange<Row>, { row: Row }>).row;
    const key = subject.key(row);
    print(change, rows.get(key));
    if (change.kind === 'removed') rows.delete(key);
    else rows.set(key, row);
  };

  // A stop completes the source instead of just unsubscribing, so that --debounce first prints the
  // bursts it still holds (the operator flushes on completion).
  return superviseStream(
    (stop$) => {
      const changes$ = subject.changes$(options.family, tracked.adapter, (error) => (cancelError = error)).pipe(takeUntil(stop$));
      return options.debounceMs === undefined ? changes$ : changes$.pipe(subject.debounce(options.debounceMs));
    },
    next,
    tracked.settled,
    () => cancelError,
    io,
  );
}
