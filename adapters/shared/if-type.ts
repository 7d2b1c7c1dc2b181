/**
 * ARPHRD_* -> IANA ifType. Pure (no koffi): the linux adapter maps `ifi_type` with it, and the polling
 * adapter maps `/sys/class/net/<name>/type` with the same table so both derive the same LUIDs.
 *
 * @module
 */

/** ARPHRD_* -> IANA ifType (IF_TYPE_*), for the synthesized LUID. */
const IF_TYPE_BY_ARPHRD = new Map<number, number>([
  [1, 6], // ETHER -> ETHERNET_CSMACD
  [772, 24], // LOOPBACK -> SOFTWARE_LOOPBACK
  [512, 23], // PPP
  [768, 131], // TUNNEL (ipip) -> TUNNEL
  [769, 131], // TUNNEL6
  [776, 131], // SIT
  [778, 131], // IPGRE
  [823, 131], // IP6GRE
  [801, 71], // IEEE80211 -> IEEE80211
  [32, 199], // INFINIBAND
  [65534, 53], // NONE (tun, wireguard) -> PROP_VIRTUAL
]);
const IF_TYPE_OTHER = 1;

/**
 * The IANA ifType of a Linux device type (`ifi_type`, ARPHRD_*): 6 for Ethernet, 24 for loopback, 1
 * when unknown.
 *
 * @example
 * ```ts
 * ifTypeOfArphrd(1); // 6
 * ```
 */
export function ifTypeOfArphrd(arphrd: number): number {
  return IF_TYPE_BY_ARPHRD.get(arphrd) ?? IF_TYPE_OTHER;
}
