'use strict';
/**
 * Network namespaces made and deleted by the benchmark (`rxipi-bench-<pid>-<n>`): every device the
 * benchmark touches lives in one of these, never in the machine's own namespace. New devices get
 * addr_gen_mode 1 (no IPv6 link-local address), so no DAD or router solicitation is ever sent.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const PREFIX = 'rxipi-bench';
let counter = 0;
const live = new Set();

class BenchNetns {
  constructor(name) {
    this.name = name;
    this.path = `/run/netns/${name}`;
  }

  static create(purpose) {
    const name = `${PREFIX}-${purpose}-${process.pid}-${++counter}`;
    execFileSync('ip', ['netns', 'add', name]);
    const ns = new BenchNetns(name);
    live.add(ns);
    ns.exec(
      'sh',
      '-c',
      'for c in default all; do echo 1 > /proc/sys/net/ipv6/conf/$c/addr_gen_mode; echo 0 > /proc/sys/net/ipv6/conf/$c/accept_ra; done;' +
        ' echo 0 > /proc/sys/net/ipv6/conf/default/router_solicitations',
    );
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** Deletes namespaces left by killed earlier runs (their pid is gone). */
  static cleanupStale() {
    if (!fs.existsSync('/run/netns')) return 0;
    let n = 0;
    for (const name of fs.readdirSync('/run/netns')) {
      const m = new RegExp(`^${PREFIX}-[a-z0-9]+-(\\d+)-\\d+$`).exec(name);
      if (m && !fs.existsSync(`/proc/${m[1]}`)) {
        try {
          execFileSync('ip', ['netns', 'delete', name]);
          n++;
        } catch {
          // already gone
        }
      }
    }
    return n;
  }

  /** Deletes every namespace this process made and has not deleted yet. */
  static deleteAll() {
    for (const ns of [...live]) ns.delete();
  }

  ip(...args) {
    return execFileSync('ip', ['-n', this.name, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  }

  ipBatch(lines) {
    execFileSync('ip', ['-n', this.name, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 64 << 20 });
  }

  exec(file, ...args) {
    return execFileSync('ip', ['netns', 'exec', this.name, file, ...args], { encoding: 'utf8' });
  }

  ifindex(dev) {
    return Number(this.exec('cat', `/sys/class/net/${dev}/ifindex`).trim());
  }

  /** Links of the namespace as `ip -j link` reports them. */
  links() {
    return JSON.parse(this.ip('-j', 'link', 'show'));
  }

  delete() {
    live.delete(this);
    try {
      execFileSync('ip', ['netns', 'delete', this.name]);
    } catch {
      // already gone
    }
  }
}

// Namespaces must not outlive the benchmark, also when it is interrupted.
process.on('exit', () => BenchNetns.deleteAll());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    BenchNetns.deleteAll();
    process.exit(130);
  });
}

module.exports = { BenchNetns };
