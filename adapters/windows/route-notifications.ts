/**
 * The route kind of the windows adapter's notification channel (notification-channel.ts):
 * NotifyRouteChange2 rows completed with GetIpForwardEntry2 (rules R1, R2 of src/adapter.ts).
 *
 * @module
 */
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import { routeKey } from '../../src/route-key.js';
import type { IphlpapiLibrary } from './iphlpapi-library.js';
import { ipForwardRowFromBytes, MIB_IPFORWARD_ROW2_LAYOUT } from './mib-ipforward-row2.js';
import { remember, type ChannelSpec, type Delivery } from './notification-channel.js';
import { fieldOffset } from './sockaddr-inet.js';

const LUID = fieldOffset(MIB_IPFORWARD_ROW2_LAYOUT, 'InterfaceLuid');
const INDEX = fieldOffset(MIB_IPFORWARD_ROW2_LAYOUT, 'InterfaceIndex');
const DESTINATION = fieldOffset(MIB_IPFORWARD_ROW2_LAYOUT, 'DestinationPrefix');
const NEXT_HOP = fieldOffset(MIB_IPFORWARD_ROW2_LAYOUT, 'NextHop');
const IP_ADDRESS_PREFIX_SIZE = 32;
const SOCKADDR_INET_SIZE = 28;

/**
 * Windows' own key of a route (GetIpForwardEntry2's: destination prefix, next hop, interface): a
 * metric change keeps it, while it changes {@link routeKey}.
 */
export function windowsRouteKey(row: Pick<IpForwardRow, 'family' | 'destinationPrefix' | 'nextHop' | 'interfaceLuid'>): string {
  return `${row.family}|${row.destinationPrefix.prefix}/${row.destinationPrefix.prefixLength}|${row.nextHop}|${row.interfaceLuid.toString()}`;
}

/** Every field equal (the prefix compared by value). */
function sameRoute(a: IpForwardRow, b: IpForwardRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'destinationPrefix') continue;
    if ((a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  return a.destinationPrefix.prefix === b.destinationPrefix.prefix && a.destinationPrefix.prefixLength === b.destinationPrefix.prefixLength;
}

/** Only what a delivered row reliably holds (its keys); the other fields `undefined`. */
function identityRow(full: IpForwardRow, interfaceName: string | undefined): IpForwardRow {
  const row: IpForwardRow = {
    family: full.family,
    destinationPrefix: full.destinationPrefix,
    nextHop: full.nextHop,
    interfaceLuid: full.interfaceLuid,
    interfaceIndex: full.interfaceIndex,
  };
  return interfaceName === undefined ? row : { ...row, interfaceName };
}

/** The keys GetIpForwardEntry2 needs (DestinationPrefix, NextHop, InterfaceLuid, InterfaceIndex), the rest zero. */
function entryKeys(bytes: Uint8Array): Uint8Array {
  const keys = new Uint8Array(MIB_IPFORWARD_ROW2_LAYOUT.size);
  keys.set(bytes.subarray(LUID, LUID + 8), LUID);
  keys.set(bytes.subarray(INDEX, INDEX + 4), INDEX);
  keys.set(bytes.subarray(DESTINATION, DESTINATION + IP_ADDRESS_PREFIX_SIZE), DESTINATION);
  keys.set(bytes.subarray(NEXT_HOP, NEXT_HOP + SOCKADDR_INET_SIZE), NEXT_HOP);
  return keys;
}

/**
 * The route spec: `nameOf` is the adapter's LUID -> name lookup. A parameter change that moves the
 * metric changes the row's {@link routeKey}: it is reported as the old row's `delete` and the new
 * row's `add` (rule R2: `parameter` only for a row of the same key).
 *
 * @example
 * ```ts
 * const routes = new NotificationChannel(host, 'NotifyRouteChange2', routeSpec(nameOf));
 * ```
 */
export function routeSpec(
  nameOf: (lib: IphlpapiLibrary, luid: bigint) => string | undefined,
  seed?: () => Promise<readonly IpForwardRow[]>,
): ChannelSpec<IpForwardRow> {
  return {
    functions: (lib) => lib.addressRoute.routes,
    key: windowsRouteKey,
    ...(seed ? { seed } : {}),
    resolve(lib, bytes, type, known): Delivery<IpForwardRow>[] {
      const delivered = ipForwardRowFromBytes(bytes);
      if (!delivered) return [];
      const key = windowsRouteKey(delivered);
      const last = known.get(key);
      const name = nameOf(lib, delivered.interfaceLuid);
      if (type === 2) {
        known.delete(key);
        return [{ row: last ?? identityRow(delivered, name), type: 'delete' }];
      }
      const getEntry = lib.addressRoute.routes?.getEntry;
      let row: IpForwardRow | undefined;
      if (getEntry) {
        const entry = getEntry(entryKeys(bytes));
        row = entry.row ? ipForwardRowFromBytes(entry.row, 0, name) : undefined;
      }
      row ??= last ?? identityRow(delivered, name);
      remember(known, key, row);
      // As for addresses: a notification whose entry shows no difference (a later one's change was read already) is dropped.
      if (type === 0 && last && sameRoute(last, row)) return [];
      if (type === 0 && last && routeKey(last) !== routeKey(row)) {
        return [
          { row: last, type: 'delete' },
          { row, type: 'add' },
        ];
      }
      return [{ row, type: type === 1 ? 'add' : 'parameter' }];
    },
  };
}
