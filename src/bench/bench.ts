/**
 * `npm run bench`: zhsearch beside its peers in one run — indexing, index size and load, in-process query
 * latency, HTTP under autocannon, analysis throughput, incremental reindex and scaling with corpus size.
 * Prints one table per figure and updates the bench section of bench/RESULTS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmenterName } from '../analysis/types.js';
import { corpusFilePath, listCorpusFiles } from '../ingest/index.js';
import type { AnalysisFigures } from './analysisThroughput.js';
import { engineBench, searchdInstalled } from './engineBench.js';
import { httpSection, type HttpSection } from './httpLoad.js';
import { displayPath, parseBenchOptions, shareOfRun, type BenchOptions } from './options.js';
import { peerByName } from './peers/index.js';
import { machineLine, publishResults } from './resultsFile.js';
import { corpusFraction, inFraction } from './scaleCorpus.js';
import { formatNumber, gigabytes, markdownTable, megabytes, ratioToBest, verdict, type Cell } from './table.js';
import { growthSection, PEAK_RSS_BYTES } from './growth.js';
import { latencyPlan, measureLatency } from './latency.js';
import { runChild, type BenchQuery, type BuildResult, type LatencyPlan, type LoadResult, type PrepareResult } from './tasks.js';
import type { LatencySummary } from './stats.js';
import { buildZhsearch, reindexWithCli, ZHSEARCH, type ReindexRun } from './zhsearchSystem.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const seconds = (ms: number): number => ms / 1000;

/** Peers whose build is repeated at each corpus fraction (the slow ones would blow the time budget). */
const SCALING_PEERS = ['sqlite-jieba', 'flexsearch-jieba'];
const SCALING_FRACTIONS = [0.25, 0.5];

interface SystemFigures {
  name: string;
  label: string;
  jiebaTokens: boolean;
  /** Share of the run's corpus the system was built on, and how many posts that was. */
  fraction: number;
  docs: number;
  indexing: {
    wallMs: number;
    buildMs: number;
    inputMs: number | null;
    /** CPU time (user + system, every thread) of the whole indexing: input and build for a peer. */
    cpuMs: number;
    peakRssBytes: number;
    inputRssBytes: number | null;
    threads: string;
  };
  diskBytes: number;
  /** The index to load and query; null for a build whose index another row already loads and queries. */
  dir: string | null;
  /** Filled once every system is built, by the interleaved latency run. */
  load: LoadResult | null;
}

type LoadedFigures = SystemFigures & { load: LoadResult };

function loaded(systems: SystemFigures[]): LoadedFigures[] {
  return systems.filter((s): s is LoadedFigures => s.load !== null);
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function rawBytes(corpus: string, fraction: number): Promise<number> {
  const { files } = await listCorpusFiles(corpus);
  return files.filter((file) => inFraction(file.id, fraction)).reduce((sum, file) => sum + file.bytes, 0);
}

function subsetNote(system: SystemFigures): string {
  return `${system.label} was built on ${Math.round(system.fraction * 100)}% of the posts (${system.docs}): it does not finish the full scale corpus within 15 minutes here, so its figures are not comparable.`;
}

function zhsearchBuild(corpus: string, dir: string, workers: number, segmenter?: SegmenterName): Promise<ReindexRun> {
  return buildZhsearch({ corpus, dir, workers, segmenter, log });
}

/** Builds and saves a peer's index in `bench-NAME`; loaded and queried later, beside the others. */
async function peerFigures(options: BenchOptions, name: string, docsFile: string, prepared: PrepareResult): Promise<SystemFigures> {
  const peer = peerByName(name);
  const fraction = name === 'orama' ? options.oramaFraction : 1;
  const dir = path.join(options.work, `bench-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  log(`${peer.label}: build${fraction < 1 ? ` on ${fraction * 100}% of the posts` : ''}, save`);
  const built = await runChild<BuildResult>({ kind: 'build', peer: name, docsFile, dir, fraction: shareOfRun(options, fraction), save: true });
  log(`  built in ${seconds(built.buildMs).toFixed(1)} s (${seconds(built.buildCpuMs).toFixed(1)} CPU s)`);
  // Ingest and segmentation were measured once for all peers; a subset pays its share of them.
  const share = built.docs / prepared.docs;
  const inputMs = (prepared.ingestMs + (peer.jiebaTokens ? prepared.segmentMs : 0)) * share;
  const inputCpuMs = (prepared.ingestCpuMs + (peer.jiebaTokens ? prepared.segmentCpuMs : 0)) * share;
  return {
    name,
    label: peer.label,
    jiebaTokens: peer.jiebaTokens,
    fraction,
    docs: built.docs,
    indexing: {
      wallMs: inputMs + built.buildMs,
      buildMs: built.buildMs,
      inputMs,
      cpuMs: inputCpuMs + built.buildCpuMs,
      peakRssBytes: built.peakRssBytes,
      inputRssBytes: built.rssBeforeBuildBytes,
      threads: '1',
    },
    diskBytes: directoryBytes(dir),
    dir,
    load: null,
  };
}

function indexingTable(systems: SystemFigures[], sourceBytes: number): string {
  const jiebaPeers = systems.filter((s) => s.name !== ZHSEARCH && s.jiebaTokens && s.fraction === 1);
  const rows: Cell[][] = systems.map((s) => [
    s.label,
    s.indexing.threads,
    s.indexing.inputMs === null ? null : seconds(s.indexing.inputMs),
    seconds(s.indexing.buildMs),
    seconds(s.indexing.wallMs),
    seconds(s.indexing.cpuMs),
    s.fraction === 1 ? megabytes(sourceBytes) / seconds(s.indexing.wallMs) : null,
    megabytes(s.indexing.peakRssBytes),
    s.indexing.inputRssBytes === null ? null : megabytes(s.indexing.inputRssBytes),
    s.fraction === 1 ? ratioToBest(s.indexing.wallMs, jiebaPeers.map((p) => p.indexing.wallMs), true) : '–',
    s.fraction === 1 ? ratioToBest(s.indexing.cpuMs, jiebaPeers.map((p) => p.indexing.cpuMs), true) : '–',
  ]);
  return markdownTable(
    ['system', 'threads', 'ingest+segment s', 'build s', 'total s', 'CPU s', 'MB/s', 'peak RSS MB', 'of which input MB', 'total ÷ fastest jieba peer', 'CPU ÷ fastest jieba peer'],
    rows,
  );
}

function indexTable(systems: LoadedFigures[], rawOf: (s: SystemFigures) => number): string {
  const peers = systems.filter((s) => s.name !== ZHSEARCH && s.fraction === 1);
  return markdownTable(
    ['system', 'on disk MB', '÷ raw text', 'load ms', 'then suggestions ms', 'heap after load MB', 'RSS after load MB', 'disk ÷ smallest peer'],
    systems.map((s) => [
      s.label,
      megabytes(s.diskBytes),
      s.diskBytes / rawOf(s),
      s.load.loadMs,
      s.load.suggestionsMs,
      megabytes(s.load.heapAfterLoadBytes),
      megabytes(s.load.rssAfterLoadBytes),
      s.fraction === 1 ? ratioToBest(s.diskBytes, peers.map((p) => p.diskBytes), true) : '–',
    ]),
  );
}

function latencyTables(systems: LoadedFigures[], plan: LatencyPlan): string {
  const peers = systems.filter((s) => s.name !== ZHSEARCH && s.fraction === 1);
  return plan.latency
    .map(({ name, queries }) => {
      const row = (label: string, figures: LatencySummary, fraction: number, first?: LatencySummary): Cell[] => [
        label,
        figures.p50,
        figures.p95,
        figures.p99,
        fraction === 1 ? ratioToBest(figures.p99, peers.map((p) => p.load.latency[name]!.p99), true) : '–',
        first?.p50 ?? '–',
        first?.p99 ?? '–',
      ];
      const table = markdownTable(
        ['system', 'p50 ms', 'p95 ms', 'p99 ms', 'p99 ÷ fastest peer', 'first search p50 ms', 'first search p99 ms'],
        systems.flatMap((s) => {
          const label = s.name === ZHSEARCH ? `${s.label}, full hits` : s.label;
          const rows = [row(label, s.load.latency[name]!, s.fraction, s.load.firstSearch?.[name])];
          const idsOnly = s.load.idsOnlyLatency?.[name];
          if (idsOnly) rows.push(row(`${s.label}, ids only`, idsOnly, s.fraction));
          return rows;
        }),
      );
      return `**${name}** (${queries.length} queries × ${plan.passes} passes, e.g. ${queries
        .slice(0, 3)
        .map((q) => `\`${q.q}\`${q.category ? ` in ${q.category}` : ''}`)
        .join(', ')}):\n\n${table}`;
    })
    .join('\n\n');
}

/** No-change and one-file-changed incremental reindex against the full all-cores build. */
async function reindexFigures(options: BenchOptions, indexDir: string, full: ReindexRun): Promise<{ table: string; noChange: ReindexRun }> {
  const noChange = await reindexWithCli({ corpus: options.corpus, index: indexDir, full: false, workers: options.workers, segmenter: options.segmenter });
  const { files } = await listCorpusFiles(options.corpus);
  const target = corpusFilePath(files[Math.floor(files.length / 2)]!);
  const original = fs.readFileSync(target);
  const { atime, mtime } = fs.statSync(target);
  let oneChanged: ReindexRun;
  try {
    fs.writeFileSync(target, Buffer.concat([original, Buffer.from('\n\n基准测试追加的一段文字。\n')]));
    oneChanged = await reindexWithCli({ corpus: options.corpus, index: indexDir, full: false, workers: options.workers, segmenter: options.segmenter });
  } finally {
    fs.writeFileSync(target, original);
    fs.utimesSync(target, atime, mtime);
  }
  const row = (name: string, run: ReindexRun): Cell[] => [
    name,
    run.summary.mode,
    run.summary.indexed,
    run.summary.unchanged,
    seconds(run.wallMs),
    `${formatNumber((100 * run.wallMs) / full.wallMs)} %`,
  ];
  const table = markdownTable(
    ['reindex', 'mode', 'analysed', 'unchanged', 'wall s', '% of full'],
    [row(`full (--full, ${options.workers} workers)`, full), row('no change', noChange), row('one file changed', oneChanged)],
  );
  return { table, noChange };
}

async function scalingTable(
  options: BenchOptions,
  docsFile: string,
  plan: LatencyPlan,
  full: { zh: LoadedFigures; peers: LoadedFigures[]; docs: number; sourceBytes: number },
): Promise<string> {
  const rows: Cell[][] = [];
  const cells = (buildMs: number, diskBytes: number, load: LoadResult): Cell[] => [
    seconds(buildMs),
    megabytes(diskBytes),
    (load.idsOnlyLatency ?? load.latency)['one-term']!.p99,
  ];
  const scalingPeers = SCALING_PEERS.filter((p) => options.peers.includes(p));
  for (const fraction of SCALING_FRACTIONS) {
    const share = shareOfRun(options, fraction);
    const part = await corpusFraction(options.baseCorpus, share, path.join(options.work, 'corpus-fractions'));
    log(`scaling: ${fraction * 100}% (${part.files} posts)`);
    const zhDir = path.join(options.work, `scale-zhsearch-${fraction}`);
    const zh = await zhsearchBuild(part.dir, zhDir, options.workers, options.segmenter);
    const peerDirs = scalingPeers.map((name) => path.join(options.work, `scale-${name}-${fraction}`));
    const builds: BuildResult[] = [];
    for (const [k, name] of scalingPeers.entries()) {
      fs.rmSync(peerDirs[k]!, { recursive: true, force: true });
      builds.push(await runChild<BuildResult>({ kind: 'build', peer: name, docsFile, dir: peerDirs[k]!, fraction: share, save: true }));
    }
    const [zhLoad, ...peerLoads] = await measureLatency(
      [{ system: ZHSEARCH, dir: zhDir }, ...scalingPeers.map((name, k) => ({ system: name, dir: peerDirs[k]! }))],
      { latency: plan.latency.filter((list) => list.name === 'one-term'), passes: plan.passes },
      log,
    );
    const row: Cell[] = [`${fraction * 100}%`, zh.summary.articles, megabytes(await rawBytes(options.corpus, share)), ...cells(zh.wallMs, zh.summary.indexBytes, zhLoad!)];
    for (const [k, dir] of peerDirs.entries()) {
      row.push(...cells(builds[k]!.buildMs, directoryBytes(dir), peerLoads[k]!));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    rows.push(row);
    fs.rmSync(zhDir, { recursive: true, force: true });
  }
  const fullRow: Cell[] = ['100%', full.docs, megabytes(full.sourceBytes), ...cells(full.zh.indexing.wallMs, full.zh.diskBytes, full.zh.load)];
  for (const name of scalingPeers) {
    const peer = full.peers.find((p) => p.name === name)!;
    fullRow.push(...cells(peer.indexing.buildMs, peer.diskBytes, peer.load));
  }
  rows.push(fullRow);
  const headers = ['corpus', 'posts', 'raw MB', 'zhsearch index s', 'zhsearch MB', 'zhsearch p99 ms (ids only)'];
  for (const name of scalingPeers) headers.push(`${name} build s`, `${name} MB`, `${name} p99 ms`);
  return markdownTable(headers, rows);
}

/**
 * Issue 16's bounds: full hits (snippets, facets) within this p99, an index loaded within this time, a full build
 * within this time and share of the fastest jieba-based peer's (its peak RSS bound is the growth section's).
 */
const FULL_HITS_P99_MS = 5;
const LOAD_MS = 500;
const INDEXING_S = 25;
const INDEXING_PEER_SHARE = 0.4;

function targetsTable(
  systems: LoadedFigures[],
  zhAllCores: LoadedFigures,
  postingsBytes: number,
  raw: number,
  reindex: { noChangeShare: number },
  plan: LatencyPlan,
  http: HttpSection,
): string {
  const peers = systems.filter((s) => s.name !== ZHSEARCH && s.fraction === 1);
  const jiebaPeers = peers.filter((p) => p.jiebaTokens);
  const rows: Cell[][] = [];
  for (const { name } of plan.latency) {
    const fastest = Math.min(...peers.map((p) => p.load.latency[name]!.p99));
    // Like for like: the peers return ranked ids, so zhsearch is judged on the same answer; full hits are shown beside it.
    const own = (zhAllCores.load.idsOnlyLatency ?? zhAllCores.load.latency)[name]!.p99;
    const full = zhAllCores.load.latency[name]!.p99;
    rows.push([
      `${name} query p99 ≤ ⅓ of the fastest peer's (ids only)`,
      `${formatNumber(own)} ms vs ${formatNumber(fastest)} ms (${formatNumber(own / fastest)}×); full hits ${formatNumber(full)} ms`,
      verdict(own <= fastest / 3),
    ]);
    rows.push([
      `${name} query, full hits p99 ≤ ${FULL_HITS_P99_MS} ms and ≤ the fastest peer's ids-only p99 (issue 16)`,
      `${formatNumber(full)} ms vs ${formatNumber(fastest)} ms (${formatNumber(full / fastest)}×)`,
      verdict(full <= FULL_HITS_P99_MS && full <= fastest),
    ]);
  }
  for (const zh of systems.filter((s) => s.name === ZHSEARCH)) {
    rows.push([`index load, ${zh.label} ≤ ${LOAD_MS} ms (issue 16)`, `${formatNumber(zh.load.loadMs)} ms`, verdict(zh.load.loadMs <= LOAD_MS)]);
  }
  const fastestPeer = http.peers[0];
  if (fastestPeer) {
    const own = http.fullHits.requestsPerSecond;
    const peer = fastestPeer.figures.requestsPerSecond;
    const processes = http.fullHitsProcesses.requestsPerSecond;
    // The verdict compares one process with the peer's one; `serve --processes 2` is shown beside it.
    rows.push([
      `HTTP full answers/s, one process, ≥ the fastest peer's bare ids/s (${fastestPeer.label}, one process; issue 16)`,
      `${formatNumber(own)} vs ${formatNumber(peer)} requests/s (${formatNumber(own / peer)}×); \`serve --processes 2\` ${formatNumber(processes)} (${formatNumber(processes / peer)}×)`,
      verdict(own >= peer),
    ]);
  }
  const fastestBuild = Math.min(...jiebaPeers.map((p) => p.indexing.wallMs));
  // CPU seconds are what a busy machine changes least (wall time stretches with every other process).
  const fastestCpu = Math.min(...jiebaPeers.map((p) => p.indexing.cpuMs));
  // Every all-cores zhsearch build: the peers segment with @node-rs/jieba, so the node-rs row compares the same segmenter.
  const allCoresBuilds = systems.filter((s) => s.name === ZHSEARCH && s.indexing.threads === zhAllCores.indexing.threads);
  for (const zh of allCoresBuilds) {
    // Without a jieba-based peer in the run there is nothing to compare the build with.
    if (jiebaPeers.length > 0) {
      const wall = seconds(zh.indexing.wallMs);
      rows.push([
        `full indexing, ${zh.label} ≤ ${INDEXING_S} s and ≤ ${INDEXING_PEER_SHARE}× the fastest jieba-based peer (issue 16)`,
        `${formatNumber(wall)} s vs ${formatNumber(seconds(fastestBuild))} s (${formatNumber(zh.indexing.wallMs / fastestBuild)}×)`,
        verdict(wall <= INDEXING_S && zh.indexing.wallMs <= INDEXING_PEER_SHARE * fastestBuild),
      ]);
      rows.push([
        `full indexing CPU, ${zh.label} ≤ 1× the fastest jieba-based peer's`,
        `${formatNumber(seconds(zh.indexing.cpuMs))} CPU s vs ${formatNumber(seconds(fastestCpu))} CPU s (${formatNumber(zh.indexing.cpuMs / fastestCpu)}×)`,
        verdict(zh.indexing.cpuMs <= fastestCpu),
      ]);
    }
    rows.push([
      `full indexing peak RSS, ${zh.label} ≤ ${gigabytes(PEAK_RSS_BYTES)} (issue 16; the growth section has 1× and 3×)`,
      gigabytes(zh.indexing.peakRssBytes),
      verdict(zh.indexing.peakRssBytes <= PEAK_RSS_BYTES),
    ]);
  }
  rows.push(['index on disk ≤ raw text', `${formatNumber(zhAllCores.diskBytes / raw)}× raw`, verdict(zhAllCores.diskBytes <= raw)]);
  rows.push(['postings ≤ ½ raw text', `${formatNumber(postingsBytes / raw)}× raw`, verdict(postingsBytes <= raw / 2)]);
  rows.push(['no-change reindex < 5 % of full', `${formatNumber(100 * reindex.noChangeShare)} %`, verdict(reindex.noChangeShare < 0.05)]);
  return markdownTable(['target (issues 7 and 16)', 'figure', 'verdict'], rows);
}

async function main(): Promise<void> {
  const options = await parseBenchOptions(process.argv.slice(2), log);
  if (options.engineOnly) {
    await engineSection(options);
    return;
  }
  if (options.httpOnly) {
    await httpOnly(options);
    return;
  }
  if (options.growthOnly) {
    fs.mkdirSync(options.work, { recursive: true });
    const docsFile = path.join(options.work, 'peer-docs.jsonl');
    log(`latency queries: ingest and jieba segmentation of ${options.corpus}`);
    await runChild<PrepareResult>({ kind: 'prepare', corpus: options.corpus, docsFile });
    await growth(options, await latencyPlan(options, docsFile));
    return;
  }
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  fs.mkdirSync(options.work, { recursive: true });
  const docsFile = path.join(options.work, 'peer-docs.jsonl');

  log(`peers' input: ingest and jieba segmentation of ${options.corpus}`);
  const prepared = await runChild<PrepareResult>({ kind: 'prepare', corpus: options.corpus, docsFile });
  log(`  ${prepared.docs} posts, ingest ${seconds(prepared.ingestMs).toFixed(1)} s, segmentation ${seconds(prepared.segmentMs).toFixed(1)} s`);

  const plan = await latencyPlan(options, docsFile);

  const zhAllDir = path.join(options.work, 'bench-zhsearch');
  const oneWorkerDir = path.join(options.work, 'bench-zhsearch-1');
  const otherDir = path.join(options.work, 'bench-zhsearch-other');
  const zhRow = (run: ReindexRun, dir: string | null, segmenter: SegmenterName): SystemFigures => ({
    name: ZHSEARCH,
    label: `zhsearch (${segmenter}, ${run.summary.workers} worker${run.summary.workers > 1 ? 's' : ''})`,
    jiebaTokens: true,
    fraction: 1,
    docs: run.summary.articles,
    indexing: {
      wallMs: run.wallMs,
      buildMs: run.wallMs,
      inputMs: null,
      cpuMs: run.cpuMs,
      peakRssBytes: run.peakRssBytes,
      inputRssBytes: null,
      threads: String(run.summary.workers),
    },
    diskBytes: run.summary.indexBytes,
    dir,
    load: null,
  });
  const systems: SystemFigures[] = [];
  if (options.workers > 1) {
    // The same index as the all-cores build: only its indexing figures are reported.
    systems.push(zhRow(await zhsearchBuild(options.corpus, oneWorkerDir, 1, options.segmenter), null, options.segmenter));
    fs.rmSync(oneWorkerDir, { recursive: true, force: true });
  }
  const allCores = await zhsearchBuild(options.corpus, zhAllDir, options.workers, options.segmenter);
  systems.push(zhRow(allCores, zhAllDir, options.segmenter));
  if (!options.quick) {
    const other: SegmenterName = options.segmenter === 'nodejieba' ? 'node-rs' : 'nodejieba';
    systems.push(zhRow(await zhsearchBuild(options.corpus, otherDir, options.workers, other), otherDir, other));
  }
  for (const name of options.peers) systems.push(await peerFigures(options, name, docsFile, prepared));

  log('load and query every system, passes interleaved');
  const measured = systems.filter((s) => s.dir !== null);
  const loads = await measureLatency(measured.map((s) => ({ system: s.name, dir: s.dir! })), plan, log);
  measured.forEach((s, i) => (s.load = loads[i]!));
  fs.rmSync(otherDir, { recursive: true, force: true });
  const zhAll = systems.find((s) => s.dir === zhAllDir) as LoadedFigures;

  const raw = prepared.sourceBytes;
  const oramaRaw = options.peers.includes('orama') ? await rawBytes(options.corpus, shareOfRun(options, options.oramaFraction)) : raw;
  const rawOf = (s: SystemFigures): number => (s.fraction < 1 ? oramaRaw : raw);
  const manifestFiles = allCores.summary.generation
    ? fs.readdirSync(path.join(zhAllDir, allCores.summary.generation)).map((file) => ({ file, bytes: fs.statSync(path.join(zhAllDir, allCores.summary.generation!, file)).size }))
    : [];
  const postingsBytes = manifestFiles.filter((f) => f.file.endsWith('.postings')).reduce((sum, f) => sum + f.bytes, 0);

  log('HTTP: /api/search under autocannon');
  const fastestPeer = loaded(systems)
    .filter((s) => s.name !== ZHSEARCH && s.fraction === 1)
    .sort((a, b) => a.load.latency['one-term']!.p99 - b.load.latency['one-term']!.p99)[0];
  const http = await httpSection(
    { label: zhAll.label, dir: zhAllDir },
    fastestPeer ? [{ label: fastestPeer.label, name: fastestPeer.name, dir: path.join(options.work, `bench-${fastestPeer.name}`) }] : [],
    httpQueries(plan),
    httpSeconds(options),
  );

  log('analysis throughput');
  const analysis: AnalysisFigures[] = [];
  for (const segmenter of ['nodejieba', 'node-rs'] as const) {
    for (const threads of [...new Set([1, options.workers])]) {
      analysis.push(await runChild<AnalysisFigures>({ kind: 'analysis', segmenter, threads, docsFile, maxBytes: options.quick ? 1_000_000 : 12_000_000 }));
    }
  }

  log('incremental reindex');
  const reindex = await reindexFigures(options, zhAllDir, allCores);
  const noChangeShare = reindex.noChange.wallMs / allCores.wallMs;

  const scaling = await scalingTable(options, docsFile, plan, { zh: zhAll, peers: loaded(systems), docs: prepared.docs, sourceBytes: raw });
  for (const name of options.peers) fs.rmSync(path.join(options.work, `bench-${name}`), { recursive: true, force: true });

  const loadAfter = os.loadavg()[0]!;
  const body = [
    '## Performance (`npm run bench`)',
    '',
    machineLine(),
    `Corpus: ${displayPath(options.corpus)}${options.fraction < 1 ? ` (${options.fraction * 100}% of the posts)` : ''}: ${prepared.docs} posts, ${formatNumber(megabytes(raw))} MB raw text. ` +
      `Run took ${formatNumber((Date.now() - started) / 60000)} min${options.quick ? ' (--quick)' : ''}; 1-minute load average ${formatNumber(loadBefore)} at the start, ${formatNumber(loadAfter)} at the end ` +
      `(above the core count means other processes competed for the CPU and the timings are inflated).`,
    '',
    '### Targets',
    '',
    targetsTable(loaded(systems), zhAll, postingsBytes, raw, { noChangeShare }, plan, http),
    '',
    '### Indexing',
    '',
    'zhsearch: `zhsearch reindex --full` in a child process, timed from spawn to exit (ingest, analysis, writing the index). ' +
      'Peers: ingest + jieba segmentation (measured once on one thread, shared by all jieba peers; own-tokenizer peers pay ingest only) ' +
      'plus the build in a child process of its own; their peak RSS includes the segmented input (the next column). ' +
      'CPU s: user + system time of every thread (zhsearch: the reindex process with its worker threads; peers: ingest, segmentation and build), ' +
      'which other work on a shared machine inflates far less than wall time.',
    '',
    indexingTable(systems, raw),
    '',
    '### Index on disk and load',
    '',
    `zhsearch files: ${manifestFiles.map((f) => `${f.file} ${formatNumber(megabytes(f.bytes))} MB`).join(', ')}; postings ${formatNumber(megabytes(postingsBytes))} MB = ${formatNumber(postingsBytes / raw)}× raw text. ` +
      'Load: opening the index and everything needed to answer (zhsearch: openIndex + analyzer + search service; SQLite: opening the file). ' +
      'Then suggestions: zhsearch indexing its search box\'s suggestions, which a CLI or a freshly started server leaves to a background build; ' +
      'done before the query passes, which time the steady state (as the HTTP rows do), so that build does not run between them. ' +
      'Heap (after a full GC) and RSS after both.',
    '',
    indexTable(loaded(systems), rawOf),
    '',
    '### Query latency, in process',
    '',
    'Top 10 per query. Peers return ranked ids; zhsearch is measured twice on the same index: full hits (snippets, facets over all matches, as the search page asks) ' +
      'and ids only (`facets: false, snippets: false`: the same ranking, answered as the peers answer). Peers tokenise the query with the same jieba. ' +
      'Every system is loaded in a process of its own and the passes are interleaved: one pass of each system in turn, the order changing each round so that, over each whole cycle of rounds, each system runs in every position and right after every other equally often, ' +
      'so background load falls on all systems alike. First search: the warm-up pass before those, each query asked for the first time in its list ' +
      '(one sample a query; zhsearch answering full hits): zhsearch keeps, within bounds, the plans of query texts it has searched, ' +
      'the tokens of snippet clauses it has segmented, the snippets of the hits it has shown (by document and terms), ' +
      'the documents of compounds and phrases it has found and the block data of slots it has scored, ' +
      'which the later passes reuse ' +
      '(and the filtered list, whose words are mostly the one-term list\'s, may reuse what that list kept).',
    '',
    latencyTables(loaded(systems), plan),
    '',
    '### HTTP `/api/search` (autocannon, 10 connections, 127.0.0.1)',
    '',
    http.text,
    '',
    '### Analysis throughput (zhsearch analyzer alone)',
    '',
    markdownTable(
      ['segmenter', 'threads', 'sample MB', 'load ms', 'MB/s', 'tokens'],
      analysis.map((a) => [a.segmenter, a.threads, megabytes(a.bytes), a.loadMs, megabytes(a.bytes) / seconds(a.analyzeMs), a.tokens]),
    ),
    '',
    '### Incremental reindex',
    '',
    reindex.table,
    '',
    '### Scaling',
    '',
    `Shares of this run's corpus (the 100% row repeats the figures above). zhsearch with ${options.workers} workers; peers' build time excludes ingest and segmentation. p99 of the one-term queries.`,
    '',
    scaling,
    '',
    ...systems.filter((s) => s.fraction < 1).map((s) => `Note: ${subsetNote(s)}`),
  ].join('\n');
  publishResults(options.out, 'bench', body, log);
  await growth(options, plan);
  await engineSection(options);
}

/** The HTTP rows of the bench: the one- and two-term latency queries. */
function httpQueries(plan: LatencyPlan): BenchQuery[] {
  return [...plan.latency[0]!.queries, ...plan.latency[1]!.queries];
}

function httpSeconds(options: BenchOptions): number {
  return options.quick ? 2 : 10;
}

/**
 * `--http`: only the HTTP rows, in a section of their own: zhsearch's index (--index, else built) and the --peers
 * (default FlexSearch with jieba tokens, the fastest peer of the full runs), each peer built first.
 */
async function httpOnly(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  fs.mkdirSync(options.work, { recursive: true });
  const docsFile = path.join(options.work, 'peer-docs.jsonl');
  log(`peers' input and latency queries: ingest and jieba segmentation of ${options.corpus}`);
  const prepared = await runChild<PrepareResult>({ kind: 'prepare', corpus: options.corpus, docsFile });
  const plan = await latencyPlan(options, docsFile);
  const zhDir = options.index ?? path.join(options.work, 'bench-zhsearch');
  if (!options.index) await zhsearchBuild(options.corpus, zhDir, options.workers, options.segmenter);
  const peers = [];
  for (const name of options.peers) peers.push(await peerFigures(options, name, docsFile, prepared));
  log('HTTP: /api/search under autocannon');
  let http;
  try {
    http = await httpSection(
      { label: `zhsearch (${displayPath(zhDir)})`, dir: zhDir },
      peers.map((peer) => ({ label: peer.label, name: peer.name, dir: peer.dir! })),
      httpQueries(plan),
      httpSeconds(options),
    );
  } finally {
    for (const peer of peers) fs.rmSync(peer.dir!, { recursive: true, force: true });
  }
  publishResults(
    options.out,
    'http',
    [
      '## HTTP `/api/search` alone (`npm run bench -- --http`; autocannon, 10 connections, 127.0.0.1)',
      '',
      machineLine(),
      `Corpus: ${displayPath(options.corpus)}${options.fraction < 1 ? ` (${options.fraction * 100}% of the posts)` : ''}: ${prepared.docs} posts. ` +
        `Section took ${formatNumber((Date.now() - started) / 60000)} min; 1-minute load average ${formatNumber(loadBefore)} at the start, ${formatNumber(os.loadavg()[0]!)} at the end.`,
      '',
      http.text,
    ].join('\n'),
    log,
  );
}

/** The growth section, published on its own (`--growth` runs only it). */
async function growth(options: BenchOptions, plan: LatencyPlan): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const body = await growthSection(options, plan, log);
  publishResults(
    options.out,
    'growth',
    [
      '## Growth: the corpus 1× and 3× (`npm run bench`, alone with `npm run bench -- --growth`)',
      '',
      machineLine(),
      `Run's corpus: ${displayPath(options.corpus)}${options.fraction < 1 ? ` (${options.fraction * 100}% of the posts)` : ''}. ` +
        `Section took ${formatNumber((Date.now() - started) / 60000)} min; 1-minute load average ${formatNumber(loadBefore)} at the start, ${formatNumber(os.loadavg()[0]!)} at the end.`,
      '',
      body,
    ].join('\n'),
    log,
  );
}

/** The engine beside the embedded index, in a section of its own; skipped with a note where searchd is missing. */
async function engineSection(options: BenchOptions): Promise<void> {
  if (!(await searchdInstalled())) {
    log('engine section skipped: searchd not found (apt-get install -y sphinxsearch)');
    return;
  }
  publishResults(options.out, 'engine', [await engineBench(options, log), '', machineLine()].join('\n'), log);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
