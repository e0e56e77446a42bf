/**
 * One writer per index folder: `<index>/LOCK` holds the writer's pid, its process start time, host, command and
 * when it took the lock. It is created atomically with its content (written to a private file, then hard-linked
 * to LOCK, which fails when LOCK exists). A lock whose process is gone (or whose pid now belongs to another
 * process, seen by its start time) is stale: it is broken under `LOCK.breaking`, itself taken with O_EXCL, so two
 * processes that find the same stale lock cannot both take it over.
 */
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const LOCK = 'LOCK';
const BREAKING = 'LOCK.breaking';
/** A breaker holds LOCK.breaking for a few file operations; one older than this was killed in between. */
const BREAKING_STALE_MS = 10_000;
/** An unreadable LOCK (disk trouble, hand-edited) this old is treated as stale. */
const UNREADABLE_STALE_MS = 60_000;
const POLL_MS = 100;

export interface LockHolder {
  pid: number;
  /** The process's start time (Linux: /proc/<pid>/stat field 22), to tell a reused pid from the holder. */
  pidStart: string | null;
  host: string;
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** Another live process holds the index's writer lock. The message names it (Chinese, shown to users). */
export class IndexLockedError extends Error {
  constructor(
    readonly indexDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(`索引目录 ${indexDir} 正由另一个进程写入（${describeHolder(holder)}）`);
    this.name = 'IndexLockedError';
  }
}

export interface IndexLock {
  readonly indexDir: string;
  readonly holder: LockHolder;
  /** True while LOCK still holds this lock's content. */
  held(): boolean;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** What the holder is doing, shown to whoever waits (e.g. `zhsearch reindex`). */
  command: string;
  /** How long to wait for the holder to finish (ms); default 0: refuse at once. Infinity waits for ever. */
  waitMs?: number;
  /** Called once when the lock is held by another live process and this call is going to wait. */
  onWait?: (holder: LockHolder | null) => void;
}

export function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return '持有者未知：LOCK 文件无法读取';
  const host = holder.host === os.hostname() ? '' : `，主机 ${holder.host}`;
  return `pid ${holder.pid}${host}，${holder.command}，开始于 ${holder.since}`;
}

/** Takes the writer lock of `indexDir` (created if missing), waiting up to options.waitMs for a live holder. */
export async function acquireIndexLock(indexDir: string, options: AcquireOptions): Promise<IndexLock> {
  await fs.mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK);
  const holder: LockHolder = {
    pid: process.pid,
    pidStart: processStart(process.pid),
    host: os.hostname(),
    command: options.command,
    since: new Date().toISOString(),
  };
  const content = JSON.stringify(holder) + '\n';
  const deadline = Date.now() + (options.waitMs ?? 0);
  let waited = false;
  for (;;) {
    if (tryCreate(file, content)) return heldLock(indexDir, file, holder, content);
    const seen = readLockFile(file);
    if (seen === undefined) continue; // released in between: try again at once
    if (isStale(file, seen)) {
      breakStale(indexDir, seen);
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    if (Date.now() >= deadline) throw new IndexLockedError(indexDir, seen.holder);
    if (!waited) options.onWait?.(seen.holder);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}

/** The current holder of `indexDir`'s lock, or null when it is free (or stale). */
export function currentLockHolder(indexDir: string): LockHolder | null {
  const file = path.join(indexDir, LOCK);
  const seen = readLockFile(file);
  if (seen === undefined || isStale(file, seen)) return null;
  return seen.holder;
}

/** True when `pid` runs and is still the process that started at `pidStart` (when known). */
export function processAlive(pid: number, pidStart: string | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (pidStart === null) return true;
  const now = processStart(pid);
  return now === null || now === pidStart;
}

function heldLock(indexDir: string, file: string, holder: LockHolder, content: string): IndexLock {
  const held = (): boolean => {
    try {
      return readFileSync(file, 'utf8') === content;
    } catch {
      return false;
    }
  };
  // A process that exits without releasing (process.exit on Ctrl-C) still frees the lock.
  const onExit = (): void => {
    if (held()) unlinkQuietly(file);
  };
  process.once('exit', onExit);
  return {
    indexDir,
    holder,
    held,
    release: async () => {
      process.off('exit', onExit);
      onExit();
    },
  };
}

/** Creates `file` with `content` only if it does not exist; the content is complete the moment the name appears. */
function tryCreate(file: string, content: string): boolean {
  const scratch = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(scratch, content, { flag: 'wx' });
  try {
    linkSync(scratch, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(scratch);
  }
}

interface SeenLock {
  raw: string;
  holder: LockHolder | null;
}

/** LOCK's content, or undefined when there is no LOCK. */
function readLockFile(file: string): SeenLock | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { raw: '', holder: null };
  }
  try {
    const holder = JSON.parse(raw) as LockHolder;
    return { raw, holder: Number.isInteger(holder.pid) && holder.pid > 0 ? holder : null };
  } catch {
    return { raw, holder: null };
  }
}

function isStale(file: string, seen: SeenLock): boolean {
  if (seen.holder === null) return ageMs(file) > UNREADABLE_STALE_MS;
  // A holder on another machine (a shared folder) cannot be checked: it is trusted.
  if (seen.holder.host !== os.hostname()) return false;
  return !processAlive(seen.holder.pid, seen.holder.pidStart);
}

/** Removes LOCK if it still holds exactly `seen`; only one process at a time may do this (LOCK.breaking). */
function breakStale(indexDir: string, seen: SeenLock): void {
  const file = path.join(indexDir, LOCK);
  const breaking = path.join(indexDir, BREAKING);
  let fd: number;
  try {
    fd = openSync(breaking, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is breaking it; a breaker killed half-way leaves an old LOCK.breaking behind.
    if (ageMs(breaking) > BREAKING_STALE_MS) unlinkQuietly(breaking);
    return;
  }
  try {
    const now = readLockFile(file);
    if (now !== undefined && now.raw === seen.raw) unlinkQuietly(file);
  } finally {
    closeSync(fd);
    unlinkQuietly(breaking);
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function processStart(pid: number): string | null {
  try {
    return procStatFields(`/proc/${pid}/stat`)[22 - 3] ?? null;
  } catch {
    return null;
  }
}

/**
 * The fields of a Linux /proc stat file (a process's or a thread's) from field 3 (state) on: those after the
 * parenthesised command name, which may hold spaces and parentheses itself. Field n (1-based, as proc(5) numbers
 * them) is at n - 3. Throws when the file cannot be read (the process or thread has ended, or not Linux).
 */
export function procStatFields(file: string): string[] {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
