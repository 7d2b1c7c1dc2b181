/**
 * The main thread's side of the namespace worker (`namespace-worker.cjs`): starts the one worker
 * thread of the process on first need and asks it for NETLINK_ROUTE sockets inside a namespace.
 *
 * @module
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { EINVAL } from '../shared/adapter-arguments.js';
import { koffiEntryPath, moduleFile } from '../shared/native-module.js';
import { osError, type Libc } from './libc.js';
import { AF_NETLINK, CLONE_NEWNET, NETLINK_ROUTE, NS_GET_NSTYPE, SOCK_CLOEXEC, SOCK_RAW } from './netlink-constants.js';
import { processWide } from '../shared/process-state.js';

interface WorkerReply {
  id: number;
  fds?: number[];
  /** st_dev:st_ino of the namespace file: the namespace's identity. */
  identity?: string;
  what?: string;
  errno?: number;
  message?: string;
  notNetns?: boolean;
}

interface NamespaceWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { settle: (reply: WorkerReply) => void; fail: (error: IpInterfaceError) => void }>;
  nextId: number;
}

/** The worker file: beside the adapters in the source tree and in both builds (scripts/build.js copies it). */
function workerFile(): string {
  return path.join(path.dirname(path.dirname(moduleFile())), 'linux', 'namespace-worker.cjs');
}

// Process-wide (see adapters/shared/process-state.ts): one thread serves every module copy of the process.
const slot = processWide('linux.namespace-worker.v1', (): { current: NamespaceWorker | undefined } => ({ current: undefined }));

/**
 * The process's namespace worker, started on first need. A Worker lifetime costs about 45 ms and
 * leaks about 45 KB of RSS, so one thread serves every request. It is unref'd while idle, so it
 * never keeps the process alive, and ref'd only while a request waits for its reply.
 */
function startedNamespaceWorker(): NamespaceWorker {
  if (slot.current) return slot.current;
  const worker = new Worker(workerFile(), {
    workerData: {
      koffi: koffiEntryPath(),
      constants: { AF_NETLINK, CLONE_NEWNET, NETLINK_ROUTE, NS_GET_NSTYPE, O_CLOEXEC: SOCK_CLOEXEC, SOCKET_TYPE: SOCK_RAW | SOCK_CLOEXEC },
    },
  });
  worker.unref();
  const state: NamespaceWorker = { worker, pending: new Map(), nextId: 1 };
  const failAll = (error: IpInterfaceError): void => {
    if (slot.current === state) slot.current = undefined;
    const waiting = [...state.pending.values()];
    state.pending.clear();
    for (const p of waiting) p.fail(error);
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = state.pending.get(reply.id);
    if (!p) return;
    state.pending.delete(reply.id);
    if (state.pending.size === 0) worker.unref();
    p.settle(reply);
  });
  worker.on('error', (error) => {
    failAll(new IpInterfaceError('OS_ERROR', `namespace worker failed: ${String(error)}`, { adapter: 'linux', cause: error }));
  });
  worker.on('exit', (code) => {
    failAll(new IpInterfaceError('OS_ERROR', `namespace worker exited with code ${code} before replying`, { adapter: 'linux' }));
  });
  slot.current = state;
  return state;
}

/** Sockets made inside a namespace, and the namespace's identity (st_dev:st_ino of its nsfs file). */
export interface NamespaceSockets {
  readonly fds: number[];
  readonly identity: string;
}

/**
 * Asks the namespace worker for `count` NETLINK_ROUTE sockets created inside `netnsPath`. A path
 * that is not a network namespace (a FIFO, a socket, a directory, another namespace type) is
 * `INVALID_PARAMETER` at once; one that cannot be opened or entered is `OS_ERROR` with errno.
 *
 * @example
 * ```ts
 * const { fds, identity } = await socketsInNamespace(libc, 2, '/run/netns/blue');
 * ```
 */
export function socketsInNamespace(libc: Libc, count: number, netnsPath: string): Promise<NamespaceSockets> {
  return new Promise((resolve, reject) => {
    const state = startedNamespaceWorker();
    const id = state.nextId++;
    state.pending.set(id, {
      settle: (reply) => {
        if (reply.fds) resolve({ fds: reply.fds, identity: reply.identity ?? netnsPath });
        else if (reply.notNetns) {
          reject(new IpInterfaceError('INVALID_PARAMETER', `netns ${netnsPath} is not a network namespace: ${reply.message ?? 'not nsfs'}`, {
            adapter: 'linux',
            osCode: reply.errno || EINVAL,
          }));
        } else if (reply.errno) reject(osError(libc, reply.what ?? 'namespace socket', reply.errno));
        else reject(new IpInterfaceError('NATIVE_LOAD_FAILED', `${reply.what ?? 'namespace worker'}: ${reply.message ?? 'failed'}`, { adapter: 'linux' }));
      },
      fail: reject,
    });
    // Keeps the process alive until the reply, as any pending I/O would.
    if (state.pending.size === 1) state.worker.ref();
    state.worker.postMessage({ id, netns: netnsPath, count });
  });
}
