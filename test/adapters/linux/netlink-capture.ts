/**
 * Real kernel bytes for the address and route parser tests: builds netlink-capture.c with gcc and
 * runs it inside a test namespace (dump requests, or a monitor that records notifications while the
 * test changes things). Each datagram comes back as one Buffer, exactly as recv() returned it.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestNetns } from '../../helpers/netns';

let built: string | undefined;

/** Compiles the capture program once per jest worker and returns its path. */
export function captureProgram(): string {
  if (built && fs.existsSync(built)) return built;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxipi-capture-'));
  const out = path.join(dir, 'netlink-capture');
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', out, path.join(__dirname, 'netlink-capture.c')], { stdio: 'pipe' });
  built = out;
  return out;
}

/** Removes the compiled program (afterAll). */
export function removeCaptureProgram(): void {
  if (built) fs.rmSync(path.dirname(built), { recursive: true, force: true });
  built = undefined;
}

const datagrams = (stdout: string): Buffer[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '' && l !== 'ready')
    .map((l) => Buffer.from(l, 'hex'));

/** What a dump asks for. */
export interface DumpRequest {
  readonly what: 'addr' | 'route';
  /** Linux family: 0, 2 or 10. */
  readonly family: number;
  /** ifa_index / RTA_OIF filter (0: none). */
  readonly ifindex?: number;
  /** Set NETLINK_GET_STRICT_CHK before the request. */
  readonly strict?: boolean;
}

/** The datagrams of one RTM_GETADDR / RTM_GETROUTE dump inside `ns` (the last one holds NLMSG_DONE). */
export function captureDump(ns: TestNetns, request: DumpRequest): Buffer[] {
  const args = ['dump', request.what, String(request.family), String(request.ifindex ?? 0), ...(request.strict ? ['strict'] : [])];
  return datagrams(ns.exec(captureProgram(), ...args));
}

/**
 * Records the notifications of the RTMGRP_* `groups` inside `ns` while `change` runs and after it,
 * until `quietMs` pass without one (counted from the end of `change`: a slow change on a loaded
 * machine cannot end the capture early).
 */
export function captureNotifications(ns: TestNetns, groups: number, change: () => void, quietMs = 300): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns.name, captureProgram(), 'monitor', String(groups), String(quietMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let changed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!changed && stdout.startsWith('ready\n')) {
        changed = true;
        try {
          change();
          child.stdin.end();
        } catch (error) {
          child.kill('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code === 0) resolve(datagrams(stdout));
      else reject(new Error(`netlink-capture monitor exited with ${code}: ${stderr}`));
    });
  });
}

/** What the mappings need to know of a device (LUID as the adapter synthesizes it, name, loopback). */
export interface CapturedDevice {
  readonly interfaceLuid: bigint;
  readonly interfaceName: string;
  readonly loopback: boolean;
}

/** The devices of `ns` by ifindex, from `ip -j link` (ARPHRD from link_type: ether 1, loopback 772). */
export function deviceTable(ns: TestNetns, luid: (arphrd: number, ifindex: number) => bigint): Map<number, CapturedDevice> {
  const arphrd: Record<string, number> = { ether: 1, loopback: 772 };
  const links = JSON.parse(ns.ip('-j', 'link', 'show')) as { ifindex: number; ifname: string; link_type: string }[];
  return new Map(
    links.map((l) => [l.ifindex, { interfaceLuid: luid(arphrd[l.link_type] ?? 0, l.ifindex), interfaceName: l.ifname, loopback: l.link_type === 'loopback' }]),
  );
}
