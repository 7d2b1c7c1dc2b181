import { existsSync } from 'node:fs';
import { asOsError, nativeLoadFailed } from '../../../adapters/shared/os-error';
import { describeError, importKoffi, koffiEntryPath } from '../../../adapters/shared/native-module';
import { IpInterfaceError } from '../../../src/ip-interface-error';

describe('koffi import', () => {
  it('imports the real koffi and resolves its entry point for worker threads', async () => {
    const koffi = await importKoffi('linux');
    expect(typeof koffi.load).toBe('function');
    expect(existsSync(koffiEntryPath())).toBe(true);
  });

  it('describeError gives an Error\'s message, else the value as text', () => {
    expect(describeError(new Error('x'))).toBe('x');
    expect(describeError(42)).toBe('42');
  });
});

describe('adapter errors', () => {
  it('asOsError passes an IpInterfaceError unchanged and wraps anything else as OS_ERROR with the cause', () => {
    const own = new IpInterfaceError('INVALID_HANDLE', 'h', { adapter: 'mock' });
    expect(asOsError(own, 'polling')).toBe(own);
    const cause = new Error('EACCES');
    expect(asOsError(cause, 'polling')).toMatchObject({ code: 'OS_ERROR', adapter: 'polling', cause });
    expect(asOsError('text', 'polling').message).toContain('text');
  });

  it('nativeLoadFailed is NATIVE_LOAD_FAILED with the cause when given', () => {
    const cause = new Error('no libc');
    expect(nativeLoadFailed('linux', 'could not load', cause)).toMatchObject({ code: 'NATIVE_LOAD_FAILED', adapter: 'linux', cause });
    expect(nativeLoadFailed('linux', 'could not load').cause).toBeUndefined();
  });
});
