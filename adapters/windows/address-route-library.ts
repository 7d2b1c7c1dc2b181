/**
 * The address and route functions of iphlpapi.dll, bound with koffi beside the interface functions
 * of iphlpapi-library.ts: NotifyUnicastIpAddressChange, GetUnicastIpAddressEntry,
 * GetUnicastIpAddressTable; NotifyRouteChange2, GetIpForwardEntry2, GetIpForwardTable2,
 * GetBestRoute2. Every one is optional (bound lazily: a function the DLL lacks is `undefined`).
 *
 * Rows cross the boundary as bytes, not koffi structs: the decoders of mib-unicastipaddress-row.ts and
 * mib-ipforward-row2.ts read the checked layout tables, and a row buffer is zeroed by hand (never
 * `InitializeUnicastIpAddressEntry`: under Wine 8 it ends the process, see docs/windows.md). The koffi
 * struct types are still defined and their layout checked (address-route-types.ts), so a koffi that
 * lays them out differently refuses the address and route functions rather than corrupting rows.
 *
 * @module
 */
import type { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { Koffi } from '../shared/native-module.js';
import { addressRouteTypes } from './address-route-types.js';
import { MIB_IPFORWARD_ROW2_LAYOUT, MIB_IPFORWARD_TABLE2_ROWS_OFFSET } from './mib-ipforward-row2.js';
import { MIB_UNICASTIPADDRESS_ROW_LAYOUT, MIB_UNICASTIPADDRESS_TABLE_ROWS_OFFSET } from './mib-unicastipaddress-row.js';
import type { KoffiAsyncBudget } from './native-call-budget.js';

type KoffiLibrary = ReturnType<Koffi['load']>;
type KoffiFunction = ReturnType<KoffiLibrary['func']>;
type KoffiType = ReturnType<Koffi['pointer']>;

/** Size of MIB_UNICASTIPADDRESS_ROW (80). */
export const ADDRESS_ROW_SIZE = MIB_UNICASTIPADDRESS_ROW_LAYOUT.size;
/** Size of MIB_IPFORWARD_ROW2 (104). */
export const ROUTE_ROW_SIZE = MIB_IPFORWARD_ROW2_LAYOUT.size;

/** A table read: the status and, on success, each row's bytes (copied before FreeMibTable). */
export interface NativeTable {
  readonly status: number;
  readonly rows: readonly Uint8Array[];
}

/** One kind of change notification (addresses or routes): register, and read a full row. */
export interface NativeNotifyFunctions {
  /** The C name, for errors. */
  readonly name: 'NotifyUnicastIpAddressChange' | 'NotifyRouteChange2';
  /** The row size the callback points to. */
  readonly rowSize: number;
  /** Notify*(Family, Callback, NULL, InitialNotification, &Handle), asynchronously through the budget. */
  notify(family: number, callback: bigint, initial: boolean): Promise<{ status: number; handle: bigint | null }>;
  /** Get*Entry on a copy of `keys` (a row whose key fields are set, the rest zero), synchronous: it never waits for a callback. */
  readonly getEntry: ((keys: Uint8Array) => { status: number; row?: Uint8Array }) | undefined;
  /** Get*Table(Family, &Table) + FreeMibTable, asynchronously through the budget. */
  readonly getTable: ((family: number) => Promise<NativeTable>) | undefined;
}

/** What the library has of the address and route functions. */
export interface AddressRouteLibrary {
  /** Why the address and route functions are unusable (the layout check failed), or undefined. */
  readonly unusable: IpInterfaceError | undefined;
  readonly addresses: NativeNotifyFunctions | undefined;
  readonly routes: NativeNotifyFunctions | undefined;
  /**
   * GetBestRoute2(NULL, 0, NULL, destination, 0, &row, &source), synchronous (a lookup: no callback,
   * no packet). `destination` is a SOCKADDR_INET's bytes.
   */
  readonly getBestRoute2: ((destination: Uint8Array) => { status: number; row?: Uint8Array }) | undefined;
  /** Names of the functions found, for diagnostics. */
  readonly found: readonly string[];
  /** Copies `size` bytes at `pointer` (the OS's memory, valid only inside the callback). */
  copy(pointer: bigint, size: number): Uint8Array;
}

function optional(lib: KoffiLibrary, name: string, result: string, args: (string | KoffiType | ReturnType<Koffi['out']>)[]): KoffiFunction | undefined {
  try {
    return lib.func(name, result, args);
  } catch {
    return undefined;
  }
}

/**
 * Binds the address and route functions of `lib`. `callbackType` is the pointer type of the change
 * callback: PUNICAST_IPADDRESS_CHANGE_CALLBACK and PROUTE_CHANGE_CALLBACK have the shape of
 * PIPINTERFACE_CHANGE_CALLBACK (context, row pointer, MIB_NOTIFICATION_TYPE), so one koffi type serves all three.
 *
 * @example
 * ```ts
 * const ar = bindAddressRouteLibrary(koffi, koffi.load('iphlpapi.dll'), callbackType, budget);
 * ar.found; // ['NotifyUnicastIpAddressChange', 'GetUnicastIpAddressEntry', ...]
 * ```
 */
export function bindAddressRouteLibrary(koffi: Koffi, lib: KoffiLibrary, callbackType: KoffiType, budget: KoffiAsyncBudget): AddressRouteLibrary {
  let unusable: IpInterfaceError | undefined;
  try {
    addressRouteTypes(koffi);
  } catch (error) {
    unusable = error as IpInterfaceError;
  }
  const copy = (pointer: bigint, size: number): Uint8Array => new Uint8Array(koffi.view(pointer, size).slice(0));
  const handleOut = koffi.out(koffi.pointer('void *'));
  const callAsync = (fn: KoffiFunction, ...args: unknown[]): Promise<number> => budget.call<number>((done) => fn.async(...args, done));
  const freeTable = optional(lib, 'FreeMibTable', 'void', ['void *']);

  const bindKind = (
    name: NativeNotifyFunctions['name'],
    entryName: string,
    tableName: string,
    rowSize: number,
    rowsOffset: number,
  ): NativeNotifyFunctions | undefined => {
    const notify = optional(lib, name, 'uint32_t', ['uint16_t', callbackType, 'void *', 'uint8_t', handleOut]);
    if (!notify) return undefined;
    const entry = optional(lib, entryName, 'uint32_t', ['void *']);
    const table = optional(lib, tableName, 'uint32_t', ['uint16_t', handleOut]);
    return {
      name,
      rowSize,
      async notify(family, callback, initial) {
        const handle: (bigint | null)[] = [null];
        const status = await callAsync(notify, family, callback, null, initial ? 1 : 0, handle);
        return { status: status >>> 0, handle: handle[0] ?? null };
      },
      getEntry: entry
        ? (keys) => {
            const row = Buffer.alloc(rowSize);
            row.set(keys.subarray(0, rowSize));
            const status = (entry(row) as number) >>> 0;
            return status === 0 ? { status, row: new Uint8Array(row.buffer, row.byteOffset, rowSize) } : { status };
          }
        : undefined,
      getTable:
        table && freeTable
          ? async (family) => {
              const out: (bigint | null)[] = [null];
              const status = (await callAsync(table, family, out)) >>> 0;
              const memory = out[0] ?? null;
              if (status !== 0 || memory === null) return { status: status || 8, rows: [] };
              try {
                const count = koffi.decode(memory, 'uint32_t') as number;
                // One copy of the whole table, then views per row (the OS's memory goes with FreeMibTable).
                const bytes = count === 0 ? new Uint8Array(0) : copy(memory, rowsOffset + count * rowSize);
                return { status, rows: Array.from({ length: count }, (_, i) => bytes.subarray(rowsOffset + i * rowSize, rowsOffset + (i + 1) * rowSize)) };
              } finally {
                freeTable(memory);
              }
            }
          : undefined,
    };
  };

  const addresses = bindKind('NotifyUnicastIpAddressChange', 'GetUnicastIpAddressEntry', 'GetUnicastIpAddressTable', ADDRESS_ROW_SIZE, MIB_UNICASTIPADDRESS_TABLE_ROWS_OFFSET);
  const routes = bindKind('NotifyRouteChange2', 'GetIpForwardEntry2', 'GetIpForwardTable2', ROUTE_ROW_SIZE, MIB_IPFORWARD_TABLE2_ROWS_OFFSET);
  // DWORD GetBestRoute2(NET_LUID *InterfaceLuid, NET_IFINDEX InterfaceIndex, const SOCKADDR_INET *SourceAddress,
  //   const SOCKADDR_INET *DestinationAddress, ULONG AddressSortOptions, PMIB_IPFORWARD_ROW2 BestRoute, SOCKADDR_INET *BestSourceAddress)
  const bestRoute = optional(lib, 'GetBestRoute2', 'uint32_t', ['void *', 'uint32_t', 'void *', 'void *', 'uint32_t', 'void *', 'void *']);
  const found = [
    ['NotifyUnicastIpAddressChange', addresses],
    ['GetUnicastIpAddressEntry', addresses?.getEntry],
    ['GetUnicastIpAddressTable', addresses?.getTable],
    ['NotifyRouteChange2', routes],
    ['GetIpForwardEntry2', routes?.getEntry],
    ['GetIpForwardTable2', routes?.getTable],
    ['GetBestRoute2', bestRoute],
  ].flatMap(([name, fn]) => (fn ? [name as string] : []));
  return {
    unusable,
    addresses,
    routes,
    getBestRoute2: bestRoute
      ? (destination) => {
          const row = Buffer.alloc(ROUTE_ROW_SIZE);
          const source = Buffer.alloc(28);
          const status = (bestRoute(null, 0, null, Buffer.from(destination), 0, row, source) as number) >>> 0;
          return status === 0 ? { status, row: new Uint8Array(row.buffer, row.byteOffset, ROUTE_ROW_SIZE) } : { status };
        }
      : undefined,
    found,
    copy,
  };
}
