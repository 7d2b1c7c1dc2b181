'use strict';
/**
 * Network namespaces made and deleted by tests and by the benchmark: every device they create lives
 * in one of these, never in the machine's own namespace. Plain CommonJS so that both the jest tests
 * (test/helpers/netns.ts) and the benchmark (test/bench/lib/netns.js, plain node) use this one copy.
 * New devices get addr_gen_mode 1 (no IPv6 link-local address), so no DAD or router solicitation is
 * ever sent from a test device.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

class Netns {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
    /** Path of the namespace file (for adapters' `netns` option). */
    this.path = `/run/netns/${name}`;
  }

  /** Creates the namespace `name` (`ip netns add`) with loopback up and no IPv6 autoconfiguration. */
  static add(name) {
    execFileSync('ip', ['netns', 'add', name]);
    const ns = new this(name);
    ns.exec(
      'sh',
      '-c',
      'for c in default all; do echo 1 > /proc/sys/net/ipv6/conf/$c/addr_gen_mode; echo 0 > /proc/sys/net/ipv6/conf/$c/accept_ra; done;' +
        ' echo 0 > /proc/sys/net/ipv6/conf/default/router_solicitations',
    );
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** Deletes namespaces whose name matches `pattern` (group 1: the pid of the run that made it) when that pid is gone. */
  static cleanupStale(pattern) {
    if (!fs.existsSync('/run/netns')) return 0;
    let n = 0;
    for (const name of fs.readdirSync('/run/netns')) {
      const m = pattern.exec(name);
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

  /** `ip -n <ns> <args...>`; returns stdout. */
  ip(...args) {
    return execFileSync('ip', ['-n', this.name, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  }

  /** Runs many `ip` commands in one process (`ip -n <ns> -batch -`): fast for bursts. */
  ipBatch(lines) {
    execFileSync('ip', ['-n', this.name, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 64 << 20 });
  }

  /** Runs a command inside the namespace; returns stdout. */
  exec(file, ...args) {
    return execFileSync('ip', ['netns', 'exec', this.name, file, ...args], { encoding: 'utf8' });
  }

  /** Sets a sysctl inside the namespace (`sysctl -w` semantics, through /proc). */
  sysctl(key, value) {
    this.exec('sh', '-c', `echo ${value} > /proc/sys/${key.replace(/\./g, '/')}`);
  }

  /** Creates a veth pair inside the namespace (addr_gen_mode none is inherited). */
  addVeth(name, peer = `${name}p`) {
    this.ip('link', 'add', name, 'type', 'veth', 'peer', 'name', peer);
  }

  /** Index of a device in this namespace. */
  ifindex(dev) {
    return Number(this.exec('cat', `/sys/class/net/${dev}/ifindex`).trim());
  }

  /** Links of the namespace as `ip -j link` reports them. */
  links() {
    return JSON.parse(this.ip('-j', 'link', 'show'));
  }

  /** Deletes the namespace and everything in it. */
  delete() {
    try {
      execFileSync('ip', ['netns', 'delete', this.name]);
    } catch {
      // already gone
    }
  }
}

module.exports = { Netns };
