import { takeUntil, type Observable } from 'rxjs';
import type { IpInterfaceAdapter, NotificationHandle } from '../adapter.js';
import type { IpInterfaceError } from '../ip-interface-error.js';
import type { CliIo } from './cli-io.js';
import { superviseStream } from './supervise-stream.js';

/**
 * Wraps an adapter's route half to know when its registrations and cancellations have settled (and
 * trace them); the adapter's own promises go back unchanged (they may carry `settledHandle` /
 * `settledRoute`). The other methods are the adapter's.
 */
function observedRoutes(adapter: IpInterfaceAdapter, io: CliIo): { adapter: IpInterfaceAdapter; settled(): Promise<void> } {
  const registrations: Promise<NotificationHandle>[] = [];
  const cancellations: Promise<void>[] = [];
  const trace = (line: string): void => {
    if (io.trace) io.writeError(`trace: ${line}\n`);
  };
  const wrapped: IpInterfaceAdapter = {
    name: adapter.name,
    notifyIpInterfaceChange: (family, callback, initial) => adapter.notifyIpInterfaceChange(family, callback, initial),
    getIpInterfaceTable: (family) => adapter.getIpInterfaceTable(family),
    cancelMibChangeNotify2(handle) {
      const cancellation = adapter.cancelMibChangeNotify2(handle);
      cancellations.push(cancellation);
      cancellation.then(() => trace(`CancelMibChangeNotify2(${adapter.name} handle ${handle.id}) done`), () => undefined);
      return cancellation;
    },
  };
  // Only the methods the adapter has: a missing one is what makes the streams say NOT_SUPPORTED.
  if (typeof adapter.notifyRouteChange2 === 'function') {
    const notify = adapter.notifyRouteChange2.bind(adapter);
    wrapped.notifyRouteChange2 = (family, callback, initial) => {
      const registration = notify(family, callback, initial);
      registrations.push(registration);
      registration.then((h) => trace(`NotifyRouteChange2(${family}) -> ${adapter.name} handle ${h.id}`), () => undefined);
      return registration;
    };
  }
  if (typeof adapter.getIpForwardTable2 === 'function') wrapped.getIpForwardTable2 = adapter.getIpForwardTable2.bind(adapter);
  if (typeof adapter.getBestRoute2 === 'function') {
    const lookup = adapter.getBestRoute2.bind(adapter);
    wrapped.getBestRoute2 = (family, destination) => {
      trace(`GetBestRoute2(${family}, ${destination})`);
      return lookup(family, destination);
    };
  }
  const settled = async (): Promise<void> => {
    await Promise.allSettled(registrations);
    // The stream cancels a registration that settles after unsubscribe in its own `then`: one more turn.
    await Promise.resolve();
    await Promise.all(cancellations);
  };
  return { adapter: wrapped, settled };
}

/**
 * The skeleton of the route commands that stream (`watch routes`, `watch default-route`): subscribes
 * to `make(adapter)`, prints each value with `print`, stops on a stop request (SIGINT / SIGTERM, a
 * closed stdout) or an error, and resolves with the exit code once the registration is cancelled:
 * 0 when stopped, 1 on an adapter error or a failed cancel (written to stderr).
 *
 * @example
 * ```ts
 * process.exitCode = await runRouteStream((a, onCancelError) => routeChanges$(AF_INET, true, { adapter: a, onCancelError }), print, adapter, io);
 * ```
 */
export function runRouteStream<T>(
  make: (adapter: IpInterfaceAdapter, onCancelError: (error: IpInterfaceError) => void) => Observable<T>,
  print: (value: T) => void,
  adapter: IpInterfaceAdapter,
  io: CliIo,
): Promise<number> {
  const tracked = observedRoutes(adapter, io);
  let cancelError: unknown;
  return superviseStream(
    (stop$) => make(tracked.adapter, (error) => (cancelError = error)).pipe(takeUntil(stop$)),
    print,
    tracked.settled,
    () => cancelError,
    io,
  );
}
