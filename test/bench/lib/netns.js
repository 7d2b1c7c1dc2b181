'use strict';
/**
 * Network namespaces made and deleted by the benchmark (`rxipi-bench-<pid>-<n>`): every device the
 * benchmark touches lives in one of these, never in the machine's own namespace. The namespace
 * itself is test/helpers/netns-core.js, the one the jest tests use; this adds the benchmark's
 * naming and deletes whatever it made when the run ends or is interrupted.
 */
const { Netns } = require('../../helpers/netns-core.js');

const PREFIX = 'rxipi-bench';
let counter = 0;
const live = new Set();

class BenchNetns extends Netns {
  static create(purpose) {
    const ns = BenchNetns.add(`${PREFIX}-${purpose}-${process.pid}-${++counter}`);
    live.add(ns);
    return ns;
  }

  /** Deletes namespaces left by killed earlier runs (their pid is gone). */
  static cleanupStale() {
    return Netns.cleanupStale(new RegExp(`^${PREFIX}-[a-z0-9]+-(\\d+)-\\d+$`));
  }

  /** Deletes every namespace this process made and has not deleted yet. */
  static deleteAll() {
    for (const ns of [...live]) ns.delete();
  }

  delete() {
    live.delete(this);
    super.delete();
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
