/**
 * The SphinxQL backend against the embedded index on the real articles: the same corpus is indexed in memory and
 * written to two real searchd shards behind a distributed table; every search of the embedded backend's tests is
 * asked of both, which must find the same articles (sets, totals, facets, date order, pages) and the same top hit
 * wherever the embedded ranking has a clear winner (near-ties may order differently).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import { analyzeArticle, IndexBuilder, parseEngineUrl, syncEngine } from '../src/index/index.js';
import type { IndexReader } from '../src/index/types.js';
import { loadCorpus } from '../src/ingest/index.js';
import { createSearchService, embeddedBackend, engineBackend } from '../src/search/index.js';
import type { SearchBackend, SearchRequest, SearchResult } from '../src/search/types.js';
import { readQueries } from '../src/bench/judgments.js';
import { ndcgAt } from '../src/bench/metrics.js';
import { searchdAvailable, startCluster, type EngineCluster } from './fixtures/engine/searchd.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesDir = path.resolve(repoRoot, '../shared/corpus/articles');
const available = await searchdAvailable('test/engine.search.test.ts');

describe.skipIf(!available)('SphinxQL backend beside the embedded index', () => {
  let cluster: EngineCluster;
  let reader: IndexReader;
  let embedded: SearchBackend;
  let engine: SearchBackend;

  beforeAll(async () => {
    const analyzer = createAnalyzer({});
    const builder = new IndexBuilder(analyzer.identity);
    for await (const result of loadCorpus(articlesDir)) if (result.ok) builder.add(analyzeArticle(analyzer, result.article));
    reader = builder.build();
    embedded = embeddedBackend(createSearchService(reader, analyzer));
    cluster = await startCluster();
    const url = parseEngineUrl(cluster.url);
    const summary = await syncEngine(url, reader, (text) => analyzer.normalize(text));
    expect(summary.written).toBe(reader.docCount);
    engine = await engineBackend({ engine: url });
  });

  afterAll(async () => {
    await engine?.close();
    await cluster?.stop();
  });

  /** Every hit of a search, page by page. */
  async function allIds(backend: SearchBackend, request: SearchRequest): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const result = await backend.search({ ...request, page, size: 100 });
      ids.push(...result.hits.map((hit) => hit.id));
      if (ids.length >= result.total || result.hits.length === 0) return ids;
    }
  }

  const sameFacets = (a: SearchResult, b: SearchResult) => expect(b.facets).toEqual(a.facets);

  const matching: SearchRequest[] = [
    { q: '新基础设施' },
    { q: '"新基础设施"' },
    { q: '"产业互联网" -游戏' },
    { q: '基础设施 -新基础设施' },
    { q: '手机 -"苹果"' },
    { q: '芯片 OR 半导体' },
    { q: 'category:游戏' },
    { q: '', category: '游戏' },
    { q: '玩家', category: '游戏' },
    { q: 'date:2022-08' },
    { q: '', from: '2022-08', to: '2022-08-31' },
    { q: 'date:2022-08-01..2022-08' },
    { q: '游戏 玩家' },
    { q: '产业互联网 流量' },
    { q: 'Kubernetes' },
    { q: '-手机' },
    { q: '', category: '不存在的分类' },
  ];

  it.each(matching)('finds the same articles, total and facets: %j', async (request) => {
    const [a, b] = [await embedded.search({ ...request, size: 5 }), await engine.search({ ...request, size: 5 })];
    expect(b.total).toBe(a.total);
    expect(b.partial).toBeUndefined();
    sameFacets(a, b);
    expect(new Set(await allIds(engine, request))).toEqual(new Set(await allIds(embedded, request)));
  });

  const ranked = ['新基础设施', '手机', '游戏 玩家', '产业互联网 流量', '手机 -"苹果"', '基础设施', '苹果', '特斯拉 召回'];
  const sameWinner = async (q: string) => {
    const [a, b] = [await embedded.search({ q, size: 3 }), await engine.search({ q, size: 3 })];
    expect(a.hits.length).toBeGreaterThan(1);
    // A near-tie (the second within 10 % of the first) may order either way.
    if (a.hits[1].score < 0.9 * a.hits[0].score) expect(b.hits[0].id).toBe(a.hits[0].id);
    else expect(b.hits.slice(0, 2).map((hit) => hit.id)).toContain(a.hits[0].id);
  };
  it.each(ranked)('puts the same article first when the embedded ranking has a clear winner: %s', sameWinner);
  // An article with both sides of an OR (财联社's 芯片设备销售额, both in its title) must not beat the embedded index's
  // clear winner, which has 芯片 many times in its body: each side is ranked apart and an article counts its best.
  it('puts the same article first for an OR query: 芯片 OR 半导体', () => sameWinner('芯片 OR 半导体'));

  it('orders the top 10 as the embedded index does, phrase, proximity and synonyms included (nDCG@10 against its order)', async () => {
    // The judged queries' texts (../shared/eval), asked of the 313 articles: the embedded order is the reference, its
    // first three graded 3, the next three 2, the rest 1. Without the positional bonuses and the per-group missing-word
    // count the engine scored 0.80 here, 0.88 with them; 0.97 with its head re-ranked by zhsearch's own BM25F from the
    // engine's factors; 1.0 with the head ranked by the embedded index's own code over the rows' forward fields.
    const queries = ['dev', 'dev-hard'].flatMap((set) => readQueries(path.resolve(repoRoot, `../shared/eval/${set}/queries.tsv`)).map(({ query }) => query));
    let sum = 0;
    let count = 0;
    for (const q of queries) {
      const a = await embedded.search({ q, size: 10, facets: false, snippets: false });
      if (a.hits.length < 2) continue;
      const b = await engine.search({ q, size: 10, facets: false, snippets: false });
      sum += ndcgAt(10, b.hits.map((hit) => hit.id), new Map(a.hits.map((hit, i) => [hit.id, i < 3 ? 3 : i < 6 ? 2 : 1])));
      count++;
    }
    expect(count).toBeGreaterThan(30);
    expect(sum / count).toBeGreaterThan(0.99);
  });

  it('puts the article about 新基础设施 first, with the same snippet and matched terms', async () => {
    const [a, b] = [await embedded.search({ q: '新基础设施', size: 1 }), await engine.search({ q: '新基础设施', size: 1 })];
    expect(b.hits[0].id).toBe('新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md');
    expect(b.hits[0].snippet).toBe(a.hits[0].snippet);
    expect(b.hits[0].snippet).toContain('<mark>新基础设施</mark>');
    expect(b.hits[0].matched_terms).toEqual(a.hits[0].matched_terms);
    const { score: _a, ...embeddedHit } = a.hits[0];
    const { score: _b, ...engineHit } = b.hits[0];
    expect(engineHit).toEqual(embeddedHit);
  });

  it('lists newest first for an empty query and sorts by date on request, as the embedded index does', async () => {
    for (const request of [{ q: '', size: 40 }, { q: '手机', sort: 'date' as const, size: 40 }, { q: '游戏', sort: 'date' as const, category: '游戏', size: 40 }]) {
      const [a, b] = [await embedded.search(request), await engine.search(request)];
      expect(b.hits.map((hit) => hit.id)).toEqual(a.hits.map((hit) => hit.id));
      expect(b.hits.map((hit) => hit.date)).toEqual(a.hits.map((hit) => hit.date));
    }
  });

  it.each(['游戏 玩家', '游戏 OR 手机 OR 芯片'])('paginates consistently: %s', async (q) => {
    const whole = (await engine.search({ q, size: 30 })).hits.map((hit) => hit.id);
    const paged: string[] = [];
    for (const page of [1, 2, 3]) paged.push(...(await engine.search({ q, page, size: 10 })).hits.map((hit) => hit.id));
    expect(paged).toEqual(whole);
    expect(new Set(whole).size).toBe(30);
  });

  it('skips facets and snippets on request, with the same hits', async () => {
    const full = await engine.search({ q: '手机', size: 5 });
    const bare = await engine.search({ q: '手机', size: 5, facets: false, snippets: false });
    expect(bare.hits.map((hit) => hit.id)).toEqual(full.hits.map((hit) => hit.id));
    expect(bare.facets).toEqual({ category: [], tag: [], author: [], year: [] });
    expect(bare.hits.every((hit) => hit.snippet === '')).toBe(true);
  });

  it('answers article, topics, related, suggest and stats from the engine', async () => {
    const id = '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md';
    expect(await engine.article(id)).toEqual(await embedded.article(id));
    expect(await engine.article('没有/这篇.md')).toBeUndefined();
    expect(await engine.topics(10)).toEqual(await embedded.topics(10));

    const related = (await engine.related(id, 5))!;
    expect(related.length).toBe(5);
    expect(related.map((hit) => hit.id)).not.toContain(id);
    expect(related.every((hit) => hit.matched_terms.length > 0)).toBe(true);
    expect(await engine.related('没有/这篇.md')).toBeUndefined();

    const suggestions = await engine.suggest('产业互联', 8);
    expect(suggestions).toContainEqual({ text: '产业互联网正驶向深蓝', kind: 'title' });

    const stats = await engine.stats();
    expect(stats.articles).toBe(reader.docCount);
    expect(stats.analyzer).toEqual(reader.manifest.analyzer);
    expect(stats.sourceBytes).toBe(reader.manifest.sourceBytes);
    expect(stats.files.map((file) => file.name)).toEqual([`zhsearch_1@127.0.0.1:${cluster.port + 1}`, `zhsearch_2@127.0.0.1:${cluster.port + 2}`]);
    expect(stats.files.every((file) => file.bytes > 0)).toBe(true);
  });
});
