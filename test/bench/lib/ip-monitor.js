'use strict';
/** Parses `ip -ts monitor link` output (TZ=UTC): [wall us, ifindex, mtu, up]. */
function parseIpMonitor(text) {
  const events = [];
  const re = /^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})\]\s+(Deleted\s+)?(\d+):\s.*?\smtu\s(\d+)\s.*?\sstate\s(\S+)/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const sec = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    events.push([sec * 1e6 + Number(m[7]), Number(m[9]), m[8] ? -1 : Number(m[10]), m[8] ? 0 : m[11] === 'UP' ? 1 : 0]);
  }
  return events;
}

module.exports = { parseIpMonitor };
