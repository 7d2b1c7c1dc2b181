/**
 * The benchmark's measuring logic (plain CommonJS under test/bench/lib, loaded with require): the
 * parts whose mistakes would silently falsify the published numbers.
 */
type Event = [number, number, number, number];
interface Change {
  kind: 'mtu' | 'up';
  value: number;
  monoUs: number;
  realUs: number;
}
interface Summary {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}
interface Diff {
  onlyMine: string[];
  missing: string[];
  differing: { key: string; name: string; fields: string[] }[];
  empty: boolean;
}

const { match } = require('./lib/match.js') as { match: (c: Change[], e: Event[], ifindex: number, clock: 'mono' | 'real') => (number | null)[] };
const { parseIpMonitor } = require('./lib/ip-monitor.js') as { parseIpMonitor: (text: string) => Event[] };
const { summarize } = require('./lib/stats.js') as { summarize: (v: number[]) => Summary };
const { diffTables } = require('./lib/rows.js') as { diffTables: (a: object[], b: object[], ignore?: string[]) => Diff };
const { latencyCdfSvg } = require('./lib/svg.js') as {
  latencyCdfSvg: (s: { label: string; samplesUs: number[]; note?: string }[], m: { title: string; subtitle?: string }) => string;
};

const change = (kind: 'mtu' | 'up', value: number, t: number): Change => ({ kind, value, monoUs: t, realUs: t + 1e6 });

describe('bench: match (which event reveals which change)', () => {
  it('measures each change to the first event showing its target, in the right clock', () => {
    const changes = [change('mtu', 1400, 1000), change('up', 0, 2000), change('mtu', 1401, 3000)];
    const events: Event[] = [
      [1100, 5, 1400, 1], // mtu 1400 seen 100 us later
      [1150, 5, 1400, 1], // duplicate: ignored
      [2300, 5, 1400, 0], // down seen 300 us later
      [3050, 5, 1401, 0], // mtu 1401 seen 50 us later
      [3060, 6, 1401, 0], // other interface: ignored
    ];
    expect(match(changes, events, 5, 'mono')).toEqual([100, 300, 50]);
    const real = events.map(([t, i, m, u]): Event => [t + 1e6, i, m, u]);
    expect(match(changes, real, 5, 'real')).toEqual([100, 300, 50]);
  });

  it('measures an up to the event that shows operstate up, not to the flags-only message before it', () => {
    const changes = [change('up', 0, 1000), change('up', 1, 2000)];
    const events: Event[] = [
      [1010, 5, 1500, 0],
      [2020, 5, 1500, 0], // flags changed, operstate still down (LOWERLAYERDOWN)
      [2050, 5, 1500, 1], // linkwatch: operstate up
    ];
    expect(match(changes, events, 5, 'mono')).toEqual([10, 50]);
  });

  it('leaves a change unseen when no event shows it, and attributes a late event to the change it shows', () => {
    const changes = [change('mtu', 1400, 1000), change('mtu', 1401, 2000), change('mtu', 1402, 3000)];
    const events: Event[] = [
      [3500, 5, 1400, 1], // 1400 arrives after two later changes
      [3600, 5, 1402, 1],
    ];
    expect(match(changes, events, 5, 'mono')).toEqual([2500, null, 600]);
  });

  it('ignores events from before a change', () => {
    expect(match([change('mtu', 1400, 1000)], [[900, 5, 1400, 1]], 5, 'mono')).toEqual([null]);
  });
});

describe('bench: parseIpMonitor', () => {
  it('reads -ts stamps as UTC microseconds, index, MTU and operstate, and Deleted lines', () => {
    const text = [
      '[2026-11-25T13:49:24.516235] 3: va@vb: <BROADCAST,MULTICAST> mtu 1400 qdisc noop state DOWN group default ',
      '    link/ether 9e:ed:35:2c:ed:91 brd ff:ff:ff:ff:ff:ff',
      '[2026-11-25T13:49:24.517474] 3: va@vb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UP group default ',
      '[2026-11-25T13:49:25.000001] Deleted 3: va@vb: <BROADCAST,MULTICAST> mtu 1400 qdisc noop state DOWN group default ',
    ].join('\n');
    const base = Date.UTC(2026, 10, 25, 13, 49, 24) * 1000;
    expect(parseIpMonitor(text)).toEqual([
      [base + 516235, 3, 1400, 0],
      [base + 517474, 3, 1400, 1],
      [base + 1000001, 3, -1, 0],
    ]);
  });
});

describe('bench: summarize', () => {
  it('uses nearest-rank percentiles', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect([s.n, s.p50, s.p90, s.p99, s.max, s.mean]).toEqual([100, 50, 90, 99, 100, 50.5]);
    expect(summarize([]).p50).toBeNull();
  });
});

describe('bench: diffTables', () => {
  const row = (family: string, luid: string, nlMtu: number, reachableTime = 30000): object => ({ family, interfaceLuid: luid, interfaceName: `if${luid}`, nlMtu, reachableTime });
  it('finds missing, extra and differing rows, and can leave fields out', () => {
    const d = diffTables([row('inet', '1n', 1500), row('inet', '2n', 1400, 1)], [row('inet', '2n', 1500), row('inet6', '2n', 1500)]);
    expect(d.onlyMine).toEqual(['inet:1n']);
    expect(d.missing).toEqual(['inet6:2n']);
    expect(d.differing).toEqual([{ key: 'inet:2n', name: 'if2n', fields: ['nlMtu', 'reachableTime'] }]);
    expect(d.empty).toBe(false);
    expect(diffTables([row('inet', '1n', 1500, 1)], [row('inet', '1n', 1500, 2)], ['reachableTime']).empty).toBe(true);
  });
});

describe('bench: latencyCdfSvg', () => {
  it('draws one line and one legend entry per series, escaping labels', () => {
    const svg = latencyCdfSvg(
      [
        { label: 'a <b>', samplesUs: [100, 200, 300] },
        { label: 'c', samplesUs: [1000, 2000] },
      ],
      { title: 'T & t' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('a &lt;b&gt;');
    expect(svg).toContain('T &amp; t');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
