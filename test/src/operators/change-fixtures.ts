/** Rows and change builders shared by the operator tests. */
import { AF_INET, AF_INET6 } from '../../../src/address-family';
import type { IpInterfaceChange, IpInterfaceRowChange } from '../../../src/ip-interface-change';
import type { IpInterfaceRow } from '../../../src/ip-interface-row';
import { mockRow } from '../../../adapters/mock';

export const eth1 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1' });
export const eth1Mtu = { ...eth1, nlMtu: 1400 };
export const eth2 = mockRow({ interfaceIndex: 4, interfaceName: 'eth2' });
export const eth1v6 = mockRow({ interfaceIndex: 3, interfaceName: 'eth1', family: AF_INET6 });
export const added = (row: IpInterfaceRow): IpInterfaceRowChange => ({ kind: 'added', row });
export const changed = (row: IpInterfaceRow): IpInterfaceRowChange => ({ kind: 'changed', row });
export const removed = (row: IpInterfaceRow): IpInterfaceRowChange => ({ kind: 'removed', row });
export const initial: IpInterfaceChange = { kind: 'initial', family: AF_INET };
