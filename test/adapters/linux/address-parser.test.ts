/**
 * The address parser and row mapping on real kernel bytes: RTM_NEWADDR / RTM_DELADDR datagrams
 * captured in a test namespace (netlink-capture.c), checked against `ip -j -n NS addr`, plus a
 * differential fuzz of the captured datagrams.
 */
import { parseAddressMessages, type IfAddressMessage } from '../../../adapters/linux/address-parser';
import {
  addressRowsEqual, filetimeOfBoot, isLifetimeOnlyChange, mapAddressRow, type AddressDevice,
} from '../../../adapters/linux/address-row-mapping';
import {
  IFA_F_DADFAILED, IFA_F_NOPREFIXROUTE, IFA_F_PERMANENT, IFA_F_SECONDARY, IFA_FLAGS, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR, RTM_DELADDR, RTM_NEWADDR,
} from '../../../adapters/linux/netlink-constants';
import { NetlinkParseError, parseNetlinkMessages } from '../../../adapters/linux/netlink-parser';
import { walkNetlinkMessages } from '../../../adapters/linux/netlink-walk';
import { synthesizeLuid } from '../../../adapters/linux/row-mapping';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';
import { describeWithNetns, TestNetns } from '../../helpers/netns';
import { captureDump, captureNotifications, removeCaptureProgram } from './netlink-capture';
import { mutate, prng, withoutAttribute } from './netlink-fuzz';
import { ipAddressText } from '../../../src/ip-address-text';

const GROUPS = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
const ARPHRD: Record<string, number> = { ether: 1, loopback: 772 };

interface IpAddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  address?: string;
  prefixlen: number;
  scope: string;
  label?: string;
  secondary?: boolean;
  tentative?: boolean;
  deprecated?: boolean;
  dadfailed?: boolean;
  permanent?: boolean;
  valid_life_time: number;
  preferred_life_time: number;
}
interface IpLink { ifindex: number; ifname: string; link_type: string; addr_info?: IpAddrInfo[] }

function devices(ns: TestNetns): Map<number, AddressDevice & { name: string }> {
  const links = JSON.parse(ns.ip('-j', 'link', 'show')) as IpLink[];
  return new Map(links.map((l) => [l.ifindex, { interfaceLuid: synthesizeLuid(ARPHRD[l.link_type] ?? 0, l.ifindex), interfaceName: l.ifname, name: l.ifname }]));
}

const messagesOf = (datagrams: Buffer[]): IfAddressMessage[] => datagrams.flatMap((d) => parseAddressMessages(d));

describeWithNetns('linux address parser on real kernel bytes', () => {
  let ns: TestNetns;
  let va: number;
  let dev: Map<number, AddressDevice & { name: string }>;
  const corpus: Buffer[] = [];
  const rowOf = (m: IfAddressMessage): UnicastIpAddressRow => {
    const row = mapAddressRow(m, dev.get(m.ifindex)!);
    if (!row) throw new Error(`no row for ${JSON.stringify(m)}`);
    return row;
  };
  /** Notifications for `change`, as rows (with their messages). */
  const notified = async (change: () => void, quietMs?: number): Promise<{ m: IfAddressMessage; row: UnicastIpAddressRow }[]> => {
    const datagrams = await captureNotifications(ns, GROUPS, change, quietMs);
    corpus.push(...datagrams);
    return messagesOf(datagrams).map((m) => ({ m, row: rowOf(m) }));
  };

  beforeAll(() => {
    TestNetns.cleanupStale('addrparse');
    ns = TestNetns.create('addrparse');
    ns.addVeth('va', 'vb');
    ns.ip('link', 'set', 'va', 'up');
    ns.ip('link', 'set', 'vb', 'up');
    va = ns.ifindex('va');
    dev = devices(ns);
  });

  afterAll(() => {
    ns?.delete();
    removeCaptureProgram();
  });

  it('ip addr add 10.9.0.1/24: one RTM_NEWADDR -> inet row, /24, index and name, manual, preferred, forever', async () => {
    const seen = await notified(() => ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'va'));
    expect(seen.map((s) => s.m.type)).toEqual([RTM_NEWADDR]);
    const { m, row } = seen[0]!;
    expect(m.addressFlags & IFA_F_PERMANENT).toBe(IFA_F_PERMANENT);
    expect(m.label).toBe('va');
    expect(row).toEqual({
      family: 'inet', address: '10.9.0.1', interfaceLuid: synthesizeLuid(1, va), interfaceIndex: va, interfaceName: 'va',
      prefixOrigin: 'manual', suffixOrigin: 'manual', validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, onLinkPrefixLength: 24,
      skipAsSource: undefined, dadState: 'preferred', scopeId: 0, creationTimeStamp: undefined,
    });
  });

  it('cstamp gives the creation time (FILETIME) within 2 s of when the address was added', async () => {
    const before = Date.now();
    const seen = await notified(() => ns.ip('addr', 'add', '10.9.5.1/24', 'dev', 'va'));
    const boot = filetimeOfBoot(Date.now(), Number(process.hrtime.bigint() / 1_000_000n));
    const created = mapAddressRow(seen[0]!.m, dev.get(va)!, boot)!.creationTimeStamp!;
    const createdMs = Number(created / 10_000n - 11644473600000n);
    expect(Math.abs(createdMs - before)).toBeLessThan(2000);
  });

  it('ip addr add 10.9.0.3/24 (a second one in the subnet): IFA_F_SECONDARY (0x01) on IPv4 is not "temporary"', async () => {
    const [{ m, row }] = (await notified(() => ns.ip('addr', 'add', '10.9.0.3/24', 'dev', 'va'))) as [{ m: IfAddressMessage; row: UnicastIpAddressRow }];
    expect(m.headerFlags & IFA_F_SECONDARY).toBe(IFA_F_SECONDARY);
    expect(row).toMatchObject({ address: '10.9.0.3', prefixOrigin: 'manual', suffixOrigin: 'manual', dadState: 'preferred' });
  });

  it('a point-to-point address: IFA_LOCAL is ours, IFA_ADDRESS the peer (IPv4 and IPv6)', async () => {
    const seen = await notified(() => {
      ns.ip('addr', 'add', '10.9.1.1', 'peer', '10.9.1.2/32', 'dev', 'va');
      ns.ip('addr', 'add', '2001:db8:1::1', 'peer', '2001:db8:1::2/128', 'dev', 'va', 'nodad');
    });
    expect(seen.map((s) => [s.row.address, s.row.onLinkPrefixLength, Buffer.from(s.m.address!).length])).toEqual([
      ['10.9.1.1', 32, 4],
      ['2001:db8:1::1', 128, 16],
    ]);
  });

  it('ip addr add 2001:db8::1/64 nodad -> inet6 row, preferred at once; IFA_FLAGS carries bits the header cannot', async () => {
    const seen = await notified(() => ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'va', 'nodad', 'noprefixroute'));
    expect(seen).toHaveLength(1);
    const { m, row } = seen[0]!;
    expect(m.addressFlags & IFA_F_NOPREFIXROUTE).toBe(IFA_F_NOPREFIXROUTE);
    expect(m.headerFlags).toBe(m.addressFlags & 0xff);
    expect(row).toMatchObject({ family: 'inet6', address: '2001:db8::1', onLinkPrefixLength: 64, dadState: 'preferred', prefixOrigin: 'manual', scopeId: 0 });
  });

  it('ip addr change ... preferred_lft 0 -> deprecated (a real change, not lifetime-only)', async () => {
    const before = rowOf(messagesOf(captureDump(ns, { what: 'addr', family: 10, ifindex: va, strict: true })).find((m) => m.prefixLength === 64)!);
    const seen = await notified(() => ns.ip('addr', 'change', '2001:db8::1/64', 'dev', 'va', 'preferred_lft', '0', 'nodad', 'noprefixroute'));
    expect(seen).toHaveLength(1);
    const after = seen[0]!.row;
    expect(after).toMatchObject({ address: '2001:db8::1', dadState: 'deprecated', preferredLifetime: 0 });
    expect(isLifetimeOnlyChange(before, after)).toBe(false);
  });

  it('finite lifetimes: origin other, and a refresh that only moves the lifetimes is lifetime-only', async () => {
    const [added] = await notified(() => ns.ip('addr', 'add', '10.9.3.1/24', 'dev', 'va', 'valid_lft', '3600', 'preferred_lft', '1800'));
    expect(added!.row).toMatchObject({ prefixOrigin: 'other', suffixOrigin: 'other', dadState: 'preferred' });
    expect(added!.row.validLifetime).toBeGreaterThan(3590);
    expect(added!.row.preferredLifetime).toBeGreaterThan(1790);
    const [refreshed] = await notified(() => ns.ip('addr', 'change', '10.9.3.1/24', 'dev', 'va', 'valid_lft', '3000', 'preferred_lft', '1500'));
    expect(refreshed!.row.validLifetime).toBeLessThanOrEqual(3000);
    expect(isLifetimeOnlyChange(added!.row, refreshed!.row)).toBe(true);
    expect(addressRowsEqual(added!.row, refreshed!.row)).toBe(false);
  });

  it('an address with DAD goes tentative -> preferred (two RTM_NEWADDR)', async () => {
    const seen = await notified(() => ns.ip('addr', 'add', '2001:db8::2/64', 'dev', 'va'), 3000);
    expect(seen.map((s) => [s.row.address, s.row.dadState])).toEqual([
      ['2001:db8::2', 'tentative'],
      ['2001:db8::2', 'preferred'],
    ]);
    expect(isLifetimeOnlyChange(seen[0]!.row, seen[1]!.row)).toBe(false);
  }, 15000);

  it('a duplicate (the same address on the veth peer already): tentative, then IFA_F_DADFAILED -> duplicate', async () => {
    ns.ip('addr', 'add', '2001:db8::77/64', 'dev', 'vb', 'nodad');
    dev = devices(ns);
    const seen = await notified(() => ns.ip('addr', 'add', '2001:db8::77/64', 'dev', 'va'), 3000);
    const onVa = seen.filter((s) => s.row.interfaceIndex === va);
    expect(onVa.map((s) => s.row.dadState)).toEqual(['tentative', 'duplicate']);
    expect(onVa[1]!.m.addressFlags & IFA_F_DADFAILED).toBe(IFA_F_DADFAILED);
    const shown = (JSON.parse(ns.ip('-j', '-6', 'addr', 'show', 'dev', 'va')) as IpLink[])[0]!.addr_info!.find((a) => a.local === '2001:db8::77')!;
    expect(shown.dadfailed).toBe(true);
  }, 15000);

  it('ip addr del -> RTM_DELADDR with the row', async () => {
    const seen = await notified(() => ns.ip('addr', 'del', '10.9.3.1/24', 'dev', 'va'));
    expect(seen.map((s) => [s.m.type, s.m.deleted, s.row.address])).toEqual([[RTM_DELADDR, true, '10.9.3.1']]);
  });

  it('a dump equals `ip -j addr` for every address (address, prefix, index, lifetimes, DAD flags, label)', () => {
    ns.ip('addr', 'add', '2001:db8:9::9/64', 'dev', 'vb', 'nodad', 'valid_lft', '7200', 'preferred_lft', '3600');
    const datagrams = captureDump(ns, { what: 'addr', family: 0 });
    corpus.push(...datagrams);
    const rows = messagesOf(datagrams).map((m) => ({ m, row: rowOf(m) }));
    const links = JSON.parse(ns.ip('-j', 'addr', 'show')) as IpLink[];
    const expected = links.flatMap((l) => (l.addr_info ?? []).map((a) => ({ l, a })));
    expect(rows.length).toBe(expected.length);
    for (const { l, a } of expected) {
      const found = rows.find((r) => r.row.interfaceIndex === l.ifindex && r.row.address === a.local && r.row.family === a.family);
      expect({ where: `${l.ifname} ${a.local}`, found: found !== undefined }).toEqual({ where: `${l.ifname} ${a.local}`, found: true });
      const { m, row } = found!;
      expect(row.onLinkPrefixLength).toBe(a.prefixlen);
      expect(row.interfaceName).toBe(l.ifname);
      expect(m.label).toBe(a.label);
      // Lifetimes tick between the two reads: forever must match exactly, others within 2 s.
      for (const [mine, theirs] of [[row.validLifetime!, a.valid_life_time], [row.preferredLifetime!, a.preferred_life_time]] as const) {
        if (theirs === 0xffffffff) expect(mine).toBe(theirs);
        else expect(Math.abs(mine - theirs)).toBeLessThanOrEqual(2);
      }
      const expectedDad = a.dadfailed ? 'duplicate' : a.tentative ? 'tentative' : a.deprecated || a.preferred_life_time === 0 ? 'deprecated' : 'preferred';
      expect(row.dadState).toBe(expectedDad);
      // `ip` shows a peer as `address`; the kernel sends it as IFA_ADDRESS beside IFA_LOCAL.
      if (a.address !== undefined) expect(ipAddressText(m.address!)).toBe(a.address);
    }
  });

  it('RTM_GETADDR filtered by ifindex: ignored without NETLINK_GET_STRICT_CHK, honoured with it', () => {
    const all = messagesOf(captureDump(ns, { what: 'addr', family: 0 }));
    const loose = messagesOf(captureDump(ns, { what: 'addr', family: 0, ifindex: va }));
    const strict = messagesOf(captureDump(ns, { what: 'addr', family: 0, ifindex: va, strict: true }));
    const strict6 = messagesOf(captureDump(ns, { what: 'addr', family: 10, ifindex: va, strict: true }));
    expect(new Set(all.map((m) => m.ifindex)).size).toBeGreaterThan(1);
    expect(loose.length).toBe(all.length);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((m) => m.ifindex === va)).toBe(true);
    expect(strict.length).toBe(all.filter((m) => m.ifindex === va).length);
    expect(strict6.every((m) => m.ifindex === va && m.family === 10)).toBe(true);
  });

  it('IFA_PROTO on this kernel: ::1 carries KERNEL_LO (1), 127.0.0.1 none; manual addresses none', () => {
    const all = messagesOf(captureDump(ns, { what: 'addr', family: 0 }));
    const lo6 = all.find((m) => m.family === 10 && m.ifindex === 1)!;
    const lo4 = all.find((m) => m.family === 2 && m.ifindex === 1)!;
    expect(lo6.protocol).toBe(1);
    expect(rowOf(lo6)).toMatchObject({ prefixOrigin: 'wellKnown', suffixOrigin: 'wellKnown', scopeId: 1 });
    expect(lo4.protocol).toBeUndefined();
    expect(rowOf(lo4)).toMatchObject({ prefixOrigin: 'wellKnown', suffixOrigin: 'wellKnown', scopeId: 0 });
    expect(all.filter((m) => m.ifindex === va).map((m) => m.protocol)).toEqual(all.filter((m) => m.ifindex === va).map(() => undefined));
  });

  it('the 8-bit header flags are the fallback when IFA_FLAGS is missing (pre-3.14 kernels)', () => {
    const dump = captureDump(ns, { what: 'addr', family: 2, ifindex: va, strict: true });
    const secondary = messagesOf(dump).find((m) => m.local && Buffer.from(m.local).equals(Buffer.from([10, 9, 0, 3])))!;
    const stripped = withoutAttribute(dump.find((d) => parseAddressMessages(d).some((m) => m.seq === secondary.seq))!, IFA_FLAGS);
    const again = messagesOf([stripped]).find((m) => m.local && Buffer.from(m.local).equals(Buffer.from([10, 9, 0, 3])))!;
    expect(again.addressFlags).toBe(again.headerFlags);
    expect(again.addressFlags).toBe(secondary.addressFlags & 0xff);
    expect(rowOf(again)).toEqual(rowOf(secondary));
  });

  it('deleting the device: one RTM_DELADDR per address of both veth ends', async () => {
    ns.ip('link', 'add', 'vc', 'type', 'veth', 'peer', 'name', 'vd');
    ns.ip('addr', 'add', '10.9.7.1/24', 'dev', 'vc');
    ns.ip('addr', 'add', '2001:db8:7::1/64', 'dev', 'vc', 'nodad');
    ns.ip('addr', 'add', '10.9.8.1/24', 'dev', 'vd');
    ns.ip('link', 'set', 'vc', 'up');
    ns.ip('link', 'set', 'vd', 'up');
    dev = devices(ns);
    const seen = await notified(() => ns.ip('link', 'del', 'vc'));
    expect(seen.every((s) => s.m.deleted)).toBe(true);
    expect(seen.map((s) => `${s.row.interfaceName} ${s.row.address}`).sort()).toEqual(['vc 10.9.7.1', 'vc 2001:db8:7::1', 'vd 10.9.8.1']);
  });

  it('fuzz: mutations of the captured datagrams throw only NetlinkParseError, and agree with the full parser when both parse', () => {
    expect(corpus.length).toBeGreaterThan(10);
    const random = prng(0xadd5);
    const int = (n: number): number => Math.floor(random() * n);
    const CASES = 100_000;
    let parsed = 0;
    let rejected = 0;
    let compared = 0;
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const input = mutate(corpus[int(corpus.length)]!, i, int);
      let mine: IfAddressMessage[] | undefined;
      try {
        mine = parseAddressMessages(input, input.length);
        parsed++;
        for (const m of mine) mapAddressRow(m, { interfaceLuid: 1n });
      } catch (error) {
        if (error instanceof NetlinkParseError) rejected++;
        else failures.push(`case ${i}: ${String(error)} for ${input.toString('hex')}`);
      }
      if (mine === undefined) continue;
      try {
        const theirs = parseNetlinkMessages(input, input.length).filter((m) => m.kind === 'address');
        compared++;
        const a = mine.map((m) => [m.deleted, m.family, m.ifindex, m.scope, m.address ? Buffer.from(m.address).toString('hex') : undefined]);
        const b = theirs.map((m) => [m.deleted, m.family, m.ifindex, m.scope, m.address ? Buffer.from(m.address).toString('hex') : undefined]);
        if (JSON.stringify(a) !== JSON.stringify(b)) failures.push(`case ${i}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      } catch (error) {
        // The full parser is less strict about addresses (no sizes): what it rejects in an address
        // message, mine must reject too. (Other message types are the full parser's alone: mine skips them.)
        const types: number[] = [];
        walkNetlinkMessages(input, input.length, (h) => types.push(h.type));
        if (types.every((t) => t === RTM_NEWADDR || t === RTM_DELADDR)) {
          failures.push(`case ${i}: the full parser rejected what the address parser accepted: ${String(error)}`);
        } else compared++;
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(parsed + rejected).toBe(CASES);
    expect(rejected).toBeGreaterThan(CASES / 10);
    expect(parsed).toBeGreaterThan(CASES / 10);
    expect(compared).toBe(parsed);
  }, 60000);
});
