/**
 * The deadlock and leak scenarios of the Windows adapter over the fake iphlpapi, as plain async
 * functions. Run one per child process (`node scenarios.js NAME LIBRARY`: prints `RESULT {json}`),
 * so that a deadlock is killed by the parent's watchdog instead of hanging jest; the Wine run calls
 * them in-process under node.exe.
 *
 * The `control-*` scenarios do what the adapter must never do (synchronous register/cancel through
 * koffi) and are expected to hang: they prove that the fake reproduces the deadlocks, so the other
 * scenarios really exercise them.
 */
import { isDeepStrictEqual } from 'node:util';
import koffi from 'koffi';
import { windowsAdapter, type WindowsIpInterfaceAdapter } from '../../../../adapters/windows';
import type { IpInterfaceRow } from '../../../../src/ip-interface-row';
import type { MibNotificationType, NotificationHandle } from '../../../../src/adapter';
import type { IpInterfaceChange } from '../../../../src/ip-interface-change';
import { ipInterfaceChanges$ } from '../../../../src/ip-interface-changes';
import { unicastIpAddressChanges$ } from '../../../../src/unicast-ip-address-changes';
import type { UnicastIpAddressRow } from '../../../../src/unicast-ip-address-row';
import type { IpForwardRow } from '../../../../src/ip-forward-row';
import { expectedFakeAddress, expectedFakeRoute, expectedFakeRow, FAKE_OPTION, fakeControls, MIB, NATIVE, type FakeControls } from '../fake-controls';

/** What a scenario gets. */
export interface ScenarioContext {
  readonly library: string;
  readonly messageLibrary: string;
  readonly controls: FakeControls;
  readonly log: (line: string) => void;
}

/** A scenario resolves with measurements and facts for the parent to assert on. */
export type Scenario = (ctx: ScenarioContext) => Promise<Record<string, unknown>>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

function adapterOf(ctx: ScenarioContext): WindowsIpInterfaceAdapter {
  ctx.controls.reset();
  return windowsAdapter({ library: ctx.library, messageLibrary: ctx.messageLibrary });
}

/** Everything released: the adapter's bookkeeping, its koffi callbacks, the fake's registrations. */
function released(adapter: WindowsIpInterfaceAdapter, controls: FakeControls): boolean {
  const d = adapter.diagnostics();
  return d.liveRegistrations === 0 && d.registeredCallbacks === 0 && controls.liveRegistrations() === 0;
}

async function settle(adapter: WindowsIpInterfaceAdapter, controls: FakeControls): Promise<void> {
  await waitFor(() => released(adapter, controls), 5000, 'every registration to be released');
}

function keepAliveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Subscriptions of the scale scenarios; RXIPI_SCALE_COUNT overrides it (to find thresholds). */
const SCALE_COUNT = Number(process.env.RXIPI_SCALE_COUNT ?? 1000);
/** Continuous notifications per second per native registration in the scale scenarios. */
const SCALE_RATE = Number(process.env.RXIPI_SCALE_RATE ?? 200);
/** How long the scale scenario keeps its subscriptions live under continuous delivery. */
const SCALE_HOLD_MS = Number(process.env.RXIPI_SCALE_HOLD_MS ?? 400);

/** What one subscription of a scale scenario saw. */
interface Watcher {
  readonly family: 'inet' | 'unspec';
  markers: number;
  markerFirst: boolean | undefined;
  rows: number;
  inet6Rows: number;
  wrongFamily: number;
  wrongRow: number;
  errors: number;
}

function rowsEqual(a: IpInterfaceRow, b: IpInterfaceRow): boolean {
  return isDeepStrictEqual({ ...a }, b);
}

/**
 * Subscribes `count` times (half AF_INET, half AF_UNSPEC, initial true) on one adapter while the fake
 * delivers from one native thread per registration, continuously. Every distinct row object is
 * checked once against the fixture (rows are decoded once per OS callback and shared by the fan-out).
 */
function watchMany(adapter: WindowsIpInterfaceAdapter, count: number): { watchers: Watcher[]; subs: { unsubscribe(): void }[]; checked: () => number } {
  const watchers: Watcher[] = [];
  const subs: { unsubscribe(): void }[] = [];
  const verdict = new WeakMap<IpInterfaceRow, boolean>();
  let checked = 0;
  const valid = (row: IpInterfaceRow): boolean => {
    let ok = verdict.get(row);
    if (ok === undefined) {
      checked++;
      ok = (row.family === 'inet' || row.family === 'inet6') && rowsEqual(row, expectedFakeRow(row.interfaceIndex, row.family));
      verdict.set(row, ok);
    }
    return ok;
  };
  for (let i = 0; i < count; i++) {
    const w: Watcher = { family: i % 2 === 0 ? 'inet' : 'unspec', markers: 0, markerFirst: undefined, rows: 0, inet6Rows: 0, wrongFamily: 0, wrongRow: 0, errors: 0 };
    watchers.push(w);
    subs.push(
      ipInterfaceChanges$(w.family, true, { adapter }).subscribe({
        next: (c: IpInterfaceChange) => {
          if (w.markerFirst === undefined) w.markerFirst = c.kind === 'initial';
          if (c.kind === 'initial') {
            w.markers++;
            return;
          }
          w.rows++;
          if (c.row.family === 'inet6') w.inet6Rows++;
          if (w.family === 'inet' && c.row.family !== 'inet') w.wrongFamily++;
          if (!valid(c.row)) w.wrongRow++;
        },
        error: () => w.errors++,
      }),
    );
  }
  return { watchers, subs, checked: () => checked };
}

function summarizeWatchers(watchers: readonly Watcher[]): Record<string, number> {
  const sum = (f: (w: Watcher) => number): number => watchers.reduce((a, w) => a + f(w), 0);
  return {
    subscriptions: watchers.length,
    markerFirst: watchers.filter((w) => w.markerFirst === true).length,
    oneMarker: watchers.filter((w) => w.markers === 1).length,
    withRows: watchers.filter((w) => w.rows > 0).length,
    unspecWithInet6: watchers.filter((w) => w.family === 'unspec' && w.inet6Rows > 0).length,
    rows: sum((w) => w.rows),
    minRows: Math.min(...watchers.map((w) => w.rows)),
    wrongFamily: sum((w) => w.wrongFamily),
    wrongRow: sum((w) => w.wrongRow),
    errors: sum((w) => w.errors),
  };
}

/** Samples the adapter's native registration count (if it reports one) while `during` runs. */
async function sampleNative<T>(adapter: WindowsIpInterfaceAdapter, during: () => Promise<T>): Promise<{ value: T; maxNative: number | undefined }> {
  let maxNative: number | undefined;
  const read = (): void => {
    const n = (adapter.diagnostics() as { nativeRegistrations?: number }).nativeRegistrations;
    if (n !== undefined) maxNative = Math.max(maxNative ?? 0, n);
  };
  const timer = setInterval(read, 5);
  try {
    read();
    const value = await during();
    read();
    return { value, maxNative };
  } finally {
    clearInterval(timer);
  }
}

/** The most the adapter's process-wide koffi budget had in use at once, and its capacity. */
function budgetSampler(adapter: WindowsIpInterfaceAdapter): { sample(): void; readonly max: number; readonly capacity: number | undefined } {
  let max = 0;
  let capacity: number | undefined;
  return {
    sample() {
      const b = adapter.diagnostics().asyncBudget;
      if (!b) return;
      capacity = b.capacity;
      max = Math.max(max, b.inFlight + b.reservedForCallbacks);
    },
    get max() {
      return max;
    },
    get capacity() {
      return capacity;
    },
  };
}

/** Host of the address the address scale scenarios add and delete on interface 2 (both families), again and again. */
const CHURN_HOST = 40;

/** The address twin of {@link watchMany}: unicastIpAddressChanges$ subscriptions, every distinct row checked against the fixture. */
function watchManyAddresses(
  adapter: WindowsIpInterfaceAdapter,
  count: number,
): { watchers: Watcher[]; subs: { unsubscribe(): void }[]; checked: () => number; keyRows: () => number } {
  const watchers: Watcher[] = [];
  const subs: { unsubscribe(): void }[] = [];
  const verdict = new WeakMap<UnicastIpAddressRow, boolean>();
  let checked = 0;
  let keyRows = 0;
  const valid = (row: UnicastIpAddressRow): boolean => {
    let ok = verdict.get(row);
    if (ok === undefined) {
      checked++;
      const host = row.family === 'inet' ? Number(row.address.split('.')[3]) : parseInt(row.address.split(':').at(-1)!, 16);
      const expected = expectedFakeAddress(row.interfaceIndex, row.family, host);
      const { family, address, interfaceLuid, interfaceIndex, interfaceName } = expected;
      // The full row, or (an address gone before GetUnicastIpAddressEntry read it, or deleted before the
      // seed read the table) the keys and the name only: never anything else.
      const keysOnly = isDeepStrictEqual({ ...row }, { family, address, interfaceLuid, interfaceIndex, interfaceName });
      if (keysOnly) keyRows++;
      ok = keysOnly || isDeepStrictEqual({ ...row }, expected);
      verdict.set(row, ok);
    }
    return ok;
  };
  for (let i = 0; i < count; i++) {
    const w: Watcher = { family: i % 2 === 0 ? 'inet' : 'unspec', markers: 0, markerFirst: undefined, rows: 0, inet6Rows: 0, wrongFamily: 0, wrongRow: 0, errors: 0 };
    watchers.push(w);
    subs.push(
      unicastIpAddressChanges$(w.family, true, { adapter }).subscribe({
        next: (c) => {
          if (w.markerFirst === undefined) w.markerFirst = c.kind === 'initial';
          if (c.kind === 'initial') {
            w.markers++;
            return;
          }
          w.rows++;
          if (c.row.family === 'inet6') w.inet6Rows++;
          if (w.family === 'inet' && c.row.family !== 'inet') w.wrongFamily++;
          if (!valid(c.row)) w.wrongRow++;
        },
        error: () => w.errors++,
      }),
    );
  }
  return { watchers, subs, checked: () => checked, keyRows: () => keyRows };
}

/** Adds or deletes the churn address of interface 2 (both families) every `ms` until stopped. */
function addressChurn(controls: FakeControls, ms: number): { stop(): void } {
  let added = false;
  const timer = setInterval(() => {
    added = !added;
    for (const family of [NATIVE.inet, NATIVE.inet6]) controls.addressChange(family, added ? MIB.add : MIB.delete, 2, CHURN_HOST);
  }, ms);
  return { stop: () => clearInterval(timer) };
}

/** Route `dest` the route scale scenario adds and deletes on interface 2 (both families). */
const CHURN_ROUTE = 40;

export const SCENARIOS: Record<string, Scenario> = {
  /**
   * Routes at scale, through the adapter (notifyRouteChange2): SCALE_COUNT registrations (half AF_INET,
   * half AF_UNSPEC, initial) while the fake delivers continuously from one thread per registration and
   * a route of interface 2 is added and deleted every 5 ms; then SCALE_COUNT register/cancel pairs started in one tick.
   */
  async 'route-scale'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.threadPerRegistration, 1);
    ctx.controls.setOption(FAKE_OPTION.ratePerSecond, SCALE_RATE);
    const budget = budgetSampler(adapter);
    const sampler = setInterval(() => budget.sample(), 2);
    let added = false;
    const churn = setInterval(() => {
      added = !added;
      for (const family of [NATIVE.inet, NATIVE.inet6]) ctx.controls.routeChange(family, added ? MIB.add : MIB.delete, 2, CHURN_ROUTE);
    }, 5);
    const started = Date.now();
    const watchers = Array.from({ length: SCALE_COUNT }, (_, i) => ({ family: i % 2 === 0 ? ('inet' as const) : ('unspec' as const), types: [] as MibNotificationType[], inet6: 0, wrong: 0 }));
    const verdict = new WeakMap<IpForwardRow, boolean>();
    let checked = 0;
    const valid = (row: IpForwardRow): boolean => {
      let ok = verdict.get(row);
      if (ok === undefined) {
        checked++;
        // Any fixture route (the continuous deliveries are about them; the churn route is dest 40 of interface 2).
        const { prefix, prefixLength } = row.destinationPrefix;
        const dest = prefixLength === 0 ? 1 : prefixLength === 24 || prefixLength === 64 ? 0 : row.family === 'inet' ? Number(prefix.split('.')[1]) : parseInt(prefix.split(':')[2]!, 16);
        const expected = expectedFakeRoute(row.interfaceIndex, row.family, dest);
        const { family, destinationPrefix, nextHop, interfaceLuid, interfaceIndex, interfaceName } = expected;
        ok = isDeepStrictEqual({ ...row }, expected) || isDeepStrictEqual({ ...row }, { family, destinationPrefix, nextHop, interfaceLuid, interfaceIndex, interfaceName });
        verdict.set(row, ok);
      }
      return ok;
    };
    try {
      const { value, maxNative } = await sampleNative(adapter, async () => {
        const handles = await Promise.all(
          watchers.map((w) =>
            adapter.notifyRouteChange2(w.family, (row, type) => {
              w.types.push(type);
              if (!row) return;
              if (row.family === 'inet6') w.inet6++;
              if ((w.family === 'inet' && row.family !== 'inet') || !valid(row)) w.wrong++;
            }, true),
          ),
        );
        await waitFor(() => watchers.every((w) => w.types.length >= 4), 30000, 'every route registration to get its marker and 3 rows');
        await sleep(SCALE_HOLD_MS);
        const during = adapter.diagnostics();
        await Promise.all(handles.map((h) => adapter.cancelMibChangeNotify2(h)));
        await settle(adapter, ctx.controls);
        // Pairs: every registration started in one tick, each cancelled as soon as it resolved.
        const pairs = await Promise.allSettled(
          Array.from({ length: SCALE_COUNT }, (_, i) => adapter.notifyRouteChange2(i % 2 ? 'inet6' : 'unspec', () => {}, true).then((h) => adapter.cancelMibChangeNotify2(h))),
        );
        await settle(adapter, ctx.controls);
        return { during, pairErrors: pairs.filter((p) => p.status === 'rejected').length };
      });
      clearInterval(churn);
      await waitFor(() => ctx.controls.stats().registrationThreads === 0, 5000, 'the fake threads to end');
      const stats = ctx.controls.stats();
      budget.sample();
      clearInterval(sampler);
      return {
        registrations: watchers.length,
        markerFirst: watchers.filter((w) => w.types[0] === 'initial').length,
        oneMarker: watchers.filter((w) => w.types.filter((t) => t === 'initial').length === 1).length,
        unspecWithInet6: watchers.filter((w) => w.family === 'unspec' && w.inet6 > 0).length,
        wrong: watchers.reduce((a, w) => a + w.wrong, 0),
        distinctRowsChecked: checked,
        pairErrors: value.pairErrors,
        diagnosticsWhileLive: value.during,
        maxNativeRegistrations: maxNative,
        maxBudgetInUse: budget.max,
        budgetCapacity: budget.capacity,
        fakeMaxLive: stats.maxLive,
        ms: Date.now() - started,
        after: adapter.diagnostics(),
        timersAfter: keepAliveTimers(),
      };
    } finally {
      clearInterval(churn);
      clearInterval(sampler);
    }
  },

  /**
   * The address twin of scale-live: SCALE_COUNT unicastIpAddressChanges$ subscriptions (half AF_INET,
   * half AF_UNSPEC, initial) on one adapter; the fake runs one native thread per registration,
   * delivering SCALE_RATE parameter notifications per second (unchanged rows: dropped by the adapter)
   * while an address of interface 2 is added and deleted every 5 ms. Checks the budget never exceeds
   * its capacity.
   */
  async 'address-scale-live'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.threadPerRegistration, 1);
    ctx.controls.setOption(FAKE_OPTION.ratePerSecond, SCALE_RATE);
    const budget = budgetSampler(adapter);
    const sampler = setInterval(() => budget.sample(), 2);
    const churn = addressChurn(ctx.controls, 5);
    const started = Date.now();
    try {
      const { value, maxNative } = await sampleNative(adapter, async () => {
        const many = watchManyAddresses(adapter, SCALE_COUNT);
        await waitFor(() => many.watchers.every((w) => w.rows >= 3 || w.errors > 0), 30000, 'every address subscription to get its marker and 3 rows');
        const liveMs = Date.now() - started;
        await sleep(SCALE_HOLD_MS);
        const during = adapter.diagnostics();
        for (const sub of many.subs) sub.unsubscribe();
        await settle(adapter, ctx.controls);
        return { many, liveMs, during };
      });
      churn.stop();
      const stats = ctx.controls.stats();
      await waitFor(() => ctx.controls.stats().registrationThreads === 0, 5000, 'the fake threads to end');
      budget.sample();
      clearInterval(sampler);
      return {
        ...summarizeWatchers(value.many.watchers),
        distinctRowsChecked: value.many.checked(),
        distinctKeyOnlyRows: value.many.keyRows(),
        liveMs: value.liveMs,
        totalMs: Date.now() - started,
        maxNativeRegistrations: maxNative,
        diagnosticsWhileLive: value.during,
        maxBudgetInUse: budget.max,
        budgetCapacity: budget.capacity,
        fakeMaxLive: stats.maxLive,
        fakeRegistrations: stats.registrations,
        nativeCallbacks: stats.callbacks,
        after: adapter.diagnostics(),
        timersAfter: keepAliveTimers(),
      };
    } finally {
      churn.stop();
      clearInterval(sampler);
    }
  },

  /** The address twin of scale-pairs: SCALE_COUNT unicastIpAddressChanges$ subscribe/unsubscribe pairs in one tick. */
  async 'address-scale-pairs'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.threadPerRegistration, 1);
    ctx.controls.setOption(FAKE_OPTION.ratePerSecond, SCALE_RATE);
    const budget = budgetSampler(adapter);
    const sampler = setInterval(() => budget.sample(), 2);
    const started = Date.now();
    let emitted = 0;
    let errors = 0;
    try {
      const { maxNative } = await sampleNative(adapter, async () => {
        for (let i = 0; i < SCALE_COUNT; i++) {
          unicastIpAddressChanges$(i % 2 === 0 ? 'inet' : 'unspec', true, { adapter })
            .subscribe({ next: () => emitted++, error: () => errors++ })
            .unsubscribe();
        }
        await settle(adapter, ctx.controls);
      });
      const pairsMs = Date.now() - started;
      const churn = addressChurn(ctx.controls, 5);
      const after = watchManyAddresses(adapter, 2);
      try {
        await waitFor(() => after.watchers.every((w) => w.rows >= 3 || w.errors > 0), 10000, 'the follow-up subscriptions');
      } finally {
        churn.stop();
      }
      for (const sub of after.subs) sub.unsubscribe();
      await settle(adapter, ctx.controls);
      const stats = ctx.controls.stats();
      await waitFor(() => ctx.controls.stats().registrationThreads === 0, 5000, 'the fake threads to end');
      budget.sample();
      clearInterval(sampler);
      return {
        pairs: SCALE_COUNT,
        emitted,
        errors,
        pairsMs,
        maxNativeRegistrations: maxNative,
        maxBudgetInUse: budget.max,
        budgetCapacity: budget.capacity,
        followUp: summarizeWatchers(after.watchers),
        fakeMaxLive: stats.maxLive,
        fakeRegistrations: stats.registrations,
        after: adapter.diagnostics(),
        timersAfter: keepAliveTimers(),
      };
    } finally {
      clearInterval(sampler);
    }
  },

  /**
   * SCALE_COUNT live subscriptions (half AF_INET, half AF_UNSPEC, initial) on one adapter; the fake
   * runs one native thread per registration, each delivering SCALE_RATE notifications per second.
   * Waits until every subscription has its marker and 3 rows, then unsubscribes all in one tick.
   */
  async 'scale-live'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.threadPerRegistration, 1);
    ctx.controls.setOption(FAKE_OPTION.ratePerSecond, SCALE_RATE);
    const started = Date.now();
    const { value, maxNative } = await sampleNative(adapter, async () => {
      const many = watchMany(adapter, SCALE_COUNT);
      await waitFor(() => many.watchers.every((w) => w.rows >= 3 || w.errors > 0), 30000, `every subscription to get its marker and 3 rows`);
      const liveMs = Date.now() - started;
      // Then some time under continuous delivery, with a triggered burst on top.
      for (let i = 0; i < 20; i++) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 1 + (i % 3));
      await sleep(SCALE_HOLD_MS);
      const during = adapter.diagnostics();
      for (const sub of many.subs) sub.unsubscribe();
      await settle(adapter, ctx.controls);
      return { many, liveMs, during };
    });
    const stats = ctx.controls.stats();
    await waitFor(() => ctx.controls.stats().registrationThreads === 0, 5000, 'the fake threads to end');
    return {
      ...summarizeWatchers(value.many.watchers),
      distinctRowsChecked: value.many.checked(),
      liveMs: value.liveMs,
      totalMs: Date.now() - started,
      maxNativeRegistrations: maxNative,
      diagnosticsWhileLive: value.during,
      fakeMaxLive: stats.maxLive,
      fakeRegistrations: stats.registrations,
      fakeMaxInFlight: stats.maxInFlight,
      nativeCallbacks: stats.callbacks,
      after: adapter.diagnostics(),
      timersAfter: keepAliveTimers(),
    };
  },

  /** SCALE_COUNT `subscribe().unsubscribe()` pairs in one tick, then one live subscription still works. */
  async 'scale-pairs'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.threadPerRegistration, 1);
    ctx.controls.setOption(FAKE_OPTION.ratePerSecond, SCALE_RATE);
    const started = Date.now();
    let emitted = 0;
    let errors = 0;
    const { maxNative } = await sampleNative(adapter, async () => {
      for (let i = 0; i < SCALE_COUNT; i++) {
        ipInterfaceChanges$(i % 2 === 0 ? 'inet' : 'unspec', true, { adapter })
          .subscribe({ next: () => emitted++, error: () => errors++ })
          .unsubscribe();
      }
      await settle(adapter, ctx.controls);
    });
    const pairsMs = Date.now() - started;
    // The adapter is still usable: one more subscription gets its marker and rows.
    const after = watchMany(adapter, 2);
    await waitFor(() => after.watchers.every((w) => w.rows >= 3 || w.errors > 0), 10000, 'the follow-up subscriptions');
    for (const sub of after.subs) sub.unsubscribe();
    await settle(adapter, ctx.controls);
    const stats = ctx.controls.stats();
    await waitFor(() => ctx.controls.stats().registrationThreads === 0, 5000, 'the fake threads to end');
    return {
      pairs: SCALE_COUNT,
      emitted,
      errors,
      pairsMs,
      maxNativeRegistrations: maxNative,
      followUp: summarizeWatchers(after.watchers),
      fakeMaxLive: stats.maxLive,
      fakeRegistrations: stats.registrations,
      after: adapter.diagnostics(),
      timersAfter: keepAliveTimers(),
    };
  },

  /** ipInterfaceChanges$: unsubscribe inside `next` while the OS thread is blocked delivering the next callback. */
  async 'cancel-inside-next'(ctx) {
    const adapter = adapterOf(ctx);
    let unsubscribed = false;
    let afterUnsubscribe = 0;
    let inFlightAtCancel = false;
    let rowsBefore = 0;
    let marker = false;
    const sub = ipInterfaceChanges$('unspec', true, { adapter }).subscribe({
      next: (c: IpInterfaceChange) => {
        if (unsubscribed) {
          afterUnsubscribe++;
          return;
        }
        if (c.kind === 'initial') {
          marker = true;
          return;
        }
        rowsBefore++;
        // One more notification, queued while this thread is busy here: the OS thread is (or will be,
        // whatever it already delivered) blocked in a callback that only this thread can run.
        ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 1);
        inFlightAtCancel = ctx.controls.waitInFlight(2000);
        unsubscribed = true;
        sub.unsubscribe();
      },
    });
    await waitFor(() => marker, 5000, 'the initial marker');
    for (let i = 0; i < 20; i++) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 2);
    await waitFor(() => unsubscribed, 5000, 'the unsubscribe inside next');
    await settle(adapter, ctx.controls);
    await sleep(100);
    return { rowsBefore, inFlightAtCancel, afterUnsubscribe, diagnostics: adapter.diagnostics() };
  },

  /** cancelMibChangeNotify2 while the OS thread is blocked inside a callback waiting for the JS thread. */
  async 'cancel-while-in-flight'(ctx) {
    const adapter = adapterOf(ctx);
    const calls: MibNotificationType[] = [];
    const handle = await adapter.notifyIpInterfaceChange('inet', (_row, type) => calls.push(type), false);
    ctx.controls.trigger(NATIVE.inet, MIB.parameter, 2);
    // Synchronous and polling: the callback is now queued for this (busy) thread.
    const inFlight = ctx.controls.waitInFlight(2000);
    const before = calls.length;
    const started = Date.now();
    await adapter.cancelMibChangeNotify2(handle);
    const cancelMs = Date.now() - started;
    await sleep(100);
    await settle(adapter, ctx.controls);
    return { inFlight, callsBeforeCancel: before, callsAfterCancel: calls.length - before, cancelMs };
  },

  /** The fake's register waits until its own initial callback returned (as Windows may). */
  async 'register-waits-initial'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.waitInitial, 1);
    const calls: { type: MibNotificationType; row: IpInterfaceRow | null }[] = [];
    const handle = await adapter.notifyIpInterfaceChange('unspec', (row, type) => calls.push({ type, row }), true);
    const firstType = calls[0]?.type;
    ctx.controls.setMtu(NATIVE.inet, 2, 1400);
    await waitFor(() => calls.some((c) => c.row !== null), 5000, 'a row after registration');
    await adapter.cancelMibChangeNotify2(handle);
    // The same through the core (which also dedupes; the adapter must not need it).
    const seen: IpInterfaceChange[] = [];
    const sub = ipInterfaceChanges$('inet6', true, { adapter }).subscribe((c) => seen.push(c));
    await waitFor(() => seen.length > 0, 5000, 'the core marker');
    ctx.controls.setMtu(NATIVE.inet6, 2, 1400);
    await waitFor(() => seen.length > 1, 5000, 'a core change');
    sub.unsubscribe();
    await settle(adapter, ctx.controls);
    return {
      firstType,
      adapterMarkers: calls.filter((c) => c.type === 'initial').length,
      adapterRows: calls.filter((c) => c.row !== null).length,
      coreKinds: seen.map((c) => c.kind),
      nativeCallbacks: ctx.controls.stats().callbacks,
    };
  },

  /** Unsubscribe while NotifyIpInterfaceChange is still running (slow, and waiting for its initial callback). */
  async 'unsubscribe-before-registered'(ctx) {
    const adapter = adapterOf(ctx);
    const seen: IpInterfaceChange[] = [];
    ctx.controls.setOption(FAKE_OPTION.registerDelayMs, 200);
    const slow = ipInterfaceChanges$('unspec', true, { adapter }).subscribe((c) => seen.push(c));
    // The adapter is inside the (asynchronous, 200 ms) native call now.
    await waitFor(() => adapter.diagnostics().liveRegistrations === 1, 5000, 'the registration to start');
    const registeringBefore = adapter.diagnostics().liveRegistrations;
    slow.unsubscribe();
    await settle(adapter, ctx.controls);
    ctx.controls.setOption(FAKE_OPTION.registerDelayMs, 0);
    ctx.controls.setOption(FAKE_OPTION.waitInitial, 1);
    const waiting = ipInterfaceChanges$('inet', true, { adapter }).subscribe((c) => seen.push(c));
    waiting.unsubscribe(); // synchronously, before the adapter even called the OS
    await settle(adapter, ctx.controls);
    ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 2);
    await sleep(100);
    return { registeringBefore, emitted: seen.length, registrationsMade: ctx.controls.stats().registrations, diagnostics: adapter.diagnostics() };
  },

  /** Many rounds of unsubscribing in the middle of a burst: nothing reaches a subscriber afterwards. */
  async 'no-callback-after-unsubscribe'(ctx) {
    const adapter = adapterOf(ctx);
    let late = 0;
    let delivered = 0;
    const rounds = 30;
    for (let round = 0; round < rounds; round++) {
      let closed = false;
      let rows = 0;
      const stopAfter = 1 + (round % 7);
      const sub = ipInterfaceChanges$('unspec', false, { adapter }).subscribe((c) => {
        if (closed) {
          late++;
          return;
        }
        delivered++;
        if (c.kind !== 'initial' && ++rows >= stopAfter) {
          closed = true;
          sub.unsubscribe();
        }
      });
      await waitFor(() => adapter.diagnostics().liveRegistrations === 1 && ctx.controls.liveRegistrations() === 1, 5000, 'registration');
      for (let i = 0; i < 10; i++) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 1 + (i % 3));
      await waitFor(() => closed, 5000, 'the unsubscribe');
      await settle(adapter, ctx.controls);
    }
    await sleep(100);
    return { rounds, delivered, late };
  },

  /**
   * The adapter's ref'd handle keeps the process alive while a registration is live: the script
   * returns at once, the notification comes 300 ms later from the native thread, the callback
   * cancels, and the process then exits by itself.
   */
  async 'keep-alive'(ctx) {
    const adapter = adapterOf(ctx);
    ctx.controls.setOption(FAKE_OPTION.deliveryDelayMs, 300);
    let handle: NotificationHandle | undefined;
    const timersBefore = keepAliveTimers();
    handle = await adapter.notifyIpInterfaceChange(
      'inet',
      (row, type) => {
        ctx.log(`EVENT ${type} ${row?.nlMtu ?? '-'}`);
        if (handle) {
          const h = handle;
          handle = undefined;
          void adapter.cancelMibChangeNotify2(h).then(() => ctx.log(`CANCELLED timers=${keepAliveTimers()} callbacks=${adapter.diagnostics().registeredCallbacks}`));
        }
      },
      false,
    );
    const timersLive = keepAliveTimers();
    ctx.controls.setMtu(NATIVE.inet, 2, 1234);
    return { timersBefore, timersLive };
  },

  /** 1000 adapter cycles and 1000 ipInterfaceChanges$ cycles, with notifications in flight: nothing leaks. */
  async 'cycles-1000'(ctx) {
    const adapter = adapterOf(ctx);
    const families = ['unspec', 'inet', 'inet6'] as const;
    const koffiBefore = koffi.stats().callbacks;
    const timersBefore = keepAliveTimers();
    const rssBefore = process.memoryUsage().rss;
    let maxRegisteredCallbacks = 0;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const handle = await adapter.notifyIpInterfaceChange(families[i % 3]!, () => undefined, i % 2 === 0);
      maxRegisteredCallbacks = Math.max(maxRegisteredCallbacks, adapter.diagnostics().registeredCallbacks);
      if (i % 10 === 0) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 2);
      await adapter.cancelMibChangeNotify2(handle);
    }
    const adapterMs = Date.now() - started;
    const coreStarted = Date.now();
    for (let i = 0; i < 1000; i++) {
      let got = false;
      const sub = ipInterfaceChanges$(families[i % 3]!, true, { adapter }).subscribe(() => (got = true));
      // Half unsubscribe before the registration finished, half after the marker.
      if (i % 2 === 1) await waitFor(() => got, 5000, 'the marker');
      if (i % 10 === 0) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 2);
      sub.unsubscribe();
    }
    await settle(adapter, ctx.controls);
    const coreMs = Date.now() - coreStarted;
    await sleep(50);
    return {
      cycles: 2000,
      adapterMs,
      coreMs,
      maxRegisteredCallbacks,
      registeredCallbacks: adapter.diagnostics().registeredCallbacks,
      liveRegistrations: adapter.diagnostics().liveRegistrations,
      koffiCallbacksBefore: koffiBefore,
      koffiCallbacksAfter: koffi.stats().callbacks,
      fakeLive: ctx.controls.liveRegistrations(),
      fakeRegistrationsMade: ctx.controls.stats().registrations,
      timersBefore,
      timersAfter: keepAliveTimers(),
      rssDeltaKiB: Math.round((process.memoryUsage().rss - rssBefore) / 1024),
    };
  },

  /** How long the native thread is blocked per callback (copy in JS, return), measured by the fake. */
  async 'callback-cost'(ctx) {
    const adapter = adapterOf(ctx);
    let rows = 0;
    const handle = await adapter.notifyIpInterfaceChange('unspec', () => rows++, false);
    const before = ctx.controls.stats();
    const events = 1000;
    for (let i = 0; i < events / 2; i++) ctx.controls.trigger(NATIVE.unspec, MIB.parameter, 2);
    await waitFor(() => rows >= events, 20000, `${events} rows`);
    // The fake counts a callback after it returned, which can be just after JS saw the row.
    await waitFor(() => ctx.controls.stats().callbacks - before.callbacks >= events, 5000, 'the fake to count the callbacks');
    const after = ctx.controls.stats();
    // One at a time: the cost of a single crossing with an idle JS thread.
    const single = 200;
    let rowsSingle = rows;
    for (let i = 0; i < single; i++) {
      ctx.controls.trigger(NATIVE.inet, MIB.parameter, 2);
      await waitFor(() => rows > rowsSingle, 5000, 'one row');
      rowsSingle = rows;
    }
    await waitFor(() => ctx.controls.stats().callbacks - after.callbacks >= single, 5000, 'the fake to count the callbacks');
    const end = ctx.controls.stats();
    await adapter.cancelMibChangeNotify2(handle);
    const callbacks = after.callbacks - before.callbacks;
    const us = (ns: number): number => Math.round(ns / 100) / 10;
    return {
      callbacks,
      rows,
      burstMeanUs: us((after.totalNs - before.totalNs) / callbacks),
      burstMaxUs: us(after.maxNs),
      singleCallbacks: end.callbacks - after.callbacks,
      singleMeanUs: us((end.totalNs - after.totalNs) / (end.callbacks - after.callbacks)),
    };
  },

  // ---- controls: what the adapter must not do; the parent expects them to hang or to lose the event ----

  /** A raw registration without a ref'd handle: the process exits before the notification arrives. */
  async 'control-no-keep-alive'(ctx) {
    ctx.controls.reset();
    ctx.controls.setOption(FAKE_OPTION.deliveryDelayMs, 300);
    const callback = koffi.register((_c: unknown, row: bigint | null) => ctx.log(`EVENT ${row === null ? 'initial' : 'row'}`), ctx.controls.raw.callbackType);
    const { status } = ctx.controls.raw.notify(NATIVE.inet, callback, false);
    ctx.controls.setMtu(NATIVE.inet, 2, 1234);
    return { status };
  },

  /** Synchronous cancel while the OS thread is blocked in a callback: deadlock. */
  async 'control-sync-cancel-in-flight'(ctx) {
    ctx.controls.reset();
    const callback = koffi.register(() => undefined, ctx.controls.raw.callbackType);
    const { handle } = ctx.controls.raw.notify(NATIVE.inet, callback, false);
    ctx.controls.trigger(NATIVE.inet, MIB.parameter, 2);
    const inFlight = ctx.controls.waitInFlight(2000);
    ctx.log(`BLOCKING inFlight=${inFlight}`);
    const status = ctx.controls.raw.cancel(handle!);
    return { status };
  },

  /** Synchronous register that waits for its own initial callback: deadlock. */
  async 'control-sync-register-wait-initial'(ctx) {
    ctx.controls.reset();
    ctx.controls.setOption(FAKE_OPTION.waitInitial, 1);
    const callback = koffi.register(() => undefined, ctx.controls.raw.callbackType);
    ctx.log('BLOCKING');
    const { status } = ctx.controls.raw.notify(NATIVE.unspec, callback, true);
    return { status };
  },

  /** Synchronous cancel from inside the callback: deadlock. */
  async 'control-sync-cancel-in-callback'(ctx) {
    ctx.controls.reset();
    let handle: bigint | null = null;
    let status: number | undefined;
    const callback = koffi.register((_c: unknown, row: bigint | null) => {
      if (row !== null && handle !== null) {
        ctx.log('BLOCKING');
        status = ctx.controls.raw.cancel(handle);
      }
    }, ctx.controls.raw.callbackType);
    handle = ctx.controls.raw.notify(NATIVE.inet, callback, false).handle;
    ctx.controls.trigger(NATIVE.inet, MIB.parameter, 2);
    await waitFor(() => status !== undefined, 5000, 'the cancel to return');
    return { status };
  },
};

/** JSON with BigInts as strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function main(): void {
  const [name, library, messageLibrary] = process.argv.slice(2);
  const scenario = name ? SCENARIOS[name] : undefined;
  if (!scenario || !library) {
    console.error(`usage: scenarios.js NAME LIBRARY [MESSAGE_LIBRARY]; names: ${Object.keys(SCENARIOS).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  scenario({ library, messageLibrary: messageLibrary ?? library, controls: fakeControls(library), log }).then(
    (result) => log(`RESULT ${toJson(result)}`),
    (error: unknown) => {
      log(`FAIL ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
