/**
 * An IPv6 interface identifier (the low 64 bits of an address, a bigint in the row) as `ip` prints
 * it: hexadecimal groups, compressed as in an IPv6 address (RFC 5952), after `::`, the form of
 * `ip token` and the tail of the `fe80::` address in `ip addr`. Anything else (out of range, not a
 * bigint) goes back as `String(value)`.
 *
 * @example
 * ```ts
 * formatInterfaceIdentifier(0x1c2f3efffe4a5b6cn); // '::1c2f:3eff:fe4a:5b6c' (ip addr: fe80::1c2f:3eff:fe4a:5b6c)
 * formatInterfaceIdentifier(0x0200000000000001n); // '::200:0:0:1'
 * ```
 */
export function formatInterfaceIdentifier(value: bigint): string {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n) return String(value);
  // The whole address ::<identifier>: four zero groups, then the identifier's four.
  const groups = [0, 0, 0, 0, ...[48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn))];
  // RFC 5952: the longest run of zero groups (the first of equal ones, at least two) becomes '::'.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = (part: number[]): string => part.map((g) => g.toString(16)).join(':');
  return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
}
