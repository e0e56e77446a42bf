/**
 * A reindex of an index a server answers from runs at a lower priority as a whole (issue 17: the analysis threads
 * were lowered, but the build and write on the reindex's main thread competed with the server at full priority).
 * On Linux a nice value is per thread, so every thread of the running reindex is read from /proc.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlesDir, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const SOURCE = path.join(articlesDir, '新媒体/IT 之家/分类资讯');

let work: string;
let corpus: string;
let indexDir: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-priority-'));
  corpus = path.join(work, 'corpus');
  indexDir = path.join(work, 'index');
  mkdirSync(corpus);
  for (const name of readdirSync(SOURCE).filter((n) => n.endsWith('.md')).sort().slice(0, 5)) cpSync(path.join(SOURCE, name), path.join(corpus, name));
  const run = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Nice value of each thread of `pid` now (none once it has exited). */
function threadNiceness(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesised name start at field 3 (state); nice is field 19.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return [];
    }
  });
}

describe.runIf(process.platform === 'linux')('a reindex while a server uses the index', () => {
  it('runs every thread, main thread and analysis threads, at nice 5', async () => {
    const server = startCli(['serve', '--index', indexDir, '--port', '0'], work);
    try {
      await Promise.race([servedUrl(server.child), server.done.then((run) => Promise.reject(new Error(run.stderr)))]);
      for (const name of readdirSync(SOURCE).filter((n) => n.endsWith('.md')).sort().slice(5)) cpSync(path.join(SOURCE, name), path.join(corpus, name));
      const reindex = startCli(['reindex', '--json', '--corpus', corpus, '--index', indexDir], work);
      let stderr = '';
      reindex.child.stderr!.on('data', (chunk: string) => (stderr += chunk));
      const seen: number[][] = [];
      let finished = false;
      void reindex.done.then(() => (finished = true));
      while (!finished) {
        // Read only once the reindex has said it lowered itself: from then on no thread may run above nice 5.
        if (stderr.includes(`pid ${server.child.pid}`)) seen.push(threadNiceness(reindex.child.pid!));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const run = await reindex.done;
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'written', added: 4, workers: 1 });
      expect(run.stderr).toContain(`服务进程（pid ${server.child.pid}）正在使用该索引：用 1 个分析线程，整个重建进程以 nice 5 运行`);
      const samples = seen.filter((threads) => threads.length > 0);
      expect(samples.length).toBeGreaterThan(0);
      // Node runs a dozen threads (V8's, libuv's, the analysis worker): all of them lowered, none left at 0.
      expect(Math.max(...samples.map((threads) => threads.length))).toBeGreaterThan(5);
      expect(samples.flat().every((nice) => nice === 5)).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  }, 120_000);

  it('runs at normal priority when no server uses the index', async () => {
    const edited = readdirSync(corpus).find((n) => n.endsWith('.md'))!;
    appendFileSync(path.join(corpus, edited), '\n补记：本文已更新。\n');
    const reindex = startCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
    const seen: number[] = [];
    let finished = false;
    void reindex.done.then(() => (finished = true));
    while (!finished) {
      seen.push(...threadNiceness(reindex.child.pid!));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const run = await reindex.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('正在使用该索引');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((nice) => nice === os.getPriority(0))).toBe(true);
  }, 120_000);
});
