import { resolveCliAdapter } from '../../../src/cli/resolve-cli-adapter';

describe('resolveCliAdapter', () => {
  it('uses the platform default, and says when that default is polling', async () => {
    await expect(resolveCliAdapter({ adapter: undefined, netns: undefined }, 'darwin')).resolves.toMatchObject({
      name: 'polling',
      polledByDefault: true,
      adapter: { name: 'polling' },
    });
    await expect(resolveCliAdapter({ adapter: undefined, netns: undefined }, 'linux')).resolves.toMatchObject({ name: 'linux', polledByDefault: false });
  });

  it('uses --adapter when given; polling chosen explicitly is not "by default"', async () => {
    await expect(resolveCliAdapter({ adapter: 'polling', netns: undefined }, 'darwin')).resolves.toMatchObject({ name: 'polling', polledByDefault: false });
  });

  it('--netns makes a linux adapter for that namespace (creating it loads nothing native)', async () => {
    const resolved = await resolveCliAdapter({ adapter: undefined, netns: 'blue' }, 'linux');
    expect(resolved).toMatchObject({ name: 'linux', polledByDefault: false, adapter: { name: 'linux', netns: '/run/netns/blue' } });
  });
});
