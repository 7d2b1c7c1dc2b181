import {
  BatchTimer, BURST_WINDOW_MS, MAX_CARRY_MS, MIN_DEFER_MS, QUIET_MS, STALE_QUIET_MS, UNANSWERED_QUIET_MS, type Timers,
} from '../../../adapters/linux/batch-timer';

/** A virtual clock and timers: time moves only when the test says so. */
class VirtualTime implements Timers {
  now = 1000;
  private nextId = 1;
  readonly pending = new Map<number, { at: number; callback: () => void }>();
  readonly clock = { now: () => this.now };

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.pending.delete(timer as number);
  }

  /** Advances time, firing due timers in order (a timer may set another). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].callback();
    }
    this.now = end;
  }
}

function setup(): { time: VirtualTime; timer: BatchTimer; quiet: number[] } {
  const time = new VirtualTime();
  const quiet: number[] = [];
  const timer = new BatchTimer(() => quiet.push(time.now), time.clock, time);
  return { time, timer, quiet };
}

describe('BatchTimer (virtual time)', () => {
  it('a lone costly completion is not deferred (no recent costly completion)', () => {
    const { time, timer } = setup();
    expect(timer.shouldDefer(time.now, { costly: true }, false)).toBe(false);
    expect(timer.armed).toBe(false);
  });

  it('within a burst a costly completion waits for QUIET_MS of quiet, re-armed by every wake-up', () => {
    const { time, timer, quiet } = setup();
    const start = time.now;
    timer.completed(start - 1, true); // a costly completion just ended: a burst
    expect(timer.shouldDefer(time.now, { costly: true }, false)).toBe(true);
    expect(timer.armed).toBe(true);
    time.advance(2);
    expect(timer.shouldDefer(time.now, { costly: true }, false)).toBe(true); // another wake-up moves the deadline
    time.advance(2);
    expect(quiet).toEqual([]); // 4 ms after the first, 2 after the last: not quiet yet
    time.advance(QUIET_MS);
    expect(quiet).toEqual([start + 2 + QUIET_MS]);
  });

  it('a deferral lasts at most max(MIN_DEFER_MS, 4 x the last cost) under a steady flow', () => {
    const { time, timer } = setup();
    timer.completed(time.now - 1, true); // cost 1 ms: the bound is MIN_DEFER_MS
    const since = time.now;
    while (timer.shouldDefer(time.now, { costly: true }, false)) time.advance(1);
    expect(time.now - since).toBe(MIN_DEFER_MS);
  });

  it('an expensive last completion stretches the bound to 4x its cost, while it is within the burst window', () => {
    const { time, timer } = setup();
    time.now += 10;
    timer.completed(time.now - 10, true); // cost 10 ms -> 40 ms
    const since = time.now;
    while (timer.shouldDefer(time.now, { costly: true }, false)) time.advance(1);
    expect(time.now - since).toBe(40);
  });

  it('no deferral outside the burst window, when quiet, or when the batch is cheap', () => {
    const { time, timer } = setup();
    timer.completed(time.now - 1, true);
    expect(timer.shouldDefer(time.now, { costly: false }, false)).toBe(false);
    expect(timer.shouldDefer(time.now, { costly: true }, true)).toBe(false);
    time.advance(BURST_WINDOW_MS);
    expect(timer.shouldDefer(time.now, { costly: true }, false)).toBe(false);
  });

  it('a completion that made no request does not start a burst', () => {
    const { time, timer } = setup();
    timer.completed(time.now - 5, false);
    expect(timer.shouldDefer(time.now, { costly: true }, false)).toBe(false);
  });

  it('carried work waits UNANSWERED_QUIET_MS for a removal, STALE_QUIET_MS for a neighbour re-read', () => {
    for (const [unanswered, ms] of [[true, UNANSWERED_QUIET_MS], [false, STALE_QUIET_MS]] as const) {
      const { time, timer, quiet } = setup();
      const start = time.now;
      timer.carry(time.now, unanswered);
      time.advance(ms - 1);
      expect(quiet).toEqual([]);
      time.advance(1);
      expect(quiet).toEqual([start + ms]);
    }
  });

  it('removals are confirmed when quiet, or once carried longer than MAX_CARRY_MS', () => {
    const { time, timer } = setup();
    expect(timer.mustConfirm(time.now, true)).toBe(true);
    expect(timer.mustConfirm(time.now, false)).toBe(false);
    timer.carry(time.now, true);
    time.now += MAX_CARRY_MS; // no timers fired: a steady flow kept re-arming
    expect(timer.mustConfirm(time.now, false)).toBe(false);
    time.now += 1;
    expect(timer.mustConfirm(time.now, false)).toBe(true);
  });

  it('a later carry keeps the first carry time; settle forgets it and cancels the timer', () => {
    const { time, timer, quiet } = setup();
    timer.carry(time.now, false);
    time.now += MAX_CARRY_MS;
    timer.carry(time.now, false);
    time.now += 1;
    expect(timer.mustConfirm(time.now, false)).toBe(true);
    timer.settle();
    expect(timer.armed).toBe(false);
    expect(timer.mustConfirm(time.now, false)).toBe(false);
    time.advance(UNANSWERED_QUIET_MS * 2);
    expect(quiet).toEqual([]);
  });

  it('a shorter wait replaces a longer pending timer; a longer one only moves the deadline', () => {
    const { time, timer, quiet } = setup();
    const start = time.now;
    timer.carry(time.now, true); // 1000 ms
    timer.carry(time.now, false); // 50 ms: fires sooner
    time.advance(STALE_QUIET_MS);
    expect(quiet).toEqual([start + STALE_QUIET_MS]);
    const second = time.now;
    timer.carry(time.now, false); // 50 ms timer...
    timer.carry(time.now, true); // ...deadline moved to 1000 ms: the 50 ms timer re-arms for the rest
    time.advance(STALE_QUIET_MS);
    expect(quiet).toHaveLength(1);
    time.advance(UNANSWERED_QUIET_MS - STALE_QUIET_MS);
    expect(quiet).toEqual([start + STALE_QUIET_MS, second + UNANSWERED_QUIET_MS]);
  });

  it('a timer firing less than 1 ms early counts as due (libuv timers step in ms); earlier re-arms for the rest', () => {
    for (const [early, fires] of [[0.6, 1], [1.5, 0]] as const) {
      const { time, timer, quiet } = setup();
      const start = time.now;
      timer.carry(time.now, false);
      for (const t of time.pending.values()) t.at -= early; // the loop ran the timer a little early
      time.advance(STALE_QUIET_MS - early);
      expect(quiet).toHaveLength(fires);
      time.advance(early + 1);
      if (fires === 0) expect(quiet).toEqual([start + STALE_QUIET_MS + 0.5]); // re-armed for ceil(1.5) = 2 ms
      else expect(quiet).toHaveLength(1);
    }
  });
});
