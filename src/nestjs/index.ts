/**
 * NestJS integration: `IpInterfaceModule` and the injectable `IpInterfaceService`.
 * Needs `@nestjs/common` and `@nestjs/core` (optional peer dependencies).
 *
 * @module rxjs-ip-interface/nestjs
 */
export { IpInterfaceModule } from './ip-interface-module.js';
export { IpInterfaceService } from './ip-interface-service.js';
export { IP_INTERFACE_MODULE_OPTIONS } from './ip-interface-module-definition.js';
export type { IpInterfaceModuleAsyncOptions, IpInterfaceModuleOptions } from './ip-interface-module-options.js';
