import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';
import type { AddressFamily } from '../address-family.js';
import type { IpInterfaceAdapter } from '../adapter.js';

/**
 * Options of {@link IpInterfaceModule.forRoot} (and what `forRootAsync`'s factory returns). They
 * configure the interface streams and the address streams of {@link IpInterfaceService} alike.
 *
 * @example
 * ```ts
 * const options: IpInterfaceModuleOptions = { family: AF_INET, initial: true, debounceMs: 250 };
 * const withRefreshes: IpInterfaceModuleOptions = { family: AF_INET6, lifetimeUpdates: true }; // addressChanges$ emits RA refreshes too
 * ```
 */
export interface IpInterfaceModuleOptions {
  /** Which interfaces to watch. Default `AF_UNSPEC` (IPv4 and IPv6). */
  family?: AddressFamily | undefined;
  /**
   * Emit `{ kind: 'initial' }` first on `changes$` once the registration is live. Only the
   * consumers subscribed when the shared registration starts see it: it is not replayed.
   */
  initial?: boolean | undefined;
  /** The OS backend. Default: the platform's (linux, windows, else polling), loaded on first use. */
  adapter?: IpInterfaceAdapter | undefined;
  /**
   * When set, `changes$` applies `debounceInterfaceChanges(debounceMs)`: the net effect per interface;
   * and `addressChanges$` applies `debounceAddressChanges(debounceMs)`: the net effect per address.
   */
  debounceMs?: number | undefined;
  /**
   * `addressChanges$` also emits lifetime-only updates (router-advertisement refreshes) as `changed`
   * (`unicastIpAddressChanges$`'s `lifetimeUpdates`). Default false.
   */
  lifetimeUpdates?: boolean | undefined;
}

/**
 * Options of {@link IpInterfaceModule.forRootAsync}: NestJS's usual `imports`, `useFactory` +
 * `inject`, `useClass` or `useExisting` (a class with `create(): IpInterfaceModuleOptions`), plus
 * `isGlobal`.
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { IpInterfaceModule, type IpInterfaceModuleAsyncOptions, type IpInterfaceModuleOptions } from 'rxjs-ip-interface/nestjs';
 *
 * @Injectable()
 * class NetworkOptions {
 *   create(): IpInterfaceModuleOptions {
 *     return { debounceMs: Number(process.env.NET_DEBOUNCE_MS ?? 250) };
 *   }
 * }
 * const async: IpInterfaceModuleAsyncOptions = { useClass: NetworkOptions, isGlobal: true };
 * IpInterfaceModule.forRootAsync(async); // in a module's imports
 * ```
 */
export type IpInterfaceModuleAsyncOptions = ConfigurableModuleAsyncOptions<IpInterfaceModuleOptions, 'create'> & {
  /** Register the module globally (its service injectable everywhere without importing it). */
  isGlobal?: boolean | undefined;
};
