import { formatClockTime } from '../../../src/cli/format-clock-time';

describe('formatClockTime', () => {
  it('is local HH:MM:SS.mmm, zero-padded', () => {
    expect(formatClockTime(new Date(2026, 10, 25, 9, 5, 7, 42))).toBe('09:05:07.042');
    expect(formatClockTime(new Date(2026, 10, 25, 23, 59, 59, 999))).toBe('23:59:59.999');
    expect(formatClockTime(new Date(2026, 0, 1, 0, 0, 0, 0))).toBe('00:00:00.000');
  });
});
