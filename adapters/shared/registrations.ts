/**
 * The live registrations of one adapter instance, keyed by the handles it issued. Contract rules 1
 * and 6 by construction: a handle is frozen and unique per instance, and taking a handle that is
 * not live (cancelled already, never issued, another adapter's) is `INVALID_HANDLE`.
 *
 * @module
 */
import type { NotificationHandle, RegistrationEndedCallback } from '../../src/adapter.js';
import { IpInterfaceError } from '../../src/ip-interface-error.js';
import { endRegistration } from './registration-ended.js';

/** ERROR_INVALID_HANDLE: the `osCode` every adapter reports for a handle that is not live. */
export const ERROR_INVALID_HANDLE = 6;

/**
 * Issues handles and holds what each registration needs.
 *
 * @example
 * ```ts
 * const registrations = new Registrations<{ callback: IpInterfaceChangeCallback }>('mock');
 * const handle = registrations.issue({ callback });
 * registrations.take(handle); // the entry; a second take throws INVALID_HANDLE
 * ```
 */
export class Registrations<T> {
  private readonly live = new Map<NotificationHandle, T>();
  private nextId = 1;

  constructor(
    /** The adapter name handles and errors carry. */
    readonly adapter: string,
  ) {}

  /** Live registrations. */
  get size(): number {
    return this.live.size;
  }

  /** A fresh frozen handle for `entry`, live from now on. */
  issue(entry: T): NotificationHandle {
    const handle: NotificationHandle = Object.freeze({ adapter: this.adapter, id: this.nextId++ });
    this.live.set(handle, entry);
    return handle;
  }

  /** A fresh frozen handle that is not live yet (for registrations that settle later: see {@link add}). */
  reserve(): NotificationHandle {
    return Object.freeze({ adapter: this.adapter, id: this.nextId++ });
  }

  /** Makes a reserved handle live. */
  add(handle: NotificationHandle, entry: T): void {
    this.live.set(handle, entry);
  }

  /** The entry of a live handle, or undefined. */
  get(handle: NotificationHandle): T | undefined {
    return this.live.get(handle);
  }

  /** True while `handle` is live. */
  has(handle: NotificationHandle): boolean {
    return this.live.has(handle);
  }

  /** Removes a live handle and returns its entry; `INVALID_HANDLE` when the handle is not live. */
  take(handle: NotificationHandle): T {
    const entry = this.live.get(handle);
    if (entry === undefined || !this.live.delete(handle)) throw this.invalidHandle();
    return entry;
  }

  /**
   * Rule 10: the adapter lost the registration of `handle`. Takes it (cancelling it rejects
   * `INVALID_HANDLE` from now on), then calls `ended(error)` as {@link endRegistration} does (in a
   * microtask). Returns the entry, or undefined when the handle was not live (cancelled meanwhile:
   * nobody is left to tell, and `ended` is not called).
   *
   * @example
   * ```ts
   * const entry = registrations.end(handle, registrationEnded('linux', 'network namespace deleted', { osCode: 2 }), ended);
   * if (entry) releaseReader(entry.reader);
   * ```
   */
  end(handle: NotificationHandle, error: IpInterfaceError, ended: RegistrationEndedCallback | undefined): T | undefined {
    const entry = this.live.get(handle);
    if (entry === undefined || !this.live.delete(handle)) return undefined;
    endRegistration(ended, error);
    return entry;
  }

  /** The `INVALID_HANDLE` error of this adapter. */
  invalidHandle(): IpInterfaceError {
    return new IpInterfaceError('INVALID_HANDLE', `the handle is not a live registration of this ${this.adapter} adapter`, {
      adapter: this.adapter,
      osCode: ERROR_INVALID_HANDLE,
    });
  }

  /** Live entries with their handles, as a copy (a callback may cancel while the caller iterates). */
  entries(): [NotificationHandle, T][] {
    return [...this.live];
  }

  /** Live entries, as a copy. */
  values(): T[] {
    return [...this.live.values()];
  }
}
