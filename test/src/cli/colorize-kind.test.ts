import { colorizeKind } from '../../../src/cli/colorize-kind';

describe('colorizeKind', () => {
  it('wraps the text in the SGR colour of the kind and resets the foreground only', () => {
    expect(colorizeKind('added', 'added  ', true)).toBe('\u001b[32madded  \u001b[39m');
    expect(colorizeKind('changed', 'changed', true)).toBe('\u001b[33mchanged\u001b[39m');
    expect(colorizeKind('removed', 'removed', true)).toBe('\u001b[31mremoved\u001b[39m');
    expect(colorizeKind('initial', 'initial', true)).toBe('\u001b[36minitial\u001b[39m');
  });

  it('returns the text unchanged when colour is off', () => {
    expect(colorizeKind('added', 'added  ', false)).toBe('added  ');
  });
});
