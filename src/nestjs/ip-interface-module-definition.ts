import { ConfigurableModuleBuilder, type ConfigurableModuleHost } from '@nestjs/common';
import type { IpInterfaceModuleOptions } from './ip-interface-module-options.js';

/**
 * NestJS's configurable-module plumbing for {@link IpInterfaceModule}: `forRoot` / `forRootAsync`,
 * plus an `isGlobal` extra that registers the module globally.
 *
 * @example
 * ```ts
 * @Injectable()
 * class Probe {
 *   constructor(@Inject(IP_INTERFACE_MODULE_OPTIONS) readonly options: IpInterfaceModuleOptions) {}
 * }
 * ```
 */
// Typed by hand: the inferred type would be written into the CommonJS declarations as
// `import("@nestjs/common", { with: { "resolution-mode": "import" } })` (NestJS 12 is ESM only), an
// import attribute that TypeScript before 5.3 cannot parse (issue 15, typescript-versions.test.ts).
export const ipInterfaceModuleDefinition: ConfigurableModuleHost<IpInterfaceModuleOptions, 'forRoot', 'create', { isGlobal: boolean }> = new ConfigurableModuleBuilder<IpInterfaceModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Injection token of the resolved {@link IpInterfaceModuleOptions}.
 *
 * @example
 * ```ts
 * import { Inject, Injectable } from '@nestjs/common';
 * import { IP_INTERFACE_MODULE_OPTIONS, type IpInterfaceModuleOptions } from 'rxjs-ip-interface/nestjs';
 *
 * @Injectable()
 * export class NetworkSettings {
 *   constructor(@Inject(IP_INTERFACE_MODULE_OPTIONS) readonly options: IpInterfaceModuleOptions) {}
 * }
 * ```
 */
export const IP_INTERFACE_MODULE_OPTIONS = ipInterfaceModuleDefinition.MODULE_OPTIONS_TOKEN;
