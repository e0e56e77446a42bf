/** zhsearch as the bench drives it: the CLI for (re)indexing, the search service in-process for queries. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openIndexWith, type EngineSyncSummary } from '../index/index.js';
import { analyzerForIndex, createSearchService } from '../search/index.js';
import type { ReindexSummary } from '../cli/index.js';
import type { Searcher } from './tasks.js';

export const ZHSEARCH = 'zhsearch';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** Preloaded into the CLI child so it reports its own peak RSS (worker threads included) on exit. */
const RSS_REPORTER = new URL('./reportPeakRss.js', import.meta.url).href;

/** Request parameters that make zhsearch answer as the peers do: ranked ids, no facets, no snippets. */
export const IDS_ONLY_PARAMS = '&facets=false&snippets=false';

/**
 * Loads the live index and its analyzer as the server does. `full` asks for what the search page shows (hits
 * with snippets, facets); `ids` for what the peers return (the same ranked hits, without facets or snippets).
 */
export async function openZhsearch(
  indexDir: string,
  options: { builtInSynonyms?: boolean } = {},
): Promise<{ full: Searcher; ids: Searcher; finishSuggestions: () => void }> {
  const { reader, prepared: analyzer } = await openIndexWith(indexDir, (manifest) => analyzerForIndex(manifest.analyzer));
  const service = createSearchService(reader, analyzer, {}, options);
  const searcher =
    (lean: boolean): Searcher =>
    (query, limit) =>
      service
        .search({ q: query.q, size: limit, ...(query.category ? { category: query.category } : {}), ...(lean ? { facets: false, snippets: false } : {}) })
        .hits.map((hit) => hit.id);
  // One suggestion indexes what the background build has not yet.
  return { full: searcher(false), ids: searcher(true), finishSuggestions: () => void service.suggest('中国', 1) };
}

export interface ReindexRun {
  /** With `engine`: what was written to it. */
  summary: ReindexSummary & { engine?: EngineSyncSummary };
  wallMs: number;
  /** CPU time of the reindex process (user + system, its worker threads included). */
  cpuMs: number;
  peakRssBytes: number;
}

/** `zhsearch reindex --json` in a child process, timed from spawn to exit (Node start-up and segmenter load included). */
export function reindexWithCli(options: { corpus: string; index: string; full: boolean; workers: number; segmenter?: string; engine?: string }): Promise<ReindexRun> {
  const args = [CLI, 'reindex', '--corpus', options.corpus, '--index', options.index, '--workers', String(options.workers), '--json'];
  if (options.full) args.push('--full');
  if (options.engine) args.push('--engine', options.engine);
  if (options.segmenter) args.push('--segmenter', options.segmenter);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RSS_REPORTER, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const wallMs = performance.now() - start;
        if (error) {
          reject(new Error(`zhsearch reindex failed (${error.message.split('\n')[0]}):\n${stderr.slice(-2000)}`));
          return;
        }
        const rss = /ZHSEARCH_BENCH_PEAK_RSS=(\d+)/.exec(stderr);
        const cpu = /ZHSEARCH_BENCH_CPU_US=(\d+)/.exec(stderr);
        resolve({ summary: JSON.parse(stdout) as ReindexSummary, wallMs, cpuMs: cpu ? Number(cpu[1]) / 1000 : NaN, peakRssBytes: rss ? Number(rss[1]) : NaN });
      },
    );
  });
}

/** A full build into an emptied `dir`, logged with its wall and CPU seconds. */
export async function buildZhsearch(options: { corpus: string; dir: string; workers: number; segmenter?: string; log: (line: string) => void }): Promise<ReindexRun> {
  const { corpus, dir, workers, segmenter, log } = options;
  fs.rmSync(dir, { recursive: true, force: true });
  log(`zhsearch: reindex --full of ${corpus}, ${workers} worker(s)${segmenter ? `, ${segmenter}` : ''}`);
  const run = await reindexWithCli({ corpus, index: dir, full: true, workers, ...(segmenter ? { segmenter } : {}) });
  log(`  ${run.summary.articles} articles in ${(run.wallMs / 1000).toFixed(1)} s (${(run.cpuMs / 1000).toFixed(1)} CPU s)`);
  return run;
}
