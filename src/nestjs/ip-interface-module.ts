import { Module } from '@nestjs/common';
import { ipInterfaceModuleDefinition } from './ip-interface-module-definition.js';
import { IpInterfaceService } from './ip-interface-service.js';

/**
 * NestJS module providing and exporting {@link IpInterfaceService} (interface and address streams). Configure it with
 * `forRoot({ family, initial, adapter, debounceMs, lifetimeUpdates, isGlobal })` or `forRootAsync({ imports,
 * useFactory, inject, isGlobal })` (also `useClass` / `useExisting` of an options factory with a
 * `create()` method), following NestJS's configurable-module conventions.
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { AF_INET } from 'rxjs-ip-interface';
 * import { IpInterfaceModule } from 'rxjs-ip-interface/nestjs';
 *
 * @Module({ imports: [IpInterfaceModule.forRoot({ family: AF_INET, debounceMs: 250 })] })
 * export class AppModule {}
 * ```
 */
@Module({
  providers: [IpInterfaceService],
  exports: [IpInterfaceService],
})
export class IpInterfaceModule extends ipInterfaceModuleDefinition.ConfigurableModuleClass {}
