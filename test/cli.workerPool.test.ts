/**
 * The reindex's analysis pool, with real worker threads. A thread that dies reaches the reader as a Chinese reason
 * beside the file (「分析线程失败：…」), only the file that killed it fails (the articles queued beside it are analysed
 * on a new thread), and a pool with no thread left fails at once instead of leaving its tasks unanswered.
 */
import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_PER_WORKER, PoolFailedError, WorkerPool } from '../src/cli/worker-pool.js';

const WORKER = new URL('./fixtures/worker-pool/failingWorker.mjs', import.meta.url);
type Answer = { task: string; threadId: number };

function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, message: error.message }),
  );
}

describe('WorkerPool', () => {
  it('names a thread past its heap limit in Chinese and fails only its task', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 1, null, { maxOldGenerationSizeMb: 16 });
    const [firstThread] = await pool.ready;
    const outcomes = await Promise.all(['a', 'grow', 'b', 'c'].map((task) => settle(pool.run(task))));
    expect(outcomes[1]).toEqual({ ok: false, message: '线程内存不足，已终止' });
    const answered = outcomes.filter((o) => o.ok).map((o) => (o as { value: Answer }).value);
    expect(answered.map((a) => a.task)).toEqual(['a', 'b', 'c']);
    // 'a' may have finished before the crash; 'b' and 'c' were behind it on the dead thread and ran on its replacement.
    expect(answered.some((a) => a.threadId !== firstThread)).toBe(true);
    expect(pool.size).toBe(1);
    await pool.terminate();
  });

  it('retries the tasks a dying thread had in flight, each alone, and fails the one that kills a thread twice', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 2, null);
    await pool.ready;
    const tasks = Array.from({ length: 3 * IN_FLIGHT_PER_WORKER }, (_, i) => (i === 3 ? 'exit' : `t${i}`));
    const outcomes = await Promise.all(tasks.map((task) => settle(pool.run(task))));
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, message: '线程意外退出（退出码 3）' }]);
    expect(outcomes[3]!.ok).toBe(false);
    expect(pool.size).toBe(2);
    await pool.terminate();
    await expect(pool.run('t')).rejects.toThrow(/^线程池已关闭$/);
  });

  it('ends once however often it is told to end (a reindex lets its threads exit while it builds, then awaits them)', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 2, null);
    await pool.ready;
    const ending = pool.terminate();
    expect(pool.terminate()).toBe(ending);
    await ending;
    await expect(pool.run('t')).rejects.toThrow(/^线程池已关闭$/);
  });

  it('closes once each thread has released what it holds; tasks still running fail as when it is terminated', async () => {
    const released = new SharedArrayBuffer(4);
    const pool = new WorkerPool<string, Answer, number>(WORKER, 2, { released });
    await pool.ready;
    const answers = Promise.all(['a', 'b', 'c'].map((task) => pool.run(task)));
    const closing = pool.close();
    expect(pool.terminate()).toBe(closing);
    await closing;
    expect(new Int32Array(released)[0]).toBe(2);
    await expect(answers).rejects.toThrow(/^线程池已关闭$/);
    await expect(pool.run('t')).rejects.toThrow(/^线程池已关闭$/);
  });

  it('shares tasks between its threads', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 2, null);
    const threads = await pool.ready;
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((task) => pool.run(task)));
    expect(new Set(answers.map((a) => a.threadId))).toEqual(new Set(threads));
    await pool.terminate();
  });

  it('fails every task at once when no thread could start', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 1, { dieAtInit: true });
    await expect(pool.ready).rejects.toThrow(/^线程意外退出（退出码 4）$/);
    const failed = pool.run('a');
    await expect(failed).rejects.toThrow(/^线程意外退出（退出码 4）$/);
    await expect(failed).rejects.toBeInstanceOf(PoolFailedError);
    expect(pool.size).toBe(0);
  });

  it('runs each task once when a thread dies of an uncaught error after answering', async () => {
    const runs = new SharedArrayBuffer(4 * 8);
    const pool = new WorkerPool<string, Answer, number>(WORKER, 1, { runs });
    await pool.ready;
    const tasks = ['n1', 'n2', '!3'];
    const answers = await Promise.all(tasks.map((task) => pool.run(task)));
    expect(answers.map((a) => a.task)).toEqual(tasks);
    // Every task started once: none that had answered was sent again to a replacement.
    await new Promise((done) => setTimeout(done, 200));
    expect([...new Int32Array(runs)].slice(1, 4)).toEqual([1, 1, 1]);
    expect(pool.size).toBe(1);
    await pool.terminate();
  });

  it('stops replacing threads that keep dying with no task answered, and fails the rest', async () => {
    const pool = new WorkerPool<string, Answer, number>(WORKER, 1, null);
    await pool.ready;
    const outcomes = await Promise.all(Array.from({ length: 3 * IN_FLIGHT_PER_WORKER }, () => settle(pool.run('exit'))));
    expect(outcomes.every((o) => !o.ok && o.message === '线程意外退出（退出码 3）')).toBe(true);
    expect(pool.size).toBe(0);
    await expect(pool.run('t1')).rejects.toBeInstanceOf(PoolFailedError);
  });
});
