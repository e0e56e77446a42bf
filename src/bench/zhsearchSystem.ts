/** zhsearch as the bench drives it: the CLI for (re)indexing, the search service in-process for queries. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openIndex, type EngineSyncSummary } from '../index/index.js';
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
 * with snippets, facets); `idsOnly` for what the peers return (the same ranked hits, without facets or snippets).
 */
export async function openZhsearch(indexDir: string): Promise<{ full: Searcher; idsOnly: Searcher }> {
  const reader = await openIndex(indexDir);
  const service = createSearchService(reader, analyzerForIndex(reader.manifest.analyzer));
  const searcher =
    (lean: boolean): Searcher =>
    (query, limit) =>
      service
        .search({ q: query.q, size: limit, ...(query.category ? { category: query.category } : {}), ...(lean ? { facets: false, snippets: false } : {}) })
        .hits.map((hit) => hit.id);
  return { full: searcher(false), idsOnly: searcher(true) };
}

export interface ReindexRun {
  /** With `engine`: what was written to it. */
  summary: ReindexSummary & { engine?: EngineSyncSummary };
  wallMs: number;
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
        resolve({ summary: JSON.parse(stdout) as ReindexSummary, wallMs, peakRssBytes: rss ? Number(rss[1]) : NaN });
      },
    );
  });
}
