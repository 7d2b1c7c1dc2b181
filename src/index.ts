/**
 * IP interface and unicast address change notifications as RxJS Observables: `ipInterfaceChanges$`,
 * `ipInterfaceTable$`, `unicastIpAddressChanges$`, `unicastIpAddressTable$`, the per-key operators,
 * the row and change types and `IpInterfaceError`.
 *
 * @module rxjs-ip-interface
 */
export { AF_INET, AF_INET6, AF_UNSPEC, familyMatches, isAddressFamily } from './address-family.js';
export type { AddressFamily } from './address-family.js';
export type {
  IpInterfaceAdapter,
  IpInterfaceChangeCallback,
  MibNotificationType,
  NotificationHandle,
  RegistrationEndedCallback,
  RouteAdapter,
  RouteChangeCallback,
  SettledRegistration,
  UnicastIpAddressAdapter,
  UnicastIpAddressChangeCallback,
  UnicastIpAddressChangeDetail,
} from './adapter.js';
export { hasRow } from './ip-interface-change.js';
export type { IpInterfaceChange, IpInterfaceChangeKind, IpInterfaceInitialChange, IpInterfaceRowChange } from './ip-interface-change.js';
export { IpInterfaceError, isIpInterfaceError } from './ip-interface-error.js';
export type { IpInterfaceErrorCode, IpInterfaceErrorOptions } from './ip-interface-error.js';
export { OFFLOAD_FLAG_NAMES, ZONE_INDEX_COUNT, offloadFlagsFromByte } from './ip-interface-row.js';
export type { InterfaceOffloadFlags, IpInterfaceRow, LinkLocalAddressBehavior, RouterDiscoveryBehavior } from './ip-interface-row.js';
export { interfaceKey } from './interface-key.js';
export { ipInterfaceChanges$ } from './ip-interface-changes.js';
export type { IpInterfaceChangesOptions } from './ip-interface-changes.js';
export { defaultAdapterName, loadAdapter } from './default-adapter.js';
export type { DefaultAdapterName } from './default-adapter.js';
export { groupByAddress, groupByInterface } from './operators/group-by-interface.js';
export { debounceAddressChanges, debounceInterfaceChanges } from './operators/debounce-interface-changes.js';
export { serialDelivery } from './operators/serial-delivery.js';
export type { SerialDeliveryHandler, SerialDeliveryOptions, SerialDeliveryOverflow } from './operators/serial-delivery.js';
export { ipInterfaceTable$ } from './ip-interface-table.js';
export type { IpInterfaceTableOptions } from './ip-interface-table.js';
export { ipAddressText } from './ip-address-text.js';
export { INFINITE_LIFETIME } from './unicast-ip-address-row.js';
export type { DadState, PrefixOrigin, SuffixOrigin, UnicastIpAddressRow } from './unicast-ip-address-row.js';
export { unicastAddressKey } from './unicast-address-key.js';
export type { UnicastIpAddressChange, UnicastIpAddressInitialChange, UnicastIpAddressRowChange } from './unicast-ip-address-change.js';
export { unicastIpAddressChanges$ } from './unicast-ip-address-changes.js';
export type { UnicastIpAddressChangesOptions } from './unicast-ip-address-changes.js';
export { unicastIpAddressTable$ } from './unicast-ip-address-table.js';
export type { UnicastIpAddressTableOptions } from './unicast-ip-address-table.js';
export { RT_TABLE_MAIN } from './ip-forward-row.js';
export type { IpAddressPrefix, IpForwardRow, RouteOrigin, RouteProtocol } from './ip-forward-row.js';
export { routeKey } from './route-key.js';
export type { RouteChange, RouteInitialChange, RouteRowChange } from './route-change.js';
export { routeChanges$ } from './route-changes.js';
export type { RouteChangesOptions } from './route-changes.js';
export { routeTable$ } from './route-table.js';
export type { RouteTableOptions } from './route-table.js';
export { DEFAULT_ROUTE_DESTINATIONS, defaultRoute$ } from './default-route.js';
export type { DefaultRouteOptions } from './default-route.js';
export { groupByRoute } from './operators/group-by-interface.js';
export { debounceRouteChanges } from './operators/debounce-interface-changes.js';
