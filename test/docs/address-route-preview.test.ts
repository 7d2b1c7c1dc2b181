/**
 * The docs checker over the address and route exports that are not exported yet (issues 13/14: they
 * are wired in later): TSDoc with an @example on every one, and every example compiles as a user of
 * the package would write it (the root entry's exports and these imported for it).
 */
import { exampleErrors, exampleSnippets, undocumentedExports } from './docs-check';

const PREVIEW = { 'rxjs-ip-interface/address-route-preview': 'test/docs/fixtures/address-route-preview.ts' };

describe('docs of the address and route exports (preview entry)', () => {
  it('every export has TSDoc with an @example', () => {
    expect(undocumentedExports(PREVIEW)).toEqual([]);
  });

  it('every @example compiles', () => {
    const examples = exampleSnippets(PREVIEW);
    expect(examples.length).toBe(9); // one per export still in the preview (the address ones are real exports now)
    expect(exampleErrors(examples, PREVIEW)).toEqual([]);
  }, 60_000);
});
