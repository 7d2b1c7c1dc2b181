import { processWide } from '../../../adapters/shared/process-state';

describe('processWide', () => {
  it('creates a value once per name, shared by every copy of the module (CJS + ESM double load)', () => {
    let created = 0;
    const a = processWide('test.counter.v1', () => ({ n: ++created }));
    let other: typeof import('../../../adapters/shared/process-state') | undefined;
    jest.isolateModules(() => {
      other = require('../../../adapters/shared/process-state');
    });
    expect(other!.processWide).not.toBe(processWide); // really another module copy
    expect(other!.processWide('test.counter.v1', () => ({ n: ++created }))).toBe(a);
    expect(created).toBe(1);
    expect(processWide('test.other.v1', () => 'x')).toBe('x');
  });
});
