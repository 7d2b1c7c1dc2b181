import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { describeError, importKoffi, type Koffi } from '../shared/native-module.js';
import { nativeLoadFailed } from '../shared/os-error.js';
import {
  MIB_IPINTERFACE_ROW_LAYOUT,
  MIB_IPINTERFACE_ROW_SIZE,
  MIB_IPINTERFACE_TABLE_ROWS_OFFSET,
  type NativeFieldType,
  type NativeIpInterfaceRow,
} from './mib-ipinterface-row.js';
import { koffiAsyncBudget, type KoffiAsyncBudget } from './native-call-budget.js';
import { bindAddressRouteLibrary, type AddressRouteLibrary } from './address-route-library.js';

type KoffiType = ReturnType<Koffi['struct']>;
type KoffiFunction = ReturnType<ReturnType<Koffi['load']>['func']>;

/** The native callback as koffi calls it: pointers arrive as BigInt addresses (or null). */
export type NativeChangeCallback = (context: bigint | null, row: bigint | null, notificationType: number) => void;

/** Result of NotifyIpInterfaceChange: the status and, on success, the handle (NULL under Wine). */
export interface NativeRegistration {
  readonly status: number;
  readonly handle: bigint | null;
}

/** Where the library comes from. */
export interface IphlpapiLibraryOptions {
  /** DLL (or, for tests, shared object) with the IP Helper functions. */
  readonly library: string;
  /** DLL with FormatMessageW. */
  readonly messageLibrary: string;
}

/**
 * The bound IP Helper functions. Register and cancel are asynchronous (koffi `.async`, on a worker
 * thread) because both may wait for a callback that only the JS thread can run. The optional
 * functions are `undefined` when the library does not export them (Wine 8 lacks GetIpInterfaceEntry).
 */
export interface IphlpapiLibrary {
  readonly path: string;
  /** The process's koffi async budget every `.async` call below goes through (see native-call-budget.ts). */
  readonly budget: KoffiAsyncBudget;
  /** Names of the optional functions found, for diagnostics. */
  readonly optionalFunctions: readonly string[];
  notifyIpInterfaceChange(family: number, callback: bigint, initial: boolean): Promise<NativeRegistration>;
  cancelMibChangeNotify2(handle: bigint): Promise<number>;
  /** GetIpInterfaceEntry (after InitializeIpInterfaceEntry where present), synchronous: it never waits for a callback. */
  readonly getIpInterfaceEntry: ((family: number, luid: bigint, index: number) => { status: number; row?: NativeIpInterfaceRow }) | undefined;
  /** GetIpInterfaceTable, decoded and released with FreeMibTable. */
  readonly getIpInterfaceTable: ((family: number) => Promise<{ status: number; rows: NativeIpInterfaceRow[] }>) | undefined;
  /** ConvertInterfaceLuidToNameW, `undefined` on failure. */
  readonly interfaceName: ((luid: bigint) => string | undefined) | undefined;
  /** FormatMessageW(FROM_SYSTEM | IGNORE_INSERTS), `undefined` when the system has no text. */
  readonly formatMessage: ((code: number) => string | undefined) | undefined;
  /** Copies the row a callback points to (call it inside the callback: the memory is the OS's). */
  decodeRow(pointer: bigint): NativeIpInterfaceRow;
  /** koffi.register with the callback type. */
  registerCallback(callback: NativeChangeCallback): bigint;
  /** koffi.unregister: only once no native code can call the callback any more. */
  unregisterCallback(pointer: bigint): void;
  /** The address and route functions (each optional; see address-route-library.ts). */
  readonly addressRoute: AddressRouteLibrary;
}

interface KoffiTypes {
  readonly row: KoffiType;
  readonly callback: KoffiType;
}

const typesByKoffi = new WeakMap<Koffi, KoffiTypes>();
// Named, not anonymous: koffi 3.3 caches pointer types by name and two anonymous types can end up
// sharing one "<anonymous_N> *". The registry is per process, so the CJS and ESM copies of this
// module (or a second koffi wrapper) reuse a definition already made; the layout check covers it.
const ROW_TYPE_NAME = 'RXIPI_MIB_IPINTERFACE_ROW';
const CALLBACK_TYPE_NAME = 'RXIPI_PIPINTERFACE_CHANGE_CALLBACK';

function namedType(koffi: Koffi, name: string, create: () => KoffiType): KoffiType {
  try {
    return koffi.type(name);
  } catch {
    return create();
  }
}

const MAX_INTERFACE_NAME = 257; // NDIS_IF_MAX_STRING_SIZE + 1, in WCHARs
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;

function loadFailed(message: string, cause?: unknown): IpInterfaceError {
  return nativeLoadFailed('windows', message, cause);
}

function koffiTypes(koffi: Koffi): KoffiTypes {
  let types = typesByKoffi.get(koffi);
  if (types) return types;
  const fieldType = (type: NativeFieldType): KoffiType | string =>
    type === 'uint32_t[16]' ? koffi.array('uint32_t', 16, 'Array') : type;
  const row = namedType(koffi, ROW_TYPE_NAME, () =>
    koffi.struct(ROW_TYPE_NAME, Object.fromEntries(MIB_IPINTERFACE_ROW_LAYOUT.map(([name, type]) => [name, fieldType(type)]))),
  );
  // Layout check at load: a mismatch would corrupt every row, so refuse to run rather than guess.
  const mismatches = MIB_IPINTERFACE_ROW_LAYOUT.filter(([name, , offset]) => koffi.offsetof(row, name) !== offset).map(
    ([name, , offset]) => `${name} at ${koffi.offsetof(row, name)} instead of ${offset}`,
  );
  if (koffi.sizeof(row) !== MIB_IPINTERFACE_ROW_SIZE) mismatches.push(`size ${koffi.sizeof(row)} instead of ${MIB_IPINTERFACE_ROW_SIZE}`);
  if (mismatches.length > 0) {
    throw loadFailed(`MIB_IPINTERFACE_ROW layout differs from the verified x64 layout on ${process.arch}: ${mismatches.join(', ')}`);
  }
  // VOID (PVOID CallerContext, PMIB_IPINTERFACE_ROW Row, MIB_NOTIFICATION_TYPE NotificationType).
  const callback = koffi.pointer(namedType(koffi, CALLBACK_TYPE_NAME, () => koffi.proto(CALLBACK_TYPE_NAME, 'void', ['void *', 'void *', 'int32_t'])));
  types = { row, callback };
  typesByKoffi.set(koffi, types);
  return types;
}

/** Binds `name`, or returns `undefined` when the library does not export it. */
function optional(lib: ReturnType<Koffi['load']>, name: string, result: string, args: (string | KoffiType | ReturnType<Koffi['out']>)[]): KoffiFunction | undefined {
  try {
    return lib.func(name, result, args);
  } catch {
    return undefined;
  }
}

/** `fn.async(...args)` once the budget has a slot for it (koffi's pool is never asked for more). */
function callAsync(budget: KoffiAsyncBudget, fn: KoffiFunction, ...args: unknown[]): Promise<number> {
  return budget.call<number>((done) => fn.async(...args, done));
}

function utf16z(buffer: Buffer, chars: number): string {
  const text = buffer.toString('utf16le', 0, Math.min(chars, buffer.length / 2) * 2);
  const end = text.indexOf('\0');
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Loads koffi and the library, and binds the functions. Only NotifyIpInterfaceChange and
 * CancelMibChangeNotify2 are required; everything else is optional.
 *
 * @example
 * ```ts
 * const lib = await loadIphlpapi({ library: 'iphlpapi.dll', messageLibrary: 'kernel32.dll' });
 * lib.optionalFunctions; // ['GetIpInterfaceEntry', 'InitializeIpInterfaceEntry', ...]
 * ```
 */
export async function loadIphlpapi(options: IphlpapiLibraryOptions): Promise<IphlpapiLibrary> {
  if (process.platform === 'win32' && process.arch !== 'x64' && process.arch !== 'arm64') {
    throw new IpInterfaceError('NOT_SUPPORTED', `the windows adapter supports x64 and arm64, not ${process.arch} (its MIB_IPINTERFACE_ROW layout is unverified)`, {
      adapter: 'windows',
    });
  }
  const koffi = await importKoffi('windows');
  const types = koffiTypes(koffi);
  // koffi 3.3.4 reports 256; its types mark the field optional.
  const budget = koffiAsyncBudget(koffi.config().max_async_calls ?? 256);
  let lib: ReturnType<Koffi['load']>;
  try {
    lib = koffi.load(options.library);
  } catch (error) {
    throw loadFailed(`could not load ${options.library} through koffi: ${describeError(error)}`, error);
  }
  const handleOut = koffi.out(koffi.pointer('void *'));
  const notify = optional(lib, 'NotifyIpInterfaceChange', 'uint32_t', ['uint16_t', types.callback, 'void *', 'uint8_t', handleOut]);
  const cancel = optional(lib, 'CancelMibChangeNotify2', 'uint32_t', ['void *']);
  const missing = [notify ? [] : ['NotifyIpInterfaceChange'], cancel ? [] : ['CancelMibChangeNotify2']].flat();
  if (!notify || !cancel) throw loadFailed(`${options.library} does not export ${missing.join(' and ')}`);

  const initializeEntry = optional(lib, 'InitializeIpInterfaceEntry', 'void', [koffi.out(koffi.pointer(types.row))]);
  const getEntry = optional(lib, 'GetIpInterfaceEntry', 'uint32_t', [koffi.inout(koffi.pointer(types.row))]);
  const getTable = optional(lib, 'GetIpInterfaceTable', 'uint32_t', ['uint16_t', handleOut]);
  const freeTable = optional(lib, 'FreeMibTable', 'void', ['void *']);
  const luidToName = optional(lib, 'ConvertInterfaceLuidToNameW', 'uint32_t', ['void *', 'void *', 'size_t']);
  let formatMessageW: KoffiFunction | undefined;
  try {
    formatMessageW = optional(koffi.load(options.messageLibrary), 'FormatMessageW', 'uint32_t', [
      'uint32_t', 'void *', 'uint32_t', 'uint32_t', 'void *', 'uint32_t', 'void *',
    ]);
  } catch {
    formatMessageW = undefined; // no kernel32 (Linux tests): messages fall back to the code's name
  }

  const found: Record<string, KoffiFunction | undefined> = {
    InitializeIpInterfaceEntry: initializeEntry,
    GetIpInterfaceEntry: getEntry,
    GetIpInterfaceTable: getTable,
    FreeMibTable: freeTable,
    ConvertInterfaceLuidToNameW: luidToName,
    FormatMessageW: formatMessageW,
  };
  const addressRoute = bindAddressRouteLibrary(koffi, lib, types.callback, budget);
  const decodeRow = (pointer: bigint): NativeIpInterfaceRow => koffi.decode(pointer, types.row) as NativeIpInterfaceRow;

  return {
    path: options.library,
    budget,
    optionalFunctions: [...Object.keys(found).filter((name) => found[name] !== undefined), ...addressRoute.found],
    async notifyIpInterfaceChange(family, callback, initial) {
      const handle: (bigint | null)[] = [null];
      const status = await callAsync(budget, notify, family, callback, null, initial ? 1 : 0, handle);
      return { status: status >>> 0, handle: handle[0] ?? null };
    },
    async cancelMibChangeNotify2(handle) {
      return (await callAsync(budget, cancel, handle)) >>> 0;
    },
    getIpInterfaceEntry: getEntry
      ? (family, luid, index) => {
          const row: Partial<Record<string, unknown>> = {};
          if (initializeEntry) initializeEntry(row);
          else for (const [name, type] of MIB_IPINTERFACE_ROW_LAYOUT) row[name] = type === 'uint32_t[16]' ? new Array<number>(16).fill(0) : 0;
          // InitializeIpInterfaceEntry resets everything: the keys go in after it.
          Object.assign(row, { Family: family, InterfaceLuid: luid, InterfaceIndex: index });
          const status = (getEntry(row) as number) >>> 0;
          return status === 0 ? { status, row: row as NativeIpInterfaceRow } : { status };
        }
      : undefined,
    getIpInterfaceTable:
      getTable && freeTable
        ? async (family) => {
            const out: (bigint | null)[] = [null];
            const status = (await callAsync(budget, getTable, family, out)) >>> 0;
            const table = out[0] ?? null;
            if (status !== 0 || table === null) return { status: status || 8, rows: [] };
            try {
              const count = koffi.decode(table, 'uint32_t') as number;
              const rows = count === 0 ? [] : (koffi.decode(table, MIB_IPINTERFACE_TABLE_ROWS_OFFSET, types.row, count) as NativeIpInterfaceRow[]);
              return { status, rows };
            } finally {
              freeTable(table);
            }
          }
        : undefined,
    interfaceName: luidToName
      ? (luid) => {
          const key = Buffer.alloc(8);
          key.writeBigUInt64LE(luid);
          const name = Buffer.alloc(MAX_INTERFACE_NAME * 2);
          const status = (luidToName(key, name, MAX_INTERFACE_NAME) as number) >>> 0;
          return status === 0 ? utf16z(name, MAX_INTERFACE_NAME) : undefined;
        }
      : undefined,
    formatMessage: formatMessageW
      ? (code) => {
          const size = 512;
          const buffer = Buffer.alloc(size * 2);
          const flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
          const length = (formatMessageW(flags, null, code >>> 0, 0, buffer, size, null) as number) >>> 0;
          const text = length > 0 ? utf16z(buffer, length).trim() : '';
          return text.length > 0 ? text : undefined;
        }
      : undefined,
    decodeRow,
    registerCallback: (callback) => koffi.register(callback, types.callback),
    unregisterCallback: (pointer) => koffi.unregister(pointer),
    addressRoute,
  };
}
