/**
 * The Windows adapter under Windows: Windows node.exe in Wine runs child/wine-main.ts (compiled here
 * with tsc) against the real Wine iphlpapi.dll and against the fake compiled as a DLL with mingw-w64;
 * a mingw-built C program gives the C compiler's MIB_IPINTERFACE_ROW layout and the system's names
 * and messages to compare with. Needs `.ci/wine.sh` to have run: skips loudly without it locally,
 * fails under CI=true.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MIB_IPINTERFACE_ROW_LAYOUT, MIB_IPINTERFACE_ROW_SIZE } from '../../../adapters/windows/mib-ipinterface-row';
import { childScript, compileChildren, removeDir } from './child-process';
import { buildFakeDll, makeTempDir } from './fake-build';
import { KOFFI_WIN, NODE_EXE, ROOT, runUnderWine, wineUnavailableReason, windowsPath } from './wine-run';

const WATCHDOG_MS = 240000;

interface CLayout {
  readonly size: number;
  readonly align: number;
  readonly offsets: Record<string, number>;
  readonly tableRowsOffset: number;
  readonly interfaces: readonly { index: number; luid: string; name: string }[];
  readonly messages: Record<string, string>;
}

type Json = Record<string, unknown>;

const reason = wineUnavailableReason();
const title = 'windows adapter under Wine (Windows node.exe, real iphlpapi.dll, fake DLL)';

if (reason && process.env.CI === 'true') {
  describe(title, () => {
    it('can run (CI=true requires .ci/wine.sh to have run)', () => {
      throw new Error(`${title}: cannot run under CI=true: ${reason}. Run .ci/wine.sh first.`);
    });
  });
} else if (reason) {
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED "${title}": ${reason}. Run .ci/wine.sh to install Wine, mingw-w64 and node.exe. ***\n`);
  describe.skip(title, () => {
    it('runs', () => undefined);
  });
} else {
  describe(title, () => {
    let tmp: string | undefined;
    let out: string | undefined;
    let c: CLayout;
    let r: Json;
    let wineLog = '';
    const timings: Record<string, number> = {};
    const time = <T>(name: string, fn: () => T): T => {
      const started = Date.now();
      try {
        return fn();
      } finally {
        timings[name] = Date.now() - started;
      }
    };

    beforeAll(async () => {
      tmp = makeTempDir('wine');
      const fakeDll = time('mingw fake DLL', () => buildFakeDll(tmp!));
      const probeExe = path.join(tmp, 'layout-probe.exe');
      time('mingw layout probe', () =>
        execFileSync('x86_64-w64-mingw32-gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', probeExe, path.join(__dirname, 'layout-probe.c'), '-liphlpapi'], {
          stdio: 'pipe',
        }),
      );
      out = time('tsc', () => compileChildren('wine'));
      // node.exe resolves koffi next to the compiled scripts, and koffi finds its win32 binary beside
      // itself; rxjs comes from the project's node_modules further up (pure JS).
      time('node_modules', () => {
        fs.cpSync(path.join(ROOT, 'node_modules', 'koffi'), path.join(out!, 'node_modules', 'koffi'), { recursive: true });
        fs.cpSync(KOFFI_WIN, path.join(out!, 'node_modules', '@koromix', 'koffi-win32-x64'), { recursive: true });
      });
      const probeOut = path.join(tmp, 'probe.json');
      const probe = await runUnderWine([probeExe], probeOut, path.join(tmp, 'probe.err'), 60000);
      timings['wine layout probe'] = probe.ms;
      if (probe.code !== 0) throw new Error(`layout probe failed (${probe.code}): ${fs.readFileSync(path.join(tmp, 'probe.err'), 'utf8')}`);
      c = JSON.parse(fs.readFileSync(probeOut, 'utf8')) as CLayout;

      const resultFile = path.join(tmp, 'result.json');
      const logFile = path.join(tmp, 'node.log');
      const run = await runUnderWine(
        [NODE_EXE, windowsPath(childScript(out, 'wine-main')), windowsPath(fakeDll), windowsPath(resultFile), windowsPath(probeOut)],
        logFile,
        path.join(tmp, 'node.err'),
        WATCHDOG_MS,
      );
      timings['wine node.exe run'] = run.ms;
      wineLog = `${fs.readFileSync(logFile, 'utf8')}\n${fs.readFileSync(path.join(tmp, 'node.err'), 'utf8')}`;
      r = fs.existsSync(resultFile) ? (JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Json) : {};
      r.exit = { code: run.code, timedOut: run.timedOut };
      console.info(`Wine step timings (ms): ${JSON.stringify(timings)}`);
    }, WATCHDOG_MS + 60000);

    afterAll(() => {
      removeDir(out);
      removeDir(tmp);
    });

    it('node.exe ran to the end under Wine as win32-x64', () => {
      expect({ exit: r.exit, done: r.done, fatal: r.fatal, log: r.done ? '' : wineLog }).toEqual({
        exit: { code: 0, timedOut: false },
        done: true,
        fatal: undefined,
        log: '',
      });
      expect(String(r.platform)).toMatch(/^win32-x64 node v\d+\.\d+\.\d+ koffi 3\./);
    });

    it('koffi lays out MIB_IPINTERFACE_ROW exactly as the mingw C compiler does (and as the reference table says)', () => {
      expect(r.koffiLayout).toEqual({ size: c.size, align: c.align, offsets: c.offsets });
      expect(c.size).toBe(MIB_IPINTERFACE_ROW_SIZE);
      expect(c.tableRowsOffset).toBe(8);
      expect(c.offsets).toEqual(Object.fromEntries(MIB_IPINTERFACE_ROW_LAYOUT.map(([name, , offset]) => [name, offset])));
    });

    it('loads the real iphlpapi.dll: optional functions bound lazily, Wine\'s stubs handled (NULL handle, GetIpInterfaceTable 50)', () => {
      const real = r.real as Json;
      const table = real.table as Json;
      // Wine 8 answers ERROR_NOT_SUPPORTED; a newer Wine may list rows.
      if (table.error) {
        expect(table.error).toEqual({
          name: 'IpInterfaceError',
          code: 'NOT_SUPPORTED',
          osCode: 50,
          message: `GetIpInterfaceTable failed with ERROR_NOT_SUPPORTED (50): ${c.messages['50']!.trim()}`,
        });
      } else {
        expect(table.rows).toBeGreaterThan(0);
      }
      const registered = real.afterRegister as { calls: string[]; diagnostics: Json };
      expect(registered.calls).toEqual(['initial']);
      expect(registered.diagnostics).toMatchObject({ loaded: true, liveRegistrations: 1, registeredCallbacks: 1 });
      expect(registered.diagnostics.optionalFunctions).toEqual(expect.arrayContaining(['GetIpInterfaceTable', 'FreeMibTable', 'ConvertInterfaceLuidToNameW', 'FormatMessageW']));
      // Wine 8's NotifyIpInterfaceChange is a stub that returns a NULL handle: the one-time warning says so.
      expect((registered.diagnostics.warnings as string[]).filter((w) => w.includes('NULL handle'))).toHaveLength(1);
      expect(real.afterCancel).toMatchObject({ liveRegistrations: 0, registeredCallbacks: 0 });
      expect(real.secondCancel).toMatchObject({ code: 'INVALID_HANDLE', osCode: 6 });
      // ipInterfaceChanges$ without an adapter picks the windows adapter on win32.
      expect(real.defaultAdapter).toEqual({ seen: [{ kind: 'initial', family: 'inet' }] });
    });

    it('1000 subscriptions over the real iphlpapi.dll share one OS registration (diagnostics), get one marker each, and release everything; so do 1000 pairs in one tick', () => {
      const s = r.realScale as Json;
      expect(s).toMatchObject({
        subscriptions: 1000,
        withOneMarker: 1000,
        rows: 0, // Wine's NotifyIpInterfaceChange never calls back
        errors: 0,
        pairsEmitted: 0,
        maxNativeRegistrations: 1,
        live: { liveRegistrations: 1000, nativeRegistrations: 1, registeredCallbacks: 1 },
        afterLive: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
        afterPairs: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 },
      });
      expect(((s.live as Json).warnings as string[]).filter((w) => w.includes('NULL handle'))).toHaveLength(1);
      console.info(`Wine, real iphlpapi, 1000 subscriptions: live in ${s.liveMs} ms, all done in ${s.ms} ms`);
    });

    it('ConvertInterfaceLuidToNameW and FormatMessageW through the adapter give what C gives', () => {
      const nm = r.namesAndMessages as { names: { luid: string; name: string }[]; messages: Record<string, string> };
      expect(c.interfaces.length).toBeGreaterThan(0);
      expect(nm.names).toEqual(c.interfaces.map((i) => ({ luid: i.luid, name: i.name })));
      expect(Object.keys(c.messages).sort()).toEqual(['1168', '50', '6', '8', '87']);
      expect(nm.messages).toEqual(Object.fromEntries(Object.entries(c.messages).map(([code, text]) => [code, text.trim()])));
    });

    it('the contract suite passes against the fake DLL under node.exe', () => {
      const contract = r.contract as { passed: number; failed: number; ms: number; lines: string[] };
      expect({ failed: contract.failed, failures: contract.lines.filter((l) => l.startsWith('FAIL')) }).toEqual({ failed: 0, failures: [] });
      // 12 interface cases + 6 of the address half (fakeHarness declares `addresses`) + 2 of optional
      // rule 10 (dispose()) + 7 of the route half (the fake DLL's NotifyRouteChange2 delivers).
      expect(contract.passed).toBe(27);
      console.info(`Wine contract: ${contract.passed} passed, ${contract.failed} failed in ${contract.ms} ms`);
    });

    it('the deadlock scenarios complete under Wine too', () => {
      const s = r.scenarios as Record<string, { ok: boolean; ms: number; result?: Json; error?: Json }>;
      const failures = Object.entries(s).filter(([, v]) => !v.ok);
      expect(failures).toEqual([]);
      expect(s['cancel-inside-next']!.result).toMatchObject({ inFlightAtCancel: true, afterUnsubscribe: 0 });
      expect(s['cancel-while-in-flight']!.result).toMatchObject({ inFlight: true, callsAfterCancel: 0 });
      expect(s['register-waits-initial']!.result).toMatchObject({ firstType: 'initial', adapterMarkers: 1 });
      expect(s['unsubscribe-before-registered']!.result).toMatchObject({ emitted: 0 });
      expect(s['no-callback-after-unsubscribe']!.result).toMatchObject({ late: 0 });
      // The scale scenarios with the fake DLL's per-registration threads delivering continuously.
      expect(s['scale-live']!.result).toMatchObject({
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
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 },
      });
      expect(s['scale-pairs']!.result).toMatchObject({ pairs: 1000, emitted: 0, errors: 0, maxNativeRegistrations: 1, fakeMaxLive: 1, after: { liveRegistrations: 0, nativeRegistrations: 0 } });
      // The address twins: one NotifyUnicastIpAddressChange for 1000 subscriptions, the koffi budget never over capacity.
      expect(s['address-scale-live']!.result).toMatchObject({
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
        budgetCapacity: 128,
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 },
      });
      expect(s['address-scale-live']!.result!.maxBudgetInUse as number).toBeLessThanOrEqual(128);
      expect(s['address-scale-pairs']!.result).toMatchObject({ pairs: 1000, emitted: 0, errors: 0, maxNativeRegistrations: 1, fakeMaxLive: 1, after: { liveRegistrations: 0, nativeRegistrations: 0 } });
      expect(s['route-scale']!.result).toMatchObject({
        registrations: 1000, markerFirst: 1000, oneMarker: 1000, unspecWithInet6: 500, wrong: 0, pairErrors: 0, maxNativeRegistrations: 1, fakeMaxLive: 1,
        after: { liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0 },
      });
      expect(s['route-scale']!.result!.maxBudgetInUse as number).toBeLessThanOrEqual(128);
      const cycles = s['cycles-1000']!.result!;
      expect(cycles).toMatchObject({ registeredCallbacks: 0, liveRegistrations: 0, fakeLive: 0, koffiCallbacksAfter: cycles.koffiCallbacksBefore });
      console.info(
        `Wine scenarios: ${JSON.stringify(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.ms])))}; ` +
          `cycles ${JSON.stringify(s['cycles-1000']!.result)}; callback cost ${JSON.stringify(s['callback-cost']!.result)}`,
      );
    });
  });
}
