/**
 * A persistent (immutable) map from strings: a hash array mapped trie (HAMT, 32-way). `set` and
 * `delete` return a new map that shares every untouched node with the old one, so a change costs
 * O(log32 n) node copies (3 levels at 5000 entries) instead of a copy of every entry, and a map once
 * made never changes: `ipInterfaceTable$` hands one to each subscriber per change.
 *
 * @module
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;
/** Hashes are 32 bits: below this shift they are used up, and equal hashes share a collision node. */
const MAX_SHIFT = 30;

class Leaf<V> {
  constructor(
    readonly hash: number,
    readonly key: string,
    readonly value: V,
  ) {}
}

class Collision<V> {
  constructor(
    readonly hash: number,
    readonly leaves: readonly Leaf<V>[],
  ) {}
}

class Branch<V> {
  constructor(
    /** Bit i set: slot i of this level has a child, at index popcount(bitmap below bit i). */
    readonly bitmap: number,
    readonly children: readonly Node<V>[],
  ) {}
}

type Node<V> = Leaf<V> | Collision<V> | Branch<V>;

/**
 * The 32-bit hash a {@link PersistentMap} files a key under: FNV-1a over the UTF-16 code units
 * (cheap, and spreads the short, similar keys of interfaces well). Exported for tests of collisions.
 *
 * @example
 * ```ts
 * console.log(hashOf('inet:1689399632855040') & 31); // the key's slot at the top level (0-31)
 * ```
 */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function lookup<V>(node: Node<V> | undefined, hash: number, key: string): Leaf<V> | undefined {
  for (let shift = 0; node !== undefined; shift += BITS) {
    if (node instanceof Branch) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))];
    } else if (node instanceof Leaf) {
      return node.key === key ? node : undefined;
    } else {
      if (node.hash !== hash) return undefined;
      for (const leaf of node.leaves) if (leaf.key === key) return leaf;
      return undefined;
    }
  }
  return undefined;
}

/** A branch (or collision node) holding two leaves with different keys, from `shift` down. */
function join<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Node<V> {
  if (shift > MAX_SHIFT || a.hash === b.hash) return new Collision(a.hash, [a, b]);
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [join(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** A collision node meeting a leaf of another hash: both under one branch (hashes differ below `shift`). */
function joinNodes<V>(a: Collision<V>, b: Leaf<V>, shift: number): Node<V> {
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [joinNodes(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** `node` with `leaf` in it (replacing the leaf of the same key); `node` itself when nothing changes. */
function insert<V>(node: Node<V> | undefined, leaf: Leaf<V>, shift: number, added: { count: number }): Node<V> {
  if (node === undefined) {
    added.count = 1;
    return leaf;
  }
  if (node instanceof Branch) {
    const bit = 1 << ((leaf.hash >>> shift) & MASK);
    const index = popcount(node.bitmap & (bit - 1));
    if ((node.bitmap & bit) === 0) {
      added.count = 1;
      const children = node.children.slice();
      children.splice(index, 0, leaf);
      return new Branch(node.bitmap | bit, children);
    }
    const child = node.children[index]!;
    const next = insert(child, leaf, shift + BITS, added);
    if (next === child) return node;
    const children = node.children.slice();
    children[index] = next;
    return new Branch(node.bitmap, children);
  }
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return Object.is(node.value, leaf.value) ? node : leaf;
    added.count = 1;
    return join(node, leaf, shift);
  }
  if (node.hash !== leaf.hash) {
    added.count = 1;
    return joinNodes(node, leaf, shift);
  }
  const at = node.leaves.findIndex((l) => l.key === leaf.key);
  if (at >= 0 && Object.is(node.leaves[at]!.value, leaf.value)) return node;
  const leaves = node.leaves.slice();
  if (at >= 0) leaves[at] = leaf;
  else {
    added.count = 1;
    leaves.push(leaf);
  }
  return new Collision(node.hash, leaves);
}

/** `node` without `key`; `node` itself when the key is absent; undefined when nothing is left. */
function remove<V>(node: Node<V>, hash: number, key: string, shift: number): Node<V> | undefined {
  if (node instanceof Branch) {
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return node;
    const index = popcount(node.bitmap & (bit - 1));
    const child = node.children[index]!;
    const next = remove(child, hash, key, shift + BITS);
    if (next === child) return node;
    if (next === undefined) {
      if (node.children.length === 1) return undefined;
      const children = node.children.slice();
      children.splice(index, 1);
      // A lone leaf moves up, so every trie of the same keys has the same shape.
      if (children.length === 1 && !(children[0] instanceof Branch)) return children[0];
      return new Branch(node.bitmap & ~bit, children);
    }
    if (node.children.length === 1 && !(next instanceof Branch)) return next;
    const children = node.children.slice();
    children[index] = next;
    return new Branch(node.bitmap, children);
  }
  if (node instanceof Leaf) return node.key === key ? undefined : node;
  if (node.hash !== hash) return node;
  const at = node.leaves.findIndex((l) => l.key === key);
  if (at < 0) return node;
  if (node.leaves.length === 2) return node.leaves[1 - at];
  return new Collision(node.hash, node.leaves.filter((_, i) => i !== at));
}

/**
 * The trie of `leaves` from `shift` down: the same shape `insert` makes, one node per slot used. Equal
 * keys have equal hashes, so they meet only where every leaf has one hash: there a later leaf of a key
 * replaces the earlier one in its place (as `Map#set` would), and `dropped.count` counts them.
 */
function build<V>(leaves: readonly Leaf<V>[], shift: number, dropped: { count: number }): Node<V> {
  if (leaves.length === 1) return leaves[0]!;
  const hash = leaves[0]!.hash;
  if (leaves.every((l) => l.hash === hash)) return collision(hash, leaves, dropped);
  const buckets: Leaf<V>[][] = [];
  let bitmap = 0;
  for (const leaf of leaves) {
    const slot = (leaf.hash >>> shift) & MASK;
    bitmap |= 1 << slot;
    (buckets[slot] ??= []).push(leaf);
  }
  const children: Node<V>[] = [];
  for (let slot = 0; slot <= MASK; slot++) if (buckets[slot]) children.push(build(buckets[slot]!, shift + BITS, dropped));
  return new Branch(bitmap, children);
}

/** Hash digits in trie order (slot at shift 0 most significant): sorting by it lays leaves out as the trie walks them. */
function trieOrder(hash: number): number {
  let order = 0;
  for (let shift = 0; shift < 30; shift += BITS) order = order * 32 + ((hash >>> shift) & MASK);
  return order * 4 + (hash >>> 30);
}

/** Above this many leaves the trie order plus index no longer fits a double exactly: bucket instead. */
const MAX_SORTED = 1 << 20;

/**
 * The trie of `leaves` as {@link build} makes it, from one numeric sort of (trie order, index)
 * instead of bucket arrays at every level (at 10,000 rows those arrays were most of the garbage of
 * a build). The index keeps leaves of one hash in their given order.
 */
function buildAll<V>(leaves: readonly Leaf<V>[], dropped: { count: number }): Node<V> {
  const n = leaves.length;
  if (n >= MAX_SORTED) return build(leaves, 0, dropped);
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = trieOrder(leaves[i]!.hash) * MAX_SORTED + i;
  order.sort();
  const sorted = new Array<Leaf<V>>(n);
  for (let i = 0; i < n; i++) sorted[i] = leaves[order[i]! % MAX_SORTED]!;
  return buildRange(sorted, 0, n, 0, dropped);
}

/** The trie of `sorted[lo, hi)` (in trie order) from `shift` down. */
function buildRange<V>(sorted: readonly Leaf<V>[], lo: number, hi: number, shift: number, dropped: { count: number }): Node<V> {
  if (hi - lo === 1) return sorted[lo]!;
  const hash = sorted[lo]!.hash;
  // In trie order equal hashes are adjacent: the first and last agree only when all do.
  if (sorted[hi - 1]!.hash === hash) return collision(hash, sorted.slice(lo, hi), dropped);
  const children: Node<V>[] = [];
  let bitmap = 0;
  for (let start = lo; start < hi; ) {
    const slot = (sorted[start]!.hash >>> shift) & MASK;
    let end = start + 1;
    while (end < hi && ((sorted[end]!.hash >>> shift) & MASK) === slot) end++;
    bitmap |= 1 << slot;
    children.push(buildRange(sorted, start, end, shift + BITS, dropped));
    start = end;
  }
  return new Branch(bitmap, children);
}

/** Leaves of one hash: a collision node of the distinct keys (first place, last value), or one leaf. */
function collision<V>(hash: number, leaves: readonly Leaf<V>[], dropped: { count: number }): Node<V> {
  const distinct: Leaf<V>[] = [];
  for (const leaf of leaves) {
    const at = distinct.findIndex((l) => l.key === leaf.key);
    if (at < 0) distinct.push(leaf);
    else {
      distinct[at] = leaf;
      dropped.count++;
    }
  }
  return distinct.length === 1 ? distinct[0]! : new Collision(hash, distinct);
}

function* walk<V>(node: Node<V> | undefined): Generator<Leaf<V>, undefined, unknown> {
  if (node === undefined) return undefined;
  if (node instanceof Leaf) yield node;
  else if (node instanceof Collision) yield* node.leaves;
  else for (const child of node.children) yield* walk(child);
  return undefined;
}

/**
 * An immutable `ReadonlyMap<string, V>` with cheap updates: `set` and `delete` return a new map and
 * leave this one as it was (the two share all untouched structure). Iteration order is the order of
 * the keys' hashes, not insertion order.
 *
 * @example
 * ```ts
 * const empty = PersistentMap.empty<number>();
 * const one = empty.set('a', 1);
 * const two = one.set('b', 2);
 * console.log(one.size, two.size, two.get('b'), one.has('b')); // 1 2 2 false
 * ```
 */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>(undefined, 0);

  private constructor(
    private readonly root: Node<V> | undefined,
    /** Number of entries. */
    readonly size: number,
  ) {}

  /** The empty map (one shared instance). */
  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY;
  }

  /**
   * A map of `entries` (a later entry of the same key wins), built level by level rather than by
   * one `set` per entry (which copies a path per entry: 10,000 rows took 14-60 ms that way), and
   * without a `Map` to drop repeated keys first (they can only meet in one hash's bucket, where
   * `build` drops them): at 10,000 rows that `Map` was a third of the build.
   */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const leaves: Leaf<V>[] = [];
    for (const [key, value] of entries) leaves.push(new Leaf(hashOf(key), key, value));
    if (leaves.length === 0) return PersistentMap.empty();
    const dropped = { count: 0 };
    const root = buildAll(leaves, dropped);
    return new PersistentMap(root, leaves.length - dropped.count);
  }

  /**
   * A map of `values` under `keyOf(value)` (a later value of the same key wins): {@link from}
   * without an entry pair per value (a live table's first read is 10,000 rows at 5000 devices).
   */
  static fromValues<V>(values: readonly V[], keyOf: (value: V) => string): PersistentMap<V> {
    if (values.length === 0) return PersistentMap.empty();
    const leaves = new Array<Leaf<V>>(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      const key = keyOf(value);
      leaves[i] = new Leaf(hashOf(key), key, value);
    }
    const dropped = { count: 0 };
    const root = buildAll(leaves, dropped);
    return new PersistentMap(root, leaves.length - dropped.count);
  }

  get(key: string): V | undefined {
    return lookup(this.root, hashOf(key), key)?.value;
  }

  has(key: string): boolean {
    return lookup(this.root, hashOf(key), key) !== undefined;
  }

  /** This map with `key` set to `value`: this map itself when it already holds that very value. */
  set(key: string, value: V): PersistentMap<V> {
    const added = { count: 0 };
    const root = insert(this.root, new Leaf(hashOf(key), key, value), 0, added);
    return root === this.root ? this : new PersistentMap(root, this.size + added.count);
  }

  /** This map without `key`: this map itself when the key is absent. */
  delete(key: string): PersistentMap<V> {
    if (this.root === undefined) return this;
    const root = remove(this.root, hashOf(key), key, 0);
    if (root === this.root) return this;
    return root === undefined ? PersistentMap.empty() : new PersistentMap(root, this.size - 1);
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const leaf of walk(this.root)) callback.call(thisArg, leaf.value, leaf.key, this);
  }

  *entries(): Generator<[string, V], undefined, unknown> {
    for (const leaf of walk(this.root)) yield [leaf.key, leaf.value];
    return undefined;
  }

  *keys(): Generator<string, undefined, unknown> {
    for (const leaf of walk(this.root)) yield leaf.key;
    return undefined;
  }

  *values(): Generator<V, undefined, unknown> {
    for (const leaf of walk(this.root)) yield leaf.value;
    return undefined;
  }

  [Symbol.iterator](): Generator<[string, V], undefined, unknown> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap';
  }
}
