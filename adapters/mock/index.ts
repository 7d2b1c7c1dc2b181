export { createMockAdapter } from './mock-adapter.js';
export type { MockAdapterOptions, MockCall, MockChange, MockIpInterfaceAdapter, MockSource } from './mock-adapter.js';
export { mockLuid, mockRow } from './mock-row.js';
