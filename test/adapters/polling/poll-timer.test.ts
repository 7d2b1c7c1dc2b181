import { waitFor } from '../../helpers/wait-for';
import { activePollTimers, joinPollTimer, type PollTick } from '../../../adapters/polling/poll-timer';


describe('joinPollTimer', () => {
  afterEach(() => expect(activePollTimers()).toEqual([]));

  it('creates one ref-ed timer per interval for all listeners, and none once the last one left', async () => {
    // The timers are identified through spies, not by counting the process's timers (a count races
    // with any other timer expiring in between).
    const setSpy = jest.spyOn(globalThis, 'setInterval');
    const clearSpy = jest.spyOn(globalThis, 'clearInterval');
    const ticks: string[] = [];
    const leaveA = joinPollTimer(20, () => ticks.push('a'));
    const leaveB = joinPollTimer(20, () => ticks.push('b'));
    const leaveC = joinPollTimer(35, () => ticks.push('c'));
    expect(activePollTimers()).toEqual([{ intervalMs: 20, listeners: 2 }, { intervalMs: 35, listeners: 1 }]);
    // Two timers, both keeping the process alive.
    expect(setSpy).toHaveBeenCalledTimes(2);
    const timers = setSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
    expect(timers.map((t) => t.hasRef())).toEqual([true, true]);
    await waitFor(() => ticks.filter((t) => t === 'a').length >= 2 && ticks.includes('c'), 'two ticks of a and one of c');
    expect(ticks.filter((t) => t === 'a').length).toBeGreaterThanOrEqual(2);
    expect(ticks.filter((t) => t === 'a').length).toBe(ticks.filter((t) => t === 'b').length);
    expect(ticks).toContain('c');
    leaveA();
    leaveA(); // idempotent: does not remove b
    expect(activePollTimers()).toEqual([{ intervalMs: 20, listeners: 1 }, { intervalMs: 35, listeners: 1 }]);
    expect(clearSpy).not.toHaveBeenCalled();
    leaveB();
    leaveC();
    expect(clearSpy.mock.calls.map((c) => c[0])).toEqual(timers);
    setSpy.mockRestore();
    clearSpy.mockRestore();
  });

  it('reads once per tick for all listeners sharing a reader, and shares its error too', async () => {
    let reads = 0;
    const read = (): number => ++reads;
    const failing = (): number => {
      throw new Error('nope');
    };
    const seen: (number | string)[][] = [[], []];
    const listener = (i: number) => (tick: PollTick) => {
      seen[i]!.push(tick.once(read));
      try {
        tick.once(failing);
      } catch (e) {
        seen[i]!.push((e as Error).message);
      }
    };
    const leave = [joinPollTimer(15, listener(0)), joinPollTimer(15, listener(1))];
    await waitFor(() => seen[0]!.length >= 4 && seen[1]!.length >= 4, 'four ticks for both listeners');
    leave.forEach((l) => l());
    expect(seen[0]!.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]!.slice(0, 4)).toEqual([1, 'nope', 2, 'nope']);
  });

  it('onceFor derives once per tick per (function, input), shares its error, and derives again for another input or tick', async () => {
    const calls: string[] = [];
    const derive = (input: { n: number }): number => {
      calls.push(`derive ${input.n}`);
      if (input.n < 0) throw new Error('bad input');
      return input.n * 2;
    };
    const seen: (number | string)[][] = [[], []];
    const a = { n: 1 };
    const b = { n: -1 };
    const listener = (i: number) => (tick: PollTick) => {
      seen[i]!.push(tick.onceFor(derive, a), tick.onceFor(derive, a));
      try {
        tick.onceFor(derive, b);
      } catch (e) {
        seen[i]!.push((e as Error).message);
      }
    };
    const leave = [joinPollTimer(15, listener(0)), joinPollTimer(15, listener(1))];
    await waitFor(() => seen[0]!.length >= 6 && seen[1]!.length >= 6, 'two ticks for both listeners');
    leave.forEach((l) => l());
    expect(seen[0]!.slice(0, 6)).toEqual([2, 2, 'bad input', 2, 2, 'bad input']);
    expect(seen[0]).toEqual(seen[1]);
    // Two derivations (a, b) per tick, however many listeners and calls.
    expect(calls.slice(0, 4)).toEqual(['derive 1', 'derive -1', 'derive 1', 'derive -1']);
    expect(calls.length).toBe((seen[0]!.length / 3) * 2);
  });

  it('a listener that leaves during a tick gets nothing more; one that joins during a tick waits for the next', async () => {
    const calls: string[] = [];
    let leaveB: () => void = () => undefined;
    let leaveD: () => void = () => undefined;
    const leaveA = joinPollTimer(10, () => {
      calls.push('a');
      leaveB();
      if (calls.filter((c) => c === 'a').length === 1) leaveD = joinPollTimer(10, () => calls.push('d'));
    });
    leaveB = joinPollTimer(10, () => calls.push('b'));
    await waitFor(() => calls.includes('d'), "listener d's tick");
    leaveA();
    leaveD();
    expect(calls.slice(0, 3)).toEqual(['a', 'a', 'd']);
    expect(calls).not.toContain('b');
  });
});
