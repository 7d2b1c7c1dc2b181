/**
 * NET_LUID as netioapi.h lays it out: Reserved bits 0..23, NetLuidIndex 24..47, IfType 48..63. Linux
 * and `os.networkInterfaces()` have no LUID; the linux and polling adapters build one this way.
 *
 * @module
 */

/**
 * A NET_LUID from its three fields (each masked to its width).
 *
 * @example
 * ```ts
 * netLuid(6, 2); // (6n << 48n) | (2n << 24n): Ethernet, index 2
 * ```
 */
export function netLuid(ifType: number, netLuidIndex: number, reserved = 0): bigint {
  // Plain arithmetic first (exact below 2^53), one BigInt conversion: the linux adapter runs this for
  // every row it builds.
  const high = BigInt((ifType & 0xffff) * 2 ** 24 + (netLuidIndex & 0xffffff)) << 24n;
  return reserved === 0 ? high : high | BigInt(reserved & 0xffffff);
}
