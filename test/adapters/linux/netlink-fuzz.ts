/**
 * Mutations of real netlink datagrams for the address and route parser fuzz tests, and a small
 * deterministic PRNG (mulberry32) so a failure reproduces.
 */

/** mulberry32: a seeded PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A datagram with every attribute of `type` removed from its messages (whose fixed part ends at `fixedLength`: 24 for ifaddrmsg, 28 for rtmsg) (lengths fixed up). */
export function withoutAttribute(datagram: Buffer, type: number, fixedLength = 24): Buffer {
  const messages: Buffer[] = [];
  for (let o = 0; o < datagram.length; ) {
    const len = datagram.readUInt32LE(o);
    const msg = datagram.subarray(o, o + len);
    const parts: Buffer[] = [Buffer.from(msg.subarray(0, fixedLength))];
    for (let a = fixedLength; a + 4 <= len; ) {
      const alen = msg.readUInt16LE(a);
      if ((msg.readUInt16LE(a + 2) & 0x3fff) !== type) parts.push(msg.subarray(a, a + ((alen + 3) & ~3)));
      a += (alen + 3) & ~3;
    }
    const out = Buffer.concat(parts);
    out.writeUInt32LE(out.length, 0);
    messages.push(out);
    o += (len + 3) & ~3;
  }
  return Buffer.concat(messages);
}

/** One of seven mutation kinds (as the full parser's fuzz): truncation, flipped bytes, bad lengths, misalignment, splices, total length, noise. */
export function mutate(base: Buffer, i: number, int: (n: number) => number): Buffer {
  switch (i % 7) {
    case 0:
      return base.subarray(0, int(base.length));
    case 1: {
      const input = Buffer.from(base);
      for (let k = 1 + int(8); k > 0; k--) input[int(input.length)] = int(256);
      return input;
    }
    case 2: {
      const input = Buffer.from(base);
      const at = int(input.length - 2) & ~1;
      input.writeUInt16LE([0, 1, 3, 4, 5, 7, 8, 0xffff, int(0x10000)][int(9)]!, at);
      return input;
    }
    case 3: {
      const holder = Buffer.alloc(base.length + 3);
      const offset = 1 + int(3);
      base.copy(holder, offset);
      return holder.subarray(offset, offset + base.length);
    }
    case 4: {
      // An attribute-sized slice of the datagram moved elsewhere inside it.
      const input = Buffer.from(base);
      const from = int(input.length);
      const to = int(input.length);
      input.copy(input, to, from, Math.min(input.length, from + 4 * (1 + int(6))));
      return input;
    }
    case 5: {
      const input = Buffer.from(base);
      input.writeUInt32LE(input.length + 1 + int(1 << 20), 0);
      return input;
    }
    default: {
      // One byte of the fixed header (ifaddrmsg / rtmsg) or a length set to a random value.
      const input = Buffer.from(base);
      input[16 + int(Math.min(12, input.length - 16))] = int(256);
      return input;
    }
  }
}

