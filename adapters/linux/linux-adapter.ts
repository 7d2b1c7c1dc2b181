import { familyMatches, type AddressFamily } from '../../src/address-family.js';
import type { IpInterfaceAdapter, IpInterfaceChangeCallback, NotificationHandle, RegistrationEndedCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';
import { EINVAL, familyError, registrationError } from '../shared/adapter-arguments.js';
import { Registrations } from '../shared/registrations.js';
import { acquireReader, namespaceKey, peekReader, releaseReader } from './reader-registry.js';
import { ESTALE } from './netlink-constants.js';
import { NetlinkReader, readInterfaceRows, withDumpSocket, zeroReaderStats, type ReaderStats } from './netlink-reader.js';

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
  /** Live registrations on the shared reader (all adapter instances of the namespace). */
  readonly readerRegistrations: number;
  /** `SO_RCVBUFFORCE` or `SO_RCVBUF`: which option sized the event socket's buffer. */
  readonly receiveBufferOption: string | undefined;
  /** IP interfaces in the reader's table. */
  readonly tableSize: number;
  /** Netlink port id (nl_pid) of the open reader's event socket. */
  readonly portId: number | undefined;
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
  /** Counters of the shared reader (the last one used, when none is open). */
  stats(): LinuxAdapterStats;
  /**
   * Re-reads every interface from the kernel and notifies live registrations of the differences.
   * Use it after changing sysctls that the kernel changes silently (see docs/linux.md). No-op when
   * nothing is registered.
   */
  resync(): Promise<void>;
}

const DEFAULT_RECEIVE_BUFFER = 8 * 1024 * 1024;

interface Registration {
  readonly reader: NetlinkReader;
  readonly unsubscribe: () => void;
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
  const registrations = new Registrations<Registration>(name);
  let lastClosed: ClosedReaderSummary | undefined;
  // The reader this adapter's registrations hold, while it is open: their namespace, whatever the
  // path names now (a /proc/PID/ns/net whose process exited, a name re-created meanwhile). Else
  // keyed by what the path names now (see namespaceKey): a name re-created is another namespace.
  const openReader = (): NetlinkReader | undefined =>
    registrations.values().find((r) => r.reader.isOpen)?.reader ?? peekReader<NetlinkReader>(namespaceKey(path));

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
        try {
          callback(null, 'initial');
        } catch (error) {
          release(reader);
          throw error;
        }
      }
      const handle = registrations.reserve();
      registrations.add(handle, { reader, unsubscribe: reader.subscribe(family, callback, endedBy(handle, ended)) });
      return handle;
    },

    async cancelMibChangeNotify2(handle: NotificationHandle): Promise<void> {
      const registration = registrations.take(handle);
      registration.unsubscribe();
      release(registration.reader);
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
      const open = registrations.size > 0 ? openReader() : undefined;
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
        readerRegistrations: open?.liveSubscribers ?? 0,
        receiveBufferOption: source?.receiveBufferOption,
        tableSize: open?.tableSize ?? 0,
        portId: open?.portId,
        lastError: source?.lastError,
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
