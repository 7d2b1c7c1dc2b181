/**
 * Angular integration: {@link provideIpInterfaceChanges} and the {@link IP_INTERFACE_CHANGES} token;
 * for unicast addresses {@link provideUnicastIpAddressChanges} and {@link UNICAST_IP_ADDRESS_CHANGES}.
 * ESM only (Angular's packages are ESM only): load it with `import`. Needs `@angular/core` (optional
 * peer dependency).
 *
 * @module rxjs-ip-interface/angular
 */
export { IP_INTERFACE_CHANGES } from './ip-interface-changes-token.js';
export { provideIpInterfaceChanges } from './provide-ip-interface-changes.js';
export type { IpInterfaceChangesProviderOptions } from './provide-ip-interface-changes.js';
export { UNICAST_IP_ADDRESS_CHANGES } from './unicast-ip-address-changes-token.js';
export { provideUnicastIpAddressChanges } from './provide-unicast-ip-address-changes.js';
export type { UnicastIpAddressChangesProviderOptions } from './provide-unicast-ip-address-changes.js';
export { DEFAULT_ROUTE, ROUTE_CHANGES, ROUTE_TABLE } from './route-tokens.js';
export { provideRoutes } from './provide-routes.js';
export type { RoutesProviderOptions } from './provide-routes.js';
