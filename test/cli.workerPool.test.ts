/**
 * A reindex's analysis thread that dies reaches the reader as a Chinese reason beside the file (「分析线程失败：…」):
 * the pool turns Node's own English failures of a real worker thread into words of its own.
 */
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/cli/worker-pool.js';

const WORKER = new URL('./fixtures/worker-pool/failingWorker.mjs', import.meta.url);

describe('WorkerPool failures', () => {
  it('names a thread past its heap limit in Chinese', async () => {
    const pool = new WorkerPool<string, never, string>(WORKER, 1, null, { maxOldGenerationSizeMb: 16 });
    await pool.ready;
    await expect(pool.run('grow')).rejects.toThrow(/^线程内存不足，已终止$/);
    await pool.terminate();
  });

  it('names a thread that exited, with its exit code, and a closed pool', async () => {
    const pool = new WorkerPool<string, never, string>(WORKER, 1, null);
    await pool.ready;
    await expect(pool.run('exit')).rejects.toThrow(/^线程意外退出（退出码 3）$/);
    await pool.terminate();
    await expect(pool.run('exit')).rejects.toThrow(/^线程池已关闭$/);
  });
});
