/**
 * Per-thread CPU of child processes, read from Linux's /proc: how much each thread ran, how long it waited for a
 * core (schedstat's run-queue delay) and its nice value. Tells a starved server (its main thread waiting for a
 * core) from a busy one (its main thread running: its own work or garbage collection).
 */
import fs from 'node:fs';

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
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const [runNs, waitNs] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      // Fields after the parenthesised name start at field 3 (state); nice is field 19.
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      return [{ tid: Number(tid), runNs: runNs!, waitNs: waitNs!, nice }];
    } catch {
      return []; // the thread ended between the listing and the read
    }
  });
}

/** Nanoseconds on a core of every thread of `pid` and of its descendants (a cluster's workers) alive now; 0 off Linux. */
export function processTreeRunNs(pid: number): number {
  let children: number[] = [];
  try {
    children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
  } catch {
    // exited, or a kernel without the children file: this process alone
  }
  return threadSamples(pid).reduce((sum, thread) => sum + thread.runNs, 0) + children.reduce((sum, child) => sum + processTreeRunNs(child), 0);
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
