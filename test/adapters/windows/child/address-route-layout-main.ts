/**
 * Runs under Windows node.exe in Wine (started by address-route-layout.test.ts): defines the address
 * and route koffi types from the layout tables (which checks them against the tables, as at load)
 * and writes koffi's own view of every struct (sizeof, alignof, offsetof of each field) for the jest
 * side to compare with the C compiler's.
 * Usage: node.exe address-route-layout-main.js RESULT_JSON
 */
import fs from 'node:fs';
import koffi from 'koffi';
import { ADDRESS_ROUTE_LAYOUTS, addressRouteTypes, koffiTypeName } from '../../../../adapters/windows/address-route-types';

const [resultFile] = process.argv.slice(2);
const result: Record<string, unknown> = { platform: `${process.platform}-${process.arch} node ${process.version} koffi ${koffi.version}` };
try {
  addressRouteTypes(koffi);
  result.layouts = Object.fromEntries(
    ADDRESS_ROUTE_LAYOUTS.map((layout) => {
      const type = koffi.type(koffiTypeName(layout));
      // koffi.offsetof takes structs only; a union's members are all at 0.
      const offsets = Object.fromEntries(layout.fields.map(([name]) => [name, layout.kind === 'union' ? 0 : koffi.offsetof(type, name)]));
      return [layout.name, { size: koffi.sizeof(type), align: koffi.alignof(type), offsets }];
    }),
  );
} catch (error) {
  result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
result.done = true;
fs.writeFileSync(resultFile!, JSON.stringify(result));
