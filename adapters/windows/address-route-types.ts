/**
 * koffi types of the address and route structs, built from the layout tables and checked against
 * them when defined: a mismatch would corrupt every row, so it refuses to run rather than guess
 * (as the MIB_IPINTERFACE_ROW check of iphlpapi-library.ts does). koffi comes in as a parameter:
 * importing this file loads nothing native.
 *
 * @module
 */
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { IP_ADDRESS_PREFIX_LAYOUT, MIB_IPFORWARD_ROW2_LAYOUT } from './mib-ipforward-row2.js';
import { MIB_UNICASTIPADDRESS_ROW_LAYOUT } from './mib-unicastipaddress-row.js';
import { SOCKADDR_IN6_LAYOUT, SOCKADDR_IN_LAYOUT, SOCKADDR_INET_LAYOUT, type LayoutFieldType, type StructLayout } from './sockaddr-inet.js';

type Koffi = typeof import('koffi').default;
type KoffiType = ReturnType<Koffi['struct']>;

/** Every layout, dependencies first (each one's nested types are defined before it). */
export const ADDRESS_ROUTE_LAYOUTS: readonly StructLayout[] = [
  SOCKADDR_IN_LAYOUT,
  SOCKADDR_IN6_LAYOUT,
  SOCKADDR_INET_LAYOUT,
  IP_ADDRESS_PREFIX_LAYOUT,
  MIB_UNICASTIPADDRESS_ROW_LAYOUT,
  MIB_IPFORWARD_ROW2_LAYOUT,
];

/** The koffi types, by C name. */
export interface AddressRouteTypes {
  readonly SOCKADDR_IN: KoffiType;
  readonly SOCKADDR_IN6: KoffiType;
  readonly SOCKADDR_INET: KoffiType;
  readonly IP_ADDRESS_PREFIX: KoffiType;
  readonly MIB_UNICASTIPADDRESS_ROW: KoffiType;
  readonly MIB_IPFORWARD_ROW2: KoffiType;
}

/** koffi registers types per process by name: `RXIPI_<C name>` (see iphlpapi-library.ts on why named). */
export const koffiTypeName = (layout: StructLayout): string => `RXIPI_${layout.name}`;

const cache = new WeakMap<Koffi, AddressRouteTypes>();

/**
 * Where koffi's layout of `type` differs from `layout` (field offsets of a struct, size, alignment), as text;
 * empty when they agree.
 *
 * @example
 * ```ts
 * layoutMismatches(koffi, koffi.type('RXIPI_SOCKADDR_INET'), SOCKADDR_INET_LAYOUT); // []
 * ```
 */
export function layoutMismatches(koffi: Koffi, type: KoffiType, layout: StructLayout): string[] {
  // koffi.offsetof takes structs only; a union's arms are all at 0 by definition (the table says so
  // too), so a union is checked by its size and alignment.
  const fields = layout.kind === 'union' ? [] : layout.fields;
  const out = fields
    .filter(([name, , offset]) => koffi.offsetof(type, name) !== offset)
    .map(([name, , offset]) => `${layout.name}.${name} at ${koffi.offsetof(type, name)} instead of ${offset}`);
  if (koffi.sizeof(type) !== layout.size) out.push(`sizeof(${layout.name}) ${koffi.sizeof(type)} instead of ${layout.size}`);
  if (koffi.alignof(type) !== layout.align) out.push(`alignof(${layout.name}) ${koffi.alignof(type)} instead of ${layout.align}`);
  return out;
}

/**
 * Defines (or reuses, when this process already did) the koffi types of SOCKADDR_INET,
 * IP_ADDRESS_PREFIX, MIB_UNICASTIPADDRESS_ROW and MIB_IPFORWARD_ROW2 from the layout tables, and
 * checks every offset, size and alignment.
 *
 * @throws IpInterfaceError `NATIVE_LOAD_FAILED` when koffi lays a struct out differently.
 * @example
 * ```ts
 * const types = addressRouteTypes(koffi);
 * koffi.sizeof(types.MIB_UNICASTIPADDRESS_ROW); // 80
 * ```
 */
export function addressRouteTypes(koffi: Koffi): AddressRouteTypes {
  const known = cache.get(koffi);
  if (known) return known;
  const defined: Record<string, KoffiType> = {};
  const fieldType = (type: LayoutFieldType): KoffiType | string => {
    const array = /^uint8_t\[(\d+)\]$/.exec(type);
    if (array) return koffi.array('uint8_t', Number(array[1]), 'Array');
    return defined[type] ?? type;
  };
  const mismatches: string[] = [];
  for (const layout of ADDRESS_ROUTE_LAYOUTS) {
    const name = koffiTypeName(layout);
    let type: KoffiType;
    try {
      type = koffi.type(name);
    } catch {
      const members = Object.fromEntries(layout.fields.map(([field, t]) => [field, fieldType(t)]));
      type = layout.kind === 'union' ? koffi.union(name, members) : koffi.struct(name, members);
    }
    defined[layout.name] = type;
    mismatches.push(...layoutMismatches(koffi, type, layout));
  }
  if (mismatches.length > 0) {
    throw new IpInterfaceError('NATIVE_LOAD_FAILED', `address/route struct layout differs from the verified x64 layout on ${process.arch}: ${mismatches.join(', ')}`, {
      adapter: 'windows',
    });
  }
  const types = defined as unknown as AddressRouteTypes;
  cache.set(koffi, types);
  return types;
}
