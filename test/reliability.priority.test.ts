/**
 * A reindex beside a server must not take the server's event loop or starve it of CPU (issue 17). On Linux a nice
 * value belongs to each thread, so the threads of the running processes are read from /proc: the server's main
 * thread (the one that answers requests) stays at nice 0 and runs none of the rebuild; analysis threads run below it.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadSamples } from '../src/bench/threadCpu.js';
import { articlesDir, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const SOURCE = path.join(articlesDir, '新媒体/IT 之家/分类资讯');
const sourcePosts = readdirSync(SOURCE).filter((n) => n.endsWith('.md')).sort();

let work: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-priority-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Nice value of each thread of `pid` now, by thread id (empty once it has exited). */
function threadNiceness(pid: number): Map<number, number> {
  return new Map(threadSamples(pid).map((thread) => [thread.tid, thread.nice]));
}

/** Samples `pid`'s threads every 5 ms until `done` settles. */
async function sampleUntil(pid: number, done: Promise<unknown>): Promise<Map<number, number>[]> {
  const samples: Map<number, number>[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    samples.push(threadNiceness(pid));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return samples;
}

/** Ids of the threads other than the main one seen at `nice` in any sample. */
function threadsAt(pid: number, samples: Map<number, number>[], nice: number): Set<number> {
  const tids = new Set<number>();
  for (const sample of samples) for (const [tid, value] of sample) if (tid !== pid && value === nice) tids.add(tid);
  return tids;
}

function copyPosts(corpus: string, names: string[]): void {
  mkdirSync(corpus, { recursive: true });
  for (const name of names) cpSync(path.join(SOURCE, name), path.join(corpus, name));
}

async function waitFor(check: () => boolean, limitMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(process.platform === 'linux')('a reindex beside a server', () => {
  it('serve --watch rebuilds on threads of its own, its analysis thread at nice 5, the thread answering requests at 0', async () => {
    const corpus = path.join(work, 'watch-corpus');
    copyPosts(corpus, sourcePosts.slice(0, 5));
    // One analysis thread whatever the cores: several start together at 0 and lower themselves one by one.
    const server = startCli(['serve', '--watch', '--workers', '1', '--port', '0', '--corpus', corpus, '--index', path.join(work, 'watch-index')], work);
    let output = '';
    server.child.stdout!.on('data', (chunk: string) => (output += chunk));
    try {
      const url = await Promise.race([servedUrl(server.child), server.done.then((run) => Promise.reject(new Error(run.stderr)))]);
      await waitFor(() => output.includes('正在监视'), 30_000, 'the watching message');
      const pid = server.child.pid!;
      const before = new Set(threadNiceness(pid).keys());

      copyPosts(corpus, sourcePosts.slice(5));
      const rebuilt = waitFor(() => output.includes('索引已更新：新增'), 60_000, 'the reindex line');
      const samples = await sampleUntil(pid, rebuilt);
      await rebuilt;
      expect(samples.every((threads) => threads.get(pid) === 0)).toBe(true);
      expect((await fetch(`${url}/api/search?q=${encodeURIComponent('苹果')}`)).status).toBe(200);
      // The rebuild's own thread (listing, hashing, loading, building, writing: off the event loop) starts before its
      // analysis thread, at normal priority, and lives on beside it; the analysis thread runs below it. (A thread that
      // reads the new generation for the switch starts only after the rebuild has written it.)
      const fresh = (threads: Map<number, number>, nice: number) => [...threads].filter(([tid, n]) => !before.has(tid) && n === nice).map(([tid]) => tid);
      const firstAnalysis = samples.findIndex((threads) => fresh(threads, 5).length > 0);
      expect(firstAnalysis).toBeGreaterThan(0);
      // (An analysis thread, and the counting thread started with the rebuild's builder, start at 0 and lower
      // themselves as they initialise: at 5 in a later sample. The rebuild's own thread stays at 0 while it lives.)
      const rebuildThreads = new Set(samples.slice(0, firstAnalysis).flatMap((threads) => fresh(threads, 0)));
      const lastNiceness = (tid: number) => samples.findLast((threads) => threads.has(tid))!.get(tid);
      const stillAtZero = [...rebuildThreads].filter((tid) => samples[firstAnalysis]!.get(tid) === 0 && lastNiceness(tid) === 0);
      expect(stillAtZero).toHaveLength(1);
      const rebuildThread = stillAtZero[0]!;
      await waitFor(() => !threadNiceness(pid).has(rebuildThread), 10_000, 'the rebuild thread ending');
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  }, 120_000);

  it('a separate reindex lowers its analysis threads to nice 5, and only while a server uses the index', async () => {
    const corpus = path.join(work, 'corpus');
    const indexDir = path.join(work, 'index');
    copyPosts(corpus, sourcePosts.slice(0, 5));
    const first = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
    expect(first.code, first.stderr).toBe(0);

    const server = startCli(['serve', '--index', indexDir, '--port', '0'], work);
    try {
      await Promise.race([servedUrl(server.child), server.done.then((run) => Promise.reject(new Error(run.stderr)))]);
      copyPosts(corpus, sourcePosts.slice(5));
      const reindex = startCli(['reindex', '--json', '--corpus', corpus, '--index', indexDir], work);
      const samples = await sampleUntil(reindex.child.pid!, reindex.done);
      const run = await reindex.done;
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { status: string; workers: number };
      expect(summary.status).toBe('written');
      expect(run.stderr).toContain(`服务进程（pid ${server.child.pid}）正在使用该索引`);
      // Its analysis threads, and the thread counting collocations and abbreviations after them (too short-lived
      // for every sample to catch).
      const lowered = threadsAt(reindex.child.pid!, samples, 5).size;
      expect(lowered).toBeGreaterThanOrEqual(summary.workers);
      expect(lowered).toBeLessThanOrEqual(summary.workers + 1);
      expect(samples.every((threads) => threads.get(reindex.child.pid!) === 0)).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }

    appendFileSync(path.join(corpus, sourcePosts[0]!), '\n补记：本文已更新。\n');
    const alone = startCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
    const samples = await sampleUntil(alone.child.pid!, alone.done);
    expect((await alone.done).code).toBe(0);
    expect(threadsAt(alone.child.pid!, samples, 5).size).toBe(0);
  }, 120_000);
});
