/**
 * Answers kept identical: every full answer (hits, scores, snippets, facets) and ids-only answer of the eval's topic
 * queries and the bench's four latency lists (built from the articles' titles as `npm run bench` builds them) over the
 * 313 articles, each compared with a digest recorded in test/fixtures/answers.txt. A speed change must leave them all
 * as they were; a ranking change that moves answers on purpose records them again with
 * `npx vitest run test/search.answers.test.ts -u` and says so in its commit. Digests, not texts: the articles are
 * third-party text and stay out of the repository.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import { buildLatencyQueries } from '../src/bench/benchQueries.js';
import { readQueries } from '../src/bench/judgments.js';
import { createJiebaTokenizer } from '../src/bench/peerText.js';
import type { BenchQuery } from '../src/bench/tasks.js';
import { analyzeArticle, IndexBuilder, openIndex, writeIndex, type IndexReader } from '../src/index/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { createSearchService, type RankingConfig } from '../src/search/index.js';
import type { SearchService } from '../src/search/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared');
const articlesDir = path.join(shared, 'corpus/articles');

let service: SearchService;
let indexDir: string;
let reader: IndexReader;
let analyzer: ReturnType<typeof createAnalyzer>;
const lists: { name: string; queries: BenchQuery[] }[] = [];

beforeAll(async () => {
  analyzer = createAnalyzer({ segmenter: 'node-rs' });
  const builder = new IndexBuilder(analyzer.identity);
  const titles: { title: string; category: string }[] = [];
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    builder.add(analyzeArticle(analyzer, result.article));
    titles.push({ title: result.article.title, category: result.article.categories[0] ?? '' });
  }
  indexDir = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-answers-'));
  await writeIndex(indexDir, builder.build());
  reader = await openIndex(indexDir, { expectedAnalyzer: analyzer.identity });
  service = createSearchService(reader, analyzer);
  for (const set of ['dev', 'dev-hard']) {
    lists.push({ name: set, queries: readQueries(path.join(shared, 'eval', set, 'queries.tsv')).map((t) => ({ q: t.query })) });
  }
  lists.push(...buildLatencyQueries(readQueries(path.join(shared, 'eval/dev/queries.tsv')), titles, createJiebaTokenizer(), 100));
}, 120_000);

afterAll(async () => {
  if (indexDir) await rm(indexDir, { recursive: true, force: true });
});

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

it('answers every query of the eval and the bench lists as recorded', async () => {
  const lines: string[] = [];
  for (const { name, queries } of lists) {
    for (const [i, query] of queries.entries()) {
      const request = { q: query.q, ...(query.category ? { category: query.category } : {}) };
      const { took_ms: _full, ...full } = await service.search(request);
      const { took_ms: _ids, ...ids } = await service.search({ ...request, facets: false, snippets: false });
      lines.push(`${name}#${i} query ${digest(request)} hits ${full.total} full ${digest(full)} ids ${digest(ids)}`);
    }
  }
  // One line a query: a failure's diff names the lists and positions that moved.
  expect(lines.length).toBeGreaterThan(350);
  await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('fixtures/answers.txt');
}, 120_000);

/** Pages 1–4 of 10 and a page of 1 of each query, each beside the same slice of its first 100 (the whole head); how many came from a cut head. */
async function comparePagesWithHead(searcher: SearchService, queries: BenchQuery[]): Promise<number> {
  let cut = 0;
  for (const query of queries) {
    const request = { q: query.q, ...(query.category ? { category: query.category } : {}), facets: false, snippets: false };
    // 100 at once: the whole head (rescoreDepth) is re-ranked.
    const whole = await searcher.search({ ...request, size: 100 });
    const entries = (hits: typeof whole.hits) => hits.map(({ id, score }) => ({ id, score }));
    // Pages 1–3 of 10 and a page of 1 re-rank only what they need (passageDepth 30); page 4 the whole head again.
    for (const [page, size] of [[1, 10], [2, 10], [3, 10], [4, 10], [1, 1]] as const) {
      const answer = await searcher.search({ ...request, page, size });
      expect(answer.total).toBe(whole.total);
      expect(entries(answer.hits)).toEqual(entries(whole.hits.slice((page - 1) * size, page * size)));
      if (page * size < Math.min(whole.total, 100) && page * size <= 30) cut++;
    }
  }
  return cut;
}

it('answers a page of the head as the same slice of the head ranked whole (re-ranking only what the pages asked for need)', async () => {
  let cut = 0;
  for (const { queries } of lists) cut += await comparePagesWithHead(service, queries);
  // Pages answered from a cut head (asking for fewer than the head holds, within its passages): hundreds here.
  expect(cut).toBeGreaterThan(300);
}, 120_000);

/** Ranking parameters outside the ranges the search core's bounds and shortcuts rely on. */
const outside: Partial<RankingConfig>[] = [
  // Closeness in another order worth more than in order, topics apart below 0, no title weight.
  { unorderedProximity: 3, topicsApart: -0.5, weights: { title: 0 } as RankingConfig['weights'] },
  // A topic's passage count below 0 through its sub-words or synonyms.
  { subwordWeight: -0.5 },
  { synonymWeight: -1 },
  // Length normalisation past 1: a pseudo-tf below 0 where the word stands.
  { b: { title: 3, body: 3 } as RankingConfig['b'] },
  // A window below 0: closeness grows as the words stand apart.
  { proximityWindow: -4 },
];

it('answers pages as slices of the head too under ranking parameters that the bounds of a cut head do not hold for', async () => {
  // Each re-ranks the head whole: a cut head gave other pages under every one of them.
  for (const config of outside) {
    // One loaded index under every parameter set: nothing a service keeps of its reader depends on them.
    const searcher = createSearchService(reader, analyzer, config);
    for (const { queries } of lists) await comparePagesWithHead(searcher, queries);
  }
}, 240_000);

it('answers every list as recorded under ranking parameters outside the bounds\' ranges too (a shortcut must check them)', async () => {
  const lines: string[] = [];
  for (const [c, config] of outside.entries()) {
    const searcher = createSearchService(reader, analyzer, config);
    for (const { name, queries } of lists) {
      const answers: unknown[] = [];
      for (const query of queries) {
        const { took_ms: _took, ...ids } = await searcher.search({ q: query.q, ...(query.category ? { category: query.category } : {}), facets: false, snippets: false, size: 100 });
        answers.push(ids);
      }
      lines.push(`parameters#${c} ${name} ${digest(answers)}`);
    }
  }
  await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('fixtures/answers-outside.txt');
}, 240_000);
