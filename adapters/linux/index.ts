// PLACEHOLDER until issue #3 lands: replaced by the real rtnetlink adapter.
import type { IpInterfaceAdapter } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
export function linuxAdapter(): IpInterfaceAdapter {
  throw new IpInterfaceError('NOT_SUPPORTED', 'the linux adapter is not implemented yet', { adapter: 'linux' });
}
