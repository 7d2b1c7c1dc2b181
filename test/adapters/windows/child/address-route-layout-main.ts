/**
 * Runs under Windows node.exe in Wine (started by address-route-layout.test.ts): defines the address
 * and route koffi types from the layout tables (which checks them against the tables, as at load)
 * and writes koffi's own view of every struct (sizeof, alignof, offsetof of each field) for the jest
 * side to compare with the C compiler's; then runs the windows adapter's address and route halves
 * against the REAL iphlpapi.dll (tables, Notify* with initial, GetBestRoute2) and writes what it got.
 * Usage: node.exe address-route-layout-main.js RESULT_JSON
 */
import fs from 'node:fs';
import koffi from 'koffi';
import { ADDRESS_ROUTE_LAYOUTS, addressRouteTypes, koffiTypeName } from '../../../../adapters/windows/address-route-types';
import { windowsAdapter } from '../../../../adapters/windows';
import type { MibNotificationType } from '../../../../src/adapter';
import { IpInterfaceError } from '../../../../src/ip-interface-error';
import { unicastIpAddressChanges$ } from '../../../../src/unicast-ip-address-changes';
import { toJson } from './scenarios';

const [resultFile] = process.argv.slice(2);
const result: Record<string, unknown> = { platform: `${process.platform}-${process.arch} node ${process.version} koffi ${koffi.version}` };
const save = (): void => fs.writeFileSync(resultFile!, toJson(result));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof IpInterfaceError
    ? { name: error.name, code: error.code, osCode: error.osCode, message: error.message }
    : { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: Record<string, unknown> }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** The adapter's address and route halves over Wine's own iphlpapi.dll. */
async function realAddressRoute(): Promise<Record<string, unknown>> {
  const adapter = windowsAdapter();
  const out: Record<string, unknown> = {};
  out.addresses = await attempt(() => adapter.getUnicastIpAddressTable('unspec'));
  out.addressesInet = await attempt(() => adapter.getUnicastIpAddressTable('inet'));
  out.routes = await attempt(() => adapter.getIpForwardTable2('unspec'));
  out.bestRoute = await attempt(() => adapter.getBestRoute2('inet', '192.0.2.1'));
  out.bestRoute6 = await attempt(() => adapter.getBestRoute2('inet6', '2001:db8::1'));
  for (const kind of ['address', 'route'] as const) {
    const calls: MibNotificationType[] = [];
    const notify = kind === 'address' ? adapter.notifyUnicastIpAddressChange.bind(adapter) : adapter.notifyRouteChange2.bind(adapter);
    const registered = await attempt(() => notify('unspec', (_row: unknown, type: MibNotificationType) => calls.push(type), true));
    await sleep(300);
    const live = adapter.diagnostics();
    const cancelled = registered.value ? await attempt(() => adapter.cancelMibChangeNotify2(registered.value!)) : undefined;
    out[kind] = {
      registered: registered.error ?? 'ok',
      calls,
      live: { byKind: live.byKind, registeredCallbacks: live.registeredCallbacks, warnings: live.warnings },
      cancelled: cancelled?.error ?? 'ok',
      after: adapter.diagnostics(),
    };
  }
  // Through the public stream: one marker, then nothing (Wine never calls back after the initial notification).
  const seen: unknown[] = [];
  const sub = unicastIpAddressChanges$('unspec', true, { adapter }).subscribe({ next: (c) => seen.push(c), error: (e: unknown) => seen.push(describeError(e)) });
  await sleep(300);
  sub.unsubscribe();
  out.stream = seen;
  await adapter.dispose();
  out.disposed = adapter.diagnostics();
  out.optionalFunctions = adapter.diagnostics().optionalFunctions;
  return out;
}

async function main(): Promise<void> {
  try {
    addressRouteTypes(koffi);
    result.layouts = Object.fromEntries(
      ADDRESS_ROUTE_LAYOUTS.map((layout) => {
        const type = koffi.type(koffiTypeName(layout));
        // koffi.offsetof takes structs only; a union's members are all at 0.
        const offsets = Object.fromEntries(layout.fields.map(([name]) => [name, layout.kind === 'union' ? 0 : koffi.offsetof(type, name)]));
        return [layout.name, { size: koffi.sizeof(type), align: koffi.alignof(type), offsets }];
      }),
    );
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  save();
  try {
    result.real = await realAddressRoute();
  } catch (error) {
    result.realError = describeError(error);
  }
  result.done = true;
  save();
}

void main();
