import koffi from 'koffi';
import { ADDRESS_ROUTE_LAYOUTS, addressRouteTypes, koffiTypeName, layoutMismatches } from '../../../adapters/windows/address-route-types';

// Linux x64 koffi lays fixed-width types out as Win64 does; the Windows side is checked under Wine
// (address-route-layout.test.ts). This checks the construction and the check itself.
describe('address/route koffi types from the layout tables', () => {
  it('defines every struct with the table\'s offsets, sizes and alignments, once per process', () => {
    const types = addressRouteTypes(koffi);
    expect(koffi.sizeof(types.MIB_UNICASTIPADDRESS_ROW)).toBe(80);
    expect(koffi.sizeof(types.MIB_IPFORWARD_ROW2)).toBe(104);
    expect(koffi.sizeof(types.SOCKADDR_INET)).toBe(28);
    expect(koffi.sizeof(types.IP_ADDRESS_PREFIX)).toBe(32);
    for (const layout of ADDRESS_ROUTE_LAYOUTS) expect({ name: layout.name, mismatches: layoutMismatches(koffi, koffi.type(koffiTypeName(layout)), layout) }).toEqual({ name: layout.name, mismatches: [] });
    expect(addressRouteTypes(koffi)).toBe(types);
  });

  it('reports a wrong table entry as a mismatch (what the load check would refuse with NATIVE_LOAD_FAILED)', () => {
    const types = addressRouteTypes(koffi);
    const wrong = { name: 'IP_ADDRESS_PREFIX', kind: 'struct', fields: [['Prefix', 'SOCKADDR_INET', 0], ['PrefixLength', 'uint8_t', 29]], size: 28, align: 4 } as const;
    expect(layoutMismatches(koffi, types.IP_ADDRESS_PREFIX, wrong)).toEqual([
      'IP_ADDRESS_PREFIX.PrefixLength at 28 instead of 29',
      'sizeof(IP_ADDRESS_PREFIX) 32 instead of 28',
    ]);
  });
});
