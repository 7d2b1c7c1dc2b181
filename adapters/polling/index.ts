// PLACEHOLDER until issue #5 lands: replaced by the real rtnetlink adapter.
import type { IpInterfaceAdapter } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
export function pollingAdapter(): IpInterfaceAdapter {
  throw new IpInterfaceError('NOT_SUPPORTED', 'the polling adapter is not implemented yet', { adapter: 'polling' });
}
