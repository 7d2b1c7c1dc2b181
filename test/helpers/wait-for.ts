/**
 * Polling waits for tests: one copy instead of one per test file. Framework-free (no jest): the
 * contract suite uses it from plain node scripts too (the polling child, node.exe under Wine), so a
 * time-out is an `assert.AssertionError`, which every runner reports as a failed assertion.
 */
import assert from 'node:assert/strict';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate` every 5 ms; fails with `what` (and `detail()`, when given: what was seen) after
 * `timeoutMs`.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new assert.AssertionError({ message: `timed out after ${timeoutMs} ms waiting for ${what}${detail ? `; ${detail()}` : ''}` });
    await sleep(5);
  }
}
