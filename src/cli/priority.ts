/**
 * Lowering a reindex's CPU priority while a server answers from the same index. On Linux a nice value belongs to
 * each thread, not to the process: setpriority on the process id (or on 0) changes only the calling thread, and a
 * new thread starts with the value of the thread that created it. So a whole process is lowered thread by thread
 * (/proc/self/task lists them: V8's and libuv's helper threads already running), and the threads started after
 * that (analysis workers, libuv's pool for zlib and fs) inherit the main thread's value.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';

/** Raises the calling thread's nice value to `niceness` (never lowers it). */
export function lowerThreadPriority(niceness: number): void {
  lowerPriorityOf(0, niceness);
}

/** Raises the nice value of every thread of this process to `niceness` (never lowers one). */
export function lowerProcessPriority(niceness: number): void {
  for (const thread of otherThreads()) lowerPriorityOf(thread, niceness);
  // The main thread's: a thread it starts from now on inherits it.
  lowerPriorityOf(0, niceness);
}

/** Ids of this process's other threads on Linux; elsewhere none (there, 0 means the whole process). */
function otherThreads(): number[] {
  if (process.platform !== 'linux') return [];
  try {
    return readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => tid !== process.pid);
  } catch {
    return [];
  }
}

function lowerPriorityOf(thread: number, niceness: number): void {
  try {
    if (niceness > os.getPriority(thread)) os.setPriority(thread, niceness);
  } catch {
    // Not permitted, or the thread has ended: it runs at the priority it had.
  }
}
