/**
 * What the CLI commands touch of the outside world, so they run the same against a real process
 * and in unit tests.
 *
 * @example
 * ```ts
 * const io: CliIo = { write: (t) => process.stdout.write(t), writeError: (t) => process.stderr.write(t),
 *   color: false, trace: false, now: () => new Date(), onStopRequest: () => () => undefined };
 * ```
 */
export interface CliIo {
  /** Writes to stdout (one call per line, so each line is flushed on its own). */
  write(text: string): void;
  /** Writes to stderr. */
  writeError(text: string): void;
  /** Colour the human output (stdout is a colour TTY). */
  readonly color: boolean;
  /** Write lifecycle lines (`trace: ...`) to stderr (`RXJS_IP_INTERFACE_TRACE=1`). */
  readonly trace: boolean;
  now(): Date;
  /** Calls `handler` on SIGINT / SIGTERM / SIGHUP (or a closed stdout); returns the function that stops listening. */
  onStopRequest(handler: (reason: string) => void): () => void;
}
