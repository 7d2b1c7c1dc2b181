/**
 * The address and route structs under Windows: a mingw-w64 probe (address-route-probe.c) gives the C
 * compiler's sizeof/alignof/offsetof of every field and the rows Wine's real GetUnicastIpAddressTable
 * / GetIpForwardTable2 return (raw bytes plus every field as C reads it); Windows node.exe in Wine
 * gives koffi's layout of the types built from our tables. All three must agree, and decoding the
 * raw rows must give what C read. Needs `.ci/wine.sh`: skips loudly without it locally, fails under
 * CI=true.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ADDRESS_ROUTE_LAYOUTS } from '../../../adapters/windows/address-route-types';
import { ipForwardRowFromBytes, MIB_IPFORWARD_TABLE2_ROWS_OFFSET } from '../../../adapters/windows/mib-ipforward-row2';
import { MIB_UNICASTIPADDRESS_TABLE_ROWS_OFFSET, unicastIpAddressRowFromBytes } from '../../../adapters/windows/mib-unicastipaddress-row';
import type { IpForwardRow } from '../../../src/ip-forward-row';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { childScript, compileChildren, removeDir } from './child-process';
import { makeTempDir } from './fake-build';
import { describeWithWine, KOFFI_WIN, NODE_EXE, ROOT, runUnderWine, windowsPath } from './wine-run';

type Layouts = Record<string, { size: number; align: number; offsets: Record<string, number> }>;
interface ProbeRow<F> { hex: string; fields: F }
interface UnicastFields {
  family: number; address: string; luid: string; index: number; prefixOrigin: number; suffixOrigin: number; valid: number; preferred: number;
  onLink: number; skip: number; dad: number; scopeId: number; created: string;
}
interface ForwardFields {
  family: number; prefix: string; prefixLength: number; nextHopFamily: number; nextHop: string; luid: string; index: number; site: number;
  valid: number; preferred: number; metric: number; protocol: number; loopback: number; autoconf: number; publish: number; immortal: number;
  age: number; origin: number;
}
interface Probe {
  layouts: Layouts;
  nested: Record<string, number>;
  tableRowsOffset: Record<string, number>;
  unicast: { status: number; rows: ProbeRow<UnicastFields>[] };
  entry?: { status: number; hex: string };
  forward: { status: number; rows: ProbeRow<ForwardFields>[] };
  forwardEntry?: { exported: number; status?: number };
  NotifyUnicastIpAddressChange: NotifyProbe;
  NotifyRouteChange2: NotifyProbe;
  GetBestRoute2: { exported: number; inet?: number; inet6?: number };
}
/** What C saw of Notify*(AF_UNSPEC, InitialNotification TRUE) under Wine. */
interface NotifyProbe {
  exported: number; status?: number; handleNull?: number; callbacksAtReturn?: number; callbacksAfter300ms?: number;
  /** 1: the callback ran on the calling thread, 0: another one, -1: no callback. */
  callerThread?: number; type?: number; rowNull?: number; cancel?: number;
}
type Json = Record<string, unknown>;
/**
 * A row as the JSON of the node.exe side has it (BigInts as strings), without interfaceName and
 * creationTimeStamp (Wine 8 stamps every row with the time of the table read: see the test).
 */
const comparable = (row: object): Json => {
  const { interfaceName: _name, creationTimeStamp: _stamp, ...rest } = JSON.parse(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Json;
  return rest;
};

const FAMILY: Record<number, string> = { 2: 'inet', 23: 'inet6' };
const PREFIX_ORIGIN = ['other', 'manual', 'wellKnown', 'dhcp', 'routerAdvertisement'];
const SUFFIX_ORIGIN = ['other', 'manual', 'wellKnown', 'dhcp', 'linkLayerAddress', 'random'];
const DAD = ['invalid', 'tentative', 'duplicate', 'deprecated', 'preferred'];
const PROTOCOL: Record<number, string> = { 1: 'other', 2: 'local', 3: 'netmgmt', 4: 'icmp', 8: 'rip', 13: 'ospf', 14: 'bgp', 19: 'dhcp', 10002: 'ntAutostatic', 10006: 'ntStatic', 10007: 'ntStaticNonDod' };
const ORIGIN = ['manual', 'wellKnown', 'dhcp', 'routerAdvertisement', '6to4'];

/** What C read, in the public row's terms (enum numbers named by the reference table, not by our decoder's maps). */
function expectedUnicast(f: UnicastFields): UnicastIpAddressRow {
  return {
    family: FAMILY[f.family] as 'inet' | 'inet6', address: f.address, interfaceLuid: BigInt(f.luid), interfaceIndex: f.index,
    prefixOrigin: (f.prefixOrigin === 16 ? 'unchanged' : PREFIX_ORIGIN[f.prefixOrigin]) as UnicastIpAddressRow['prefixOrigin'],
    suffixOrigin: (f.suffixOrigin === 16 ? 'unchanged' : SUFFIX_ORIGIN[f.suffixOrigin]) as UnicastIpAddressRow['suffixOrigin'],
    validLifetime: f.valid, preferredLifetime: f.preferred, onLinkPrefixLength: f.onLink, skipAsSource: f.skip !== 0,
    dadState: DAD[f.dad] as UnicastIpAddressRow['dadState'], scopeId: f.scopeId, creationTimeStamp: BigInt(f.created),
  };
}
function expectedForward(f: ForwardFields): IpForwardRow {
  return {
    family: FAMILY[f.family] as 'inet' | 'inet6', destinationPrefix: { prefix: f.prefix, prefixLength: f.prefixLength },
    nextHop: f.nextHopFamily === 0 ? (f.family === 2 ? '0.0.0.0' : '::') : f.nextHop, interfaceLuid: BigInt(f.luid), interfaceIndex: f.index,
    sitePrefixLength: f.site, validLifetime: f.valid, preferredLifetime: f.preferred, metric: f.metric,
    protocol: PROTOCOL[f.protocol] as IpForwardRow['protocol'], loopback: f.loopback !== 0, autoconfigureAddress: f.autoconf !== 0,
    publish: f.publish !== 0, immortal: f.immortal !== 0, age: f.age, origin: ORIGIN[f.origin] as IpForwardRow['origin'],
  };
}

describeWithWine('address and route structs under Wine (mingw-w64 offsetof, Windows node.exe koffi, real iphlpapi rows)', () => {
  let tmp: string | undefined;
  let out: string | undefined;
  let c: Probe;
  let k: { platform?: string; layouts?: Layouts; error?: string; done?: boolean; exit?: unknown; real?: Json; realError?: Json };

  beforeAll(async () => {
    tmp = makeTempDir('addr-route-layout');
    const probeExe = path.join(tmp, 'address-route-probe.exe');
    execFileSync('x86_64-w64-mingw32-gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', probeExe, path.join(__dirname, 'address-route-probe.c'), '-liphlpapi', '-lws2_32'], { stdio: 'pipe' });
    const probeOut = path.join(tmp, 'probe.json');
    const probe = await runUnderWine([probeExe], probeOut, path.join(tmp, 'probe.err'), 60000);
    if (probe.code !== 0) throw new Error(`probe failed (${probe.code}): ${fs.readFileSync(path.join(tmp, 'probe.err'), 'utf8')}`);
    c = JSON.parse(fs.readFileSync(probeOut, 'utf8')) as Probe;

    out = compileChildren('addr-route');
    fs.cpSync(path.join(ROOT, 'node_modules', 'koffi'), path.join(out, 'node_modules', 'koffi'), { recursive: true });
    fs.cpSync(KOFFI_WIN, path.join(out, 'node_modules', '@koromix', 'koffi-win32-x64'), { recursive: true });
    const resultFile = path.join(tmp, 'koffi.json');
    const run = await runUnderWine([NODE_EXE, windowsPath(childScript(out, 'address-route-layout-main')), windowsPath(resultFile)], path.join(tmp, 'node.log'), path.join(tmp, 'node.err'), 120000);
    k = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : {};
    k.exit = { code: run.code, timedOut: run.timedOut, stderr: run.code === 0 ? '' : fs.readFileSync(path.join(tmp, 'node.err'), 'utf8') };
    console.info(`Wine: probe ${probe.ms} ms, node.exe ${run.ms} ms`);
  }, 240000);

  afterAll(() => {
    removeDir(out);
    removeDir(tmp);
  });

  it('node.exe ran as win32-x64 and the koffi types passed their own load check', () => {
    expect({ exit: k.exit, error: k.error, done: k.done }).toEqual({ exit: { code: 0, timedOut: false, stderr: '' }, error: undefined, done: true });
    expect(String(k.platform)).toMatch(/^win32-x64 node v\d+\.\d+\.\d+ koffi 3\./);
  });

  it('the C compiler, koffi under Windows and our layout tables agree on every struct: sizeof, alignof, offsetof of every field', () => {
    const ours = Object.fromEntries(ADDRESS_ROUTE_LAYOUTS.map((l) => [l.name, { size: l.size, align: l.align, offsets: Object.fromEntries(l.fields.map(([n, , o]) => [n, o])) }]));
    expect(c.layouts).toEqual(ours);
    expect(k.layouts).toEqual(c.layouts);
    expect(c.nested).toEqual({ 'DestinationPrefix.PrefixLength': 40, 'Address.Ipv6.sin6_scope_id': 24 });
    expect(c.tableRowsOffset).toEqual({ MIB_UNICASTIPADDRESS_TABLE: MIB_UNICASTIPADDRESS_TABLE_ROWS_OFFSET, MIB_IPFORWARD_TABLE2: MIB_IPFORWARD_TABLE2_ROWS_OFFSET });
  });

  it("decoding Wine's GetUnicastIpAddressTable rows gives what C read, field by field", () => {
    expect(c.unicast.status).toBe(0);
    expect(c.unicast.rows.length).toBeGreaterThan(0);
    const decoded = c.unicast.rows.map((r) => unicastIpAddressRowFromBytes(Buffer.from(r.hex, 'hex')));
    expect(decoded).toEqual(c.unicast.rows.map((r) => expectedUnicast(r.fields)));
    // Wine 8 facts (windows-address-route-layouts.md): every row preferred, 60000 s lifetimes; link-local rows carry the zone in ScopeId.
    expect(decoded.every((r) => r?.dadState === 'preferred')).toBe(true);
    for (const r of decoded.filter((d) => d?.address.startsWith('fe80:'))) expect(r!.scopeId).toBe(r!.interfaceIndex);
    // GetUnicastIpAddressEntry on a zeroed row (no InitializeUnicastIpAddressEntry: it kills Wine 8) finds the same row;
    // the bytes may differ only where the row has no field (Wine's table leaves garbage in unused union bytes and padding).
    expect(c.entry?.status).toBe(0);
    expect(unicastIpAddressRowFromBytes(Buffer.from(c.entry!.hex, 'hex'))).toEqual(decoded[0]);
  });

  it("decoding Wine's GetIpForwardTable2 rows gives what C read, field by field", () => {
    expect(c.forward.status).toBe(0);
    expect(c.forward.rows.length).toBeGreaterThan(0);
    const decoded = c.forward.rows.map((r) => ipForwardRowFromBytes(Buffer.from(r.hex, 'hex')));
    expect(decoded).toEqual(c.forward.rows.map((r) => expectedForward(r.fields)));
    expect(decoded.some((r) => r?.destinationPrefix.prefixLength === 0)).toBe(true);
  });

  it('Wine 8 facts from C: GetIpForwardEntry2 is not exported; NotifyUnicastIpAddressChange calls back once, initial, on the calling thread, NULL handle; NotifyRouteChange2 never calls back; GetBestRoute2 is 50', () => {
    expect(c.forwardEntry).toEqual({ exported: 0 });
    // The semi-stub: NO_ERROR, *Handle = NULL, and the initial notification (Row NULL) from inside the call, nothing after.
    expect(c.NotifyUnicastIpAddressChange).toEqual({
      exported: 1, status: 0, handleNull: 1, callbacksAtReturn: 1, callbacksAfter300ms: 1, callerThread: 1, type: 3, rowNull: 1, cancel: 0,
    });
    // The stub: NO_ERROR, *Handle = NULL, no callback even with InitialNotification TRUE.
    expect(c.NotifyRouteChange2).toEqual({
      exported: 1, status: 0, handleNull: 1, callbacksAtReturn: 0, callbacksAfter300ms: 0, callerThread: -1, type: -1, rowNull: -1, cancel: 0,
    });
    expect(c.GetBestRoute2).toEqual({ exported: 1, inet: 50, inet6: 50 });
  });

  it("the windows adapter over Wine's iphlpapi.dll: tables equal what C read (plus a name each), markers from the adapter, GetBestRoute2 NOT_SUPPORTED, nothing left", () => {
    expect(k.realError).toBeUndefined();
    const real = k.real!;
    const addresses = (real.addresses as { value?: Json[]; error?: Json });
    expect(addresses.error).toBeUndefined();
    expect(addresses.value!.map(comparable)).toEqual(c.unicast.rows.map((r) => comparable(expectedUnicast(r.fields))));
    for (const row of addresses.value!) expect(typeof row.interfaceName === 'string' && row.interfaceName.length > 0).toBe(true);
    // Wine 8's CreationTimeStamp is not the address's: every row of one read carries the same stamp, the time of
    // that read (FILETIME, 100 ns since 1601), so the adapter's read (later than C's) has a later one.
    const stamps = (rows: readonly { creationTimeStamp?: unknown }[]): Set<bigint> => new Set(rows.map((r) => BigInt(String(r.creationTimeStamp))));
    const cStamps = stamps(c.unicast.rows.map((r) => ({ creationTimeStamp: r.fields.created })));
    const ourStamps = stamps(addresses.value!);
    expect([cStamps.size, ourStamps.size]).toEqual([1, 1]);
    expect([...ourStamps][0]! > [...cStamps][0]!).toBe(true);
    expect((real.addressesInet as { value: Json[] }).value.map(comparable)).toEqual(
      c.unicast.rows.filter((r) => r.fields.family === 2).map((r) => comparable(expectedUnicast(r.fields))),
    );
    const routes = real.routes as { value?: Json[]; error?: Json };
    expect(routes.error).toBeUndefined();
    expect(routes.value!.map(comparable)).toEqual(c.forward.rows.map((r) => comparable(expectedForward(r.fields))));
    for (const best of [real.bestRoute, real.bestRoute6] as { error?: Json }[]) {
      expect(best.error).toMatchObject({ name: 'IpInterfaceError', code: 'NOT_SUPPORTED', osCode: 50 });
      expect(String(best.error!.message)).toMatch(/^GetBestRoute2 failed with ERROR_NOT_SUPPORTED \(50\)/);
    }
    // Wine's initial callback (on the koffi worker thread, inside the call) is the OS's: the adapter emits its own marker, once.
    for (const [kind, fn] of [['address', 'NotifyUnicastIpAddressChange'], ['route', 'NotifyRouteChange2']] as const) {
      const r = real[kind] as { registered: unknown; calls: string[]; live: { byKind: Json; registeredCallbacks: number; warnings: string[] }; cancelled: unknown; after: Json };
      expect({ registered: r.registered, calls: r.calls, cancelled: r.cancelled }).toEqual({ registered: 'ok', calls: ['initial'], cancelled: 'ok' });
      expect(r.live.byKind[kind === 'address' ? 'addresses' : 'routes']).toEqual({ liveRegistrations: 1, nativeRegistrations: 1 });
      expect(r.live.registeredCallbacks).toBe(1);
      expect(r.live.warnings.filter((w) => w.startsWith(fn) && w.includes('NULL handle'))).toHaveLength(1);
      expect(r.after).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
    }
    expect(real.stream).toEqual([{ kind: 'initial', family: 'unspec' }]);
    expect(real.disposed).toMatchObject({ liveRegistrations: 0, nativeRegistrations: 0, registeredCallbacks: 0, pendingNativeCalls: 0 });
    expect(real.optionalFunctions).toEqual(
      expect.arrayContaining(['NotifyUnicastIpAddressChange', 'GetUnicastIpAddressEntry', 'GetUnicastIpAddressTable', 'NotifyRouteChange2', 'GetIpForwardTable2', 'GetBestRoute2']),
    );
    expect(real.optionalFunctions).not.toContain('GetIpForwardEntry2');
  });
});
