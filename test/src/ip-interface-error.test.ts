import { IpInterfaceError, isIpInterfaceError } from '../../src/ip-interface-error';
import { toIpInterfaceError } from '../../src/to-ip-interface-error';

describe('IpInterfaceError', () => {
  it('carries code, osCode, adapter and cause, and is an Error', () => {
    const cause = new Error('EPERM');
    const e = new IpInterfaceError('OS_ERROR', 'bind failed', { osCode: 1, adapter: 'linux', cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(IpInterfaceError);
    expect(e).toMatchObject({ name: 'IpInterfaceError', code: 'OS_ERROR', osCode: 1, adapter: 'linux', message: 'bind failed' });
    expect(e.cause).toBe(cause);
    expect(String(e)).toBe('IpInterfaceError: bind failed');
  });

  it('defaults adapter to core and leaves osCode and cause undefined', () => {
    const e = new IpInterfaceError('INVALID_PARAMETER', 'bad family');
    expect(e.adapter).toBe('core');
    expect(e.osCode).toBeUndefined();
    expect('cause' in e).toBe(false);
  });

  it('instanceof holds for an instance made by another copy of the class (dual ESM/CJS builds)', () => {
    jest.isolateModules(() => {
      // A fresh module registry gives a second, distinct class object, like the other build would.
      const other = require('../../src/ip-interface-error') as typeof import('../../src/ip-interface-error');
      expect(other.IpInterfaceError).not.toBe(IpInterfaceError);
      expect(new other.IpInterfaceError('INVALID_HANDLE', 'x')).toBeInstanceOf(IpInterfaceError);
      expect(new IpInterfaceError('INVALID_HANDLE', 'x')).toBeInstanceOf(other.IpInterfaceError);
    });
    expect(new Error('plain')).not.toBeInstanceOf(IpInterfaceError);
    expect({ code: 'OS_ERROR' }).not.toBeInstanceOf(IpInterfaceError);
    expect(null).not.toBeInstanceOf(IpInterfaceError);
  });

  it('isIpInterfaceError narrows, optionally by code', () => {
    const e = new IpInterfaceError('QUEUE_OVERFLOW', 'full');
    expect(isIpInterfaceError(e)).toBe(true);
    expect(isIpInterfaceError(e, 'QUEUE_OVERFLOW')).toBe(true);
    expect(isIpInterfaceError(e, 'OS_ERROR')).toBe(false);
    expect(isIpInterfaceError(new Error('x'))).toBe(false);
  });

  it('toIpInterfaceError passes IpInterfaceErrors through and wraps anything else as OS_ERROR', () => {
    const e = new IpInterfaceError('NOT_SUPPORTED', 'no');
    expect(toIpInterfaceError(e, 'mock')).toBe(e);
    const wrapped = toIpInterfaceError('text', 'mock');
    expect(wrapped).toMatchObject({ code: 'OS_ERROR', adapter: 'mock', cause: 'text' });
    expect(wrapped.message).toContain('text');
  });
});
