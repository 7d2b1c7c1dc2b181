import { Subject, takeUntil, type Observable, type Subscription } from 'rxjs';
import type { CliIo } from './cli-io.js';
import { formatCliError } from './format-cli-error.js';

/**
 * The life of one CLI stream, shared by `watch` (interfaces, addresses) and the route commands:
 * subscribes `make(stop$)` until a stop request (SIGINT / SIGTERM / SIGHUP, a closed stdout), an
 * error or completion, then waits for `settled()` (every registration cancelled) and resolves the
 * exit code: 0 when stopped or completed, 1 on an error of the stream, of `settled`, or a
 * `cancelError()` recorded meanwhile (each written to stderr). A stop first emits on `stop$`, so a
 * stream that completes on it (`takeUntil(stop$)`) lets `--debounce` flush the bursts it holds.
 *
 * @example
 * ```ts
 * const code = await superviseStream((stop$) => changes$.pipe(takeUntil(stop$)), print, tracked.settled, () => cancelError, io);
 * ```
 */
export function superviseStream<T>(
  make: (stop$: Observable<void>) => Observable<T>,
  next: (value: T) => void,
  settled: () => Promise<void>,
  cancelError: () => unknown,
  io: CliIo,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let finished = false;
    const stop$ = new Subject<void>();
    const values$ = make(stop$);
    let stopListening: () => void = () => undefined;
    let subscription: Subscription | undefined;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      stopListening();
      subscription?.unsubscribe();
      settled().then(
        () => {
          const error = cancelError();
          if (error === undefined) return resolve(code);
          io.writeError(`${formatCliError(error)}\n`);
          resolve(1);
        },
        (error: unknown) => {
          io.writeError(`${formatCliError(error)}\n`);
          resolve(1);
        },
      );
    };
    // Listen before subscribing: the first line may be written during subscribe, and whoever reads
    // it may signal at once.
    stopListening = io.onStopRequest(() => {
      stop$.next();
      // Normally the completion the stop caused has finished already; not when it came during subscribe.
      finish(0);
    });
    subscription = values$.subscribe({
      next,
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
