import type { IfAddressMessage } from '../../../adapters/linux/address-parser';
import { addressRowKeys, addressRowsEqual, filetimeOfBoot, isLifetimeOnlyChange, mapAddressRow } from '../../../adapters/linux/address-row-mapping';
import {
  IFA_F_DADFAILED, IFA_F_DEPRECATED, IFA_F_NODAD, IFA_F_OPTIMISTIC, IFA_F_PERMANENT, IFA_F_SECONDARY, IFA_F_STABLE_PRIVACY, IFA_F_TEMPORARY,
  IFA_F_TENTATIVE, IFAPROT_KERNEL_LL, IFAPROT_KERNEL_LO, IFAPROT_KERNEL_RA, RTM_NEWADDR,
} from '../../../adapters/linux/netlink-constants';
import type { UnicastIpAddressRow } from '../../../src/unicast-ip-address-row';

const v6 = (text: string): Uint8Array => {
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
};

function message(partial: Partial<IfAddressMessage>): IfAddressMessage {
  return {
    type: RTM_NEWADDR, flags: 0, seq: 0, pid: 0, kind: 'ifaddress', deleted: false, family: 10, prefixLength: 64, headerFlags: 0,
    addressFlags: 0, scope: 0, ifindex: 3, address: v6('2001:db8::1'), cacheInfo: { preferred: 14400, valid: 86400, created: 100, updated: 200 },
    ...partial,
  };
}
const device = { interfaceLuid: 42n, interfaceName: 'eth0' };
const row = (partial: Partial<IfAddressMessage>): UnicastIpAddressRow => mapAddressRow(message(partial), device)!;

describe('address row mapping: every derivation of the table', () => {
  it('dadState: DADFAILED > TENTATIVE (OPTIMISTIC too) > DEPRECATED or preferred 0 > preferred', () => {
    const cases: [number, number, string][] = [
      [IFA_F_DADFAILED | IFA_F_TENTATIVE, 100, 'duplicate'],
      [IFA_F_TENTATIVE, 100, 'tentative'],
      [IFA_F_TENTATIVE | IFA_F_OPTIMISTIC, 100, 'tentative'],
      [IFA_F_DEPRECATED, 100, 'deprecated'],
      [0, 0, 'deprecated'],
      [IFA_F_NODAD | IFA_F_PERMANENT, 0xffffffff, 'preferred'],
    ];
    for (const [flags, preferred, state] of cases) {
      expect({ flags, state: row({ addressFlags: flags, cacheInfo: { preferred, valid: 0xffffffff, created: 0, updated: 0 } }).dadState }).toEqual({ flags, state });
    }
  });

  it('origins from IFA_PROTO when sent, else from the flags and scope', () => {
    const origins = (partial: Partial<IfAddressMessage>): [unknown, unknown] => {
      const r = row(partial);
      return [r.prefixOrigin, r.suffixOrigin];
    };
    expect(origins({ protocol: IFAPROT_KERNEL_LO, scope: 254 })).toEqual(['wellKnown', 'wellKnown']);
    expect(origins({ protocol: IFAPROT_KERNEL_LL, scope: 253 })).toEqual(['wellKnown', 'linkLayerAddress']);
    expect(origins({ protocol: IFAPROT_KERNEL_LL, addressFlags: IFA_F_STABLE_PRIVACY })).toEqual(['wellKnown', 'random']);
    expect(origins({ protocol: IFAPROT_KERNEL_RA })).toEqual(['routerAdvertisement', 'linkLayerAddress']);
    expect(origins({ protocol: IFAPROT_KERNEL_RA, addressFlags: IFA_F_TEMPORARY })).toEqual(['routerAdvertisement', 'random']);
    expect(origins({ protocol: IFAPROT_KERNEL_RA, addressFlags: IFA_F_STABLE_PRIVACY })).toEqual(['routerAdvertisement', 'random']);
    expect(origins({ protocol: 99 })).toEqual(['other', 'other']); // a user's `ip addr add ... proto 99`
    // No IFA_PROTO (127.0.0.1 on 6.18, any address before 5.18):
    expect(origins({ addressFlags: IFA_F_TEMPORARY })).toEqual(['routerAdvertisement', 'random']);
    expect(origins({ family: 2, address: Uint8Array.from([127, 0, 0, 1]), scope: 254, addressFlags: IFA_F_PERMANENT })).toEqual(['wellKnown', 'wellKnown']);
    expect(origins({ addressFlags: IFA_F_PERMANENT })).toEqual(['manual', 'manual']);
    expect(origins({ addressFlags: 0 })).toEqual(['other', 'other']);
    // 0x01 on IPv4 is SECONDARY, not TEMPORARY.
    expect(origins({ family: 2, address: Uint8Array.from([10, 0, 0, 3]), addressFlags: IFA_F_SECONDARY | IFA_F_PERMANENT })).toEqual(['manual', 'manual']);
  });

  it('address: IFA_LOCAL over IFA_ADDRESS (the peer); scopeId the ifindex for IPv6 link/host scope only', () => {
    expect(row({ family: 2, local: Uint8Array.from([10, 9, 1, 1]), address: Uint8Array.from([10, 9, 1, 2]) }).address).toBe('10.9.1.1');
    expect(row({ address: v6('fe80::1'), scope: 253 })).toMatchObject({ address: 'fe80::1', scopeId: 3 });
    expect(row({ address: v6('::1'), scope: 254, ifindex: 1 })).toMatchObject({ scopeId: 1 });
    expect(row({ address: v6('2001:db8::1'), scope: 0 }).scopeId).toBe(0);
    expect(row({ family: 2, address: Uint8Array.from([169, 254, 0, 1]), scope: 253 }).scopeId).toBe(0);
  });

  it('no row for another family or no address; lifetimes and creation time undefined without IFA_CACHEINFO or a boot time', () => {
    expect(mapAddressRow(message({ family: 7 }), device)).toBeUndefined();
    expect(mapAddressRow(message({ address: undefined }), device)).toBeUndefined();
    const bare = row({ cacheInfo: undefined });
    expect([bare.validLifetime, bare.preferredLifetime, bare.creationTimeStamp, bare.dadState]).toEqual([undefined, undefined, undefined, 'preferred']);
    expect(row({}).creationTimeStamp).toBeUndefined();
    const boot = filetimeOfBoot(Date.UTC(2026, 0, 1), 0);
    expect(mapAddressRow(message({}), device, boot)!.creationTimeStamp).toBe(boot + 100n * 100_000n);
    // FILETIME of 2026-01-01T00:00:00Z.
    expect(boot).toBe(134116992000000000n);
  });

  it('isLifetimeOnlyChange: only the lifetimes moved -> true; nothing moved or anything else moved -> false', () => {
    const a = row({ cacheInfo: { preferred: 14400, valid: 86400, created: 1, updated: 1 } });
    expect(isLifetimeOnlyChange(a, { ...a, validLifetime: 86000 })).toBe(true);
    expect(isLifetimeOnlyChange(a, { ...a, preferredLifetime: 14000, validLifetime: 86000 })).toBe(true);
    expect(isLifetimeOnlyChange(a, { ...a })).toBe(false);
    for (const key of addressRowKeys().filter((k) => k !== 'validLifetime' && k !== 'preferredLifetime')) {
      const changed = { ...a, validLifetime: 1, [key]: key === 'interfaceLuid' || key === 'creationTimeStamp' ? 7n : key === 'skipAsSource' ? true : 'x' } as UnicastIpAddressRow;
      expect({ key, lifetimeOnly: isLifetimeOnlyChange(a, changed) }).toEqual({ key, lifetimeOnly: false });
    }
    expect(isLifetimeOnlyChange(a, { ...a, preferredLifetime: 0, dadState: 'deprecated' })).toBe(false);
  });
});

// Keep the keys list honest: the mapping compares every field of the row type.
describe('address row keys', () => {
it('addressRowKeys names every field and addressRowsEqual sees each', () => {
  const row: UnicastIpAddressRow = {
    family: 'inet6', address: 'fe80::1', interfaceLuid: 1n, interfaceIndex: 2, interfaceName: 'eth0', prefixOrigin: 'wellKnown',
    suffixOrigin: 'linkLayerAddress', validLifetime: 1, preferredLifetime: 1, onLinkPrefixLength: 64, skipAsSource: false,
    dadState: 'preferred', scopeId: 2, creationTimeStamp: 5n,
  };
  expect([...addressRowKeys()].sort()).toEqual(Object.keys(row).sort());
  for (const key of addressRowKeys()) {
    const changed = { ...row, [key]: key === 'interfaceLuid' || key === 'creationTimeStamp' ? 99n : key === 'skipAsSource' ? true : 'x' } as UnicastIpAddressRow;
    expect({ key, equal: addressRowsEqual(row, changed) }).toEqual({ key, equal: false });
  }
});

});
