'use strict';
/** Per-process figures from /proc: CPU (all threads), context switches, fds, threads, RSS. */
const fs = require('node:fs');

function tasks(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

function statusField(text, name) {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * CPU and wakeups of `pid` summed over its live threads: CPU time in ns from schedstat (the
 * scheduler's own accounting, finer than the 10 ms ticks of /proc/<pid>/stat), context switches
 * from each thread's status. Also the main thread's /proc/<pid>/stat utime+stime ticks.
 */
function cpuAndSwitches(pid) {
  let cpuNs = 0;
  let voluntary = 0;
  let involuntary = 0;
  let mainVoluntary = null;
  for (const tid of tasks(pid)) {
    try {
      cpuNs += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const st = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      voluntary += statusField(st, 'voluntary_ctxt_switches');
      involuntary += statusField(st, 'nonvoluntary_ctxt_switches');
      if (tid === String(pid)) mainVoluntary = statusField(st, 'voluntary_ctxt_switches');
    } catch {
      // thread exited meanwhile
    }
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return { cpuNs, voluntary, involuntary, mainVoluntary, ticks, threads: tasks(pid).length };
}

/** Open fds, threads and RSS (KiB) of `pid`. */
function resources(pid = process.pid) {
  const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { fds: fs.readdirSync(`/proc/${pid}/fd`).length, threads: statusField(st, 'Threads'), rssKiB: statusField(st, 'VmRSS') };
}

module.exports = { cpuAndSwitches, resources };
