import { ERROR_INVALID_HANDLE, Registrations } from '../../../adapters/shared/registrations';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { registrationEnded } from '../../../adapters/shared/registration-ended';

describe('Registrations', () => {
  it('issues frozen handles, unique per instance, carrying the adapter name', () => {
    const r = new Registrations<string>('mock');
    const a = r.issue('a');
    const b = r.issue('b');
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({ adapter: 'mock', id: 1 });
    expect(b.id).toBe(2);
    expect(r.size).toBe(2);
    expect(r.get(a)).toBe('a');
    expect(r.values()).toEqual(['a', 'b']);
  });

  it('take returns the entry once; again, a forged handle or another instance\'s handle is INVALID_HANDLE', () => {
    const r = new Registrations<{ n: number }>('linux');
    const other = new Registrations<{ n: number }>('linux');
    const handle = r.issue({ n: 1 });
    const foreign = other.issue({ n: 2 });
    expect(r.take(handle)).toEqual({ n: 1 });
    expect(r.size).toBe(0);
    for (const h of [handle, { adapter: 'linux', id: 1 }, foreign]) {
      let error: unknown;
      try {
        r.take(h);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IpInterfaceError);
      expect(error).toMatchObject({ code: 'INVALID_HANDLE', adapter: 'linux', osCode: ERROR_INVALID_HANDLE });
    }
    expect(other.size).toBe(1);
  });

  it('a reserved handle is not live until added', () => {
    const r = new Registrations<string>('mock');
    const handle = r.reserve();
    expect(r.has(handle)).toBe(false);
    expect(() => r.take(handle)).toThrow(IpInterfaceError);
    r.add(handle, 'x');
    expect(r.take(handle)).toBe('x');
  });

  it('entries() and values() are copies: taking during iteration skips nothing of the copy', () => {
    const r = new Registrations<number>('mock');
    const handles = [r.issue(1), r.issue(2), r.issue(3)];
    const seen: number[] = [];
    for (const [, n] of r.entries()) {
      seen.push(n);
      if (n === 1) r.take(handles[1]!);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(r.values()).toEqual([1, 3]);
  });

  it('end (rule 10): takes a live handle (then INVALID_HANDLE), calls ended once in a microtask; a handle not live is left alone', async () => {
    const r = new Registrations<string>('linux');
    const h = r.issue('a');
    const error = registrationEnded('linux', 'network namespace x was deleted', { osCode: 2 });
    const told: unknown[] = [];
    expect(r.end(h, error, (e) => told.push(e))).toBe('a');
    expect(told).toEqual([]); // not yet: never inside the caller's delivery
    expect(r.has(h)).toBe(false);
    expect(() => r.take(h)).toThrow(expect.objectContaining({ code: 'INVALID_HANDLE' }));
    expect(r.end(h, error, (e) => told.push(e))).toBeUndefined();
    await Promise.resolve();
    expect(told).toEqual([error]);
    expect(error).toMatchObject({ code: 'OS_ERROR', osCode: 2, adapter: 'linux', message: 'linux adapter ended the registration: network namespace x was deleted' });
    expect(r.end(r.issue('b'), error, undefined)).toBe('b'); // no hook: just taken
  });
});
