/**
 * A NETLINK_ROUTE socket: owns its libc binding and its fd (like vishvananda/netlink's
 * `NetlinkSocket`). Opened here or inside another network namespace, bound to a kernel-assigned
 * port with multicast groups, sized, closed once.
 *
 * @module
 */
import { osError, type Libc } from './libc.js';
import {
  AF_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_ROUTE, SO_RCVBUF, SO_RCVBUFFORCE, SO_RCVTIMEO, SOCK_CLOEXEC, SOCK_RAW, SOL_NETLINK,
  SOL_SOCKET,
} from './netlink-constants.js';
import { NETLINK_DROP_MEMBERSHIP } from './netlink-constants.js';
import { HOST_LITTLE_ENDIAN, sockaddrNl, u32 } from './netlink-requests.js';
import { socketsInNamespace } from './namespace-worker-client.js';

/** Which option sized the receive buffer. */
export type ReceiveBufferOption = 'SO_RCVBUFFORCE' | 'SO_RCVBUF';

/**
 * One NETLINK_ROUTE socket.
 *
 * @example
 * ```ts
 * const [events] = await RouteSocket.open(libc, 1, '/run/netns/blue');
 * events!.bind(RTMGRP_LINK, [RTNLGRP_IPV4_NETCONF]);
 * events!.close();
 * ```
 */
export class RouteSocket {
  private open = true;
  /** The port id (nl_pid) the kernel assigned at `bind`; 0 before. */
  portId = 0;

  private constructor(
    readonly libc: Libc,
    readonly fd: number,
    /** The namespace's identity (st_dev:st_ino of its nsfs file), or undefined for this process's own. */
    readonly namespaceIdentity: string | undefined,
  ) {}

  /**
   * Opens `count` sockets. A netlink socket belongs to the namespace it was created in, so for
   * `netnsPath` they are created on the process's namespace worker thread (one trip for all);
   * the fds are then used from this thread, which never changes namespace.
   */
  static async open(libc: Libc, count: number, netnsPath: string | undefined): Promise<RouteSocket[]> {
    if (netnsPath !== undefined) {
      const { fds, identity } = await socketsInNamespace(libc, count, netnsPath);
      return fds.map((fd) => new RouteSocket(libc, fd, identity));
    }
    const sockets: RouteSocket[] = [];
    for (let i = 0; i < count; i++) {
      const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
      if (fd < 0) {
        const errno = libc.errno();
        for (const s of sockets) s.close();
        throw osError(libc, 'socket(AF_NETLINK, NETLINK_ROUTE)', errno);
      }
      sockets.push(new RouteSocket(libc, fd, undefined));
    }
    return sockets;
  }

  /** Binds to a kernel-assigned port with the legacy `groups` mask, joins `extraGroups`; returns the port id. */
  bind(groups: number, extraGroups: readonly number[] = []): number {
    const { libc, fd } = this;
    if (libc.bind(fd, sockaddrNl(0, groups), 12) !== 0) throw osError(libc, 'bind(AF_NETLINK)', libc.errno());
    for (const group of extraGroups) {
      if (libc.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, u32(group), 4) !== 0) {
        throw osError(libc, `setsockopt(NETLINK_ADD_MEMBERSHIP, ${group})`, libc.errno());
      }
    }
    const addr = new Uint8Array(12);
    const len = u32(12);
    if (libc.getsockname(fd, addr, len) !== 0) throw osError(libc, 'getsockname(AF_NETLINK)', libc.errno());
    this.portId = new DataView(addr.buffer).getUint32(4, HOST_LITTLE_ENDIAN);
    return this.portId;
  }

  /**
   * Sets the receive buffer: SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores net.core.rmem_max), else
   * SO_RCVBUF (capped by rmem_max). Returns the option that worked.
   */
  setReceiveBuffer(bytes: number): ReceiveBufferOption {
    const { libc, fd } = this;
    const value = u32(Math.max(0, Math.min(bytes, 0x7fffffff)));
    if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) === 0) return 'SO_RCVBUFFORCE';
    if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4) === 0) return 'SO_RCVBUF';
    throw osError(libc, 'setsockopt(SO_RCVBUF)', libc.errno());
  }

  /** Joins (`true`) or leaves one multicast group (RTNLGRP_*) after bind. */
  membership(group: number, join: boolean): void {
    const option = join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;
    if (this.libc.setsockopt(this.fd, SOL_NETLINK, option, u32(group), 4) !== 0) {
      throw osError(this.libc, `setsockopt(${join ? 'NETLINK_ADD_MEMBERSHIP' : 'NETLINK_DROP_MEMBERSHIP'}, ${group})`, this.libc.errno());
    }
  }

  /** Sets a SOL_NETLINK int option (NETLINK_GET_STRICT_CHK); false when the kernel does not know it. */
  setNetlinkOption(option: number, value: number): boolean {
    return this.libc.setsockopt(this.fd, SOL_NETLINK, option, u32(value), 4) === 0;
  }

  /** A receive timeout, so a request can never block the JS thread forever. */
  setReceiveTimeout(ms: number): void {
    const tv = new Uint8Array(16);
    const v = new DataView(tv.buffer);
    v.setBigInt64(0, BigInt(Math.floor(ms / 1000)), HOST_LITTLE_ENDIAN);
    v.setBigInt64(8, BigInt((ms % 1000) * 1000), HOST_LITTLE_ENDIAN);
    if (this.libc.setsockopt(this.fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) !== 0) throw osError(this.libc, 'setsockopt(SO_RCVTIMEO)', this.libc.errno());
  }

  /** True until `close`. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Closes the fd. Idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.libc.close(this.fd);
  }
}
