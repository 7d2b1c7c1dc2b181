/**
 * The polling adapter: diffs `os.networkInterfaces()`; the default where no native adapter exists.
 *
 * @module rxjs-ip-interface/adapters/polling
 */
export { pollingAdapter } from './polling-adapter.js';
export type { PollingAdapterOptions } from './polling-adapter.js';
