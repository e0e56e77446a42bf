/**
 * The SphinxQL engine beside the embedded index (`npm run bench -- --engine`): the run's corpus written to two
 * real searchd shards behind a distributed table on this machine, then indexing time, in-process and HTTP query
 * latency, and nDCG@10 on the judgment sets, for both backends on the same analysed text.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { analyzerForIndex, createSearchService, embeddedBackend, engineBackend } from '../search/index.js';
import { openIndex, parseEngineUrl } from '../index/index.js';
import { startCluster, writeEngineConfigs } from './searchdCluster.js';
import type { SearchBackend, SearchRequest } from '../search/types.js';
import { buildLatencyQueries } from './benchQueries.js';
import { httpFigures, type HttpFigures } from './httpLoad.js';
import { readQrels, readQueries } from './judgments.js';
import { meanScores, scoreQuery, type QueryScores } from './metrics.js';
import type { BenchOptions } from './options.js';
import { summarizeLatency, type LatencySummary } from './stats.js';
import { formatNumber, markdownTable } from './table.js';
import type { BenchQuery } from './tasks.js';
import { IDS_ONLY_PARAMS, reindexWithCli, ZHSEARCH } from './zhsearchSystem.js';

const run = promisify(execFile);
const SHARDS = 2;

/** Whether searchd (Sphinx or Manticore) can be started here. */
export async function searchdInstalled(): Promise<boolean> {
  try {
    await run('searchd', ['--help']);
    return true;
  } catch (error) {
    // searchd --help exits non-zero after printing its usage.
    return String((error as { stdout?: string }).stdout ?? '').includes('Sphinx');
  }
}

/** The engine section of bench/RESULTS.md. */
export async function engineBench(options: BenchOptions, log: (line: string) => void): Promise<string> {
  const dir = path.join(options.work, 'engine');
  // --engine-port fixes the ports; by default a free block is found (and another one if searchd finds one taken).
  const cluster = await startCluster({
    shards: SHARDS,
    init: async (port) => {
      fs.rmSync(dir, { recursive: true, force: true });
      return writeEngineConfigs(dir, options.enginePort ?? port, SHARDS);
    },
  });
  try {
    log(`engine: ${SHARDS} shards and a distributed table at ${cluster.url}`);
    return await measure(options, cluster.url, log);
  } finally {
    await cluster.stop();
  }
}

async function measure(options: BenchOptions, url: string, log: (line: string) => void): Promise<string> {
  const index = path.join(options.work, 'engine-zhsearch-index');
  fs.rmSync(index, { recursive: true, force: true });
  log('embedded index: reindex --full');
  const embeddedRun = await reindexWithCli({ corpus: options.corpus, index, full: true, workers: options.workers, segmenter: options.segmenter });
  log(`  ${embeddedRun.summary.articles} articles in ${formatNumber(embeddedRun.wallMs / 1000)} s`);
  log('engine: reindex --engine (the index is current: only the engine is written)');
  const engineRun = await reindexWithCli({ corpus: options.corpus, index, full: false, workers: options.workers, engine: url });
  log(`  ${engineRun.summary.engine?.written} articles written in ${formatNumber(engineRun.wallMs / 1000)} s`);

  const engine = await engineBackend({ engine: parseEngineUrl(url) });
  const reader = await openIndex(index);
  const analyzer = analyzerForIndex(reader.manifest.analyzer);
  const backends: { label: string; backend: SearchBackend }[] = [
    { label: 'embedded index', backend: embeddedBackend(createSearchService(reader, analyzer)) },
    { label: `engine, ${SHARDS} shards`, backend: engine },
  ];
  try {
    const titles = Array.from({ length: reader.docCount }, (_, doc) => reader.stored(doc)).map((a) => ({ title: a.title, category: a.categories[0] ?? '' }));
    const tokenize = (text: string) => analyzer.analyze(text).map((token) => token.term);
    const lists = buildLatencyQueries(readQueries(options.queries), titles, tokenize, options.quick ? 30 : 100);
    const passes = options.quick ? 1 : 3;

    log('in-process latency');
    const latency: { backend: string; mode: string; list: string; summary: LatencySummary }[] = [];
    for (const { label, backend } of backends) {
      for (const lean of [false, true]) {
        for (const list of lists) latency.push({ backend: label, mode: lean ? 'ids only' : 'full hits', list: list.name, summary: await timeQueries(backend, list.queries, passes, lean) });
      }
    }

    log('relevance');
    const relevance: { set: string; backend: string; scores: QueryScores }[] = [];
    for (const set of options.evalSets) {
      const qrels = readQrels(set.qrels);
      const queries = readQueries(set.queries).filter(({ qid }) => [...(qrels.get(qid)?.values() ?? [])].some((grade) => grade >= 2));
      for (const { label, backend } of backends) {
        const perQuery: QueryScores[] = [];
        for (const { qid, query } of queries) {
          const result = await backend.search({ q: query, size: 30, facets: false, snippets: false });
          perQuery.push(scoreQuery(result.hits.map((hit) => hit.id), qrels.get(qid) ?? new Map()));
        }
        relevance.push({ set: set.name, backend: label, scores: meanScores(perQuery) });
      }
    }

    log('HTTP');
    const httpQueries = [...lists[0]!.queries, ...lists[1]!.queries];
    const duration = options.quick ? 2 : 10;
    const http: { label: string; figures: HttpFigures }[] = [];
    for (const [label, engine] of [['embedded index', undefined], [`engine, ${SHARDS} shards`, url]] as const) {
      http.push({ label: `${label}, full hits`, figures: await httpFigures(ZHSEARCH, index, httpQueries, duration, '', { engine }) });
      http.push({ label: `${label}, ids only`, figures: await httpFigures(ZHSEARCH, index, httpQueries, duration, IDS_ONLY_PARAMS, { engine }) });
    }

    return [
      '## SphinxQL engine beside the embedded index (`npm run bench -- --engine`)',
      '',
      `${reader.docCount} posts; Sphinx 2.2.11 searchd, ${SHARDS} shards and a distributed table on this machine (\`zhsearch engine init\`'s configs), queried over SphinxQL.`,
      '',
      '### Indexing',
      '',
      markdownTable(
        ['step', 'seconds', 'articles'],
        [
          ['embedded index: `reindex --full`', embeddedRun.wallMs / 1000, embeddedRun.summary.articles],
          ['engine: `reindex --engine` on the current index (rows sent to the shards)', engineRun.wallMs / 1000, engineRun.summary.engine?.written ?? 0],
          ['engine total (a first `reindex --engine` does both)', (embeddedRun.wallMs + engineRun.wallMs) / 1000, engineRun.summary.articles],
        ],
      ),
      '',
      '### Query latency, in process',
      '',
      `Top 10 per query, ${passes} pass(es) after a warm-up. Full hits: snippets and facets, as the page asks; ids only: \`facets: false, snippets: false\`.`,
      '',
      markdownTable(
        ['backend', 'answer', 'queries', 'count', 'p50 ms', 'p95 ms', 'p99 ms'],
        latency.map((row) => [row.backend, row.mode, row.list, row.summary.count, row.summary.p50, row.summary.p95, row.summary.p99]),
      ),
      '',
      `### HTTP \`/api/search\` (autocannon, 10 connections, ${duration} s, one- and two-term queries)`,
      '',
      markdownTable(
        ['backend', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'failures'],
        http.map(({ label, figures }) => [label, figures.requestsPerSecond, figures.p50Ms, figures.p99Ms, figures.requests, figures.failures]),
      ),
      '',
      '### Relevance',
      '',
      markdownTable(
        ['set', 'backend', 'nDCG@10', 'P@5', 'MRR', 'R@30'],
        relevance.map((row) => [row.set, row.backend, row.scores.ndcg10, row.scores.p5, row.scores.mrr, row.scores.recall30]),
      ),
    ].join('\n');
  } finally {
    for (const { backend } of backends) await backend.close();
  }
}

/** Latency of each query (ms), over `passes` passes after one unrecorded warm-up pass. */
async function timeQueries(backend: SearchBackend, queries: BenchQuery[], passes: number, lean: boolean): Promise<LatencySummary> {
  const request = (query: BenchQuery): SearchRequest => ({ q: query.q, size: 10, ...(query.category ? { category: query.category } : {}), ...(lean ? { facets: false, snippets: false } : {}) });
  for (const query of queries) await backend.search(request(query));
  const samples: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const query of queries) {
      const start = performance.now();
      await backend.search(request(query));
      samples.push(performance.now() - start);
    }
  }
  return summarizeLatency(samples);
}
