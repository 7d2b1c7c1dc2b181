/**
 * Local wall-clock time with milliseconds, `HH:MM:SS.mmm`: the first column of the CLI's lines.
 *
 * @example
 * ```ts
 * formatClockTime(new Date(2026, 10, 25, 9, 5, 7, 42)); // '09:05:07.042'
 * ```
 */
export function formatClockTime(time: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`;
}
