/**
 * The NestJS and Angular smoke scenarios run against the packed package, shared by pack.test.ts (the
 * devDependency framework versions) and peer-versions.test.ts (the older majors of the peer ranges).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ESM child script: its file name in the scratch project, its source, and the JSON it must print last. */
export interface FrameworkScenario {
  readonly file: string;
  readonly source: string;
  readonly expected: unknown;
  /** Writes the script into `cwd` (a scratch project with the tarball installed), runs it, parses its last stdout line. */
  run(cwd: string): Promise<unknown>;
}

/**
 * Runs the script as a child process that must exit by itself: a leaked registration or timer would hang
 * it (and hit the timeout).
 */
const runIn = (cwd: string, file: string, source: string): Promise<unknown> => {
  writeFileSync(join(cwd, file), source);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} in ${cwd} failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
};

const scenario = (file: string, source: string, expected: unknown): FrameworkScenario => ({ file, source, expected, run: (cwd) => runIn(cwd, file, source) });

/**
 * `nestjs`: a real NestJS application context injects the service, delivers mock changes, and close()
 * releases the registration. `angular`: an environment injector provides the shared changes, destroy()
 * releases the registration, and the entry is ESM only.
 *
 * @example
 * ```ts
 * expect(await frameworkScenarios.nestjs.run(scratch)).toEqual(frameworkScenarios.nestjs.expected);
 * ```
 */
export const frameworkScenarios = {
  nestjs: scenario(
    'nest.mjs',
    // Plain JavaScript, so the decorators are applied by hand: what `@Injectable()`, `@Inject(...)` and `@Module(...)` compile to.
    `
    import 'reflect-metadata';
    import { Inject, Injectable, Module } from '@nestjs/common';
    import { NestFactory } from '@nestjs/core';
    import { AF_INET } from 'rxjs-ip-interface';
    import { IpInterfaceModule, IpInterfaceService, IP_INTERFACE_MODULE_OPTIONS } from 'rxjs-ip-interface/nestjs';
    import { createMockAdapter, mockAddressRow, mockRow } from 'rxjs-ip-interface/adapters/mock';

    const adapter = createMockAdapter();
    class Watcher { constructor(ip) { this.ip = ip; } }
    Injectable()(Watcher);
    Inject(IpInterfaceService)(Watcher, undefined, 0);
    class AppModule {}
    Module({ imports: [IpInterfaceModule.forRoot({ adapter, family: AF_INET, initial: true })], providers: [Watcher] })(AppModule);

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const watcher = app.get(Watcher);
    const seen = [];
    let completed = false;
    watcher.ip.changes$.subscribe({
      next: (c) => seen.push(c.kind === 'initial' ? 'initial ' + c.family : c.kind + ' ' + c.row.interfaceName + ' ' + c.row.family),
      complete: () => (completed = true),
    });
    watcher.ip.addressChanges$.subscribe((c) => seen.push(c.kind === 'initial' ? 'address initial ' + c.family : 'address ' + c.kind + ' ' + c.row.address));
    const activeWhileSubscribed = adapter.active;
    adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 3, interfaceName: 'eth1' }) });
    adapter.emitAddress({ kind: 'added', row: mockAddressRow({ address: '10.9.0.1', interfaceIndex: 3 }) });
    await app.close();
    const activeAfterClose = adapter.active;
    let lateCompleted = false;
    watcher.ip.changes$.subscribe({ complete: () => (lateCompleted = true) });
    console.log(JSON.stringify({
      injected: watcher.ip === app.get(IpInterfaceService) && watcher.ip instanceof IpInterfaceService,
      optionsHoldAdapter: app.get(IP_INTERFACE_MODULE_OPTIONS).adapter === adapter,
      seen, activeWhileSubscribed, completed, activeAfterClose, lateCompleted,
      calls: adapter.calls.map((c) => c.fn), activeAtEnd: adapter.active,
    }));
    `,
    {
      injected: true,
      optionsHoldAdapter: true,
      seen: ['initial inet', 'address initial inet', 'added eth1 inet', 'address added 10.9.0.1'],
      activeWhileSubscribed: 2,
      completed: true,
      activeAfterClose: 0,
      lateCompleted: true,
      calls: ['NotifyIpInterfaceChange', 'NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2', 'CancelMibChangeNotify2'],
      activeAtEnd: 0,
    },
  ),
  angular: scenario(
    'angular.mjs',
    `
    import { createRequire } from 'node:module';
    import { createEnvironmentInjector, inject, Injector, runInInjectionContext } from '@angular/core';
    import { AF_INET6 } from 'rxjs-ip-interface';
    import { IP_INTERFACE_CHANGES, provideIpInterfaceChanges, provideUnicastIpAddressChanges, UNICAST_IP_ADDRESS_CHANGES } from 'rxjs-ip-interface/angular';
    import { createMockAdapter, mockAddressRow, mockRow } from 'rxjs-ip-interface/adapters/mock';

    const adapter = createMockAdapter();
    const injector = createEnvironmentInjector(
      [provideIpInterfaceChanges({ adapter, family: AF_INET6, initial: true }), provideUnicastIpAddressChanges({ adapter, family: AF_INET6 })],
      Injector.NULL,
    );
    const changes$ = runInInjectionContext(injector, () => inject(IP_INTERFACE_CHANGES));
    const addressChanges$ = runInInjectionContext(injector, () => inject(UNICAST_IP_ADDRESS_CHANGES));
    const seen = [];
    let completed = false;
    changes$.subscribe({
      next: (c) => seen.push(c.kind === 'initial' ? 'initial ' + c.family : c.kind + ' ' + c.row.interfaceName + ' ' + c.row.family),
      complete: () => (completed = true),
    });
    addressChanges$.subscribe((c) => seen.push('address ' + c.kind + ' ' + c.row.address));
    const activeWhileSubscribed = adapter.active;
    adapter.emit({ kind: 'added', row: mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6 }) });
    adapter.emitAddress({ kind: 'added', row: mockAddressRow({ family: AF_INET6, address: '2001:db8::1', interfaceIndex: 3 }) });
    const sameInstance = injector.get(IP_INTERFACE_CHANGES) === changes$;
    injector.destroy();
    const activeAfterDestroy = adapter.active;
    let lateCompleted = false;
    changes$.subscribe({ complete: () => (lateCompleted = true) });
    let requireError;
    try { createRequire(import.meta.url)('rxjs-ip-interface/angular'); } catch (e) { requireError = e.code; }
    console.log(JSON.stringify({
      sameInstance, seen, activeWhileSubscribed, completed, activeAfterDestroy, lateCompleted,
      calls: adapter.calls.map((c) => c.fn), activeAtEnd: adapter.active, requireError,
    }));
    `,
    {
      sameInstance: true,
      seen: ['initial inet6', 'added eth1 inet6', 'address added 2001:db8::1'],
      activeWhileSubscribed: 2,
      completed: true,
      activeAfterDestroy: 0,
      lateCompleted: true,
      calls: ['NotifyIpInterfaceChange', 'NotifyUnicastIpAddressChange', 'CancelMibChangeNotify2', 'CancelMibChangeNotify2'],
      activeAtEnd: 0,
      // Angular ships ESM only, and so does this entry (docs/angular.md): no "require" condition.
      requireError: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    },
  ),
} as const satisfies Record<'nestjs' | 'angular', FrameworkScenario>;
