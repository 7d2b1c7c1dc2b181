/**
 * A recording callback for adapter tests. Framework-free (no jest): the contract suite also runs
 * from a plain node script (the polling child, Windows node.exe under Wine).
 */
import type { IpInterfaceChangeCallback, MibNotificationType } from '../../src/adapter';
import type { IpInterfaceRow } from '../../src/ip-interface-row';

/** One callback invocation. */
export interface Call {
  readonly row: IpInterfaceRow | null;
  readonly type: MibNotificationType;
  /** Date.now() when it was called. */
  readonly at: number;
}

/** What {@link recorder} returns. */
export interface Recorder {
  readonly callback: IpInterfaceChangeCallback;
  readonly calls: Call[];
  /** True when the callback was ever entered while already running (contract rule 2). */
  reentered(): boolean;
}

/** A callback that records its calls and whether it was ever entered re-entrantly. */
export function recorder(): Recorder {
  const calls: Call[] = [];
  let depth = 0;
  let reentered = false;
  const callback: IpInterfaceChangeCallback = (row, type) => {
    depth++;
    if (depth > 1) reentered = true;
    calls.push({ row, type, at: Date.now() });
    depth--;
  };
  return { callback, calls, reentered: () => reentered };
}
