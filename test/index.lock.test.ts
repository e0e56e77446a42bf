/**
 * The index folder's writer lock: a second writer is refused with a message naming the holder, waits when asked,
 * and a lock left by a dead process (or by a pid since reused) is taken over, by exactly one of several takers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { acquireIndexLock, currentLockHolder, IndexLockedError } from '../src/index/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function writeLock(holder: Record<string, unknown>): void {
  writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ host: os.hostname(), command: 'zhsearch reindex', since: '2026-01-01T00:00:00.000Z', ...holder }));
}

it('refuses a second writer with a Chinese message naming the holder, and frees the lock on release', async () => {
  const lock = await acquireIndexLock(dir, { command: 'zhsearch reindex --corpus /blog' });
  const error = await acquireIndexLock(dir, { command: 'other' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IndexLockedError);
  expect((error as Error).message).toBe(
    `索引目录 ${dir} 正由另一个进程写入（pid ${process.pid}，zhsearch reindex --corpus /blog，开始于 ${lock.holder.since}）`,
  );
  expect(currentLockHolder(dir)).toEqual(lock.holder);
  await lock.release();
  expect(currentLockHolder(dir)).toBeNull();
  const again = await acquireIndexLock(dir, { command: 'other' });
  expect(again.held()).toBe(true);
  await again.release();
});

it('waits for the holder when asked to, and reports once that it waits', async () => {
  const first = await acquireIndexLock(dir, { command: 'first' });
  const waits: (number | undefined)[] = [];
  const second = acquireIndexLock(dir, { command: 'second', waitMs: 10_000, onWait: (holder) => waits.push(holder?.pid) });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await first.release();
  const lock = await second;
  expect(lock.holder.command).toBe('second');
  expect(waits).toEqual([process.pid]);
  await lock.release();
});

it('takes over a lock whose process is gone, or whose pid now belongs to another process', async () => {
  writeLock({ pid: deadPid(), pidStart: null });
  expect(currentLockHolder(dir)).toBeNull();
  const lock = await acquireIndexLock(dir, { command: 'taker' });
  expect(JSON.parse(readFileSync(path.join(dir, 'LOCK'), 'utf8')).command).toBe('taker');
  await lock.release();

  // Our own pid, but another start time: the holder died and the pid was reused.
  writeLock({ pid: process.pid, pidStart: '1' });
  const reused = await acquireIndexLock(dir, { command: 'taker' });
  await reused.release();
});

it('a lock of a live process on this machine is never taken over', async () => {
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeLock({ pid: sleeper.pid, pidStart: null });
    await expect(acquireIndexLock(dir, { command: 'taker', waitMs: 300 })).rejects.toThrow(`pid ${sleeper.pid}，zhsearch reindex`);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

it('of eight processes finding the same stale lock, exactly one takes it over', async () => {
  writeLock({ pid: deadPid(), pidStart: null });
  const lockModule = path.resolve('src/index/lock.ts');
  const script = `
    const { acquireIndexLock } = await import(${JSON.stringify(lockModule)});
    try {
      const lock = await acquireIndexLock(${JSON.stringify(dir)}, { command: 'racer' });
      // Held until every other racer has given up (the parent then creates the release file).
      while (!(await import('node:fs')).existsSync(${JSON.stringify(path.join(dir, 'release'))})) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await lock.release();
      process.stdout.write('won');
    } catch (error) {
      process.stdout.write('lost');
    }`;
  let lost = 0;
  const runs = Array.from({ length: 8 }, () =>
    new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', () => {
        if (out === 'lost' && ++lost === 7) writeFileSync(path.join(dir, 'release'), '');
        resolve(out);
      });
    }),
  );
  const outcomes = await Promise.all(runs);
  expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
});
