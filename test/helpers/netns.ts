/**
 * Network namespaces for tests: every interface a test creates lives in a namespace the test made
 * (`ip netns add`) and deletes afterwards. Never touches the machine's own namespace.
 */
import { existsSync } from 'node:fs';
import { Netns } from './netns-core';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasIp = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((p) => existsSync(p));

/** Why namespace tests cannot run here, or undefined when they can. */
export const netnsUnavailableReason: string | undefined =
  process.platform !== 'linux' ? 'not Linux' : !isRoot ? 'not running as root' : !hasIp ? 'iproute2 (ip) is not installed' : undefined;

/**
 * `describe` for tests that need root and network namespaces. Where they cannot run it says so
 * loudly and skips, except under CI=true, where it fails: CI must run them.
 */
export function describeWithNetns(name: string, body: () => void): void {
  if (!netnsUnavailableReason) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('can run (CI=true requires root and iproute2)', () => {
        throw new Error(`${name}: cannot run under CI=true: ${netnsUnavailableReason}`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED "${name}": ${netnsUnavailableReason}. These tests need root and iproute2. ***\n`);
  describe.skip(name, body);
}

let counter = 0;

/** A network namespace made by this test; `delete()` removes it and everything in it. */
export class TestNetns extends Netns {
  /** Creates `rxipi-<purpose>-<pid>-<n>` with loopback up. */
  static create(purpose: string): TestNetns {
    return TestNetns.createNamed(`rxipi-${purpose}-${process.pid}-${++counter}`);
  }

  /** Creates a namespace of this exact name (`rxipi-...`, for re-creating a deleted one) with loopback up. */
  static createNamed(name: string): TestNetns {
    return TestNetns.add(name);
  }

  /** Deletes namespaces left by earlier, killed runs of this purpose (their pid is gone). */
  static override cleanupStale(purpose: string | RegExp): number {
    return Netns.cleanupStale(typeof purpose === 'string' ? new RegExp(`^rxipi-${purpose}-(\\d+)-\\d+$`) : purpose);
  }
}
