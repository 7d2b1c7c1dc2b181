import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../../src/address-family';
import { defaultRoute$ } from '../../../src/default-route';
import { IpInterfaceError } from '../../../src/ip-interface-error';
import { routeChanges$ } from '../../../src/route-changes';
import { routeTable$ } from '../../../src/route-table';
import { pollingAdapter } from '../../../adapters/polling/polling-adapter';
import { activePollTimers } from '../../../adapters/polling/poll-timer';

const errorOf = (subscribe: (observer: { next(): void; error(e: unknown): void }) => { unsubscribe(): void }): Promise<{ error: unknown; emitted: number }> =>
  new Promise((resolve) => {
    let emitted = 0;
    subscribe({ next: () => emitted++, error: (error) => resolve({ error, emitted }) });
  });

describe('pollingAdapter: no route half (Node exposes no routes)', () => {
  afterEach(() => expect(activePollTimers()).toEqual([]));

  it('has none of the route methods', () => {
    const adapter = pollingAdapter() as unknown as Record<string, unknown>;
    expect([adapter.notifyRouteChange2, adapter.getIpForwardTable2, adapter.getBestRoute2]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    ['routeChanges$(AF_UNSPEC, true)', () => routeChanges$(AF_UNSPEC, true, { adapter: pollingAdapter() })],
    ['routeTable$(AF_INET)', () => routeTable$(AF_INET, { adapter: pollingAdapter() })],
    ['defaultRoute$(AF_INET)', () => defaultRoute$(AF_INET, { adapter: pollingAdapter() })],
    ['defaultRoute$(AF_INET6)', () => defaultRoute$(AF_INET6, { adapter: pollingAdapter() })],
  ] as [string, () => Observable<unknown>][])('%s errors NOT_SUPPORTED (adapter polling), emits nothing and starts no timer', async (_name, stream) => {
    const { error, emitted } = await errorOf((o) => stream().subscribe(o));
    expect(error).toBeInstanceOf(IpInterfaceError);
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED', adapter: 'polling' });
    expect((error as Error).message).toMatch(/polling adapter does not support (notifyRouteChange2|getBestRoute2)/);
    expect(emitted).toBe(0);
  });
});
