/**
 * The mock adapter, for testing your own network logic (with rxjs-marbles or plainly).
 *
 * @module rxjs-ip-interface/adapters/mock
 */
export { createMockAdapter } from './mock-adapter.js';
export type {
  MockAdapterOptions,
  MockAddressChange,
  MockAddressSource,
  MockBestRoute,
  MockCall,
  MockChange,
  MockIpInterfaceAdapter,
  MockRouteChange,
  MockRouteSource,
  MockSource,
} from './mock-adapter.js';
export { mockAddressRow, mockLuid, mockRouteRow, mockRow } from './mock-row.js';
