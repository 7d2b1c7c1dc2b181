/**
 * Hand-built MIB_UNICASTIPADDRESS_ROW / MIB_IPFORWARD_ROW2 bytes for the decoder tests, written at
 * the offsets of the reference table (windows-address-route-layouts.md) as literals: not from the
 * layout tables under test.
 */

/** A SOCKADDR_INET at `offset`: AF_INET (2) with 4 address bytes or AF_INET6 (23) with 16 and a scope id. */
export function writeSockaddrInet(b: Buffer, offset: number, address: number[], scopeId = 0, port = 0): void {
  if (address.length === 4) {
    b.writeUInt16LE(2, offset);
    b.writeUInt16BE(port, offset + 2);
    Buffer.from(address).copy(b, offset + 4);
  } else {
    b.writeUInt16LE(23, offset);
    b.writeUInt16BE(port, offset + 2);
    Buffer.from(address).copy(b, offset + 8);
    b.writeUInt32LE(scopeId, offset + 24);
  }
}

export const fe80_1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

export interface UnicastFields {
  address: number[];
  scopeId?: number;
  luid: bigint;
  index: number;
  prefixOrigin: number;
  suffixOrigin: number;
  valid: number;
  preferred: number;
  onLink: number;
  skip: number;
  dad: number;
  created: bigint;
}

export function unicastRowBytes(f: UnicastFields): Buffer {
  const b = Buffer.alloc(80, 0xcc); // padding filled: the decoder must not read it
  b.fill(0, 0, 28);
  writeSockaddrInet(b, 0, f.address, f.scopeId ?? 0);
  b.writeBigUInt64LE(f.luid, 32);
  b.writeUInt32LE(f.index, 40);
  b.writeInt32LE(f.prefixOrigin, 44);
  b.writeInt32LE(f.suffixOrigin, 48);
  b.writeUInt32LE(f.valid, 52);
  b.writeUInt32LE(f.preferred, 56);
  b.writeUInt8(f.onLink, 60);
  b.writeUInt8(f.skip, 61);
  b.writeInt32LE(f.dad, 64);
  b.writeUInt32LE(f.scopeId ?? 0, 68);
  b.writeBigInt64LE(f.created, 72);
  return b;
}

export interface ForwardFields {
  luid: bigint;
  index: number;
  prefix: number[];
  prefixLength: number;
  nextHop: number[] | undefined;
  site: number;
  valid: number;
  preferred: number;
  metric: number;
  protocol: number;
  loopback: number;
  autoconf: number;
  publish: number;
  immortal: number;
  age: number;
  origin: number;
}

export function forwardRowBytes(f: ForwardFields): Buffer {
  const b = Buffer.alloc(104, 0xcc);
  b.fill(0, 12, 72);
  b.writeBigUInt64LE(f.luid, 0);
  b.writeUInt32LE(f.index, 8);
  writeSockaddrInet(b, 12, f.prefix);
  b.writeUInt8(f.prefixLength, 40);
  if (f.nextHop) writeSockaddrInet(b, 44, f.nextHop);
  b.writeUInt8(f.site, 72);
  b.writeUInt32LE(f.valid, 76);
  b.writeUInt32LE(f.preferred, 80);
  b.writeUInt32LE(f.metric, 84);
  b.writeInt32LE(f.protocol, 88);
  b.writeUInt8(f.loopback, 92);
  b.writeUInt8(f.autoconf, 93);
  b.writeUInt8(f.publish, 94);
  b.writeUInt8(f.immortal, 95);
  b.writeUInt32LE(f.age, 96);
  b.writeInt32LE(f.origin, 100);
  return b;
}
