import { ERROR_INVALID_PARAMETER, familyError, invalidFamily, registrationError } from '../../../adapters/shared/adapter-arguments';
import type { AddressFamily } from '../../../src/address-family';
import type { IpInterfaceChangeCallback } from '../../../src/adapter';
import { IpInterfaceError } from '../../../src/ip-interface-error';

describe('adapter arguments', () => {
  it('accepts the three families and a function', () => {
    for (const family of ['unspec', 'inet', 'inet6'] as const) {
      expect(familyError('x', family, 87)).toBeUndefined();
      expect(registrationError('x', family, () => undefined, 87)).toBeUndefined();
    }
  });

  it('rejects any other family with INVALID_PARAMETER, the adapter name and the given osCode', () => {
    for (const family of [99, 'ipx', undefined, Number.NaN, null, 2]) {
      const error = registrationError('polling', family as unknown as AddressFamily, () => undefined, ERROR_INVALID_PARAMETER);
      expect(error).toBeInstanceOf(IpInterfaceError);
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'polling', osCode: 87 });
      expect(error!.message).toMatch(/invalid address family .*use AF_UNSPEC, AF_INET or AF_INET6/);
      expect(familyError('linux', family, 22)).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'linux', osCode: 22 });
    }
    expect(invalidFamily('mock', 'ipx', 87).message).toContain("'ipx'");
  });

  it('rejects a callback that is not a function (the family is checked first)', () => {
    for (const callback of [42, undefined, null, 'f', {}]) {
      const error = registrationError('linux', 'inet', callback as unknown as IpInterfaceChangeCallback, 22);
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER', adapter: 'linux', osCode: 22 });
      expect(error!.message).toMatch(/callback must be a function/);
    }
    expect(registrationError('linux', 'ipx' as unknown as AddressFamily, 42 as unknown as IpInterfaceChangeCallback, 22)!.message).toMatch(/family/);
  });
});
