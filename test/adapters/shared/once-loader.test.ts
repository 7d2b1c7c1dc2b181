import { onceLoader } from '../../../adapters/shared/once-loader';

describe('onceLoader', () => {
  it('loads once and shares the promise, including between concurrent first calls', async () => {
    let loads = 0;
    const load = onceLoader(async () => ++loads);
    const [a, b] = await Promise.all([load(), load()]);
    expect([a, b, await load()]).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('forgets a failure: the next call loads again', async () => {
    let attempt = 0;
    const load = onceLoader(async () => {
      attempt++;
      if (attempt === 1) throw new Error('not yet');
      return 'ok';
    });
    const first = load();
    expect(load()).toBe(first); // concurrent callers share the failing attempt
    await expect(first).rejects.toThrow('not yet');
    await expect(load()).resolves.toBe('ok');
    await expect(load()).resolves.toBe('ok');
    expect(attempt).toBe(2);
  });

  it('loads nothing until called', () => {
    let loads = 0;
    onceLoader(async () => ++loads);
    expect(loads).toBe(0);
  });
});
