/**
 * The contract harness for the Windows adapter over the fake library: shared by the jest contract
 * test (Linux .so) and the Wine run (DLL under node.exe).
 */
import type { IpInterfaceAdapter } from '../../../src/adapter';
import type { ContractHarness } from '../../contract/contract-suite';
import { windowsAdapter, type WindowsIpInterfaceAdapter } from '../../../adapters/windows';
import { MIB, NATIVE, type FakeControls } from './fake-controls';

/** Options for {@link fakeHarness}. */
export interface FakeHarnessOptions {
  /** Library with FormatMessageW (the fake on Linux; kernel32.dll under Wine). */
  readonly messageLibrary?: string;
  readonly quietMs?: number;
  readonly eventTimeoutMs?: number;
}

/**
 * A contract harness: a fresh adapter per case over the fake at `controls.path`; a change = an MTU
 * change of interface 2; an address change = address 9 of interface 2 added or (next time) deleted, both families.
 */
export function fakeHarness(name: string, controls: FakeControls, options: FakeHarnessOptions = {}): ContractHarness {
  let mtu = 1500;
  let addressAdded = false;
  return {
    name,
    createAdapter: () => {
      controls.reset();
      addressAdded = false;
      return windowsAdapter({ library: controls.path, messageLibrary: options.messageLibrary ?? controls.path });
    },
    triggerChange: async () => {
      mtu = mtu === 1500 ? 1400 : 1500;
      controls.setMtu(NATIVE.inet, 2, mtu);
      controls.setMtu(NATIVE.inet6, 2, mtu);
    },
    addresses: {
      triggerChange: async () => {
        addressAdded = !addressAdded;
        for (const family of [NATIVE.inet, NATIVE.inet6]) controls.addressChange(family, addressAdded ? MIB.add : MIB.delete, 2, 9);
      },
    },
    // The fake's own NotifyRouteChange2 delivers (Wine's is a stub, but this is the fake DLL there too).
    routes: { triggerChange: fakeRouteTrigger(controls) },
    // Both sides must return to their count: the adapter's bookkeeping and the fake's native registrations.
    liveRegistrations: (adapter: IpInterfaceAdapter) => (adapter as WindowsIpInterfaceAdapter).diagnostics().liveRegistrations + controls.liveRegistrations(),
    // Rule 10: dispose() ends every live registration (OS_ERROR, osCode 995).
    endRegistrations: (adapter: IpInterfaceAdapter) => (adapter as WindowsIpInterfaceAdapter).dispose(),
    dispose: (adapter: IpInterfaceAdapter) => {
      const d = (adapter as WindowsIpInterfaceAdapter).diagnostics();
      if (d.registeredCallbacks !== 0) throw new Error(`${d.registeredCallbacks} koffi callbacks still registered after the case`);
    },
    ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
    ...(options.eventTimeoutMs === undefined ? {} : { eventTimeoutMs: options.eventTimeoutMs }),
  };
}

/**
 * A route change for the route half of the contract suite (being written on another branch): route 9
 * of interface 2 (10.9.0.0/16 and 2001:db8:9::/48 via the interface's gateway) added, or (next time)
 * deleted (whichever it is not now), both families. For `fakeHarness` once `ContractHarness` has a route trigger.
 */
export function fakeRouteTrigger(controls: FakeControls): () => Promise<void> {
  // Stateless (a fresh fixture after controls.reset() has no route 9): delete it, or add it where absent.
  return async () => {
    for (const family of [NATIVE.inet, NATIVE.inet6]) {
      if (controls.routeChange(family, MIB.delete, 2, 9) === 1168) controls.routeChange(family, MIB.add, 2, 9);
    }
  };
}
