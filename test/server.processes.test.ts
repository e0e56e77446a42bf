/**
 * `serve --processes 2` (the built CLI): two processes answer on one port exactly as one process does, both switch
 * to a new generation under load with no failed request, one that dies is replaced, and stopping the server stops
 * all of them after their last log lines.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeArticle, servingProcesses } from '../src/index/index.js';
import type { SearchResult } from '../src/search/types.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { servedUrl, startCli, type CliRun } from './fixtures/cli/run-cli.js';
import { analyzeCorpus, fixtureArticle, writeGeneration, type CorpusIndex } from './fixtures/server/corpus-index.js';

const ADDED = '测试/热更新/reload-article.md';
const QUERIES = ['新基础设施', '基础设施 5G', '"产业互联网"', '开源', 'zhsearchreloadprobe'];

let tmp: string;
let indexDir: string;
let corpus: CorpusIndex;
let single: RunningServer;
let cli: { child: ReturnType<typeof startCli>['child']; done: Promise<CliRun> };
let url: string;

/** Over a connection of its own: the cluster primary hands each new connection to the next process. */
function getJson<T>(base: string, pathAndQuery: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    http
      .get(base + pathAndQuery, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as T }));
      })
      .on('error', reject);
  });
}

/** An answer without its timing, the one part that differs between two runs of the same query. */
async function answer(base: string, q: string): Promise<Omit<SearchResult, 'took_ms'>> {
  const { status, body } = await getJson<SearchResult>(base, `/api/search?q=${encodeURIComponent(q)}`);
  expect(status).toBe(200);
  const { took_ms: _took, ...rest } = body;
  return rest;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-server-processes-'));
  indexDir = path.join(tmp, 'index');
  corpus = await analyzeCorpus();
  await writeGeneration(indexDir, corpus.builder);
  single = await startServer({ indexDir, port: 0, log: () => {} });
  cli = startCli(['serve', '--processes', '2', '--index', indexDir, '--port', '0'], tmp);
  url = await servedUrl(cli.child);
});

afterAll(async () => {
  cli?.child.kill('SIGTERM');
  await cli?.done;
  await single?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('serve --processes 2', () => {
  it('answers from two processes, each a registered server of the index, exactly as one process', async () => {
    const pids = await servingProcesses(indexDir);
    expect(pids).toContain(process.pid); // the in-process reference server
    const workers = pids.filter((pid) => pid !== process.pid);
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(cli.child.pid);
    for (const q of QUERIES) {
      const expected = await answer(single.url, q);
      // Two requests on fresh connections: one to each process.
      expect(await answer(url, q)).toEqual(expected);
      expect(await answer(url, q)).toEqual(expected);
    }
  });

  it('switches both processes to a new generation under load with zero failed requests', async () => {
    const first = (await getJson<{ generation: string }>(url, '/healthz')).body.generation;
    const load = autocannon({
      url,
      connections: 4,
      duration: 3,
      requests: [
        { method: 'GET', path: '/api/search?q=' + encodeURIComponent('新基础设施') },
        { method: 'GET', path: '/api/suggest?q=' + encodeURIComponent('产业') },
        { method: 'GET', path: '/healthz' },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    corpus.builder.add(analyzeArticle(corpus.analyzer, await fixtureArticle('reload-article.md', ADDED)));
    const second = await writeGeneration(indexDir, corpus.builder);
    expect(second).not.toBe(first);
    const generations = async () => Promise.all([1, 2, 3, 4].map(async () => (await getJson<{ generation: string }>(url, '/healthz')).body.generation));
    await expect.poll(generations, { timeout: 10_000, interval: 100 }).toEqual([second, second, second, second]);

    const result = await load;
    expect(result.requests.total).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    for (let i = 0; i < 2; i++) expect((await answer(url, 'zhsearchreloadprobe')).hits.map((hit) => hit.id)).toEqual([ADDED]);
  });

  it('replaces a process that dies, and the new one answers as the others', async () => {
    const workers = async () => (await servingProcesses(indexDir)).filter((pid) => pid !== process.pid).sort();
    const before = await workers();
    expect(before).toHaveLength(2);
    process.kill(before[0], 'SIGKILL');
    await expect.poll(async () => { const now = await workers(); return now.length === 2 && !now.includes(before[0]); }, { timeout: 30_000, interval: 100 }).toBe(true);
    const expected = await answer(single.url, 'zhsearchreloadprobe');
    for (let i = 0; i < 4; i++) expect(await answer(url, 'zhsearchreloadprobe')).toEqual(expected);
  });

  it('prints the log lines of both processes, and stops all of them on SIGTERM after their last lines', async () => {
    const workers = (await servingProcesses(indexDir)).filter((pid) => pid !== process.pid);
    expect(workers).toHaveLength(2);
    // Sent just before the stop: the processes hold their log lines for 100 ms, and close() sends them.
    await answer(url, '最后一个请求');
    cli.child.kill('SIGTERM');
    const { code, stdout } = await cli.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^服务进程 \d+ 已退出（信号 SIGKILL），正在启动新的进程$/m);
    expect(stdout).toContain(`GET /api/search?q=${encodeURIComponent('最后一个请求')} 200 `);
    expect(stdout.match(/^zhsearch: serving embedded \d+ \(\d+ articles\) at http:\/\/127\.0\.0\.1:\d+\/$/gm)).toHaveLength(3);
    expect(stdout).toMatch(/^GET \/api\/search\?q=zhsearchreloadprobe 200 \d+\.\dms$/m);
    await expect.poll(async () => (await servingProcesses(indexDir)).filter((pid) => pid !== process.pid), { timeout: 5_000, interval: 50 }).toEqual([]);
  });
});
