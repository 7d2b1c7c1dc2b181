/**
 * libc through koffi, loaded lazily (first registration or table read), never at import.
 *
 * @module
 */
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { importKoffi } from '../shared/native-module.js';
import { onceLoader } from '../shared/once-loader.js';
import { nativeLoadFailed } from '../shared/os-error.js';

/** A `uv_poll_t` on the Node event loop, as koffi exposes it. */
export interface PollHandle {
  close(): void;
  ref(): void;
  unref(): void;
}

/** The libc calls the adapter makes (all synchronous, on the JS thread). */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Uint8Array, len: number): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array, len: number): number;
  getsockname(fd: number, addr: Uint8Array, len: Uint8Array): number;
  recvfrom(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array, addrLen: Uint8Array): number;
  sendto(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array, addrLen: number): number;
  close(fd: number): number;
  strerror(errno: number): string;
  /** errno of the last failed call. */
  errno(): number;
  /** Watches `fd` for readability on the Node event loop (no thread). */
  poll(fd: number, onReadable: () => void): PollHandle;
  /** Registered koffi callbacks (the adapter registers none: test/adapters/linux/linux-adapter.namespace.test.ts checks it stays 0). */
  registeredCallbacks(): number;
}

interface KoffiFunction {
  (...args: unknown[]): unknown;
}
interface KoffiLibrary {
  func(definition: string): KoffiFunction;
}
interface KoffiPollHandle extends PollHandle {
  start(opts: { readable: boolean }, cb: (...args: unknown[]) => void): void;
}
interface KoffiModule {
  load(path: string): KoffiLibrary;
  errno(): number;
  stats(): { callbacks: number };
  node: { poll(fd: number, opts: { readable: boolean }, cb: (...args: unknown[]) => void): KoffiPollHandle };
}

const LIBC_NAMES = ['libc.so.6', 'libc.so'];

/**
 * A level-triggered read watch that survives socket errors. libuv stops a poll handle when epoll
 * reports EPOLLERR (status UV_EBADF), which is exactly what a netlink socket reports after ENOBUFS;
 * the callback still runs (the read then sees the error), and the watch is started again.
 */
function pollReadable(koffi: KoffiModule, fd: number, onReadable: () => void): PollHandle {
  const opts = { readable: true };
  let closed = false;
  const callback = (status: unknown): void => {
    onReadable();
    if (!closed && typeof status === 'number' && status < 0) handle.start(opts, callback);
  };
  const handle = koffi.node.poll(fd, opts, callback);
  return {
    close: () => {
      closed = true;
      handle.close();
    },
    ref: () => handle.ref(),
    unref: () => handle.unref(),
  };
}

async function load(): Promise<Libc> {
  const koffi = (await importKoffi('linux')) as unknown as KoffiModule;
  let lib: KoffiLibrary | undefined;
  const failures: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      lib = koffi.load(name);
      break;
    } catch (error) {
      failures.push(`${name}: ${String(error)}`);
    }
  }
  if (!lib) {
    throw nativeLoadFailed('linux', `could not load libc through koffi (tried ${failures.join('; ')})`);
  }
  try {
    const socket = lib.func('int socket(int domain, int type, int protocol)');
    const bind = lib.func('int bind(int fd, void *addr, uint32_t len)');
    const setsockopt = lib.func('int setsockopt(int fd, int level, int name, void *value, uint32_t len)');
    const getsockname = lib.func('int getsockname(int fd, void *addr, void *len)');
    const recvfrom = lib.func('long recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *addrlen)');
    const sendto = lib.func('long sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t addrlen)');
    const close = lib.func('int close(int fd)');
    const strerror = lib.func('const char *strerror(int errnum)');
    return {
      socket: (d, t, p) => socket(d, t, p) as number,
      bind: (fd, addr, len) => bind(fd, addr, len) as number,
      setsockopt: (fd, level, name, value, len) => setsockopt(fd, level, name, value, len) as number,
      getsockname: (fd, addr, len) => getsockname(fd, addr, len) as number,
      // The koffi function itself, not a wrapper: this is the first call of every wake-up.
      recvfrom: recvfrom as unknown as Libc['recvfrom'],
      sendto: (fd, buf, len, flags, addr, addrLen) => sendto(fd, buf, len, flags, addr, addrLen) as number,
      close: (fd) => close(fd) as number,
      strerror: (errno) => String(strerror(errno) ?? `errno ${errno}`),
      errno: () => koffi.errno(),
      poll: (fd, onReadable) => pollReadable(koffi, fd, onReadable),
      registeredCallbacks: () => koffi.stats().callbacks,
    };
  } catch (error) {
    throw nativeLoadFailed('linux', `could not bind libc functions through koffi: ${String(error)}`, error);
  }
}

/**
 * Loads koffi and libc once (per module copy: see adapters/shared/process-state.ts). A failure is `NATIVE_LOAD_FAILED` and is not cached, so a
 * later call retries.
 *
 * @example
 * ```ts
 * const libc = await loadLibc();
 * const fd = libc.socket(16, 3, 0);
 * ```
 */
export const loadLibc: () => Promise<Libc> = onceLoader(load);

/**
 * An `OS_ERROR` for a failed libc call, with errno in `osCode` and the strerror text.
 *
 * @example
 * ```ts
 * if (fd < 0) throw osError(libc, 'socket(AF_NETLINK)', libc.errno());
 * ```
 */
export function osError(libc: Pick<Libc, 'strerror'>, what: string, errno: number): IpInterfaceError {
  return new IpInterfaceError('OS_ERROR', `${what} failed: ${libc.strerror(errno)} (errno ${errno})`, { adapter: 'linux', osCode: errno });
}
