/**
 * When a batch of the read loop is completed: now, or after the socket has been quiet for a while.
 * The rules (measured reasons beside each constant) in one place, with the clock and the timer
 * injected so they are unit-tested without real time.
 *
 * @module
 */

/**
 * Completing a batch of new interfaces needs requests whose cost grows with the device count (a
 * neighbour-table dump walks every device). Within a burst, that completion waits until the socket
 * has been quiet this long, so one dump serves many devices...
 */
export const QUIET_MS = 3;
/** ...but never longer than this, nor than a multiple of what the last such completion cost. */
export const MIN_DEFER_MS = 20;
export const DEFER_COST_FACTOR = 4;
/** A costly completion this recent means a burst: the next one waits (a lone change does not). */
export const BURST_WINDOW_MS = 100;
/**
 * A neighbour re-read asked for by an IPv6 parameter message waits for a longer quiet: a group
 * delete sends such messages, then stalls (synchronize_net) with the RTNL lock held, and a dump made
 * in that stall waits for the whole delete.
 */
export const STALE_QUIET_MS = 50;
/**
 * A removal no message answered yet (a DELNETCONF without its device's DELLINK, not explained by the
 * MTU) is confirmed by an RTM_GETLINK only after this much quiet. In a group delete the DELLINKs
 * follow a stall (synchronize_net) with the RTNL lock held; a request made in the stall blocked the
 * main thread for all of it (461 ms for 2000 veth pairs), while the DELLINKs answer it for free.
 */
export const UNANSWERED_QUIET_MS = 1000;
/** Carried removals are confirmed after this long, quiet or not. */
export const MAX_CARRY_MS = 2000;

/** A monotonic clock in milliseconds (`performance` in production). */
export interface Clock {
  now(): number;
}

/** Timers (the global setTimeout / clearTimeout in production). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const SYSTEM_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** What the batch holds, as the timer needs to know it. */
export interface PendingBatch {
  /** Finishing would dump neighbour tables or fetch links for new interfaces. */
  readonly costly: boolean;
}

/**
 * The deferral state of one reader. The reader asks {@link shouldDefer} before completing a batch,
 * {@link mustConfirm} for how, reports with {@link completed} and {@link carry} / {@link settle};
 * when a deferral is due the timer calls `onQuiet`.
 *
 * @example
 * ```ts
 * const timer = new BatchTimer(() => reader.completeQuietly());
 * if (!timer.shouldDefer(now, { costly: table.hasCostlyCompletion })) finish(timer.mustConfirm(now, false));
 * ```
 */
export class BatchTimer {
  private timer: unknown;
  private hasTimer = false;
  /** When the socket counts as quiet, and when the pending timer fires. */
  private quietAt = 0;
  private timerAt = 0;
  /** When the pending completion was first deferred (0: not deferred). */
  private deferredSince = 0;
  /** When unanswered removals or a neighbour re-read were first carried to a later batch (0: none). */
  private carriedSince = 0;
  /** When the last completion that made requests ended, and what it cost (ms). */
  private lastCostlyAt = -Infinity;
  private lastCostlyMs = 0;

  constructor(
    private readonly onQuiet: () => void,
    readonly clock: Clock = performance,
    private readonly timers: Timers = SYSTEM_TIMERS,
  ) {}

  /** True while a quiet timer is armed. */
  get armed(): boolean {
    return this.hasTimer;
  }

  /**
   * New interfaces within a burst: the whole batch waits (arming the quiet timer) so that one
   * neighbour dump serves them all, up to max(MIN_DEFER_MS, DEFER_COST_FACTOR x the last cost).
   * Never when the socket was already found quiet.
   */
  shouldDefer(now: number, batch: PendingBatch, quiet: boolean): boolean {
    if (!quiet && batch.costly && now - this.lastCostlyAt < BURST_WINDOW_MS) {
      const since = this.deferredSince || now;
      if (now - since < Math.max(MIN_DEFER_MS, DEFER_COST_FACTOR * this.lastCostlyMs)) {
        this.deferredSince = since;
        this.arm(QUIET_MS);
        return true;
      }
    }
    this.deferredSince = 0;
    return false;
  }

  /**
   * Whether unanswered removals are confirmed by a request now: when the socket is quiet, or when
   * they were carried too long (a removal must not wait forever under a steady flow).
   */
  mustConfirm(now: number, quiet: boolean): boolean {
    return quiet || (this.carriedSince !== 0 && now - this.carriedSince > MAX_CARRY_MS);
  }

  /** A completion that started at `startedAt` ended; `madeRequests` when it asked the kernel. */
  completed(startedAt: number, madeRequests: boolean): void {
    if (!madeRequests) return;
    this.lastCostlyAt = this.clock.now();
    this.lastCostlyMs = this.lastCostlyAt - startedAt;
  }

  /**
   * Something was carried to a later batch: wait for a quiet socket (long for an unanswered
   * removal, shorter for a neighbour re-read).
   */
  carry(now: number, unansweredRemoval: boolean): void {
    if (this.carriedSince === 0) this.carriedSince = now;
    this.arm(unansweredRemoval ? UNANSWERED_QUIET_MS : STALE_QUIET_MS);
  }

  /** Nothing is pending: no timer, no deferral, nothing carried. */
  settle(): void {
    if (this.hasTimer) this.timers.clearTimeout(this.timer);
    this.hasTimer = false;
    this.timer = undefined;
    this.deferredSince = 0;
    this.carriedSince = 0;
  }

  /** (Re)starts the quiet timer: it fires only after `ms` without a wake-up that re-arms it. */
  private arm(ms: number): void {
    const now = this.clock.now();
    this.quietAt = now + ms;
    // Re-arming on every wake-up of a burst only moves the deadline: a timer that fires before it
    // sets itself again for the rest. It is replaced only when it would fire too late.
    if (this.hasTimer && this.timerAt <= this.quietAt) return;
    if (this.hasTimer) this.timers.clearTimeout(this.timer);
    this.start(now, ms);
  }

  private start(now: number, ms: number): void {
    this.timerAt = now + ms;
    this.hasTimer = true;
    this.timer = this.timers.setTimeout(() => this.fired(), ms);
  }

  private fired(): void {
    this.hasTimer = false;
    this.timer = undefined;
    const now = this.clock.now();
    // Within 1 ms counts as due: libuv's timer clock has millisecond steps.
    if (this.quietAt - now >= 1) {
      this.start(now, Math.ceil(this.quietAt - now));
      return;
    }
    this.onQuiet();
  }
}
