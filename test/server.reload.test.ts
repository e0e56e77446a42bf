/**
 * Hot reload under load: while autocannon sends requests to the running server on 127.0.0.1, a new
 * generation (one article removed, one added) is written in-process with writeIndex. No request may
 * fail, and the answers must switch to the new generation without a restart.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeArticle, openIndex } from '../src/index/index.js';
import { createSearchService, loadSearchService } from '../src/search/index.js';
import type { SearchResult, SearchService } from '../src/search/types.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { analyzeCorpus, fixtureArticle, writeGeneration, type CorpusIndex } from './fixtures/server/corpus-index.js';

const REMOVED = '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md';
const ADDED = '测试/热更新/reload-article.md';
const encodeId = (id: string) => id.split('/').map(encodeURIComponent).join('/');

let tmp: string;
let indexDir: string;
let corpus: CorpusIndex;
let server: RunningServer;
const logLines: string[] = [];

async function getJson<T>(pathAndQuery: string): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + pathAndQuery);
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-server-reload-'));
  indexDir = path.join(tmp, 'index');
  corpus = await analyzeCorpus();
  await writeGeneration(indexDir, corpus.builder);
  server = await startServer({ indexDir, port: 0, pollMs: 100, log: (line) => logLines.push(line) });
});

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('hot reload', () => {
  it('switches to a new generation under load with zero failed requests', async () => {
    const first = server.generation();
    expect((await getJson<SearchResult>('/api/search?q=' + 'zhsearchreloadprobe')).body.total).toBe(0);
    expect((await getJson(`/api/articles/${encodeId(REMOVED)}`)).status).toBe(200);

    const load = autocannon({
      url: server.url,
      connections: 4,
      duration: 3,
      requests: [
        { method: 'GET', path: '/api/search?q=' + encodeURIComponent('新基础设施') },
        { method: 'GET', path: '/api/search?q=' + encodeURIComponent('基础设施') + '&sort=date&page=2&size=5' },
        { method: 'GET', path: '/api/suggest?q=' + encodeURIComponent('产业') },
        { method: 'GET', path: '/healthz' },
      ],
    });

    await new Promise((resolve) => setTimeout(resolve, 500));
    corpus.builder.remove(REMOVED);
    corpus.builder.add(analyzeArticle(corpus.analyzer, await fixtureArticle('reload-article.md', ADDED)));
    const second = await writeGeneration(indexDir, corpus.builder);
    expect(second).not.toBe(first);
    await expect.poll(() => server.generation(), { timeout: 10_000, interval: 50 }).toBe(second);

    const result = await load;
    expect(result.requests.total).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(logLines.some((line) => new RegExp(`^index: switched from generation ${first} to ${second} \\(loaded in \\d+\\.\\d\\d s\\)$`).test(line))).toBe(true);

    const added = (await getJson<SearchResult>('/api/search?q=' + 'zhsearchreloadprobe')).body;
    expect(added.hits[0]?.id).toBe(ADDED);
    expect(added.hits[0]?.title).toBe('热更新测试：服务器无需重启即可切换索引');
    const gone = await getJson<{ error: { code: string } }>(`/api/articles/${encodeId(REMOVED)}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    const topic = (await getJson<SearchResult>('/api/search?q=' + encodeURIComponent('新基础设施'))).body;
    expect(topic.hits.map((h) => h.id)).not.toContain(REMOVED);
    expect((await getJson<{ generation: string; articles: number }>('/healthz')).body).toEqual({
      status: 'ok',
      generation: second,
      articles: corpus.articles.length,
      newest: second,
      loading: null,
      failed: null,
    });
  });

  it('keeps serving the old generation when the new one cannot be loaded, and says why', async () => {
    const live = server.generation();
    const current = path.join(indexDir, 'CURRENT');
    const saved = await readFile(current, 'utf8');
    await writeFile(current, '999999\n');
    try {
      await server.reload();
      expect(server.generation()).toBe(live);
      expect(logLines.some((line) => line.startsWith(`index: could not load generation 999999, still serving ${live}: `))).toBe(true);
      const health = (await getJson<Record<string, unknown>>('/healthz')).body;
      expect(health).toMatchObject({ status: 'stale', generation: live, newest: '999999', loading: null });
      expect(health.failed).toMatchObject({ generation: '999999' });
      expect((health.failed as { message: string }).message).toMatch(/^索引文件 .*999999.*manifest\.json 无法读取（ENOENT）/);
    } finally {
      await writeFile(current, saved);
    }
    // Once CURRENT names the live generation again, nothing is stale.
    await server.reload();
    expect((await getJson<{ status: string; newest: string }>('/healthz')).body).toMatchObject({ status: 'ok', newest: live });
  });
});

describe('the suggestions of a new generation', () => {
  it('come from the previous generation until they are indexed, then from the new one', async () => {
    const dir = path.join(tmp, 'suggest-index');
    const title = '热更新测试：服务器无需重启即可切换索引';
    const id = '测试/热更新/suggest-article.md';
    corpus.builder.remove(ADDED);
    await writeGeneration(dir, corpus.builder);
    const previous = createSearchService(await openIndex(dir), corpus.analyzer);
    const texts = (suggestions: { text: string }[]) => suggestions.map((suggestion) => suggestion.text);
    expect(texts(previous.suggest('热更新'))).not.toContain(title);

    corpus.builder.add(analyzeArticle(corpus.analyzer, await fixtureArticle('reload-article.md', id)));
    await writeGeneration(dir, corpus.builder);
    // Slices of one step: the suggestions are still being indexed when the service is handed over.
    const loaded = await loadSearchService(await openIndex(dir), corpus.analyzer, { sliceMs: 0, previous });
    expect((await loaded.search({ q: 'zhsearchreloadprobe' })).hits.map((hit) => hit.id)).toEqual([id]);
    expect(texts(loaded.suggest('热更新'))).not.toContain(title);
    await expect.poll(() => texts(loaded.suggest('热更新')), { timeout: 30_000, interval: 20 }).toContain(title);
  });

  it('let the previous generation go once their own are indexed, so reloads do not pile up old generations', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = vm.runInNewContext('gc') as () => void;
    const dir = path.join(tmp, 'release-index');
    await writeGeneration(dir, corpus.builder);
    let previous: SearchService | undefined = createSearchService(await openIndex(dir), corpus.analyzer);
    const released = new WeakRef(previous);
    const loaded = await loadSearchService(await openIndex(dir), corpus.analyzer, { sliceMs: 0, previous });
    previous = undefined;
    await expect
      .poll(
        () => {
          collectGarbage();
          return released.deref() === undefined;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
    expect(loaded.suggest('产业').length).toBeGreaterThan(0);
  });
});
