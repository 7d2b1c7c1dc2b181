import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEVCONF_ENTRIES_KEPT, emptyLinkSummary, NetlinkParseError, parseNetlinkMessages, summarizeLink, type NetlinkMessage,
} from '../../../adapters/linux/netlink-parser';
import {
  IFA_ADDRESS, IFLA_AF_SPEC, IFLA_IFNAME, IFLA_INET6_CACHEINFO, IFLA_INET6_CONF, IFLA_INET6_FLAGS, IFLA_INET6_TOKEN, IFLA_INET_CONF,
  IFLA_INET6_ADDR_GEN_MODE, IFLA_MTU, IFLA_OPERSTATE, IFLA_PROTINFO, NDTA_NAME, NDTA_PARMS, NDTPA_BASE_REACHABLE_TIME, NDTPA_IFINDEX, NDTPA_REACHABLE_TIME,
  NDTPA_RETRANS_TIME, NETCONFA_FORWARDING, NETCONFA_IFINDEX, NLMSG_DONE, NLMSG_ERROR, RTM_DELLINK, RTM_DELNETCONF, RTM_NEWADDR, RTM_NEWLINK,
  RTM_NEWNEIGHTBL, RTM_NEWNETCONF,
} from '../../../adapters/linux/netlink-constants';

const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const i32s = (values: number[]): Buffer => Buffer.concat(values.map((v) => u32(v)));

function attr(type: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(4 + payload.length, 0);
  h.writeUInt16LE(type, 2);
  return pad4(Buffer.concat([h, payload]));
}

function msg(type: number, body: Buffer, flags = 0, seq = 0): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + body.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt32LE(seq, 8);
  return pad4(Buffer.concat([h, body]));
}

function ifinfomsg(family: number, ifindex: number, flags = 0x1043, type = 1): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(family, 0);
  b.writeUInt16LE(type, 2);
  b.writeInt32LE(ifindex, 4);
  b.writeUInt32LE(flags, 8);
  return b;
}

const inet6Conf = (mtu6: number): number[] => {
  const conf = new Array<number>(90).fill(0);
  conf[2] = mtu6;
  conf[3] = 1; // accept_ra
  conf[6] = 1; // dad_transmits
  conf[17] = 1; // accept_ra_defrtr
  conf[27] = 1; // accept_dad
  return conf;
};

const token = Buffer.from('00000000000000000011223344556677', 'hex');

function newLink(): Buffer {
  const inet = attr(2, attr(IFLA_INET_CONF, i32s([1, ...new Array<number>(32).fill(0)])));
  const cache = Buffer.concat([u32(65535), u32(123), u32(30000), u32(1000)]);
  const inet6 = attr(
    10,
    Buffer.concat([attr(IFLA_INET6_FLAGS, u32(0xc0)), attr(IFLA_INET6_CONF, i32s(inet6Conf(1400))), attr(IFLA_INET6_CACHEINFO, cache), attr(IFLA_INET6_TOKEN, token)]),
  );
  return msg(
    RTM_NEWLINK,
    Buffer.concat([
      ifinfomsg(0, 7),
      attr(IFLA_IFNAME, Buffer.from('eth7\0')),
      attr(IFLA_MTU, u32(1400)),
      attr(IFLA_OPERSTATE, Buffer.from([6])),
      attr(IFLA_AF_SPEC, Buffer.concat([inet, inet6])),
    ]),
  );
}

const ipv6InfoLink = (): Buffer =>
  msg(RTM_NEWLINK, Buffer.concat([ifinfomsg(10, 7), attr(IFLA_PROTINFO, attr(IFLA_INET6_FLAGS, u32(0x40)))]));
const netconf = (type: number, family: number, ifindex: number, forwarding?: number): Buffer =>
  msg(type, Buffer.concat([Buffer.from([family, 0, 0, 0]), attr(NETCONFA_IFINDEX, u32(ifindex)), ...(forwarding === undefined ? [] : [attr(NETCONFA_FORWARDING, u32(forwarding))])]));
const address = (): Buffer =>
  msg(RTM_NEWADDR, Buffer.concat([Buffer.from([10, 64, 0, 253]), u32(7), attr(IFA_ADDRESS, Buffer.from('fe80000000000000021122fffe334455', 'hex'))]));
const neightbl = (): Buffer =>
  msg(
    RTM_NEWNEIGHTBL,
    Buffer.concat([
      Buffer.from([2, 0, 0, 0]),
      attr(NDTA_NAME, Buffer.from('arp_cache\0')),
      attr(NDTA_PARMS, Buffer.concat([attr(NDTPA_IFINDEX, u32(7)), attr(NDTPA_REACHABLE_TIME, u64(27000)), attr(NDTPA_BASE_REACHABLE_TIME, u64(30000)), attr(NDTPA_RETRANS_TIME, u64(1000))])),
    ]),
  );
const errorMsg = (errno: number): Buffer => msg(NLMSG_ERROR, Buffer.concat([u32(-errno), Buffer.alloc(16)]));
const done = (): Buffer => msg(NLMSG_DONE, u32(0), 2);

describe('parseNetlinkMessages', () => {
  it('parses a device RTM_NEWLINK with its IPv4 and IPv6 blocks', () => {
    const [m] = parseNetlinkMessages(newLink());
    expect(m).toMatchObject({ kind: 'link', deleted: false, family: 0, ifindex: 7, ifiType: 1, name: 'eth7', mtu: 1400, operstate: 6 });
    if (m?.kind !== 'link') throw new Error('not a link');
    expect(m.inetConf?.[0]).toBe(1);
    expect(m.inet6?.conf?.[2]).toBe(1400);
    expect(m.inet6?.conf).toHaveLength(DEVCONF_ENTRIES_KEPT); // of 90 sent
    expect(m.inet6?.conf?.[27]).toBe(1);
    expect(m.inet6?.flags).toBe(0xc0);
    expect(m.inet6?.cacheInfo).toEqual({ maxReasmLen: 65535, reachableTime: 30000, retransTime: 1000 });
    expect(m.inet6?.token).toBe(0x0011223344556677n);
  });

  it('reads the IPv6 block of an RTNLGRP_IPV6_IFINFO message from IFLA_PROTINFO', () => {
    const [m] = parseNetlinkMessages(ipv6InfoLink());
    expect(m).toMatchObject({ kind: 'link', family: 10, ifindex: 7, inet6: { flags: 0x40 } });
  });

  it('parses netconf (including the -1 / -2 pseudo entries), addresses, neighbour tables, errors and done', () => {
    const all = Buffer.concat([
      netconf(RTM_NEWNETCONF, 2, 7, 1),
      netconf(RTM_DELNETCONF, 10, 7),
      netconf(RTM_NEWNETCONF, 2, 0xffffffff, 0),
      address(),
      neightbl(),
      errorMsg(19),
      done(),
    ]);
    const out = parseNetlinkMessages(all);
    expect(out.map((m) => m.kind)).toEqual(['netconf', 'netconf', 'netconf', 'address', 'neightbl', 'error', 'done']);
    expect(out[0]).toMatchObject({ family: 2, ifindex: 7, forwarding: 1, deleted: false });
    expect(out[1]).toMatchObject({ family: 10, ifindex: 7, deleted: true, forwarding: undefined });
    expect(out[2]).toMatchObject({ ifindex: -1 });
    expect(out[3]).toMatchObject({ family: 10, ifindex: 7, scope: 253 });
    expect(out[4]).toMatchObject({ tableName: 'arp_cache', ifindex: 7, reachableTime: 27000, baseReachableTime: 30000, retransTime: 1000 });
    expect(out[5]).toMatchObject({ kind: 'error', errno: 19 });
  });

  it('summarizeLink reads a lone device RTM_NEWLINK as the full parse does, and declines anything else', () => {
    const summary = emptyLinkSummary();
    expect(summarizeLink(newLink(), newLink().length, summary)).toBe(true);
    expect(summary).toEqual({ ifindex: 7, ifiType: 1, ifiFlags: 0x1043, name: 'eth7', mtu: 1400, operstate: 6, inetForwarding: 1 });
    const noInet = msg(RTM_NEWLINK, Buffer.concat([ifinfomsg(0, 8), attr(IFLA_IFNAME, Buffer.from('x\0')), attr(IFLA_MTU, u32(1500))]));
    expect(summarizeLink(noInet, noInet.length, summary)).toBe(true);
    expect(summary).toEqual({ ifindex: 8, ifiType: 1, ifiFlags: 0x1043, name: 'x', mtu: 1500, operstate: undefined, inetForwarding: undefined });
    const two = Buffer.concat([newLink(), newLink()]);
    for (const other of [ipv6InfoLink(), two, done(), msg(RTM_DELLINK, ifinfomsg(0, 7)), newLink().subarray(0, 40)]) {
      expect(summarizeLink(other, other.length, summary)).toBe(false);
    }
  });

  it('decodes names exactly when they repeat, differ by one byte, are non-ASCII or have no NUL', () => {
    const named = (name: Buffer): string | undefined => {
      const [m] = parseNetlinkMessages(msg(RTM_NEWLINK, Buffer.concat([ifinfomsg(0, 5), attr(IFLA_IFNAME, name)])));
      return m?.kind === 'link' ? m.name : undefined;
    };
    const z = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');
    expect([named(z('veth0')), named(z('veth1')), named(z('veth0')), named(z('veth0'))]).toEqual(['veth0', 'veth1', 'veth0', 'veth0']);
    expect(named(z('wlan\u00e9'))).toBe('wlan\u00e9');
    expect(named(Buffer.from('abcd'))).toBe('abcd');
    expect(named(z(''))).toBe('');
  });

  it('rejects a truncated header, a bad length and an attribute running past its message', () => {
    const link = newLink();
    expect(() => parseNetlinkMessages(link.subarray(0, 10))).toThrow(NetlinkParseError);
    const badLen = Buffer.from(link);
    badLen.writeUInt32LE(8, 0);
    expect(() => parseNetlinkMessages(badLen)).toThrow(NetlinkParseError);
    const badAttr = Buffer.from(link);
    badAttr.writeUInt16LE(0xfff0, 32);
    expect(() => parseNetlinkMessages(badAttr)).toThrow(NetlinkParseError);
  });
});

/** mulberry32: a small seeded PRNG so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));

/** Where the fast path and the full parse stand on one datagram. */
interface Verdict {
  /** summarizeLink said yes. */
  fast: boolean;
  /** What the full parse returned; undefined when it threw NetlinkParseError. */
  parsed: NetlinkMessage[] | undefined;
  /** The full parse found exactly what the fast path is for: one device RTM_NEWLINK (ifi_family 0). */
  inDomain: boolean;
  /** Set when the two disagree (or either threw what it must not). */
  failure?: string;
}

/**
 * The fast path's contract, judged on `bytes[0, length)`: summarizeLink accepts exactly the datagrams
 * the full parse accepts as one device RTM_NEWLINK, and then reads the same values.
 */
function judge(bytes: Uint8Array, length: number, summary: ReturnType<typeof emptyLinkSummary>): Verdict {
  let fast = false;
  try {
    fast = summarizeLink(bytes, length, summary);
  } catch (error) {
    return { fast, parsed: undefined, inDomain: false, failure: `summarizeLink threw ${String(error)} for ${hex(bytes.subarray(0, length))}` };
  }
  let parsed: NetlinkMessage[] | undefined;
  try {
    parsed = parseNetlinkMessages(bytes, length);
  } catch (error) {
    if (!(error instanceof NetlinkParseError)) {
      return { fast, parsed, inDomain: false, failure: `parseNetlinkMessages threw ${String(error)} for ${hex(bytes.subarray(0, length))}` };
    }
  }
  const m = parsed?.length === 1 ? parsed[0] : undefined;
  const inDomain = m?.kind === 'link' && m.type === RTM_NEWLINK && m.family === 0;
  const verdict: Verdict = { fast, parsed, inDomain };
  if (fast !== inDomain) {
    verdict.failure = `${fast ? 'fast path accepted what the full parse rejects' : 'fast path declined a lone device RTM_NEWLINK'}: ${hex(bytes.subarray(0, length))}`;
  } else if (fast && m?.kind === 'link') {
    const same =
      !m.deleted && m.ifindex === summary.ifindex && m.ifiType === summary.ifiType && m.ifiFlags === summary.ifiFlags && m.name === summary.name &&
      m.mtu === summary.mtu && m.operstate === summary.operstate && m.inetConf?.[0] === summary.inetForwarding;
    if (!same) verdict.failure = `summary ${json(summary)} vs ${json(parsed)}`;
  }
  return verdict;
}

/** Hex datagrams of a fixture file (one a line, `#` comments). */
function fixture(name: string): Buffer[] {
  return fs
    .readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => Buffer.from(line, 'hex'));
}

/**
 * Offsets of every attribute header of a link message that the parsers walk: the top level, the
 * family blocks inside IFLA_AF_SPEC and their attributes (where the fuzzer found the divergences).
 */
function linkAttributeOffsets(b: Buffer): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    for (let o = start; o + 4 <= end; ) {
      const len = b.readUInt16LE(o);
      if (len < 4 || o + len > end) return;
      out.push(o);
      const type = b.readUInt16LE(o + 2) & 0x3fff;
      if ((depth === 0 && type === IFLA_AF_SPEC) || depth === 1) walk(o + 4, o + len, depth + 1);
      o += (len + 3) & ~3;
    }
  };
  if (b.length >= 32) walk(32, Math.min(b.readUInt32LE(0), b.length), 0);
  return out;
}

describe('parseNetlinkMessages fuzz', () => {
  const CASES = 100_000;

  it(`${CASES} malformed inputs: only NetlinkParseError, never another throw, always terminates`, () => {
    const random = prng(0x5eed);
    const int = (n: number): number => Math.floor(random() * n);
    const corpus = [newLink(), ipv6InfoLink(), netconf(RTM_NEWNETCONF, 10, 3, 1), address(), neightbl(), errorMsg(105), done()];
    const randomAttrs = (depth: number): Buffer => {
      const parts: Buffer[] = [];
      for (let i = int(6); i > 0; i--) {
        const payload = depth > 0 && random() < 0.3 ? randomAttrs(depth - 1) : Buffer.from(Array.from({ length: int(40) }, () => int(256)));
        parts.push(attr(int(40), payload));
      }
      return Buffer.concat(parts);
    };
    let parseErrors = 0;
    let parsed = 0;
    let summaries = 0;
    const summary = emptyLinkSummary();
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const base = Buffer.concat(Array.from({ length: 1 + int(3) }, () => corpus[int(corpus.length)]!));
      let input: Buffer;
      switch (i % 7) {
        case 0: // truncated
          input = base.subarray(0, int(base.length));
          break;
        case 1: // random bytes flipped
          input = Buffer.from(base);
          for (let k = 1 + int(8); k > 0; k--) input[int(input.length)] = int(256);
          break;
        case 2: {
          // oversized / undersized lengths in a header or an attribute
          input = Buffer.from(base);
          const at = int(input.length - 2) & ~1;
          input.writeUInt16LE([0, 1, 3, 4, 0xffff, int(0x10000)][int(6)]!, at);
          break;
        }
        case 3: {
          // misaligned: the same bytes at an odd offset of a larger buffer
          const holder = Buffer.alloc(base.length + 3);
          const offset = 1 + int(3);
          base.copy(holder, offset);
          input = holder.subarray(offset, offset + base.length);
          break;
        }
        case 4: {
          // random attributes behind a valid header of a known type
          const type = [RTM_NEWLINK, RTM_NEWNETCONF, RTM_NEWADDR, RTM_NEWNEIGHTBL, NLMSG_ERROR][int(5)]!;
          const fixed = type === RTM_NEWLINK ? ifinfomsg(int(11), int(100)) : Buffer.from(Array.from({ length: 4 * int(5) }, () => int(256)));
          input = msg(type, Buffer.concat([fixed, randomAttrs(3)]));
          break;
        }
        case 5: // oversized total length field
          input = Buffer.from(base);
          input.writeUInt32LE(input.length + 1 + int(1 << 20), 0);
          break;
        default: // pure noise
          input = Buffer.from(Array.from({ length: int(200) }, () => int(256)));
      }
      const verdict = judge(input, input.length, summary);
      if (verdict.failure) failures.push(`case ${i}: ${verdict.failure}`);
      if (verdict.parsed) {
        parsed++;
        if (verdict.fast) summaries++;
        // Every message consumes at least a 16-byte header: the output is bounded by the input.
        if (verdict.parsed.length > Math.ceil(input.length / 16)) failures.push(`case ${i}: ${verdict.parsed.length} messages from ${input.length} bytes`);
      } else parseErrors++;
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(parsed + parseErrors).toBe(CASES);
    // Both outcomes are exercised (a fuzzer that only ever errors or only ever parses tests little).
    expect(parseErrors).toBeGreaterThan(CASES / 10);
    expect(parsed).toBeGreaterThan(CASES / 10);
    expect(summaries).toBeGreaterThan(CASES / 100);
  }, 60000);

  it('rejects a length beyond the buffer', () => {
    expect(() => parseNetlinkMessages(Buffer.alloc(16), 17)).toThrow(NetlinkParseError);
  });
});

describe('summarizeLink against parseNetlinkMessages (differential)', () => {
  it('declines every datagram of fixtures/netlink-fast-path-divergent.hex (the fast path accepted them before, the full parse rejects them)', () => {
    const summary = emptyLinkSummary();
    const datagrams = fixture('netlink-fast-path-divergent.hex');
    expect(datagrams.length).toBeGreaterThanOrEqual(10);
    const verdicts = datagrams.map((d) => judge(d, d.length, summary));
    expect(verdicts.map((v) => v.failure ?? 'ok')).toEqual(datagrams.map(() => 'ok'));
    // The file holds rejected datagrams only: a line the full parse accepts would test nothing here.
    expect(verdicts.filter((v) => v.parsed !== undefined)).toEqual([]);
    expect(verdicts.filter((v) => v.fast)).toEqual([]);
  });

  it('reads real kernel RTM_NEWLINK events as the full parse does, also in a receive buffer larger than the datagram', () => {
    const summary = emptyLinkSummary();
    const buffer = Buffer.alloc(65536, 0xa5); // as the reader's: stale bytes after the datagram
    for (const datagram of fixture('kernel-newlink.hex')) {
      datagram.copy(buffer);
      const verdict = judge(buffer, datagram.length, summary);
      expect(verdict).toMatchObject({ fast: true, inDomain: true });
      expect(verdict.failure).toBeUndefined();
      expect(summary).toMatchObject({ name: 'cv0', mtu: 1400 });
    }
  });

  const CASES = 200_000;
  const SEED = 0xd1ff;

  it(`${CASES} mutated link datagrams (seed ${SEED.toString(16)}): the fast path accepts exactly what the full parse accepts, both ways`, () => {
    const random = prng(SEED);
    const int = (n: number): number => Math.floor(random() * n);
    const bases = [...fixture('kernel-newlink.hex'), newLink(), msg(RTM_NEWLINK, Buffer.concat([ifinfomsg(0, 8), attr(IFLA_IFNAME, Buffer.from('x\0')), attr(IFLA_MTU, u32(1500))]))];
    const offsets = bases.map(linkAttributeOffsets);
    const summary = emptyLinkSummary();
    const receive = Buffer.alloc(65536);
    const counts = { bothAccept: 0, bothDecline: 0, fastOnly: 0, fullOnly: 0, fullRejects: 0, fullOtherMessages: 0 };
    const failures: string[] = [];
    const fixedSizes = [
      [IFLA_MTU, 4], [IFLA_OPERSTATE, 1], [IFLA_INET6_FLAGS, 4], [IFLA_INET6_CACHEINFO, 16], [IFLA_INET6_TOKEN, 16], [IFLA_INET6_ADDR_GEN_MODE, 1],
    ] as const;
    for (let i = 0; i < CASES; i++) {
      const which = int(bases.length);
      const input = Buffer.from(bases[which]!);
      const headers = offsets[which]!;
      const at = headers[int(headers.length)]!;
      switch (i % 8) {
        case 0: // 1-7 trailing bytes after the message (its padding and beyond)
          input.writeUInt32LE(input.readUInt32LE(0) - int(4), 0);
          break;
        case 1: // an attribute's length off by a little or a lot (any level)
          input.writeUInt16LE([0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 19, 20, 0xffff][int(13)]!, at);
          break;
        case 2: {
          // a fixed-size attribute shortened below what the full parse reads (as the kernel never sends)
          const [type, size] = fixedSizes[int(fixedSizes.length)]!;
          input.writeUInt16LE(type, at + 2);
          input.writeUInt16LE(4 + int(size + 1), at);
          break;
        }
        case 3: // an attribute's type changed (a block read as another)
          input.writeUInt16LE([1, 2, 3, 4, 5, 7, 8, 10, 12, 16, 26][int(11)]! | (random() < 0.1 ? 0x8000 : 0), at + 2);
          break;
        case 4: // a few random bytes changed
          for (let k = 1 + int(4); k > 0; k--) input[int(input.length)] = int(256);
          break;
        case 5: // the message length changed
          input.writeUInt32LE(Math.max(0, input.readUInt32LE(0) + int(17) - 8), 0);
          break;
        case 6: // header type / family changed
          if (random() < 0.5) input.writeUInt16LE([16, 17, 18, 20, 80][int(5)]!, 4);
          else input[16] = [0, 2, 7, 10][int(4)]!;
          break;
        default: // unchanged bytes, truncated or with another message behind them
          break;
      }
      let length = input.length;
      if (i % 8 === 0) length = input.readUInt32LE(0) + 1 + int(7);
      else if (i % 8 === 7) length = random() < 0.5 ? int(input.length) : input.length + 16 + int(64);
      length = Math.min(length, receive.length);
      // In the reader's buffer: whatever the last datagram left behind follows this one.
      receive.fill(int(256), 0, Math.min(receive.length, length + 64));
      input.copy(receive, 0, 0, Math.min(input.length, length));
      if (length > input.length) bases[int(bases.length)]!.copy(receive, input.length, 0, length - input.length);
      const verdict = judge(receive, length, summary);
      if (verdict.failure && failures.length < 5) failures.push(`case ${i}: ${verdict.failure}`);
      if (verdict.fast && verdict.inDomain) counts.bothAccept++;
      else if (!verdict.fast && !verdict.inDomain) counts.bothDecline++;
      else if (verdict.fast) counts.fastOnly++;
      else counts.fullOnly++;
      if (!verdict.parsed) counts.fullRejects++;
      else if (!verdict.inDomain) counts.fullOtherMessages++;
    }
    expect(failures).toEqual([]);
    // Zero divergence, both ways; and both outcomes exercised in earnest.
    expect({ fastOnly: counts.fastOnly, fullOnly: counts.fullOnly }).toEqual({ fastOnly: 0, fullOnly: 0 });
    expect(counts.bothAccept + counts.bothDecline).toBe(CASES);
    expect(counts.bothAccept).toBeGreaterThan(CASES / 5);
    expect(counts.fullRejects).toBeGreaterThan(CASES / 5);
    expect(counts.fullOtherMessages).toBeGreaterThan(CASES / 50);
  }, 120000);
});
