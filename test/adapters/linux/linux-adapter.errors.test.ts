import { linuxAdapter } from '../../../adapters/linux';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { rejection } from '../../helpers/rejection';

const linuxOnly = process.platform === 'linux' ? describe : describe.skip;

linuxOnly('linux adapter errors', () => {
  it('a namespace that does not exist is OS_ERROR with errno ENOENT and the strerror text, and registers nothing', async () => {
    const adapter = linuxAdapter({ netns: '/run/netns/rxipi-does-not-exist' });
    const error = await rejection(adapter.notifyIpInterfaceChange('unspec', () => undefined, true));
    expect(error.code).toBe('OS_ERROR');
    expect(error.osCode).toBe(2);
    expect(error.message).toMatch(/No such file or directory/);
    expect(error.adapter).toBe('linux');
    expect(adapter.liveRegistrations).toBe(0);
    expect(adapter.stats().open).toBe(false);
    const tableError = await rejection(adapter.getIpInterfaceTable('inet'));
    expect(tableError.code).toBe('OS_ERROR');
  });

  it('rejects a bad family with INVALID_PARAMETER and a bad receive buffer size at creation', async () => {
    const adapter = linuxAdapter();
    expect((await rejection(adapter.getIpInterfaceTable(4 as unknown as 'inet'))).code).toBe('INVALID_PARAMETER');
    expect(() => linuxAdapter({ receiveBufferBytes: -1 })).toThrow(IpInterfaceError);
  });
});
