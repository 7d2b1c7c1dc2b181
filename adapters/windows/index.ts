/**
 * The Windows adapter: `NotifyIpInterfaceChange` / `CancelMibChangeNotify2` of iphlpapi.dll through
 * koffi, loaded on first use, with the address (`NotifyUnicastIpAddressChange`) and route
 * (`NotifyRouteChange2`, `GetBestRoute2`) halves. See `docs/windows.md`.
 *
 * @module rxjs-ip-interface/adapters/windows
 */
export { windowsAdapter } from './windows-adapter.js';
export type { WindowsAdapterDiagnostics, WindowsAdapterOptions, WindowsIpInterfaceAdapter } from './windows-adapter.js';
export type { KoffiAsyncBudgetState } from './native-call-budget.js';
