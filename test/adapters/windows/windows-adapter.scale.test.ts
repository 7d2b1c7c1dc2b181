/**
 * The windows adapter at scale (issue 10), over the fake iphlpapi with one native delivery thread
 * per registration delivering continuously (as Windows' worker threads call back): 1000 live
 * subscriptions, and 1000 subscribe/unsubscribe pairs in one tick, 20 runs each, every run in its
 * own child process under a watchdog, two at a time. Before the fan-out the adapter made one OS
 * registration per subscription and koffi's 256-slot async pool overflowed on a native thread: the
 * live scenario died with SIGSEGV in 3 of 3 runs, the pairs in 4 of 5 (200 pairs: 3 of 5).
 */
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { childScript, compileChildren, removeDir, runNodeChild, type ChildOutcome } from './child-process';

const RUNS = 20;
const PARALLEL = 2;
// A run takes about 0.6 s alone here; the watchdog only has to catch a deadlock.
const WATCHDOG_MS = 30000;
let tmp: string | undefined;
let out: string | undefined;
let fake = '';

beforeAll(() => {
  tmp = makeTempDir('win-scale');
  fake = buildFakeSharedObject(tmp);
  out = compileChildren('scale');
}, 60000);

afterAll(() => {
  removeDir(out);
  removeDir(tmp);
});

/** Runs `name` RUNS times, PARALLEL at a time, and returns every outcome. */
async function runs(name: string): Promise<ChildOutcome[]> {
  const outcomes: ChildOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RUNS) {
      next++;
      outcomes.push(await runNodeChild(childScript(out!, 'scenarios'), [name, fake], WATCHDOG_MS));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return outcomes;
}

/** Each run finished by itself: no watchdog kill, no signal, exit code 0, a RESULT line. */
function endings(outcomes: readonly ChildOutcome[]): { clean: number; problems: string[] } {
  const problems = outcomes
    .filter((o) => o.timedOut || o.signal !== null || o.code !== 0 || o.result === undefined)
    .map((o) => `timedOut=${o.timedOut} code=${o.code} signal=${o.signal} ms=${o.ms}\n${o.stdout.slice(-2000)}\n${o.stderr.slice(-2000)}`);
  return { clean: outcomes.length - problems.length, problems };
}

function msSummary(outcomes: readonly ChildOutcome[]): string {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return `min ${ms[0]} ms, median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms[ms.length - 1]} ms`;
}

describe('windows adapter at scale over the fake iphlpapi (one native thread per registration, continuous delivery)', () => {
  it(`1000 live subscriptions (half AF_INET, half AF_UNSPEC, initial), ${RUNS} runs: marker first, right rows, one OS registration, exit 0 by itself`, async () => {
    const outcomes = await runs('scale-live');
    expect(endings(outcomes)).toEqual({ clean: RUNS, problems: [] });
    for (const o of outcomes) {
      const r = o.result!;
      expect(r).toMatchObject({
        subscriptions: 1000,
        markerFirst: 1000,
        oneMarker: 1000,
        withRows: 1000,
        unspecWithInet6: 500,
        wrongFamily: 0,
        wrongRow: 0,
        errors: 0,
        maxNativeRegistrations: 1,
        fakeMaxLive: 1,
        fakeRegistrations: 1,
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        timersAfter: 0,
      });
      expect(r.diagnosticsWhileLive).toMatchObject({ liveRegistrations: 1000, nativeRegistrations: 1, registeredCallbacks: 1 });
      expect(r.minRows as number).toBeGreaterThanOrEqual(3);
      expect(r.distinctRowsChecked as number).toBeGreaterThan(0);
    }
    const rows = outcomes.map((o) => o.result!.rows as number);
    console.info(`scale-live x${RUNS}: ${msSummary(outcomes)}; rows delivered per run ${Math.min(...rows)}-${Math.max(...rows)}; OS callbacks per run ${outcomes.map((o) => o.result!.nativeCallbacks).join(',')}`);
  }, RUNS * WATCHDOG_MS);

  it(`1000 subscribe/unsubscribe pairs in one tick, ${RUNS} runs: nothing emitted, one OS registration, nothing left, the adapter still works, exit 0`, async () => {
    const outcomes = await runs('scale-pairs');
    expect(endings(outcomes)).toEqual({ clean: RUNS, problems: [] });
    for (const o of outcomes) {
      expect(o.result).toMatchObject({
        pairs: 1000,
        emitted: 0,
        errors: 0,
        maxNativeRegistrations: 1,
        fakeMaxLive: 1,
        // One for the 1000 pairs, one for the follow-up subscriptions.
        fakeRegistrations: 2,
        followUp: { subscriptions: 2, markerFirst: 2, oneMarker: 2, wrongFamily: 0, wrongRow: 0, errors: 0 },
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        timersAfter: 0,
      });
    }
    console.info(`scale-pairs x${RUNS}: ${msSummary(outcomes)}`);
  }, RUNS * WATCHDOG_MS);

  it(`1000 live address subscriptions (unicastIpAddressChanges$, half AF_INET, half AF_UNSPEC, initial), ${RUNS} runs: marker first, right rows, one OS registration, the budget never over capacity, exit 0`, async () => {
    const outcomes = await runs('address-scale-live');
    expect(endings(outcomes)).toEqual({ clean: RUNS, problems: [] });
    for (const o of outcomes) {
      const r = o.result!;
      expect(r).toMatchObject({
        subscriptions: 1000,
        markerFirst: 1000,
        oneMarker: 1000,
        withRows: 1000,
        unspecWithInet6: 500,
        wrongFamily: 0,
        wrongRow: 0,
        errors: 0,
        maxNativeRegistrations: 1,
        fakeMaxLive: 1,
        fakeRegistrations: 1,
        budgetCapacity: 128,
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        timersAfter: 0,
      });
      expect(r.maxBudgetInUse as number).toBeLessThanOrEqual(r.budgetCapacity as number);
      expect(r.diagnosticsWhileLive).toMatchObject({ liveRegistrations: 1000, nativeRegistrations: 1, registeredCallbacks: 1 });
      expect(r.distinctRowsChecked as number).toBeGreaterThan(0);
    }
    const budgets = outcomes.map((o) => o.result!.maxBudgetInUse as number);
    console.info(
      `address-scale-live x${RUNS}: ${msSummary(outcomes)}; most budget slots in use ${Math.max(...budgets)} of 128; ` +
        `distinct rows checked per run ${outcomes.map((o) => o.result!.distinctRowsChecked).join(',')} (keys only: ${outcomes.map((o) => o.result!.distinctKeyOnlyRows).join(',')}); ` +
        `OS callbacks per run ${outcomes.map((o) => o.result!.nativeCallbacks).join(',')}`,
    );
  }, RUNS * WATCHDOG_MS);

  it(`1000 address subscribe/unsubscribe pairs in one tick, ${RUNS} runs: nothing emitted, one OS registration, the budget never over capacity, the adapter still works, exit 0`, async () => {
    const outcomes = await runs('address-scale-pairs');
    expect(endings(outcomes)).toEqual({ clean: RUNS, problems: [] });
    for (const o of outcomes) {
      expect(o.result).toMatchObject({
        pairs: 1000,
        emitted: 0,
        errors: 0,
        maxNativeRegistrations: 1,
        fakeMaxLive: 1,
        fakeRegistrations: 2,
        budgetCapacity: 128,
        followUp: { subscriptions: 2, markerFirst: 2, oneMarker: 2, wrongFamily: 0, wrongRow: 0, errors: 0 },
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        timersAfter: 0,
      });
      expect(o.result!.maxBudgetInUse as number).toBeLessThanOrEqual(o.result!.budgetCapacity as number);
    }
    console.info(`address-scale-pairs x${RUNS}: ${msSummary(outcomes)}; most budget slots in use ${Math.max(...outcomes.map((o) => o.result!.maxBudgetInUse as number))} of 128`);
  }, RUNS * WATCHDOG_MS);

  it(`routes: 1000 live notifyRouteChange2 registrations, then 1000 register/cancel pairs, ${RUNS} runs: one OS registration, the budget never over capacity, exit 0`, async () => {
    const outcomes = await runs('route-scale');
    expect(endings(outcomes)).toEqual({ clean: RUNS, problems: [] });
    for (const o of outcomes) {
      expect(o.result).toMatchObject({
        registrations: 1000,
        markerFirst: 1000,
        oneMarker: 1000,
        unspecWithInet6: 500,
        wrong: 0,
        pairErrors: 0,
        maxNativeRegistrations: 1,
        fakeMaxLive: 1,
        budgetCapacity: 128,
        diagnosticsWhileLive: { liveRegistrations: 1000, nativeRegistrations: 1, registeredCallbacks: 1 },
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        timersAfter: 0,
      });
      expect(o.result!.maxBudgetInUse as number).toBeLessThanOrEqual(128);
      expect(o.result!.distinctRowsChecked as number).toBeGreaterThan(0);
    }
    console.info(`route-scale x${RUNS}: ${msSummary(outcomes)}; most budget slots in use ${Math.max(...outcomes.map((o) => o.result!.maxBudgetInUse as number))} of 128`);
  }, RUNS * WATCHDOG_MS);
});
