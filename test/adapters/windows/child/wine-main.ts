/**
 * Runs under Windows node.exe in Wine (started by wine.test.ts; plain node, no jest: node.exe cannot
 * host jest's piped workers). Writes one JSON file of facts for the jest side to assert on:
 *   - koffi's layout of the adapter's MIB_IPINTERFACE_ROW (compared there with the C compiler's);
 *   - the load path against the REAL iphlpapi.dll / kernel32.dll (Wine 8: NotifyIpInterfaceChange is a
 *     stub returning a NULL handle, GetIpInterfaceTable returns 50, GetIpInterfaceEntry is missing);
 *   - ConvertInterfaceLuidToNameW / FormatMessageW through the adapter's bindings;
 *   - the scale scenario against the real iphlpapi.dll (registration and cancel only: Wine's
 *     NotifyIpInterfaceChange is a stub that never calls back), with the OS registration count;
 *   - the contract suite (its address half included), the deadlock and the scale scenarios (interfaces
 *     and addresses) against the fake DLL.
 * Usage: node.exe wine-main.js FAKE_DLL RESULT_JSON PROBE_JSON
 */
import fs from 'node:fs';
import koffi from 'koffi';
import { windowsAdapter } from '../../../../adapters/windows';
import { loadIphlpapi } from '../../../../adapters/windows/iphlpapi-library';
import { MIB_IPINTERFACE_ROW_LAYOUT } from '../../../../adapters/windows/mib-ipinterface-row';
import type { MibNotificationType } from '../../../../src/adapter';
import type { IpInterfaceChange } from '../../../../src/ip-interface-change';
import { ipInterfaceChanges$ } from '../../../../src/ip-interface-changes';
import { IpInterfaceError } from '../../../../src/ip-interface-error';
import { runContract } from '../../../contract/contract-suite';
import { fakeControls } from '../fake-controls';
import { fakeHarness } from '../fake-harness';
import { SCENARIOS, toJson } from './scenarios';

interface Probe {
  readonly interfaces: readonly { readonly index: number; readonly luid: string; readonly name: string }[];
  readonly messages: Record<string, string>;
}

const [fakeDll, resultFile, probeFile] = process.argv.slice(2);
const results: Record<string, unknown> = {};
const lines: string[] = [];
const log = (line: string): void => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
// Written after every step, so a hang or a crash still leaves what was learnt.
const save = (): void => fs.writeFileSync(resultFile!, toJson(results));

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof IpInterfaceError
    ? { name: error.name, code: error.code, osCode: error.osCode, message: error.message }
    : { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function realLibrary(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const adapter = windowsAdapter();
  try {
    const rows = await adapter.getIpInterfaceTable('unspec');
    out.table = { rows: rows.length };
  } catch (error) {
    out.table = { error: describeError(error) };
  }
  const calls: MibNotificationType[] = [];
  const handle = await adapter.notifyIpInterfaceChange('unspec', (_row, type) => calls.push(type), true);
  out.afterRegister = { calls: [...calls], diagnostics: adapter.diagnostics() };
  await adapter.cancelMibChangeNotify2(handle);
  out.afterCancel = adapter.diagnostics();
  try {
    await adapter.cancelMibChangeNotify2(handle);
    out.secondCancel = 'resolved';
  } catch (error) {
    out.secondCancel = describeError(error);
  }
  // The core's default adapter on win32 (no adapter option): the windows adapter over the real DLL.
  const seen: IpInterfaceChange[] = [];
  let failure: unknown;
  const sub = ipInterfaceChanges$('inet', true).subscribe({ next: (c) => seen.push(c), error: (e: unknown) => (failure = e) });
  for (let i = 0; i < 200 && seen.length === 0 && failure === undefined; i++) await sleep(10);
  sub.unsubscribe();
  out.defaultAdapter = { seen, failure: failure === undefined ? undefined : describeError(failure) };
  return out;
}

/**
 * 1000 live subscriptions (half AF_INET, half AF_UNSPEC, initial) on one adapter over the real DLL,
 * then 1000 subscribe/unsubscribe pairs in one tick: markers, the OS registration count sampled
 * throughout, and everything released after.
 */
async function realScale(): Promise<Record<string, unknown>> {
  const adapter = windowsAdapter();
  const count = 1000;
  let maxNative = 0;
  const sample = setInterval(() => (maxNative = Math.max(maxNative, adapter.diagnostics().nativeRegistrations)), 5);
  const started = Date.now();
  try {
    const markers = new Array<number>(count).fill(0);
    let rows = 0;
    let errors = 0;
    const subs = markers.map((_, i) =>
      ipInterfaceChanges$(i % 2 === 0 ? 'inet' : 'unspec', true, { adapter }).subscribe({
        next: (c) => (c.kind === 'initial' ? markers[i]!++ : rows++),
        error: () => errors++,
      }),
    );
    for (let i = 0; i < 2000 && markers.some((m) => m === 0) && errors === 0; i++) await sleep(10);
    const live = adapter.diagnostics();
    const liveMs = Date.now() - started;
    for (const sub of subs) sub.unsubscribe();
    const released = (): boolean => {
      const d = adapter.diagnostics();
      return d.liveRegistrations === 0 && d.nativeRegistrations === 0 && d.registeredCallbacks === 0;
    };
    for (let i = 0; i < 1000 && !released(); i++) await sleep(10);
    const afterLive = adapter.diagnostics();
    let emitted = 0;
    for (let i = 0; i < count; i++) {
      ipInterfaceChanges$(i % 2 === 0 ? 'inet' : 'unspec', true, { adapter })
        .subscribe({ next: () => emitted++, error: () => errors++ })
        .unsubscribe();
    }
    for (let i = 0; i < 1000 && !released(); i++) await sleep(10);
    return {
      subscriptions: count,
      withOneMarker: markers.filter((m) => m === 1).length,
      rows,
      errors,
      liveMs,
      live,
      afterLive,
      pairsEmitted: emitted,
      afterPairs: adapter.diagnostics(),
      maxNativeRegistrations: maxNative,
      ms: Date.now() - started,
    };
  } finally {
    clearInterval(sample);
  }
}

async function namesAndMessages(probe: Probe): Promise<Record<string, unknown>> {
  const lib = await loadIphlpapi({ library: 'iphlpapi.dll', messageLibrary: 'kernel32.dll' });
  const names = probe.interfaces.map((i) => ({ luid: i.luid, name: lib.interfaceName?.(BigInt(i.luid)) }));
  const messages = Object.fromEntries(Object.keys(probe.messages).map((code) => [code, lib.formatMessage?.(Number(code))]));
  return { optionalFunctions: lib.optionalFunctions, names, messages };
}

async function main(): Promise<void> {
  results.platform = `${process.platform}-${process.arch} node ${process.version} koffi ${koffi.version}`;
  const probe = JSON.parse(fs.readFileSync(probeFile!, 'utf8')) as Probe;
  results.real = await realLibrary();
  save();
  results.realScale = await realScale();
  save();
  // The adapter defined (and checked) its struct type while loading; read koffi's view of it.
  const row = koffi.type('RXIPI_MIB_IPINTERFACE_ROW');
  results.koffiLayout = {
    size: koffi.sizeof(row),
    align: row.alignment,
    offsets: Object.fromEntries(MIB_IPINTERFACE_ROW_LAYOUT.map(([name]) => [name, koffi.offsetof(row, name)])),
  };
  save();
  results.namesAndMessages = await namesAndMessages(probe);
  save();

  const controls = fakeControls(fakeDll!);
  const contractStarted = Date.now();
  const contract = await runContract(fakeHarness('windows (fake iphlpapi DLL, Wine)', controls, { messageLibrary: 'kernel32.dll', quietMs: 100 }), log);
  results.contract = { ...contract, ms: Date.now() - contractStarted, lines: lines.filter((l) => l.startsWith('ok') || l.startsWith('FAIL')) };
  save();

  const scenarios: Record<string, unknown> = {};
  results.scenarios = scenarios;
  for (const name of ['cancel-inside-next', 'cancel-while-in-flight', 'register-waits-initial', 'unsubscribe-before-registered', 'no-callback-after-unsubscribe', 'cycles-1000', 'callback-cost', 'scale-live', 'scale-pairs', 'address-scale-live', 'address-scale-pairs', 'route-scale']) {
    log(`scenario ${name}`);
    const started = Date.now();
    try {
      scenarios[name] = { ok: true, ms: 0, result: await SCENARIOS[name]!({ library: fakeDll!, messageLibrary: 'kernel32.dll', controls, log }) };
    } catch (error) {
      scenarios[name] = { ok: false, error: describeError(error) };
    }
    (scenarios[name] as { ms: number }).ms = Date.now() - started;
    save();
  }
  results.done = true;
  save();
}

main().catch((error: unknown) => {
  results.fatal = describeError(error);
  save();
  process.exitCode = 1;
});
