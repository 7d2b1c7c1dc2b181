'use strict';
/**
 * Child processes of the benchmark, talked to over Node IPC. A child records what it measures in
 * memory and hands it over only when asked, so IPC traffic never overlaps a measurement.
 * With `netns`, the child runs under `ip netns exec` (its sockets and os.networkInterfaces() see
 * that namespace); the IPC channel (an inherited fd) survives the exec.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

class Child {
  /**
   * @param {string} script file name under test/bench/children/
   * @param {object} options JSON-able options passed as argv[2]
   * @param {{ netns?: string, nodeArgs?: string[], pipeStdout?: boolean }} [how]
   */
  constructor(script, options, how = {}) {
    const file = path.join(__dirname, '..', 'children', script);
    const argv = [...(how.nodeArgs ?? []), file, JSON.stringify(options)];
    const stdio = ['ignore', how.pipeStdout ? 'pipe' : 'inherit', 'inherit', 'ipc'];
    this.name = script.replace(/\.js$/, '');
    this.proc = how.netns
      ? spawn('ip', ['netns', 'exec', how.netns, process.execPath, ...argv], { stdio })
      : spawn(process.execPath, argv, { stdio });
    this.pid = this.proc.pid;
    /** With pipeStdout: stdout lines with the time (Date.now()) they arrived. */
    this.lines = [];
    if (how.pipeStdout) {
      let rest = '';
      this.proc.stdout.setEncoding('utf8');
      this.proc.stdout.on('data', (d) => {
        const parts = (rest + d).split('\n');
        rest = parts.pop();
        for (const line of parts) this.lines.push({ at: Date.now(), line });
      });
    }
    this.waiters = [];
    this.inbox = [];
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(({ code, signal }) => {
      for (const w of this.waiters.splice(0)) w.reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) while awaited`));
    });
    this.proc.on('message', (msg) => {
      const i = this.waiters.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
      else this.inbox.push(msg);
      if (msg.type === 'error') for (const w of this.waiters.splice(0)) w.reject(new Error(`${this.name}: ${msg.message}`));
    });
  }

  /** Resolves with the next message of `type` (or one already received), rejects on timeout or exit. */
  waitFor(type, timeoutMs = 30000) {
    const j = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
    if (j >= 0) {
      const m = this.inbox.splice(j, 1)[0];
      return m.type === 'error' && type !== 'error' ? Promise.reject(new Error(`${this.name}: ${m.message}`)) : Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const w = { type, resolve, reject };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      w.resolve = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      w.reject = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiters.push(w);
    });
  }

  send(msg) {
    this.proc.send(msg);
  }

  /** Sends `{ cmd }` and waits for the reply of type `cmd`. */
  request(cmd, extra = {}, timeoutMs = 60000) {
    const reply = this.waitFor(cmd, timeoutMs);
    this.send({ cmd, ...extra });
    return reply;
  }

  /** Asks the child to exit; kills it (this child only, by pid) if it does not within `graceMs`. */
  async stop(graceMs = 5000) {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.exited;
    try {
      this.send({ cmd: 'exit' });
    } catch {
      // channel already closed
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/** Child side: calls `handlers[cmd](msg)` for each command, replies `{ type: cmd, ...result }`. */
function serve(handlers) {
  process.on('message', async (msg) => {
    if (msg.cmd === 'exit') {
      try {
        await handlers.exit?.();
      } finally {
        process.exit(0);
      }
    }
    const h = handlers[msg.cmd];
    if (!h) return;
    try {
      process.send({ type: msg.cmd, ...((await h(msg)) ?? {}) });
    } catch (error) {
      process.send({ type: 'error', message: error && error.stack ? error.stack : String(error) });
    }
  });
}

/** Child side: reports a fatal error to the parent and exits. */
function fail(error) {
  try {
    process.send({ type: 'error', message: error && error.stack ? error.stack : String(error) }, () => process.exit(1));
  } catch {
    process.exit(1);
  }
}

module.exports = { Child, serve, fail };
