/**
 * What a table decides and where it goes: the one exit of every table of the reader (interfaces
 * today; addresses and routes plug in beside it with their own change type).
 *
 * @module
 */
import type { MibNotificationType } from '../../src/adapter.js';
import type { IpInterfaceRow } from '../../src/ip-interface-row.js';

/**
 * One notification a table decided on.
 *
 * @example
 * ```ts
 * const change: TableChange = { type: 'parameter', row };
 * ```
 */
export interface TableChange {
  readonly type: Exclude<MibNotificationType, 'initial'>;
  readonly row: IpInterfaceRow;
}

/**
 * Where a table sends what it decided, given to its constructor. `deliverOne` for a change decided
 * while a message is applied (the per-message path allocates no array), `deliver` for a batch, in
 * order. Both are serialized by the receiver (never re-entrant).
 *
 * @example
 * ```ts
 * const table = new InterfaceTable(subscribers); // a SubscriberSet is a ChangeSink
 * ```
 */
export interface ChangeSink {
  deliverOne(change: TableChange): void;
  deliver(changes: readonly TableChange[]): void;
}

/**
 * A sink that drops everything: for a table read once (a table dump for `getIpInterfaceTable`).
 *
 * @example
 * ```ts
 * const once = new InterfaceTable(DISCARD);
 * ```
 */
export const DISCARD: ChangeSink = { deliverOne: () => undefined, deliver: () => undefined };
