import { isIP } from 'node:net';
import { bestRouteError, ERROR_INVALID_PARAMETER, familyError, invalidFamily, parseAddressText, registrationError } from '../../../adapters/shared/adapter-arguments';
import { ipAddressText } from '../../../src/ip-address-text';
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

describe('parseAddressText / bestRouteError (getBestRoute2 arguments, rule R4)', () => {
  const v6 = ['::', '::1', '2001:4860:4860::8888', 'fe80::1', '2001:db8:0:0:1:0:0:1', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', '64:ff9b::192.0.2.33', '1::', '1:2:3:4:5:6:1.2.3.4', 'ABCD::ef'];
  const bad6 = ['', ':', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'fe80::1%eth0', '1.2.3.4', 'g::', '1:2:3:4:5:6:7', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', ' ::1'];
  const v4 = ['0.0.0.0', '8.8.8.8', '255.255.255.255', '10.77.0.1'];
  const bad4 = ['', '8.8.8', '256.1.1.1', '01.2.3.4', '1.2.3.4.5', '::1', '1.2.3.-4', '1.2.3.4 '];

  it('agrees with node:net on valid and invalid text, and the bytes round-trip to the canonical text', () => {
    for (const text of v6) {
      expect({ text, ok: isIP(text) === 6 }).toEqual({ text, ok: true });
      const bytes = parseAddressText('inet6', text);
      expect(bytes).toBeDefined();
      // Canonical text (lower case, RFC 5952) is what the adapters report; the round trip goes through it.
      expect(parseAddressText('inet6', ipAddressText(bytes!)!)).toEqual(bytes);
    }
    expect(ipAddressText(parseAddressText('inet6', '2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    for (const text of bad6) expect({ text, bytes: parseAddressText('inet6', text) }).toEqual({ text, bytes: undefined });
    for (const text of v4) expect(ipAddressText(parseAddressText('inet', text)!)).toBe(text);
    for (const text of bad4) expect({ text, bytes: parseAddressText('inet', text) }).toEqual({ text, bytes: undefined });
    expect(parseAddressText('inet', 42)).toBeUndefined();
  });

  it('bestRouteError: INVALID_PARAMETER with the osCode for a bad family or destination, undefined otherwise', () => {
    expect(bestRouteError('mock', 'inet', '8.8.8.8', ERROR_INVALID_PARAMETER)).toBeUndefined();
    expect(bestRouteError('mock', 'inet6', '2001:4860:4860::8888', ERROR_INVALID_PARAMETER)).toBeUndefined();
    for (const [family, destination] of [['unspec', '8.8.8.8'], ['inet6', '8.8.8.8'], ['inet', 'x'], [99, '8.8.8.8'], ['inet', undefined]]) {
      expect(bestRouteError('mock', family, destination, ERROR_INVALID_PARAMETER)).toMatchObject({ code: 'INVALID_PARAMETER', osCode: ERROR_INVALID_PARAMETER, adapter: 'mock' });
    }
  });
});
