/**
 * Kept snippets (articleHits with KeptSnippets, as the search service keeps them): a page's hits take the snippets
 * kept for their document and terms and keep those they make; each is the snippet made without keeping, whichever of
 * the page's other hits were kept, on the real articles. A service asked again answers as a fresh one.
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { createAnalyzer, type Analyzer } from '../src/analysis/index.js';
import { analyzeArticle, IndexBuilder } from '../src/index/index.js';
import type { IndexReader, StoredArticle } from '../src/index/types.js';
import { loadCorpus } from '../src/ingest/index.js';
import { articleHits, snippetKey, type HitSource, type KeptSnippets } from '../src/search/hit.js';
import { createSearchService } from '../src/search/index.js';
import type { SearchRequest, SearchResult } from '../src/search/types.js';
import { articlesDir } from './fixtures/analysis/corpusText.js';
import { countingAnalyzer } from './fixtures/search/countingAnalyzer.js';

let articles: StoredArticle[] = [];
let analyzer: Analyzer;
/** An index of every real article, for the service's own keeping. */
let reader: IndexReader;

beforeAll(async () => {
  analyzer = createAnalyzer({ segmenter: 'node-rs' });
  const builder = new IndexBuilder(analyzer.identity);
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    builder.add(analyzeArticle(analyzer, result.article));
    if (result.article.text.length > 300) articles.push({ ...result.article, keywords: [] });
  }
  reader = builder.build();
});

/** A hit of article `index` marking words of its own text (a later one as a sub-word), from its body or not. */
function hitOf(index: number, picks: number[], subPick: number, inBody: boolean): HitSource & { doc: number } {
  const article = articles[index]!;
  const { terms: all } = analyzer.terms(article.text);
  const wholes = [...new Set(picks.map((pick) => all[pick % all.length]!))];
  const subwords = [all[subPick % all.length]!].filter((term) => !wholes.includes(term));
  return { doc: index, article, score: 1, matched: wholes, snippetTerms: { wholes, subwords }, inBody };
}

/** Snippets kept in `store`, as the service keeps them (without its bounds). */
const keptIn = (store: Map<string, string>): KeptSnippets => ({ get: (key) => store.get(key), keep: (key, snippet) => void store.set(key, snippet) });

const keyed = (hits: (HitSource & { doc: number })[]): HitSource[] =>
  hits.map((hit) => ({ ...hit, snippetKey: snippetKey(hit.doc, hit.snippetTerms!, hit.inBody !== false) }));

it('a page with kept snippets has the snippets made without keeping, and makes only those not kept', () => {
  expect(articles.length).toBeGreaterThan(100);
  const hit = fc
    .tuple(fc.nat(articles.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.nat(), fc.boolean())
    .map(([index, picks, subPick, inBody]) => hitOf(index, picks, subPick, inBody));
  // Pages of up to 10 hits, then one of hits of earlier pages (the same document and terms) among new ones.
  const page = fc.array(hit, { minLength: 1, maxLength: 10 });
  fc.assert(
    fc.property(fc.array(page, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 6 }), fc.array(hit, { maxLength: 4 }), (pages, repeats, fresh) => {
      const store = new Map<string, string>();
      const kept = keptIn(store);
      const earlier = pages.flat();
      const mixed = [...repeats.map((r) => earlier[r % earlier.length]!), ...fresh].sort((a, b) => a.article.id.localeCompare(b.article.id));
      const asked = [...pages, mixed].filter((hits) => hits.length > 0);
      for (const hits of asked) expect(articleHits(keyed(hits), analyzer, true, kept)).toEqual(articleHits(hits, analyzer, true));
      // Every page asked again takes all its snippets from those kept: nothing is segmented.
      const counting = countingAnalyzer(analyzer);
      for (const hits of asked) articleHits(keyed(hits), counting.analyzer, true, kept);
      expect(counting.segmented()).toBe(0);
    }),
    { numRuns: 60 },
  );
});

it('hits without a key or asked without snippets are neither taken from nor kept among the snippets', () => {
  const store = new Map<string, string>();
  const kept = keptIn(store);
  const page = [hitOf(0, [3, 40], 7, true), hitOf(1, [5], 2, false)];
  expect(articleHits(page, analyzer, true, kept)).toEqual(articleHits(page, analyzer, true));
  expect(store.size).toBe(0);
  expect(articleHits(keyed(page), analyzer, false, kept).map((hit) => hit.snippet)).toEqual(['', '']);
  expect(store.size).toBe(0);
  articleHits(keyed(page), analyzer, true, kept);
  expect(store.size).toBe(2);
});

it('a service answers a query asked again, at other sizes, pages and options, as a fresh service answers it', () => {
  const service = createSearchService(reader, analyzer);
  const answer = (result: SearchResult) => ({ ...result, took_ms: 0 });
  // Each query first as the page asks it, then what reuses its kept snippets: a longer page, the next page, a filter,
  // without snippets and with them again; literal words (a stop word alone), a phrase, Latin and Traditional text.
  const queries = ['新基础设施', '产业互联网 流量', '"新基础设施"', '的', 'JavaScript 框架', '數字經濟', '乡村振兴 -旅游'];
  const requests: SearchRequest[] = queries.flatMap((q) => [
    { q },
    { q, size: 100 },
    { q, page: 2 },
    { q, size: 5, facets: false },
    { q, snippets: false },
    { q, sort: 'date' },
    { q },
  ]);
  let withHits = 0;
  for (const request of requests) {
    const kept = answer(service.search(request));
    expect(kept, JSON.stringify(request)).toEqual(answer(createSearchService(reader, analyzer).search(request)));
    if (kept.hits.some((hit) => hit.snippet !== '')) withHits++;
  }
  expect(withHits).toBeGreaterThan(requests.length / 2);
});
