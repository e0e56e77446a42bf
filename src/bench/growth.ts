/**
 * The bench's "growth" section: the run's corpus once and three times over (copies in sub-folders, so 3× the posts
 * with the same texts), each indexed in full, then loaded and queried side by side (passes interleaved), so the
 * slope of indexing time, memory, load time and query latency with the corpus size shows in every run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { measureLatency } from './latency.js';
import type { BenchOptions } from './options.js';
import { corpusCopies } from './scaleCorpus.js';
import type { LatencySummary } from './stats.js';
import { formatNumber, gigabytes, markdownTable, megabytes, verdict, type Cell } from './table.js';
import type { LatencyPlan } from './tasks.js';
import { buildZhsearch, ZHSEARCH, type ReindexRun } from './zhsearchSystem.js';

export const GROWTH_COPIES = [1, 3];

/** Issue 16's slope targets: query p99 at 3× within 1.5× the 1× figure, load at most linear, memory bounded. */
const P99_GROWTH = 1.5;
export const PEAK_RSS_BYTES = 1e9;

export async function growthSection(options: BenchOptions, plan: LatencyPlan, log: (line: string) => void): Promise<string> {
  const builds: { copies: number; dir: string; run: ReindexRun }[] = [];
  for (const copies of GROWTH_COPIES) {
    const corpus = await corpusCopies(options.corpus, copies, path.join(options.work, 'growth-corpora'));
    log(`growth: ${copies}× (${corpus.files} posts)`);
    const dir = path.join(options.work, `growth-zhsearch-${copies}`);
    builds.push({ copies, dir, run: await buildZhsearch({ corpus: corpus.dir, dir, workers: options.workers, segmenter: options.segmenter, log }) });
  }
  const loads = await measureLatency(
    builds.map((b) => ({ system: ZHSEARCH, dir: b.dir })),
    plan,
    log,
  );
  for (const b of builds) fs.rmSync(b.dir, { recursive: true, force: true });
  const [first, last] = [builds[0]!, builds[builds.length - 1]!];
  const ratio = (of: (k: number) => number): string => `${formatNumber(of(builds.length - 1) / of(0))}×`;
  const figures = {
    raw: (k: number) => megabytes(builds[k]!.run.summary.analysedBytes),
    wall: (k: number) => builds[k]!.run.wallMs / 1000,
    cpu: (k: number) => builds[k]!.run.cpuMs / 1000,
    rss: (k: number) => megabytes(builds[k]!.run.peakRssBytes),
    disk: (k: number) => megabytes(builds[k]!.run.summary.indexBytes),
    load: (k: number) => loads[k]!.loadMs,
    loadedRss: (k: number) => megabytes(loads[k]!.rssAfterLoadBytes),
  };
  const columns = Object.values(figures);
  const buildTable = markdownTable(
    ['corpus', 'posts', 'raw MB', 'index wall s', 'index CPU s', 'peak RSS MB', 'index MB', 'load ms', 'RSS after load MB'],
    [
      ...builds.map((b, k): Cell[] => [`${b.copies}×`, b.run.summary.articles, ...columns.map((of) => of(k))]),
      [`${last.copies}× ÷ ${first.copies}×`, `${formatNumber(last.run.summary.articles / first.run.summary.articles)}×`, ...columns.map((of) => ratio(of))],
    ],
  );
  const answers = { 'full hits': 'latency', 'ids only': 'idsOnlyLatency', 'full hits, first search': 'firstSearch' } as const;
  const latencyRows: Cell[][] = plan.latency.flatMap(({ name }) =>
    Object.entries(answers).map(([answer, figures]): Cell[] => {
      const of = (k: number): LatencySummary => loads[k]![figures]![name]!;
      const growth = of(builds.length - 1).p99 / of(0).p99;
      // A first search is one sample a query: its p99 is the slowest one or two, shown but not judged.
      const judged = figures !== 'firstSearch';
      return [name, answer, ...builds.flatMap((_, k) => [of(k).p50, of(k).p99]), ratio((k) => of(k).p99), judged ? verdict(growth <= P99_GROWTH) : '–'];
    }),
  );
  const latencyTable = markdownTable(
    [
      'queries',
      'answer',
      ...builds.flatMap((b) => [`${b.copies}× p50 ms`, `${b.copies}× p99 ms`]),
      `p99 ${last.copies}× ÷ ${first.copies}×`,
      `≤ ${P99_GROWTH}× (issue 16)`,
    ],
    latencyRows,
  );
  const loadGrowth = loads[builds.length - 1]!.loadMs / loads[0]!.loadMs;
  const targetsTable = markdownTable(
    ['target (issue 16)', 'figure', 'verdict'],
    [
      [
        `indexing peak RSS ≤ ${gigabytes(PEAK_RSS_BYTES)} at every size`,
        builds.map((b) => `${b.copies}× ${gigabytes(b.run.peakRssBytes)}`).join(', '),
        verdict(builds.every((b) => b.run.peakRssBytes <= PEAK_RSS_BYTES)),
      ],
      [
        `index load ${last.copies}× ÷ ${first.copies}× ≤ ${last.copies / first.copies}× (linear or better)`,
        `${formatNumber(loadGrowth)}×`,
        verdict(loadGrowth <= last.copies / first.copies),
      ],
    ],
  );
  return [
    `Corpus: ${GROWTH_COPIES.map((c) => `${c}×`).join(' and ')} the run's corpus (copies in sub-folders \`copy-1/\`, \`copy-2/\`, …: ` +
      `the same texts under other ids), each indexed with \`zhsearch reindex --full\` (${options.workers} workers, ${options.segmenter}) in a child process. ` +
      'CPU s: user + system time of the reindex process, its worker threads included. Load: openIndex + analyzer + search service; ' +
      'RSS after load: once its suggestions are indexed too, as before the query passes.',
    '',
    buildTable,
    '',
    `Query latency in process, top 10, ${plan.passes} passes per list, the two indexes' passes interleaved (each in its own process); ` +
      'first search: the warm-up pass before them, each query asked for the first time in its list (full hits).',
    '',
    latencyTable,
    '',
    targetsTable,
  ].join('\n');
}
