import { hashOf, PersistentMap } from '../../src/persistent-map';

/** mulberry32: a small seeded PRNG so a failing sequence can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sorted = <V>(m: ReadonlyMap<string, V>): [string, V][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Keys with equal 32-bit hashes, found once by a birthday search over `inet:<n>` (1.4 million keys). */
const COLLIDING = [
  ['inet:729849', 'inet:1410362'],
  ['inet:729848', 'inet:1410363'],
  ['inet:729843', 'inet:1410368'],
];

describe('PersistentMap', () => {
  it('behaves as a Map over 30,000 random set/delete operations (seed 7e57), and every old version stays as it was', () => {
    const random = prng(0x7e57);
    let map = PersistentMap.empty<number>();
    const model = new Map<string, number>();
    const versions: [PersistentMap<number>, [string, number][]][] = [];
    for (let i = 0; i < 30_000; i++) {
      const key = `k${Math.floor(random() * 3000)}`;
      if (random() < 0.4) {
        map = map.delete(key);
        model.delete(key);
      } else {
        const value = Math.floor(random() * 5);
        map = map.set(key, value);
        model.set(key, value);
      }
      if (map.size !== model.size) throw new Error(`step ${i}: size ${map.size}, expected ${model.size}`);
      if (i % 1000 === 0) versions.push([map, sorted(model)]);
    }
    expect(sorted(map)).toEqual(sorted(model));
    expect([...PersistentMap.from(model)]).toEqual([...map]);
    for (const [key, value] of model) expect([map.get(key), map.has(key)]).toEqual([value, true]);
    expect([map.get('absent'), map.has('absent')]).toEqual([undefined, false]);
    for (const [version, content] of versions) expect(sorted(version)).toEqual(content);
  });

  it('keeps keys of equal hashes apart (collision nodes), through set, replace and delete', () => {
    const pairs = COLLIDING;
    for (const [a, b] of pairs) expect(hashOf(a!)).toBe(hashOf(b!));
    let map = PersistentMap.from(pairs.flat().map((key, i) => [key, i] as const));
    expect(map.size).toBe(6);
    pairs.flat().forEach((key, i) => expect(map.get(key)).toBe(i));
    const [a, b] = pairs[0]!;
    map = map.set(a!, 100);
    expect([map.get(a!), map.get(b!), map.size]).toEqual([100, 1, 6]);
    map = map.delete(b!);
    expect([map.get(a!), map.has(b!), map.size]).toEqual([100, false, 5]);
    map = map.delete(a!);
    expect([map.has(a!), map.size]).toEqual([false, 4]);
    // A third key of another hash next to a collision node, then the pair removed around it.
    const [c, d] = pairs[1]!;
    const withOther = PersistentMap.from([[c!, 1], [d!, 2], ['other', 3]] as const);
    expect(sorted(withOther.delete(c!).delete(d!))).toEqual([['other', 3]]);
  });

  it('returns itself when nothing changes, and shares the empty map', () => {
    const row = { n: 1 };
    const map = PersistentMap.empty<object>().set('a', row);
    expect(map.set('a', row)).toBe(map);
    expect(map.delete('b')).toBe(map);
    expect(map.delete('a')).toBe(PersistentMap.empty());
    expect(PersistentMap.empty().delete('x')).toBe(PersistentMap.empty());
  });

  it('has one shape per key set: maps of the same entries built in any order iterate alike', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `inet6:${i * 7919}`);
    const forward = PersistentMap.from(keys.map((k) => [k, 1] as const));
    let shuffled = PersistentMap.from([...keys].reverse().map((k) => [k, 1] as const));
    for (let i = 0; i < 100; i++) shuffled = shuffled.set(`extra${i}`, 1);
    for (let i = 0; i < 100; i++) shuffled = shuffled.delete(`extra${i}`);
    expect([...shuffled.keys()]).toEqual([...forward.keys()]);
    // from() builds level by level; set() one path at a time: the same trie.
    let stepwise = PersistentMap.empty<number>();
    for (const k of keys) stepwise = stepwise.set(k, 1);
    expect([...stepwise.keys()]).toEqual([...forward.keys()]);
    const withCollisions = [...keys, ...COLLIDING.flat()];
    let both = PersistentMap.empty<number>();
    for (const k of withCollisions) both = both.set(k, 2);
    expect([...PersistentMap.from(withCollisions.map((k) => [k, 2] as const))]).toEqual([...both]);
  });

  it('from(): a later entry of a repeated key wins in the first one\'s place, also between colliding keys (seed f20b)', () => {
    const random = prng(0xf20b);
    const pool = [...Array.from({ length: 300 }, (_, i) => `inet:${i}`), ...COLLIDING.flat()];
    for (let round = 0; round < 50; round++) {
      const entries: [string, number][] = [];
      for (let i = 0; i < 400; i++) entries.push([pool[Math.floor(random() * pool.length)]!, i]);
      const model = new Map(entries);
      const map = PersistentMap.from(entries);
      expect(map.size).toBe(model.size);
      // The same trie, iteration order included, as one set() per distinct key in first-seen order.
      let stepwise = PersistentMap.empty<number>();
      for (const [key, value] of model) stepwise = stepwise.set(key, value);
      expect([...map]).toEqual([...stepwise]);
      // fromValues: the same map, keyed by a function of the value.
      const byValue = PersistentMap.fromValues(entries, ([key]) => key);
      expect([byValue.size, [...byValue].map(([key, [, value]]) => [key, value])]).toEqual([map.size, [...map]]);
    }
    const [a, b] = COLLIDING[0]!;
    const twice = PersistentMap.from([[a!, 1], [b!, 2], [a!, 3]] as const);
    expect([twice.size, twice.get(a!), twice.get(b!), [...twice.keys()]]).toEqual([2, 3, 2, [a, b]]);
    const one = PersistentMap.from([[a!, 1], [a!, 2]] as const);
    expect([one.size, one.get(a!)]).toEqual([1, 2]);
    expect(one.delete(a!)).toBe(PersistentMap.empty());
    expect(PersistentMap.fromValues([], String)).toBe(PersistentMap.empty());
  });

  it('is a ReadonlyMap: entries, keys, values, forEach, iteration and new Map() agree', () => {
    const map = PersistentMap.from([['a', 1], ['b', 2], ['c', 3]] as const);
    const seen: [string, number][] = [];
    map.forEach(function (this: unknown, value, key, self) {
      expect(self).toBe(map);
      expect(this).toBe(seen);
      seen.push([key, value]);
    }, seen);
    expect([...map]).toEqual(seen);
    expect([...map.entries()]).toEqual(seen);
    expect([...map.keys()]).toEqual(seen.map(([k]) => k));
    expect([...map.values()]).toEqual(seen.map(([, v]) => v));
    expect(new Map(map)).toEqual(new Map([['a', 1], ['b', 2], ['c', 3]]));
    expect(Object.prototype.toString.call(map)).toBe('[object PersistentMap]');
  });
});
