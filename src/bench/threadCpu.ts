/**
 * Per-thread CPU of child processes, read from Linux's /proc: how much each thread ran, how long it waited for a
 * core (schedstat's run-queue delay) and its nice value. Tells a starved server (its main thread waiting for a
 * core) from a busy one (its main thread running: its own work or garbage collection).
 */
import fs from 'node:fs';
import { procStatFields } from '../index/index.js';

export interface ThreadSample {
  tid: number;
  /** Nanoseconds on a core and waiting on a run queue since the thread started. */
  runNs: number;
  waitNs: number;
  nice: number;
}

/** Every thread of `pid` now; empty once it has exited or off Linux. */
export function threadSamples(pid: number): ThreadSample[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    try {
      const stat = procStatFields(`/proc/${pid}/task/${tid}/stat`);
      const [runNs, waitNs] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      const nice = Number(stat[19 - 3]);
      return [{ tid: Number(tid), runNs: runNs!, waitNs: waitNs!, nice }];
    } catch {
      return []; // the thread ended between the listing and the read
    }
  });
}

/** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times (100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU nanoseconds (user + system) of `pid`, threads that ended included, and of its descendants alive now (a cluster's
 * workers); 0 off Linux or once it has exited.
 */
export function processTreeCpuNs(pid: number): number {
  let own: number;
  try {
    const stat = procStatFields(`/proc/${pid}/stat`);
    // utime and stime are fields 14 and 15.
    own = ((Number(stat[14 - 3]) + Number(stat[15 - 3])) / TICKS_PER_SECOND) * 1e9;
  } catch {
    return 0;
  }
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    // exited since
  }
  let children = 0;
  for (const tid of tids) {
    let listed: string;
    try {
      listed = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue; // the thread ended since the listing, or a kernel without the file
    }
    for (const child of listed.trim().split(' ').filter(Boolean)) children += processTreeCpuNs(Number(child));
  }
  return own + children;
}

/** Shares of wall time over a window: the main thread's running and waiting, and the other threads' running. */
export interface CpuShares {
  mainRun: number;
  mainWait: number;
  othersRun: number;
}

/** Samples the threads of each named process every `intervalMs` until stopped; shares over any window after. */
export class ThreadSampler {
  private readonly samples: { at: number; byPid: Map<number, ThreadSample[]> }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: () => number[], intervalMs = 500) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    this.samples.push({ at: performance.now(), byPid: new Map(this.pids().map((pid) => [pid, threadSamples(pid)])) });
  }

  /** The process's shares between the first and last samples inside [from, to]; null without two samples of it. */
  shares(pid: number, from: number, to: number): CpuShares | null {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to && (s.byPid.get(pid)?.length ?? 0) > 0);
    if (inside.length < 2) return null;
    const first = inside[0]!;
    const last = inside[inside.length - 1]!;
    const wallNs = (last.at - first.at) * 1e6;
    const before = new Map(first.byPid.get(pid)!.map((t) => [t.tid, t]));
    const shares = { mainRun: 0, mainWait: 0, othersRun: 0 };
    for (const thread of last.byPid.get(pid)!) {
      const start = before.get(thread.tid) ?? { runNs: 0, waitNs: 0 };
      if (thread.tid === pid) {
        shares.mainRun = (thread.runNs - start.runNs) / wallNs;
        shares.mainWait = (thread.waitNs - start.waitNs) / wallNs;
      } else {
        shares.othersRun += (thread.runNs - start.runNs) / wallNs;
      }
    }
    return shares;
  }
}
