/**
 * Network namespaces for tests: every interface a test creates lives in a namespace the test made
 * (`ip netns add`) and deletes afterwards. Never touches the machine's own namespace.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

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
export class TestNetns {
  readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Creates `rxipi-<purpose>-<pid>-<n>` with loopback up. */
  static create(purpose: string): TestNetns {
    return TestNetns.createNamed(`rxipi-${purpose}-${process.pid}-${++counter}`);
  }

  /** Creates a namespace of this exact name (`rxipi-...`, for re-creating a deleted one) with loopback up. */
  static createNamed(name: string): TestNetns {
    execFileSync('ip', ['netns', 'add', name]);
    const ns = new TestNetns(name);
    // Devices made later inherit `default`: no IPv6 link-local address, so no DAD or router
    // solicitation is ever sent from a test device.
    ns.exec(
      'sh',
      '-c',
      'for c in default all; do echo 1 > /proc/sys/net/ipv6/conf/$c/addr_gen_mode; echo 0 > /proc/sys/net/ipv6/conf/$c/accept_ra; done;' +
        ' echo 0 > /proc/sys/net/ipv6/conf/default/router_solicitations',
    );
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** Deletes namespaces left by earlier, killed runs of this purpose (their pid is gone). */
  static cleanupStale(purpose: string): void {
    if (!existsSync('/run/netns')) return;
    for (const name of readdirSync('/run/netns')) {
      const m = new RegExp(`^rxipi-${purpose}-(\\d+)-\\d+$`).exec(name);
      if (m && !existsSync(`/proc/${m[1]}`)) {
        try {
          execFileSync('ip', ['netns', 'delete', name]);
        } catch {
          // already gone
        }
      }
    }
  }

  /** Path of the namespace file (for adapters' `netns` option). */
  get path(): string {
    return `/run/netns/${this.name}`;
  }

  /** `ip -n <ns> <args...>`; returns stdout. */
  ip(...args: string[]): string {
    return execFileSync('ip', ['-n', this.name, ...args], { encoding: 'utf8' });
  }

  /** Runs many `ip` commands in one process (`ip -n <ns> -batch -`): fast for bursts. */
  ipBatch(lines: readonly string[]): void {
    execFileSync('ip', ['-n', this.name, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 64 << 20 });
  }

  /** Runs a command inside the namespace; returns stdout. */
  exec(file: string, ...args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.name, file, ...args], { encoding: 'utf8' });
  }

  /** Sets a sysctl inside the namespace (`sysctl -w` semantics, through /proc). */
  sysctl(key: string, value: string | number): void {
    this.exec('sh', '-c', `echo ${value} > /proc/sys/${key.replace(/\./g, '/')}`);
  }

  /** Creates a veth pair inside the namespace (addr_gen_mode none is inherited from `create`). */
  addVeth(name: string, peer = `${name}p`): void {
    this.ip('link', 'add', name, 'type', 'veth', 'peer', 'name', peer);
  }

  /** Index of a device in this namespace. */
  ifindex(dev: string): number {
    return Number(this.exec('cat', `/sys/class/net/${dev}/ifindex`).trim());
  }

  delete(): void {
    try {
      execFileSync('ip', ['netns', 'delete', this.name]);
    } catch {
      // already gone
    }
  }
}
