import { formatCliError } from '../../../src/cli/format-cli-error';
import { IpInterfaceError } from '../../../src/ip-interface-error';

describe('formatCliError', () => {
  it('shows the code and message of an IpInterfaceError', () => {
    expect(formatCliError(new IpInterfaceError('NATIVE_LOAD_FAILED', 'could not load koffi', { adapter: 'linux' }))).toBe(
      'rxjs-ip-interface: NATIVE_LOAD_FAILED: could not load koffi',
    );
  });

  it('shows the message of any other error, and other values as strings', () => {
    expect(formatCliError(new TypeError('bad'))).toBe('rxjs-ip-interface: bad');
    expect(formatCliError('plain')).toBe('rxjs-ip-interface: plain');
  });
});
