export { pollingAdapter } from './polling-adapter.js';
export type { PollingAdapterOptions } from './polling-adapter.js';
