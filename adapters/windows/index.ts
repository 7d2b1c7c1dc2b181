// PLACEHOLDER until issue #4 lands: replaced by the real rtnetlink adapter.
import type { IpInterfaceAdapter } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
export function windowsAdapter(): IpInterfaceAdapter {
  throw new IpInterfaceError('NOT_SUPPORTED', 'the windows adapter is not implemented yet', { adapter: 'windows' });
}
