import { importKoffi } from '../../../adapters/shared/native-module';

jest.mock('koffi', () => {
  throw new Error('simulated: koffi is not installed');
});

describe('koffi import without koffi', () => {
  it('is NATIVE_LOAD_FAILED naming what was tried and the platform', async () => {
    await expect(importKoffi('windows')).rejects.toMatchObject({ code: 'NATIVE_LOAD_FAILED', adapter: 'windows' });
    await expect(importKoffi('windows')).rejects.toThrow(new RegExp(`import\\('koffi'\\) for ${process.platform}-${process.arch}.*simulated`));
  });
});
