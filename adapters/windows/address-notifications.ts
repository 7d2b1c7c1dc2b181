/**
 * The address kind of the windows adapter's notification channel (notification-channel.ts):
 * NotifyUnicastIpAddressChange rows completed with GetUnicastIpAddressEntry, classified per key
 * (rules A2, A3 of src/adapter.ts).
 *
 * @module
 */
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { unicastAddressKey } from '../../src/unicast-address-key.js';
import type { IphlpapiLibrary } from './iphlpapi-library.js';
import { fieldOffset } from './sockaddr-inet.js';
import { MIB_UNICASTIPADDRESS_ROW_LAYOUT, unicastIpAddressRowFromBytes } from './mib-unicastipaddress-row.js';
import { remember, type ChannelSpec, type Delivery } from './notification-channel.js';

const ADDRESS = fieldOffset(MIB_UNICASTIPADDRESS_ROW_LAYOUT, 'Address');
const LUID = fieldOffset(MIB_UNICASTIPADDRESS_ROW_LAYOUT, 'InterfaceLuid');
const INDEX = fieldOffset(MIB_UNICASTIPADDRESS_ROW_LAYOUT, 'InterfaceIndex');
const SOCKADDR_INET_SIZE = 28;

/** Rows equal but for their lifetimes (rule A3): at least one lifetime differs, nothing else does. */
export function isLifetimeOnlyAddressChange(before: UnicastIpAddressRow, after: UnicastIpAddressRow): boolean {
  if (before.validLifetime === after.validLifetime && before.preferredLifetime === after.preferredLifetime) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'validLifetime' || key === 'preferredLifetime') continue;
    if ((before as unknown as Record<string, unknown>)[key] !== (after as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** Every field equal. */
function sameRow(a: UnicastIpAddressRow, b: UnicastIpAddressRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  return true;
}

/**
 * The row with only what a delivered row reliably holds (Windows fills Address, InterfaceLuid and
 * InterfaceIndex of the callback's row; the rest is not to be trusted): the other fields `undefined`.
 */
function identityRow(full: UnicastIpAddressRow, interfaceName: string | undefined): UnicastIpAddressRow {
  const row: UnicastIpAddressRow = { family: full.family, address: full.address, interfaceLuid: full.interfaceLuid, interfaceIndex: full.interfaceIndex };
  return interfaceName === undefined ? row : { ...row, interfaceName };
}

/** The keys GetUnicastIpAddressEntry needs (Address, InterfaceLuid, InterfaceIndex), the rest zero. */
function entryKeys(bytes: Uint8Array): Uint8Array {
  const keys = new Uint8Array(MIB_UNICASTIPADDRESS_ROW_LAYOUT.size);
  keys.set(bytes.subarray(ADDRESS, ADDRESS + SOCKADDR_INET_SIZE), ADDRESS);
  keys.set(bytes.subarray(LUID, LUID + 8), LUID);
  keys.set(bytes.subarray(INDEX, INDEX + 4), INDEX);
  return keys;
}

/**
 * The address spec: `nameOf` is the adapter's LUID -> name lookup (ConvertInterfaceLuidToNameW).
 *
 * @example
 * ```ts
 * const addresses = new NotificationChannel(host, 'NotifyUnicastIpAddressChange', unicastAddressSpec(nameOf));
 * ```
 */
export function unicastAddressSpec(
  nameOf: (lib: IphlpapiLibrary, luid: bigint) => string | undefined,
  seed?: () => Promise<readonly UnicastIpAddressRow[]>,
): ChannelSpec<UnicastIpAddressRow> {
  return {
    functions: (lib) => lib.addressRoute.addresses,
    key: unicastAddressKey,
    ...(seed ? { seed } : {}),
    resolve(lib, bytes, type, known): Delivery<UnicastIpAddressRow>[] {
      const delivered = unicastIpAddressRowFromBytes(bytes);
      if (!delivered) return [];
      const key = unicastAddressKey(delivered);
      const last = known.get(key);
      const name = nameOf(lib, delivered.interfaceLuid);
      if (type === 2) {
        known.delete(key);
        return [{ row: last ?? identityRow(delivered, name), type: 'delete' }];
      }
      const getEntry = lib.addressRoute.addresses?.getEntry;
      let row: UnicastIpAddressRow | undefined;
      if (getEntry) {
        const entry = getEntry(entryKeys(bytes));
        // ERROR_NOT_FOUND: the address went away meanwhile; the last row known is the truth we have.
        row = entry.row ? unicastIpAddressRowFromBytes(entry.row, 0, name) : undefined;
      }
      row ??= last ?? identityRow(delivered, name);
      remember(known, key, row);
      // Read after the fact, the entry may already hold what a later notification is about: that one then sees no difference and is dropped.
      if (type === 0 && last && sameRow(last, row)) return [];
      if (type === 0 && last && isLifetimeOnlyAddressChange(last, row)) return [{ row, type: 'parameter', detail: { lifetimeOnly: true } }];
      return [{ row, type: type === 1 ? 'add' : 'parameter' }];
    },
  };
}
