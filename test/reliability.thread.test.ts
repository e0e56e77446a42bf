/**
 * A server whose worker thread cannot start still switches to a new generation (issue 17): the thread that reads a
 * new generation's files failed to start, and the generation was marked as failed, though nothing was wrong with it.
 * Node's permission model without --allow-worker refuses every worker thread: a real way for one not to start.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articlesDir, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const SOURCE = path.join(articlesDir, '新媒体/IT 之家/分类资讯');
const NO_WORKERS = '--experimental-permission --allow-fs-read=* --allow-fs-write=* --allow-addons';

let work: string;
let corpus: string;
let indexDir: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-thread-'));
  corpus = path.join(work, 'corpus');
  indexDir = path.join(work, 'index');
  mkdirSync(corpus);
  for (const name of readdirSync(SOURCE).filter((n) => n.endsWith('.md')).sort().slice(0, 5)) cpSync(path.join(SOURCE, name), path.join(corpus, name));
  const run = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a server that cannot start a thread reads the new generation on its main thread, says so, and switches', async () => {
  const server = startCli(['serve', '--index', indexDir, '--port', '0'], work, { NODE_OPTIONS: NO_WORKERS });
  try {
    const url = await Promise.race([servedUrl(server.child), server.done.then((run) => Promise.reject(new Error(run.stderr)))]);
    const health = async () => (await (await fetch(`${url}/healthz`)).json()) as { status: string; generation: string; failed: unknown };
    const first = (await health()).generation;
    for (const name of readdirSync(SOURCE).filter((n) => n.endsWith('.md')).sort().slice(5)) cpSync(path.join(SOURCE, name), path.join(corpus, name));
    const reindex = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
    expect(reindex.code, reindex.stderr).toBe(0);
    await expect.poll(async () => (await health()).generation, { timeout: 30_000, interval: 100 }).not.toBe(first);
    expect(await health()).toMatchObject({ status: 'ok', failed: null });
  } finally {
    server.child.kill('SIGTERM');
  }
  const run = await server.done;
  expect(run.stderr).toContain('读取索引文件的线程未能完成');
  expect(run.stderr).toContain('改在主线程读取');
}, 120_000);
