import type { IpInterfaceChangeKind } from '../ip-interface-change.js';

const SGR: Record<IpInterfaceChangeKind, string> = {
  initial: '36', // cyan
  added: '32', // green
  changed: '33', // yellow
  removed: '31', // red
};

/**
 * Wraps `text` in the ANSI colour of a change kind (added green, changed yellow, removed red,
 * initial cyan), or returns it unchanged when `enabled` is false.
 *
 * @example
 * ```ts
 * colorizeKind('added', 'added  ', true); // '\u001b[32madded  \u001b[39m'
 * ```
 */
export function colorizeKind(kind: IpInterfaceChangeKind, text: string, enabled: boolean): string {
  return enabled ? `\u001b[${SGR[kind]}m${text}\u001b[39m` : text;
}
