import type { CliIo } from '../../../src/cli/cli-io';

/** A CliIo that records output and lets the test request a stop. */
export interface TestIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  /** Simulates Ctrl-C; false when no command listens. */
  stop(): boolean;
  readonly listening: boolean;
}

export function testIo(options: { color?: boolean; trace?: boolean; now?: () => Date } = {}): TestIo {
  const out: string[] = [];
  const err: string[] = [];
  let handler: ((reason: string) => void) | undefined;
  return {
    out,
    err,
    write: (text) => void out.push(text),
    writeError: (text) => void err.push(text),
    color: options.color ?? false,
    trace: options.trace ?? false,
    now: options.now ?? (() => new Date(2026, 10, 25, 14, 0, 0, 0)),
    onStopRequest(h) {
      handler = h;
      return () => {
        if (handler === h) handler = undefined;
      };
    },
    stop() {
      if (!handler) return false;
      handler('SIGINT');
      return true;
    },
    get listening() {
      return handler !== undefined;
    },
  };
}
