'use strict';
/** MTU values cycle over this many values, so an MTU target repeats only that many changes later. */
const MTU_SPAN = 200;

/**
 * Attributes each event to the change it reveals: the latest change of that kind at or before the
 * event whose target the event shows, if not attributed yet. Returns per-change latency (us) or null.
 */
function match(changes, events, ifindex, clock) {
  const latency = new Array(changes.length).fill(null);
  const times = changes.map((c) => (clock === 'real' ? c.realUs : c.monoUs));
  const sorted = events.filter((e) => e[1] === ifindex).sort((a, b) => a[0] - b[0]);
  let hi = -1;
  for (const [t, , mtu, up] of sorted) {
    while (hi + 1 < changes.length && times[hi + 1] <= t) hi++;
    for (const kind of ['mtu', 'up']) {
      const value = kind === 'mtu' ? mtu : up;
      if (value === -1) continue;
      for (let i = hi; i >= 0 && i > hi - 2 * MTU_SPAN; i--) {
        if (changes[i].kind !== kind || changes[i].value !== value) continue;
        if (latency[i] === null) latency[i] = t - times[i];
        break;
      }
    }
  }
  return latency;
}

module.exports = { match, MTU_SPAN };
