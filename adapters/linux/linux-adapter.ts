import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type {
  IpInterfaceAdapter, IpInterfaceChangeCallback, NotificationHandle, RegistrationEndedCallback, RouteChangeCallback, UnicastIpAddressChangeCallback,
} from '../../src/adapter.js';
import type { IpForwardRow } from '../../src/ip-forward-row.js';
import type { UnicastIpAddressRow } from '../../src/unicast-ip-address-row.js';
import { readAddressRows } from './address-table-snapshot.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { EINVAL, familyError, registrationError } from '../shared/adapter-arguments.js';
import { Registrations } from '../shared/registrations.js';
import { acquireReader, namespaceKey, peekReader, releaseReader } from './reader-registry.js';
import { ESTALE } from './netlink-constants.js';
import { NetlinkReader, readInterfaceRows, withDumpSocket, zeroReaderStats, type ReaderStats } from './netlink-reader.js';
import { bestRouteRow, readRouteRows, zeroRouteCounters, type RouteTables } from './route-reader-table.js';
import { addressBytes } from './route-requests.js';
import { asOsError } from '../shared/os-error.js';

/**
 * Options of {@link linuxAdapter}.
 *
 * @example
 * ```ts
 * import { linuxAdapter, type LinuxAdapterOptions } from 'rxjs-ip-interface/adapters/linux';
 *
 * // The namespace made by `ip netns add blue`, with a larger buffer for bursts of events:
 * const options: LinuxAdapterOptions = { netns: 'blue', receiveBufferBytes: 16 * 1024 * 1024 };
 * const adapter = linuxAdapter(options);
 * ```
 */
export interface LinuxAdapterOptions {
  /**
   * Network namespace to watch: a name under `/run/netns` (as `ip netns add` makes) or a path such as
   * `/proc/1234/ns/net`. Default: the namespace of this process.
   */
  netns?: string | undefined;
  /**
   * Receive buffer of the event socket, in bytes (the kernel doubles it). Set with SO_RCVBUFFORCE,
   * falling back to SO_RCVBUF (capped by net.core.rmem_max). Default 8 MiB. The first registration
   * in a namespace opens the shared reader and decides its size.
   */
  receiveBufferBytes?: number | undefined;
  /**
   * Which routing tables the route methods see (`notifyRouteChange2`, `getIpForwardTable2`):
   * `'main'` (254, what `ip route show` lists; the default) or `'all'` (every table: local, default
   * and policy-routing tables, each row with its `table`). Either way only unicast routes, never
   * cached/cloned entries. `getBestRoute2` answers the kernel's own lookup whatever table it used.
   */
  tables?: 'main' | 'all' | undefined;
}

/**
 * Diagnostics of the adapter's namespace reader (shared by every adapter of that namespace).
 *
 * @example
 * ```ts
 * import { linuxAdapter, type LinuxAdapterStats } from 'rxjs-ip-interface/adapters/linux';
 *
 * const stats: LinuxAdapterStats = linuxAdapter().stats();
 * if (stats.overruns > 0) console.warn(`${stats.overruns} overruns, healed by ${stats.resyncs} re-reads`, stats.lastError);
 * ```
 */
export interface LinuxAdapterStats extends ReaderStats {
  /** True while the shared reader is open (some registration is live). */
  readonly open: boolean;
  /** Live registrations of this adapter instance. */
  readonly liveRegistrations: number;
  /** Live registrations on the shared reader (all adapter instances of the namespace; interfaces and addresses). */
  readonly readerRegistrations: number;
  /** `SO_RCVBUFFORCE` or `SO_RCVBUF`: which option sized the event socket's buffer. */
  readonly receiveBufferOption: string | undefined;
  /** IP interfaces in the reader's table. */
  readonly tableSize: number;
  /** Addresses in the reader's address table (0 while no address registration is live). */
  readonly addressTableSize: number;
  /** Netlink port id (nl_pid) of the open reader's event socket. */
  readonly portId: number | undefined;
  /** Route rows held by the reader (0 while no route registration is live there). */
  readonly routeRows: number;
  /** Device route dumps made for link and address events (the routes the kernel removes without a message). */
  readonly routeDeviceDumps: number;
  /** Device route dumps made again because the kernel had not flushed the routes yet. */
  readonly routeDumpRetries: number;
  /**
   * The last failure the reader healed from (see `errors`), if any; `OS_ERROR` with `osCode` 2
   * (ENOENT) when the namespace was deleted under live registrations (each of them was ended with
   * that error: contract rule 10).
   */
  readonly lastError: IpInterfaceError | undefined;
}

/**
 * The Linux adapter: an {@link IpInterfaceAdapter} plus diagnostics and an explicit re-read.
 *
 * @example
 * ```ts
 * import { linuxAdapter, type LinuxIpInterfaceAdapter } from 'rxjs-ip-interface/adapters/linux';
 *
 * const adapter: LinuxIpInterfaceAdapter = linuxAdapter();
 * // ... after `sysctl -w net.ipv6.conf.eth0.accept_ra=0`, which the kernel does not announce:
 * await adapter.resync();
 * ```
 */
export interface LinuxIpInterfaceAdapter extends IpInterfaceAdapter {
  /** The namespace path watched, or undefined for this process's own. */
  readonly netns: string | undefined;
  /** Live registrations of this adapter instance (the contract suite's `liveRegistrations`). */
  readonly liveRegistrations: number;
  /**
   * Contract rule 9: the rows the live registrations have been told, from the namespace reader's own
   * table (no dump); without a live registration, {@link IpInterfaceAdapter.getIpInterfaceTable}.
   */
  currentIpInterfaceTable(family: AddressFamily): IpInterfaceRow[] | Promise<IpInterfaceRow[]>;
  /** NotifyUnicastIpAddressChange (rules 1-8, 10 and A1-A4): RTM_NEWADDR / RTM_DELADDR of the namespace. */
  notifyUnicastIpAddressChange(
    family: AddressFamily,
    callback: UnicastIpAddressChangeCallback,
    initial: boolean,
    ended?: RegistrationEndedCallback,
  ): Promise<NotificationHandle>;
  /**
   * GetUnicastIpAddressTable (rule A4): with a live address registration of this adapter, the
   * reader's address table (what that registration was told, so a caller that registered first
   * loses and doubles nothing); else a fresh RTM_GETADDR dump.
   */
  getUnicastIpAddressTable(family: AddressFamily): Promise<UnicastIpAddressRow[]>;
  /** As rule 9 for addresses (unicastIpAddressTable$ uses it): the reader's address table, synchronously, while an address registration is live. */
  currentUnicastIpAddressTable(family: AddressFamily): UnicastIpAddressRow[] | Promise<UnicastIpAddressRow[]>;
  /**
   * NotifyRouteChange2 (rules R1-R4): RTM_NEWROUTE / RTM_DELROUTE of the tables chosen by the
   * `tables` option, plus the removals the kernel makes without a message (IPv4 routes of a device
   * that went down, lost its address or was deleted), found by re-dumping that device's routes.
   */
  notifyRouteChange2(family: AddressFamily, callback: RouteChangeCallback, initial: boolean, ended?: RegistrationEndedCallback): Promise<NotificationHandle>;
  /** GetIpForwardTable2: a fresh dump of the unicast routes of `family` in the `tables` chosen. */
  getIpForwardTable2(family: AddressFamily): Promise<IpForwardRow[]>;
  /** GetBestRoute2: the kernel's own lookup (`ip route get fibmatch`), null when unreachable; sends no packet. */
  getBestRoute2(family: 'inet' | 'inet6', destination: string): Promise<IpForwardRow | null>;
  /** Counters of the shared reader (the last one used, when none is open). */
  stats(): LinuxAdapterStats;
  /**
   * Re-reads every interface (and, while an address registration is live, every address) from the
   * kernel and notifies live registrations of the differences.
   * Use it after changing sysctls that the kernel changes silently (see docs/linux.md). No-op when
   * nothing is registered.
   */
  resync(): Promise<void>;
}

const DEFAULT_RECEIVE_BUFFER = 8 * 1024 * 1024;

interface Registration {
  readonly reader: NetlinkReader;
  readonly unsubscribe: () => void;
  /** Rule 10: told when the registration is lost (kept here for the namespace-deletion path). */
  readonly ended?: RegistrationEndedCallback | undefined;
  /** An address registration (notifyUnicastIpAddressChange). */
  readonly addresses?: true | undefined;
}

/** What `stats()` keeps of a closed reader: counters, never its table (issue 12: no closed reader survives). */
interface ClosedReaderSummary {
  readonly stats: ReaderStats;
  readonly receiveBufferOption: string | undefined;
  readonly lastError: IpInterfaceError | undefined;
}

/** The namespace path of the `netns` option: undefined for this process's own. */
function namespacePath(netns: string | undefined): string | undefined {
  if (netns === undefined) return undefined;
  if (typeof netns !== 'string' || netns === '') {
    // '' used to mean "this process's namespace" silently: a mistyped variable must not watch the host.
    throw new IpInterfaceError('INVALID_PARAMETER', `netns must be a namespace name or path (omit it for this process's namespace), got ${netns === '' ? "''" : String(netns)}`, {
      adapter: 'linux',
      osCode: EINVAL,
    });
  }
  return netns.includes('/') ? netns : `/run/netns/${netns}`;
}

/**
 * The rtnetlink adapter (the default on Linux): kernel events through koffi calling libc, one IP
 * interface per (family, ifindex). Creating it loads nothing; koffi is loaded on the first
 * registration or table read. Every adapter of the same namespace shares one socket and reader.
 *
 * @example
 * ```ts
 * import { ipInterfaceChanges$, AF_UNSPEC } from 'rxjs-ip-interface';
 * import { linuxAdapter } from 'rxjs-ip-interface/adapters/linux';
 *
 * const adapter = linuxAdapter({ netns: 'blue' });
 * ipInterfaceChanges$(AF_UNSPEC, true, { adapter }).subscribe((c) => console.log(c));
 * console.log(adapter.stats().messages);
 * ```
 */
export function linuxAdapter(options: LinuxAdapterOptions = {}): LinuxIpInterfaceAdapter {
  const name = 'linux';
  const path = namespacePath(options.netns);
  const receiveBufferBytes = options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER;
  if (!Number.isFinite(receiveBufferBytes) || receiveBufferBytes <= 0) {
    throw new IpInterfaceError('INVALID_PARAMETER', `receiveBufferBytes must be a positive number, got ${receiveBufferBytes}`, { adapter: name });
  }
  const tables: RouteTables = options.tables ?? 'main';
  if (tables !== 'main' && tables !== 'all') {
    throw new IpInterfaceError('INVALID_PARAMETER', `tables must be 'main' or 'all', got ${String(tables)}`, { adapter: name, osCode: EINVAL });
  }
  const registrations = new Registrations<Registration>(name);
  let lastClosed: ClosedReaderSummary | undefined;
  // The reader of a registration whose 'initial' marker is being delivered (see notifyIpInterfaceChange).
  let markerReader: NetlinkReader | undefined;
  // The reader this adapter's registrations hold, while it is open: their namespace, whatever the
  // path names now (a /proc/PID/ns/net whose process exited, a name re-created meanwhile). Else
  // keyed by what the path names now (see namespaceKey): a name re-created is another namespace.
  const openReader = (): NetlinkReader | undefined =>
    registrations.values().find((r) => r.reader.isOpen)?.reader ?? peekReader<NetlinkReader>(namespaceKey(path));

  /** The address table of the reader a live address registration of this adapter holds, if any. */
  const liveAddressRows = (): UnicastIpAddressRow[] | undefined =>
    registrations.values().find((r) => r.addresses && r.reader.isOpen)?.reader.currentAddressRows();

  const readTable = async (): Promise<IpInterfaceRow[]> => {
    const open = openReader();
    if (open) return open.dumpRows();
    return withDumpSocket(path, readInterfaceRows);
  };

  const adapter: LinuxIpInterfaceAdapter = {
    name,
    netns: path,
    get liveRegistrations() {
      return registrations.size;
    },

    async notifyIpInterfaceChange(
      family: AddressFamily,
      callback: IpInterfaceChangeCallback,
      initial: boolean,
      ended?: RegistrationEndedCallback,
    ): Promise<NotificationHandle> {
      const invalid = registrationError(name, family, callback, EINVAL);
      if (invalid) throw invalid;
      const reader = await acquire();
      // Deleted between the open and its watch (NetlinkReader.watchNamespace): the registration fails
      // with the reader's error instead of subscribing to a closed reader.
      if (reader.namespaceDeleted) {
        release(reader);
        throw reader.lastError!;
      }
      // The socket is bound and the groups joined: the registration is live. Nothing can be
      // delivered between the marker and subscribing (both run synchronously here).
      if (initial) {
        // A table read inside the marker (ipInterfaceTable$ reads there) is answered from this
        // reader's table: it is what this registration starts from. It used to dump again, which
        // was half of the first emission at 5000 devices (180 of 360 ms).
        markerReader = reader;
        try {
          callback(null, 'initial');
        } catch (error) {
          release(reader);
          throw error;
        } finally {
          markerReader = undefined;
        }
      }
      const handle = registrations.reserve();
      registrations.add(handle, { reader, unsubscribe: reader.subscribe(family, callback, endedBy(handle, ended)) });
      return handle;
    },

    async notifyRouteChange2(
      family: AddressFamily,
      callback: RouteChangeCallback,
      initial: boolean,
      ended?: RegistrationEndedCallback,
    ): Promise<NotificationHandle> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      if (typeof callback !== 'function') {
        throw new IpInterfaceError('INVALID_PARAMETER', `the callback must be a function, got ${typeof callback}`, { adapter: name, osCode: EINVAL });
      }
      const reader = await acquire();
      if (reader.namespaceDeleted) {
        release(reader);
        throw reader.lastError!;
      }
      let unsubscribe: () => void;
      try {
        // Joins the family's route groups and dumps its routes (the first route registration there).
        unsubscribe = reader.subscribeRoutes(family, tables, callback);
      } catch (error) {
        release(reader);
        throw asOsError(error, name);
      }
      // Registered synchronously after the dump: nothing can be delivered before the marker.
      if (initial) {
        try {
          callback(null, 'initial');
        } catch (error) {
          unsubscribe();
          release(reader);
          throw error;
        }
      }
      return issueLosable(reader, unsubscribe, ended);
    },

    async getIpForwardTable2(family: AddressFamily): Promise<IpForwardRow[]> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      const open = openReader();
      if (open) return open.dumpRouteRows(family, tables);
      return withDumpSocket(path, (requester) => readRouteRows(requester, zeroRouteCounters(), family, tables));
    },

    async getBestRoute2(family: 'inet' | 'inet6', destination: string): Promise<IpForwardRow | null> {
      if (family !== 'inet' && family !== 'inet6') {
        throw new IpInterfaceError('INVALID_PARAMETER', `getBestRoute2 needs family 'inet' or 'inet6', got ${String(family)}`, { adapter: name, osCode: EINVAL });
      }
      const bytes = addressBytes(family, destination);
      if (bytes === undefined) {
        throw new IpInterfaceError('INVALID_PARAMETER', `destination must be an ${family === 'inet' ? 'IPv4' : 'IPv6'} address text, got ${JSON.stringify(destination)}`, {
          adapter: name,
          osCode: EINVAL,
        });
      }
      const open = openReader();
      if (open) return open.bestRoute(family, bytes);
      return withDumpSocket(path, (requester) => bestRouteRow(requester, zeroRouteCounters(), family, bytes, () => undefined));
    },

    async cancelMibChangeNotify2(handle: NotificationHandle): Promise<void> {
      const registration = registrations.take(handle);
      registration.unsubscribe();
      release(registration.reader);
    },

    async notifyUnicastIpAddressChange(
      family: AddressFamily,
      callback: UnicastIpAddressChangeCallback,
      initial: boolean,
      ended?: RegistrationEndedCallback,
    ): Promise<NotificationHandle> {
      const invalid = registrationError(name, family, callback as IpInterfaceChangeCallback, EINVAL);
      if (invalid) throw invalid;
      const reader = await acquire();
      if (reader.namespaceDeleted) {
        release(reader);
        throw reader.lastError!;
      }
      let unsubscribe: () => void;
      try {
        // Joins the IPv4 address group and dumps on the first address registration of the reader.
        unsubscribe = reader.subscribeAddresses(family, callback);
      } catch (error) {
        release(reader);
        throw asOsError(error, name);
      }
      // Live now (group joined, table loaded); nothing is delivered before the marker (both synchronous).
      if (initial) {
        try {
          callback(null, 'initial');
        } catch (error) {
          unsubscribe();
          release(reader);
          throw error;
        }
      }
      return issueLosable(reader, unsubscribe, ended, true);
    },

    async getUnicastIpAddressTable(family: AddressFamily): Promise<UnicastIpAddressRow[]> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      const live = liveAddressRows();
      if (live) return live.filter((row) => familyMatches(family, row.family));
      const open = openReader();
      const rows = open ? open.dumpAddressRows() : await withDumpSocket(path, readAddressRows);
      return rows.filter((row) => familyMatches(family, row.family));
    },

    currentUnicastIpAddressTable(family: AddressFamily): UnicastIpAddressRow[] | Promise<UnicastIpAddressRow[]> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      const live = liveAddressRows();
      if (!live) return adapter.getUnicastIpAddressTable(family);
      return live.filter((row) => familyMatches(family, row.family));
    },

    async getIpInterfaceTable(family: AddressFamily): Promise<IpInterfaceRow[]> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      const rows = await readTable();
      return rows.filter((row) => familyMatches(family, row.family));
    },

    // Contract rule 9: the live reader's own table, no dump (a subscriber of ipInterfaceTable$ has
    // registered first, so the reader is open and its table is what that registration was told).
    currentIpInterfaceTable(family: AddressFamily): IpInterfaceRow[] | Promise<IpInterfaceRow[]> {
      const invalid = familyError(name, family, EINVAL);
      if (invalid) throw invalid;
      const open = markerReader?.isOpen ? markerReader : registrations.size > 0 ? openReader() : undefined;
      if (!open) return adapter.getIpInterfaceTable(family);
      return open.currentRows().filter((row) => familyMatches(family, row.family));
    },

    stats(): LinuxAdapterStats {
      const open = openReader();
      // A reader whose namespace was deleted is closed but still held by its registrations: its
      // counters and lastError (OS_ERROR ENOENT) are what a caller needs to see.
      const deleted = open ? undefined : registrations.values().find((r) => r.reader.namespaceDeleted)?.reader;
      const source = open ?? deleted ?? lastClosed;
      return {
        ...(source ? source.stats : zeroReaderStats()),
        open: open !== undefined,
        liveRegistrations: registrations.size,
        readerRegistrations: open ? open.liveSubscribers + open.liveAddressSubscribers : 0,
        receiveBufferOption: source?.receiveBufferOption,
        tableSize: open?.tableSize ?? 0,
        addressTableSize: open?.addressTableSize ?? 0,
        portId: open?.portId,
        lastError: source?.lastError,
        routeRows: open?.routeStats?.rows ?? 0,
        routeDeviceDumps: open?.routeStats?.deviceDumps ?? 0,
        routeDumpRetries: open?.routeStats?.dumpRetries ?? 0,
      };
    },

    async resync(): Promise<void> {
      openReader()?.resync();
    },
  };

  /**
   * Rule 10: the hook a reader calls when it lost its namespace (NetlinkReader.namespaceGone): the
   * registration of `handle` is taken (cancelling it rejects INVALID_HANDLE), its reader reference
   * released, and `ended` told in a microtask. Every kind of registration on a reader passes one.
   * The error is the reader's `lastError`: `OS_ERROR` with `osCode` ENOENT (2), the errno of the
   * namespace file that is gone, also when the name now names another namespace (the registration's
   * namespace is gone either way: a subscriber re-subscribes to watch the new one).
   */
  function endedBy(handle: NotificationHandle, ended: RegistrationEndedCallback | undefined): (error: IpInterfaceError) => void {
    return (error) => {
      const registration = registrations.end(handle, error, ended);
      if (registration) release(registration.reader);
    };
  }

  /**
   * Issues an address or route registration that rule 10 can end: the reader's namespace-loss hook
   * ends it as {@link endedBy} does for interface registrations (their subscriber set carries it).
   */
  function issueLosable(reader: NetlinkReader, unsubscribe: () => void, ended: RegistrationEndedCallback | undefined, addresses?: true): NotificationHandle {
    const handle = registrations.reserve();
    const stopWatching = reader.onNamespaceLost(endedBy(handle, ended));
    const both = (): void => {
      stopWatching();
      unsubscribe();
    };
    registrations.add(handle, addresses ? { reader, unsubscribe: both, ended, addresses } : { reader, unsubscribe: both, ended });
    return handle;
  }

  /** The reader of the namespace the path names; looked up again when it changed during the open (ESTALE). */
  async function acquire(): Promise<NetlinkReader> {
    for (let attempt = 1; ; attempt++) {
      const key = namespaceKey(path);
      try {
        return await acquireReader(key, () => NetlinkReader.open(key, path, receiveBufferBytes));
      } catch (error) {
        if (attempt >= 3 || !(error instanceof IpInterfaceError) || error.osCode !== ESTALE) throw error;
      }
    }
  }

  /** Releases a reference; a reader that closed leaves only a copy of its counters here. */
  function release(reader: NetlinkReader): void {
    releaseReader(reader);
    if (!reader.isOpen) lastClosed = { stats: { ...reader.stats }, receiveBufferOption: reader.receiveBufferOption, lastError: reader.lastError };
  }
  return adapter;
}
