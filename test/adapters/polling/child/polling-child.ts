/**
 * Runs inside a test network namespace (`ip netns exec <ns> node polling-child.js ...`), because
 * `os.networkInterfaces()` reads the namespace of the calling process. Transpiled to CommonJS next
 * to links to the built library by `prepare-child.ts`; never run by jest directly.
 *
 *   contract <dev>   the adapter contract suite, triggering changes by toggling <dev>'s addresses
 *   watch            NDJSON lines of ipInterfaceChanges$(unspec, initial) until stdin closes
 */
import { execFileSync } from 'node:child_process';
import { AF_UNSPEC } from '../../../../src/address-family';
import { ipInterfaceChanges$ } from '../../../../src/ip-interface-changes';
import { pollingAdapter } from '../../../../adapters/polling';
import { activePollTimers } from '../../../../adapters/polling/poll-timer';
import { runContract } from '../../../contract/contract-suite';

const INTERVAL_MS = 100;

async function contract(dev: string): Promise<void> {
  let present = false;
  const triggerChange = async (): Promise<void> => {
    present = !present;
    const op = present ? 'add' : 'del';
    // Private addresses on a device of this namespace only; nodad: no duplicate detection probes.
    execFileSync('ip', ['addr', op, '10.213.0.1/24', 'dev', dev]);
    execFileSync('ip', ['addr', op, 'fd00:213::1/64', 'dev', dev, ...(present ? ['nodad'] : [])]);
  };

  const { failed } = await runContract({
    name: 'polling (netns)',
    createAdapter: () => pollingAdapter({ intervalMs: INTERVAL_MS }),
    triggerChange,
    // The same trigger changes addresses: the address half runs on it too.
    addresses: { triggerChange },
    // Adapters listening to the shared poll timer: back to zero once every registration is cancelled.
    liveRegistrations: () => activePollTimers().reduce((n, t) => n + t.listeners, 0),
  });
  process.exitCode = failed === 0 ? 0 : 1;
}

function watch(): void {
  const sub = ipInterfaceChanges$(AF_UNSPEC, true, { adapter: pollingAdapter({ intervalMs: INTERVAL_MS }) }).subscribe({
    next: (change) => process.stdout.write(JSON.stringify(change, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n'),
    error: (error: unknown) => {
      process.stderr.write(`error: ${String(error)}\n`);
      process.exit(1);
    },
  });
  process.stdin.resume();
  process.stdin.on('end', () => {
    sub.unsubscribe();
    process.stdin.pause();
    // Nothing else may keep the process alive once the registration is cancelled: no timer left.
    setTimeout(() => process.stdout.write(JSON.stringify({ exitTimers: activePollTimers().length }) + '\n'), 0);
  });
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'contract' && arg) void contract(arg);
else if (mode === 'watch') watch();
else {
  process.stderr.write('usage: polling-child contract <dev> | watch\n');
  process.exitCode = 2;
}
