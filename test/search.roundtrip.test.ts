/** An index written to disk and loaded back answers exactly like the one built in memory. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import { analyzeArticle, IndexBuilder, openIndex, writeIndex } from '../src/index/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import type { Article } from '../src/ingest/types.js';
import { createSearchService } from '../src/search/index.js';
import type { SearchRequest, SearchResult, SearchService } from '../src/search/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesDir = path.resolve(repoRoot, '../shared/corpus/articles');

let built: SearchService;
let loaded: SearchService;
let indexDir: string;
const articles: Article[] = [];

beforeAll(async () => {
  const analyzer = createAnalyzer({ segmenter: 'node-rs' });
  const builder = new IndexBuilder(analyzer.identity);
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    articles.push(result.article);
    builder.add(analyzeArticle(analyzer, result.article));
  }
  const reader = builder.build();
  indexDir = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-roundtrip-'));
  await writeIndex(indexDir, reader);
  built = createSearchService(reader, analyzer);
  loaded = createSearchService(await openIndex(indexDir, { expectedAnalyzer: analyzer.identity }), analyzer);
});

afterAll(async () => {
  if (indexDir) await rm(indexDir, { recursive: true, force: true });
});

/** 50 queries: the first two title words of 40 real articles, spread over the corpus, and every query form. */
function queries(): SearchRequest[] {
  const step = Math.floor(articles.length / 40);
  const fromTitles = Array.from({ length: 40 }, (_, i) => articles[i * step].title.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').slice(0, 2).join(' '));
  return [
    ...fromTitles.map((q) => ({ q })),
    { q: '新基础设施' },
    { q: '产业互联网 流量' },
    { q: '"产业互联网"' },
    { q: '手机 -苹果' },
    { q: '芯片 OR 半导体' },
    { q: '游戏', category: '游戏', sort: 'date' },
    { q: 'date:2021-09..2021-12 公司' },
    { q: '', page: 2, size: 5 },
    { q: '直播', size: 3, page: 2 },
    { q: 'author:36kr 融资' },
  ];
}

function withoutTiming(result: SearchResult): Omit<SearchResult, 'took_ms'> {
  const { took_ms: _took, ...rest } = result;
  return rest;
}

it('gives identical results, snippets and facets for 50 queries after persist and load', () => {
  const requests = queries();
  expect(requests).toHaveLength(50);
  let withHits = 0;
  for (const request of requests) {
    const expected = withoutTiming(built.search(request));
    if (expected.total > 0) withHits++;
    expect(withoutTiming(loaded.search(request)), JSON.stringify(request)).toEqual(expected);
  }
  // The comparison means something only if most queries find articles.
  expect(withHits).toBeGreaterThanOrEqual(45);
  expect(loaded.topics(10)).toEqual(built.topics(10));
  const id = articles[0].id;
  expect(loaded.related(id, 5)).toEqual(built.related(id, 5));
});
