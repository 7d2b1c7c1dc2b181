/**
 * The Linux adapter: rtnetlink through koffi calling libc. See docs/linux.md for the row mapping.
 *
 * @module rxjs-ip-interface/adapters/linux
 */
export { linuxAdapter } from './linux-adapter.js';
export type { LinuxAdapterOptions, LinuxAdapterStats, LinuxIpInterfaceAdapter } from './linux-adapter.js';
export type { ReaderStats } from './netlink-reader.js';
