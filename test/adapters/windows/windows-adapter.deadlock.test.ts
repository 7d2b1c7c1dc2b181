/**
 * The reference's deadlock scenarios, the no-callback-after-unsubscribe rule, the keep-alive and the
 * 1000-cycle leak check, each in a child process under a watchdog (see child/scenarios.ts).
 */
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { childScript, compileChildren, removeDir, runNodeChild, type ChildOutcome } from './child-process';

const WATCHDOG_MS = 10000;
let tmp: string | undefined;
let out: string | undefined;
let fake = '';

beforeAll(() => {
  tmp = makeTempDir('win-deadlock');
  fake = buildFakeSharedObject(tmp);
  out = compileChildren('deadlock');
}, 60000);

afterAll(() => {
  removeDir(out);
  removeDir(tmp);
});

async function scenario(name: string, timeoutMs = WATCHDOG_MS): Promise<ChildOutcome> {
  return runNodeChild(childScript(out!, 'scenarios'), [name, fake], timeoutMs);
}

/** A scenario that must finish by itself: not killed, exit 0, a RESULT line. */
async function completes(name: string, timeoutMs = WATCHDOG_MS): Promise<Record<string, unknown>> {
  const o = await scenario(name, timeoutMs);
  const detail = `${name}: timedOut=${o.timedOut} code=${o.code} signal=${o.signal}\n${o.stdout}\n${o.stderr}`;
  expect({ timedOut: o.timedOut, code: o.code, hasResult: o.result !== undefined, detail }).toEqual({
    timedOut: false,
    code: 0,
    hasResult: true,
    detail,
  });
  return o.result!;
}

describe('windows adapter over the fake iphlpapi: deadlock scenarios (child processes, watchdog)', () => {
  it('the fake reproduces the hazards: synchronous cancel/register deadlock, and koffi alone does not keep the process alive', async () => {
    const [inFlight, waitInitial, inCallback, noKeepAlive] = await Promise.all([
      // Long enough for a slow start on a loaded machine to reach the blocking call.
      scenario('control-sync-cancel-in-flight', 5000),
      scenario('control-sync-register-wait-initial', 5000),
      scenario('control-sync-cancel-in-callback', 5000),
      scenario('control-no-keep-alive', 10000),
    ]);
    for (const o of [inFlight, waitInitial, inCallback]) {
      expect(o.stdout).toContain('BLOCKING');
      expect(o.timedOut).toBe(true);
      expect(o.result).toBeUndefined();
    }
    expect(inFlight.stdout).toContain('BLOCKING inFlight=true');
    // Without a ref'd handle the process ends before the delayed notification is delivered.
    expect(noKeepAlive.timedOut).toBe(false);
    expect(noKeepAlive.result).toEqual({ status: 0 });
    expect(noKeepAlive.stdout).not.toContain('EVENT');
  }, 30000);

  it('unsubscribing inside next while the OS thread is blocked in the next callback completes; nothing arrives after', async () => {
    const r = await completes('cancel-inside-next');
    expect(r).toMatchObject({ rowsBefore: 1, inFlightAtCancel: true, afterUnsubscribe: 0 });
    expect(r.diagnostics).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
  });

  it('cancelling while a callback is in flight completes and the in-flight callback is not delivered', async () => {
    const r = await completes('cancel-while-in-flight');
    expect(r).toMatchObject({ inFlight: true, callsBeforeCancel: 0, callsAfterCancel: 0 });
  });

  it('a register that waits for its own initial callback completes, with one initial marker, first', async () => {
    const r = await completes('register-waits-initial');
    expect(r.firstType).toBe('initial');
    expect(r.adapterMarkers).toBe(1);
    expect(r.adapterRows).toBeGreaterThan(0);
    const kinds = r.coreKinds as string[];
    expect(kinds[0]).toBe('initial');
    expect(kinds.filter((k) => k === 'initial')).toHaveLength(1);
    expect(kinds.slice(1).every((k) => k === 'changed')).toBe(true);
  });

  it('unsubscribing before the registration finished cancels it once it exists and emits nothing', async () => {
    const r = await completes('unsubscribe-before-registered');
    expect(r.registeringBefore).toBe(1);
    expect(r.emitted).toBe(0);
    expect(r.registrationsMade).toBe(2);
    expect(r.diagnostics).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
  });

  it('no callback reaches a subscriber after unsubscribe (30 rounds of unsubscribing mid-burst)', async () => {
    const r = await completes('no-callback-after-unsubscribe');
    expect(r.late).toBe(0);
    expect(r.delivered).toBeGreaterThanOrEqual(30);
  });

  it('a live registration keeps the process alive until the notification comes; after the cancel it exits by itself', async () => {
    const o = await scenario('keep-alive');
    const detail = `keep-alive: timedOut=${o.timedOut} code=${o.code} signal=${o.signal}\n${o.stdout}\n${o.stderr}`;
    expect({ timedOut: o.timedOut, code: o.code, result: o.result, detail }).toEqual({
      timedOut: false,
      code: 0,
      result: { timersBefore: 0, timersLive: 1 },
      detail,
    });
    expect(o.stdout).toContain('EVENT parameter 1234');
    expect(o.stdout).toContain('CANCELLED timers=0 callbacks=0');
  });

  it('1000 register/cancel cycles and 1000 subscribe/unsubscribe cycles leak no koffi callback, registration or timer', async () => {
    const r = await completes('cycles-1000', 60000);
    console.info(`windows adapter, 2000 cycles over the fake: ${JSON.stringify(r)}`);
    expect(r).toMatchObject({
      registeredCallbacks: 0,
      liveRegistrations: 0,
      koffiCallbacksAfter: r.koffiCallbacksBefore,
      fakeLive: 0,
      // 1000 sequential adapter cycles: one OS registration each. In the core loop each even
      // subscription (unsubscribed before it is registered) and the odd one subscribed in the same
      // tick share one OS registration: 500.
      fakeRegistrationsMade: 1500,
      timersAfter: r.timersBefore,
      maxRegisteredCallbacks: 1,
    });
  }, 70000);

  it('measures the time the OS thread is blocked per callback (copy and return)', async () => {
    const r = await completes('callback-cost', 30000);
    console.info(`windows adapter, callback cost over the fake (Linux): ${JSON.stringify(r)}`);
    expect(r.callbacks).toBe(1000);
    expect(r.singleCallbacks).toBe(200);
    expect(r.rows).toBe(1200);
  }, 40000);
});
