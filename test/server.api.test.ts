/** The JSON API over a real index of ../shared/corpus/articles, built in beforeAll through ingest → analysis → index. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../src/index/index.js';
import type { Article } from '../src/ingest/types.js';
import { createSearchService, embeddedBackend } from '../src/search/index.js';
import type { SearchHit, SearchResult } from '../src/search/types.js';
import { createApp } from '../src/server/index.js';
import { AnswerEncoder } from '../src/server/answer-json.js';
import { analyzeCorpus, writeGeneration } from './fixtures/server/corpus-index.js';

const TOPIC_ARTICLE = '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md';
const Q = '新基础设施';

let app: ReturnType<typeof createApp>;
let service: ReturnType<typeof createSearchService>;
let articles: Article[];
let indexDir: string;

beforeAll(async () => {
  indexDir = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-server-api-'));
  const corpus = await analyzeCorpus();
  articles = corpus.articles;
  await writeGeneration(indexDir, corpus.builder);
  service = createSearchService(await openIndex(indexDir, { expectedAnalyzer: corpus.analyzer.identity }), corpus.analyzer);
  app = createApp({ getBackend: () => embeddedBackend(service), log: () => {} });
});

afterAll(async () => {
  await rm(indexDir, { recursive: true, force: true });
});

async function search(params: Record<string, string>): Promise<SearchResult> {
  const res = await request(app).get('/api/search').query(params);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return res.body as SearchResult;
}

describe('/api/search on the real corpus', () => {
  it('ranks 产业互联网正驶向深蓝 first for 新基础设施, with a highlighted snippet and facets', async () => {
    const result = await search({ q: Q });
    expect(result.query).toBe(Q);
    expect(result.page).toBe(1);
    expect(result.size).toBe(10);
    expect(result.total).toBeGreaterThanOrEqual(4);
    expect(result.hits).toHaveLength(Math.min(10, result.total));
    const first = result.hits[0]!;
    expect(first.id).toBe(TOPIC_ARTICLE);
    expect(first.title).toBe('产业互联网正驶向深蓝');
    expect(first.date).toBe('2021-09-15T08:00:00+08:00');
    expect(first.url).toBe(`/articles/${TOPIC_ARTICLE.split('/').map(encodeURIComponent).join('/')}`);
    expect(first.snippet).toContain('<mark>新基础设施</mark>');
    expect(first.matched_terms).toContain('新基础设施');
    expect(Object.keys(result.facets).sort()).toEqual(['author', 'category', 'tag', 'year']);
    const categoryTotal = result.facets.category.find((f) => f.value === '新媒体')!.count;
    expect(categoryTotal).toBeGreaterThan(0);
    const yearSum = result.facets.year.reduce((sum, f) => sum + f.count, 0);
    expect(yearSum).toBeLessThanOrEqual(result.total);
  });

  it('category, author and year filters give exactly the counts the facets announced', async () => {
    const unfiltered = await search({ q: Q });
    for (const name of ['category', 'author'] as const) {
      const facet = unfiltered.facets[name][0]!;
      const filtered = await search({ q: Q, [name]: facet.value, size: '100' });
      expect(filtered.total).toBe(facet.count);
      for (const hit of filtered.hits) {
        if (name === 'category') expect(hit.categories.some((c) => c === facet.value || c.startsWith(`${facet.value} › `))).toBe(true);
        else expect(hit.author).toBe(facet.value);
      }
    }
    const year = unfiltered.facets.year.find((f) => f.value === '2021')!;
    const byYear = await search({ q: Q, from: '2021', to: '2021', size: '100' });
    expect(byYear.total).toBe(year.count);
    expect(byYear.hits.every((hit) => hit.date!.startsWith('2021'))).toBe(true);
  });

  it('a category filter alone counts the articles of that category (checked against ingest)', async () => {
    const expected = articles.filter((a) => a.categories.some((c) => c.startsWith('编程 › '))).length;
    const result = await search({ category: '编程', size: '100' });
    expect(result.total).toBe(expected);
    expect(expected).toBe(22);
  });

  it('a tag filter matching nothing gives an empty result, not an error', async () => {
    const result = await search({ q: Q, tag: '不存在的标签' });
    expect(result.total).toBe(0);
    expect(result.hits).toEqual([]);
  });

  it('paginates without overlap: page 2 of size 5 is hits 5..9 of page 1 of size 10', async () => {
    const ten = await search({ q: Q, size: '10' });
    const p1 = await search({ q: Q, size: '5', page: '1' });
    const p2 = await search({ q: Q, size: '5', page: '2' });
    const ids = (hits: SearchHit[]) => hits.map((h) => h.id);
    expect([...ids(p1.hits), ...ids(p2.hits)]).toEqual(ids(ten.hits));
    expect(p2.page).toBe(2);
    expect(p2.size).toBe(5);
    const lastPage = Math.ceil(ten.total / 7);
    const last = await search({ q: Q, size: '7', page: String(lastPage) });
    expect(last.hits).toHaveLength(ten.total - (lastPage - 1) * 7);
    const beyond = await search({ q: Q, size: '7', page: String(lastPage + 1) });
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(ten.total);
  });

  it('sorts by date, newest first, and an empty query lists every article newest first', async () => {
    const byDate = await search({ q: Q, sort: 'date', size: '20' });
    const dates = byDate.hits.map((h) => h.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    const all = await search({});
    expect(all.total).toBe(articles.length);
    const allDates = all.hits.map((h) => h.date ?? '');
    expect(allDates).toEqual([...allDates].sort().reverse());
  });

  it('leaves facets and snippets out when asked (facets=false, snippets=0), with the same hits in the same order', async () => {
    const full = await search({ q: Q, size: '20' });
    const lean = await search({ q: Q, size: '20', facets: 'false', snippets: '0' });
    expect(lean.total).toBe(full.total);
    expect(lean.hits.map((h) => [h.id, h.score])).toEqual(full.hits.map((h) => [h.id, h.score]));
    expect(lean.hits.every((h) => h.snippet === '')).toBe(true);
    expect(lean.hits[0]!.matched_terms).toEqual(full.hits[0]!.matched_terms);
    expect(lean.facets).toEqual({ category: [], tag: [], author: [], year: [] });
    const explicit = await search({ q: Q, size: '20', facets: 'true', snippets: '1' });
    expect(explicit).toEqual({ ...full, took_ms: explicit.took_ms });
  });

  it('echoes a <script> query only as JSON data; snippets hold no markup but <mark>', async () => {
    const q = '<script>alert(1)</script> 基础设施';
    const result = await search({ q });
    expect(result.query).toBe(q);
    expect(result.total).toBeGreaterThan(0);
    for (const hit of result.hits) {
      expect(hit.snippet).not.toContain('<script');
      expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
    // The bare word `script` is in no post; it finds the posts with longer words ending in it (JavaScript,
    // TypeScript), whose snippets hold no markup either.
    const bare = await search({ q: '<script>' });
    expect(bare.query).toBe('<script>');
    expect(bare.total).toBeGreaterThan(0);
    for (const hit of bare.hits) {
      expect(hit.matched_terms.length).toBeGreaterThan(0);
      expect(hit.matched_terms.every((term) => term !== 'script' && term.endsWith('script'))).toBe(true);
      expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
  });
});

describe('answer bytes', () => {
  it('are what JSON.stringify writes, over the API and from the encoder, its cached stored fields checked', async () => {
    const queries = ['新基础设施', '产业互联网 数字化', '"新基础设施"', '<script>&"\'', '', 'zzzqqq', '新基础设施 -产业'];
    for (const q of queries) {
      const res = await request(app).get('/api/search').query({ q, size: '20' }).expect(200);
      expect(res.text).toBe(JSON.stringify(JSON.parse(res.text)));
    }
    const encoder = new AnswerEncoder();
    const answers = queries.flatMap((q) => [service.search({ q, size: 20 }), service.search({ q, size: 20, facets: false, snippets: false })]);
    // The second round reads the hits' stored fields from the encoder's cache.
    for (const answer of [...answers, ...answers]) expect(encoder.encode(answer).toString()).toBe(JSON.stringify(answer));
    // An article edited under the same id (a new generation): its hits are encoded anew.
    const first = answers[0]!;
    const edited = { ...first, hits: first.hits.map((hit, i) => (i === 0 ? { ...hit, title: `${hit.title}（修订）`, tags: [...hit.tags, '新'] } : hit)) };
    expect(encoder.encode(edited).toString()).toBe(JSON.stringify(edited));
    expect(encoder.encode(first).toString()).toBe(JSON.stringify(first));
  });
});

describe('no 500 for any user input', () => {
  it('answers 200 or 400 to random queries built from query-language pieces and odd characters', async () => {
    const piece = fc.oneof(
      fc.constantFrom('新基础设施', '"产业 互联网', '-流量', 'OR', 'category:', 'tag:游戏', 'author:"', 'date:2021-01..', 'date:..x', '(', ')', '\\', '%', '😀', '\u0000', '　', 'Ｋｕｂｅｒｎｅｔｅｓ', '資訊', '<mark>', '&amp;'),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), fc.constantFrom('relevance', 'date'), async (pieces, sort) => {
        const res = await request(app).get('/api/search').query({ q: pieces.join(' '), sort });
        expect([200, 400], JSON.stringify(pieces)).toContain(res.status);
        const suggest = await request(app).get('/api/suggest').query({ q: pieces.join('') });
        expect([200, 400], JSON.stringify(pieces)).toContain(suggest.status);
      }),
      { numRuns: 150 },
    );
  });
});

describe('error cases: status and code', () => {
  const cases: [string, number, string, string | undefined][] = [
    ['/api/search?q=x&page=0', 400, 'invalid_parameter', 'page'],
    ['/api/search?q=x&page=abc', 400, 'invalid_parameter', 'page'],
    ['/api/search?q=x&size=0', 400, 'invalid_parameter', 'size'],
    ['/api/search?q=x&size=2.5', 400, 'invalid_parameter', 'size'],
    ['/api/search?q=x&size=101', 400, 'invalid_parameter', 'size'],
    [`/api/search?q=${'长'.repeat(257)}`, 400, 'parameter_too_long', 'q'],
    ['/api/search?q=x&sort=popular', 400, 'invalid_parameter', 'sort'],
    ['/api/search?q=x&facets=no', 400, 'invalid_parameter', 'facets'],
    ['/api/search?q=x&snippets=yes', 400, 'invalid_parameter', 'snippets'],
    ['/api/search?q=x&from=2021-02-29', 400, 'invalid_parameter', 'from'],
    ['/api/search?q=x&to=21', 400, 'invalid_parameter', 'to'],
    ['/api/search?q=x&from=2022-01&to=2021', 400, 'invalid_parameter', 'from'],
    ['/api/search?q=x&q=y', 400, 'repeated_parameter', 'q'],
    ['/api/search?q=x&page=1&page=2', 400, 'repeated_parameter', 'page'],
    ['/api/suggest?q=a&q=b', 400, 'repeated_parameter', 'q'],
    ['/api/related/x.md?limit=0', 400, 'invalid_parameter', 'limit'],
    ['/api/articles/%E6%97%A0%E6%AD%A4%E6%96%87%E7%AB%A0.md', 404, 'not_found', 'id'],
    ['/api/articles/%E6%97%A0.md/related', 404, 'not_found', 'id'],
    ['/api/related/%E6%97%A0.md', 404, 'not_found', 'id'],
    ['/api/articles/%FF', 400, 'bad_request', undefined],
    ['/api/unknown', 404, 'not_found', undefined],
  ];
  it.each(cases)('%s → %i %s', async (url, status, code, parameter) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.parameter).toBe(parameter);
    if (status === 400 && parameter) expect(res.body.error.message).toContain(`"${parameter}"`);
  });
});

describe('articles, related, topics, stats', () => {
  it('finds every article of the corpus through its url, odd file names included', async () => {
    const odd = articles.filter((a) => /(^|\/)[ %.(&"+-]/.test(a.id) || a.id.includes('&'));
    expect(odd.length).toBeGreaterThanOrEqual(5);
    for (const article of articles) {
      const res = await request(app).get(article.url.replace(/^\/articles\//, '/api/articles/'));
      expect(res.status, article.id).toBe(200);
      expect(res.body.id).toBe(article.id);
    }
  });

  it('returns stored fields and text, and renders the article page escaped', async () => {
    const res = await request(app).get(`/api/articles/${TOPIC_ARTICLE.split('/').map(encodeURIComponent).join('/')}`).expect(200);
    expect(res.body.title).toBe('产业互联网正驶向深蓝');
    expect(res.body.text).toContain('新基础设施');
    expect(res.body.keywords).toContain('产业互联网');
    const page = await request(app).get(res.body.url).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1>产业互联网正驶向深蓝</h1>');
    // The date carries the site's offset and shows in that zone.
    expect(page.text).toContain('<time datetime="2021-09-15T08:00:00+08:00">2021-09-15 08:00</time>');
    // The one script is the page's own.
    expect(page.text.match(/<script[^>]*>/gi)).toEqual(['<script type="module" src="/app.js">']);
  });

  it('serves related articles under both id forms, never the article itself', async () => {
    const encoded = TOPIC_ARTICLE.split('/').map(encodeURIComponent).join('/');
    const a = await request(app).get(`/api/related/${encoded}?limit=5`).expect(200);
    const b = await request(app).get(`/api/articles/${encoded}/related?limit=5`).expect(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.id).toBe(TOPIC_ARTICLE);
    expect(a.body.related).toHaveLength(5);
    expect(a.body.related.map((h: SearchHit) => h.id)).not.toContain(TOPIC_ARTICLE);
  });

  it('lists topics with counts, stats and health', async () => {
    const topics = (await request(app).get('/api/topics?limit=5').expect(200)).body.topics;
    expect(topics).toHaveLength(5);
    for (const topic of topics) expect(topic.count).toBeGreaterThan(0);
    expect((await request(app).get('/api/topics?since=2100-01-01').expect(200)).body).toEqual({ topics: [] });
    const recent = (await request(app).get('/api/topics?since=2021-11&limit=100').expect(200)).body.topics;
    const all = (await request(app).get('/api/topics?limit=100').expect(200)).body.topics;
    const countOf = (list: { keyword: string; count: number }[], keyword: string) => list.find((t) => t.keyword === keyword)?.count ?? 0;
    for (const topic of recent.slice(0, 10)) expect(topic.count).toBeLessThanOrEqual(countOf(all, topic.keyword));
    expect(recent.reduce((sum: number, t: { count: number }) => sum + t.count, 0)).toBeLessThan(all.reduce((sum: number, t: { count: number }) => sum + t.count, 0));
    const games = (await request(app).get(`/api/topics?category=${encodeURIComponent('游戏')}&limit=3`).expect(200)).body.topics;
    expect(games[0].keyword).toBe('游戏');
    const stats = (await request(app).get('/api/stats').expect(200)).body;
    expect(stats.articles).toBe(articles.length);
    expect(stats.analyzer.segmenter).toBe('nodejieba');
    const health = (await request(app).get('/healthz').expect(200)).body;
    expect(health).toEqual({
      status: 'ok',
      generation: stats.generation,
      articles: articles.length,
      newest: stats.generation,
      loading: null,
      failed: null,
    });
  });

  it('suggests completions from titles and keywords', async () => {
    const res = await request(app).get('/api/suggest').query({ q: '产业互联网' }).expect(200);
    expect(res.body.suggestions).toContainEqual({ text: '产业互联网正驶向深蓝', kind: 'title', url: res.body.suggestions[0].url });
    expect(res.body.suggestions[0].url).toBe(`/articles/${TOPIC_ARTICLE.split('/').map(encodeURIComponent).join('/')}`);
  });
});
