/**
 * Canonical text of raw IP addresses, as every adapter reports them: dotted quad for IPv4, RFC 5952
 * for IPv6 (lower case, no leading zeros, the longest run of two or more zero groups as `::`, the
 * first of equal runs; `::ffff:a.b.c.d` for IPv4-mapped addresses, as glibc's inet_ntop and
 * iproute2 print them). Never a zone suffix: the zone is a separate field of the rows.
 *
 * @module
 */

/**
 * The canonical text of a 4-byte (IPv4) or 16-byte (IPv6) address in network byte order, read from
 * `bytes[offset, offset + length)`; `undefined` for any other length.
 *
 * @example
 * ```ts
 * ipAddressText(new Uint8Array([10, 0, 0, 1])); // '10.0.0.1'
 * ipAddressText(new Uint8Array([0xfe, 0x80, ...new Array<number>(13).fill(0), 1])); // 'fe80::1'
 * ```
 */
export function ipAddressText(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string | undefined {
  if (offset < 0 || offset + length > bytes.length) return undefined;
  if (length === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  if (length !== 16) return undefined;
  const groups = new Array<number>(8);
  for (let i = 0; i < 8; i++) groups[i] = (bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!;
  // ::ffff:0:0/96 (IPv4-mapped): mixed notation (RFC 5952 section 5).
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
