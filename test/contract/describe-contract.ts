import { contractCases, type ContractHarness } from './contract-suite.js';

/** Registers the contract suite for one adapter with jest. */
export function describeContract(h: ContractHarness, timeoutMs = 30000): void {
  describe(`adapter contract: ${h.name}`, () => {
    for (const c of contractCases(h)) it(c.name, () => c.run(), timeoutMs);
  });
}
