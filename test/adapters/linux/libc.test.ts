import type { IpInterfaceError } from '../../../src/ip-interface-error';
import { linuxAdapter } from '../../../adapters/linux';

// koffi is replaced by a module that fails to load: the adapter must not touch it until it is used,
// and then report NATIVE_LOAD_FAILED.
let mockKoffiRequested = 0;
jest.mock('koffi', () => {
  mockKoffiRequested++;
  throw new Error('simulated: koffi is not installed');
});

describe('lazy native loading', () => {
  it('importing the adapter and linuxAdapter() load nothing; the first registration fails with NATIVE_LOAD_FAILED saying what was tried', async () => {
    const adapter = linuxAdapter();
    expect(mockKoffiRequested).toBe(0);
    let error: IpInterfaceError | undefined;
    try {
      await adapter.notifyIpInterfaceChange('unspec', () => undefined, true);
    } catch (e) {
      error = e as IpInterfaceError;
    }
    expect(mockKoffiRequested).toBeGreaterThan(0);
    expect(error?.code).toBe('NATIVE_LOAD_FAILED');
    expect(error?.message).toMatch(/koffi/);
    expect(error?.message).toMatch(/simulated/);
    expect(adapter.liveRegistrations).toBe(0);
  });
});
