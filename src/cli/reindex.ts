/**
 * Reindex orchestration: list files, diff their hashes against the live index's catalog, analyse what changed in
 * worker threads, merge into one IndexBuilder and write a new generation. A run with nothing to do reads only the
 * catalog and lists the files, hashing those whose stat changed (file-stamps.ts): no worker, no segmenter, no postings
 * are loaded.
 */
import { constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalyzerIdentity, SegmenterName } from '../analysis/types.js';
import {
  acquireIndexLock,
  describeHolder,
  IndexBuilder,
  IndexLockedError,
  ListingStamps,
  openIndex,
  readCurrentGeneration,
  readIndexCatalog,
  readStamps,
  readSummaries,
  restampGeneration,
  servingProcesses,
  stampsTrusted,
  THREAD_LIMITS,
  writeIndex,
  type IndexLock,
  type KnownHash,
} from '../index/index.js';
import type { IndexCatalog, IndexManifest, IndexReader } from '../index/types.js';
import { compareIds, listSiteFiles, SiteConfigError, siteSettings, type SiteChoice } from '../ingest/index.js';
import type { CorpusFile, IngestError, NotPublished, SiteSettings } from '../ingest/types.js';
import {
  analyzerIdentity,
  createLexicon,
  DEFAULT_SEGMENTER,
  describeAnalyzer,
  effectiveUserDictPath,
  sameAnalyzer,
} from '../analysis/index.js';
import { userDictionaryFor } from './analyzer-choice.js';
import { writeFailure } from './disk-space.js';
import { CliError, errorMessage } from './errors.js';
import { hashFiles } from './hash-files.js';
import type { ProgressReporter } from './progress.js';
import { planReindex, type ReindexPlan } from './reindex-plan.js';
import { DROPPED_BY_REBUILD, groupSkipReasons, SKIPPED_FILES_LIMIT, type FileWarnings, type ReindexSummary } from './reindex-summary.js';
import type { AnalyzeOutcome, ReindexWorkerData } from './reindex-worker.js';
import { IN_FLIGHT_PER_WORKER, PoolFailedError, WorkerPool } from './worker-pool.js';

export interface ReindexOptions {
  corpusDir: string;
  indexDir: string;
  full: boolean;
  /** Default: the segmenter of the existing index, else DEFAULT_SEGMENTER. */
  segmenter?: SegmenterName;
  workers: number;
  /** Wait for another writer of the same index to finish instead of refusing at once. */
  wait?: boolean;
  /** Site choices of the command line; what it leaves out is kept from the existing index (unless --full). */
  site?: SiteChoice;
  progress: ProgressReporter;
  /** A remark for the user (stderr), e.g. why the whole corpus is analysed. */
  note(message: string): void;
}

/** Failed run (nothing indexable, index not writable) that still has a summary worth printing. */
export class ReindexError extends CliError {
  constructor(message: string, readonly summary: ReindexSummary) {
    super(message);
  }
}

const WORKER_URL = new URL('./reindex-worker.js', import.meta.url);
/**
 * Files handed to the analysis pool at a time per thread: what a thread works on and what waits for it (twice the
 * pool's tasks in flight per worker, so the next is at hand when one comes back).
 */
const FILES_PER_THREAD = 2 * IN_FLIGHT_PER_WORKER;
/** Nice value of analysis threads while a server uses the index. */
const SERVING_NICENESS = 5;

type ReindexPool = WorkerPool<CorpusFile, AnalyzeOutcome, AnalyzerIdentity>;

export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const corpusDir = path.resolve(options.corpusDir);
  const indexDir = path.resolve(options.indexDir);
  await assertDirectory(corpusDir);
  await assertWritable(indexDir);
  const lock = await lockIndex(indexDir, corpusDir, options);
  try {
    return await reindexLocked(options, { corpusDir, indexDir, lock, started });
  } finally {
    await lock.release();
  }
}

/** The index's writer lock, held for the whole run: the plan is made from the catalog it replaces. */
async function lockIndex(indexDir: string, corpusDir: string, options: ReindexOptions): Promise<IndexLock> {
  try {
    return await acquireIndexLock(indexDir, {
      command: `zhsearch reindex --corpus ${corpusDir}`,
      waitMs: options.wait ? Infinity : 0,
      onWait: (holder) => options.note(`等待另一个进程写完索引（${describeHolder(holder)}）…`),
    });
  } catch (error) {
    if (!(error instanceof IndexLockedError)) throw new CliError(`索引目录无法加锁：${indexDir}（${writeFailure(indexDir, error)}）`);
    throw new CliError(`${error.message}：等它结束后再运行，或加 --wait 排队等待`);
  }
}

async function reindexLocked(
  options: ReindexOptions,
  { corpusDir, indexDir, lock, started }: { corpusDir: string; indexDir: string; lock: IndexLock; started: number },
): Promise<ReindexSummary> {
  const existing = await readExisting(indexDir);
  const storedCorpus = existing.catalog?.manifest.source?.corpus;
  if (storedCorpus !== undefined && storedCorpus !== corpusDir) {
    options.note(`注意：该索引原来建立自 ${storedCorpus}，现在改为 ${corpusDir}：不在新目录中的文章将从索引中删除`);
  }
  const storedSite = options.full ? undefined : existing.catalog?.manifest.site;
  const site = chooseSite(corpusDir, options.site ?? {}, storedSite);
  // Before any stat of the listing: a file changed less than a few seconds before it is read even if its stamp is kept.
  const listedAt = Date.now();
  const listing = listSiteFiles(corpusDir, site);
  // Rejections are handled where it is awaited; this only keeps Node from reporting it as unhandled meanwhile.
  listing.catch(() => {});

  const segmenter = options.segmenter ?? existing.catalog?.manifest.analyzer.segmenter ?? DEFAULT_SEGMENTER;
  // Each process serving this index (one per `serve --processes`) keeps a core and goes first: fewer analysis
  // threads, at a lower priority.
  const servers = await servingProcesses(indexDir);
  const workers = servers.length > 0 ? Math.max(1, Math.min(options.workers, availableParallelism() - servers.length)) : options.workers;
  if (servers.length > 0) options.note(`服务进程（pid ${servers.join('、')}）正在使用该索引：用 ${workers} 个分析线程，并降低其优先级`);
  const workerData: ReindexWorkerData = { segmenter, userDictPath: userDictionaryFor(corpusDir), niceness: servers.length > 0 ? SERVING_NICENESS : 0, site };
  let identity: AnalyzerIdentity;
  try {
    identity = analyzerIdentity(workerData);
  } catch (error) {
    throw segmenterError(segmenter, error);
  }
  let fullReason = options.full ? '--full' : existing.problem;
  const indexed = existing.catalog?.manifest.analyzer;
  if (fullReason === null && !sameAnalyzer(indexed!, identity)) {
    fullReason = `现有索引由不同的分析器建立（${describeAnalyzer(indexed!)}；现在是 ${describeAnalyzer(identity)}）`;
  }
  if (fullReason === null && storedSite !== undefined && JSON.stringify(storedSite) !== JSON.stringify(site)) {
    fullReason = '站点设置（_config.yml、--base-url、--drafts 或 --include-hidden）已改变，文章链接和日期需要重新计算';
  }

  let pool = null as ReindexPool | null;
  // A full build starts its workers at once: they load the segmenter while the corpus is listed.
  const startPool = (size: number): ReindexPool => (pool ??= new WorkerPool(WORKER_URL, size, workerData, THREAD_LIMITS));
  if (fullReason !== null) startPool(workers);
  // Cleared (its file of texts removed) however the run ends.
  let made = null as IndexBuilder | null;
  try {
    const { files, errors: listingErrors, notPublished: hidden } = await listing;
    if (files.length === 0) {
      const problems = listingErrors.map((e) => `\n  ${e.id}：${e.reason}`).join('');
      throw new CliError(`没有可索引的文章：${corpusDir} 中没有文章文件（.md、.markdown、.html）${problems}`);
    }
    const skipped: IngestError[] = [...listingErrors];
    // Indexed files kept at their indexed version because they cannot be read now: never stamped, a stamp would vouch
    // for content no run has read.
    const unreadable = new Set<string>();
    const incremental = fullReason === null ? incrementalPlan(indexDir, corpusDir, existing.catalog!, files, skipped, unreadable) : null;
    let plan: ReindexPlan<CorpusFile> = incremental?.plan ?? fullPlan(files);
    const stampsOf = (listed: readonly CorpusFile[]) => new ListingStamps(unreadable.size === 0 ? listed : listed.filter((f) => !unreadable.has(f.id)), listedAt);
    let toAnalyze = [...plan.added, ...plan.changed];

    // Only now, with work to do, the live index is loaded and workers start (both take seconds at scale).
    let reader: IndexReader | null = null;
    if (fullReason === null && (toAnalyze.length > 0 || plan.removed.length > 0)) {
      if (toAnalyze.length > 0) startPool(Math.min(workers, toAnalyze.length));
      try {
        // Read once through, by IndexBuilder.from: no postings are kept decoded.
        reader = await openIndex(indexDir, { keepPostings: false });
      } catch (error) {
        fullReason = `现有索引无法加载（${errorMessage(error)}）`;
        plan = fullPlan(files);
        toAnalyze = [...files];
        startPool(workers).grow(workers);
      }
    }
    if (fullReason !== null && !options.full) options.note(`全量重建：${fullReason}`);

    const summary = initialSummary({ workers: pool?.size ?? 0, corpusDir, indexDir, segmenter, fullReason, files: files.length, plan, site });
    if (existing.catalog) describeGeneration(summary, existing.catalog.manifest);
    const notPublished: NotPublished[] = [...hidden];
    const warned: FileWarnings[] = [];
    const finish = (status: ReindexSummary['status']): ReindexSummary => {
      skipped.sort((a, b) => compareIds(a.id, b.id));
      notPublished.sort((a, b) => compareIds(a.id, b.id));
      warned.sort((a, b) => compareIds(a.id, b.id));
      summary.status = status;
      summary.skipped = skipped.length;
      summary.skippedReasons = groupSkipReasons(skipped);
      summary.skippedFiles = skipped.slice(0, SKIPPED_FILES_LIMIT);
      summary.notPublished = notPublished.length;
      summary.notPublishedFiles = notPublished.slice(0, SKIPPED_FILES_LIMIT);
      summary.warned = warned.length;
      summary.warnedFiles = warned.slice(0, SKIPPED_FILES_LIMIT);
      summary.seconds = (performance.now() - started) / 1000;
      summary.megabytesPerSecond = summary.analysedBytes / 1e6 / summary.seconds;
      return summary;
    };

    // A run that leaves the index as it is stamps again beside the live generation the files it read only because
    // their stamps were missing or moved (touched, copied, an index older than stamps): the next run does not read them.
    const upToDate = async (stamps: ListingStamps): Promise<ReindexSummary> => {
      if (incremental?.read) await restampGeneration(lock, existing.catalog!.manifest.generation, existing.catalog!.documents, stamps);
      return finish('up-to-date');
    };
    if (toAnalyze.length === 0 && plan.removed.length === 0 && fullReason === null) return upToDate(stampsOf(files));

    // Made while the workers load their segmenter (seconds with nodejieba), from the live index or empty.
    const lexicon = createLexicon({ userDictPath: workerData.userDictPath });
    // Texts wait for the write in a scratch file in the index folder: in memory they were a corpus's worth of strings.
    // Collocations' pairs and abbreviations' forms are counted on a thread of their own while the keywords are ranked.
    const builderOptions = { spillTextsIn: indexDir, countingThread: { niceness: workerData.niceness } };
    const builder = (made =
      reader === null
        ? new IndexBuilder(identity, site, lexicon, builderOptions)
        : IndexBuilder.from(reader, lexicon, readSummaries(indexDir, reader.manifest.generation), builderOptions));
    for (const id of plan.removed) builder.remove(id);
    // A changed file that no longer parses must not leave its old version searchable.
    for (const file of plan.changed) builder.remove(file.id);
    const changedIds = new Set(plan.changed.map((f) => f.id));
    const fileCount = files.length;
    const stamps = stampsOf(files);
    // The listing's entry of every file (~300 bytes a post with its path, ~80 MB at 10x the scale corpus) is held by
    // this frame through several names: emptied in place before the analysis, which drops each file's entry from
    // toAnalyze as it is analysed.
    files.length = 0;
    plan.added.length = 0;
    plan.changed.length = 0;

    if (pool !== null) await awaitWorkers(pool, identity, segmenter);
    // What fails here is keeping an article's text in the index folder (a full disk): that is a failed write too.
    const analysed = analyzeAll(pool, toAnalyze, options.progress, (file, outcome) => {
      summary.analysedBytes += file.bytes;
      if ('notPublished' in outcome) {
        notPublished.push(outcome.notPublished);
        return;
      }
      if (!outcome.ok) {
        skipped.push(outcome.error);
        return;
      }
      // Kept under the listing's id string, which the stamps hold too, not the thread's copy of it (~90 bytes a post to
      // the end of the write).
      outcome.analyzed.article.id = file.id;
      builder.addPacked(outcome.analyzed);
      if (outcome.warnings.length > 0) warned.push({ id: file.id, warnings: outcome.warnings });
      summary.indexed++;
      if (changedIds.has(file.id)) summary.changed++;
      else summary.added++;
    });
    await analysed.catch((error: unknown) => {
      if (error instanceof PoolFailedError) throw new ReindexError(`分析线程全部失败，索引未改动：${error.message}`, finish('failed'));
      throw new ReindexError(`索引无法写入 ${indexDir}：${writeFailure(indexDir, error)}`, finish('failed'));
    });
    // The analysis threads free their segmenters and exit (their heaps torn down) while the build goes on: awaited
    // below, however it ends. Killed instead, nodejieba's threads left ~230 MB each for the rest of the build.
    void pool?.close();
    if (fullReason !== null && existing.catalog) summary.removed = droppedByRebuild(existing.catalog.documents, builder, skipped);

    // A run whose only news is files that fail again leaves the index untouched.
    if (summary.indexed === 0 && fullReason === null && changedIds.size === 0 && plan.removed.length === 0) return upToDate(stamps);
    summary.articles = builder.size;
    if (summary.articles === 0) {
      throw new ReindexError(`没有可索引的文章：${corpusDir} 中的 ${fileCount} 个文件都无法索引`, finish('failed'));
    }
    let manifest: IndexManifest;
    try {
      const source = { corpus: corpusDir, userDictionary: effectiveUserDictPath({ userDictPath: workerData.userDictPath }) ?? null };
      const summaries = builder.summaries();
      manifest = await writeIndex(indexDir, await builder.content(), { lock, source, summaries, stamps });
    } catch (error) {
      throw new ReindexError(`索引无法写入 ${indexDir}：${writeFailure(indexDir, error)}`, finish('failed'));
    }
    describeGeneration(summary, manifest);
    return finish('written');
  } finally {
    await pool?.terminate();
    made?.clear();
  }
}

/**
 * The site settings of this run: the command line's choices, else those the existing index was built with (so an
 * incremental run keeps its links and dates consistent), the Hexo site's `_config.yml` read afresh.
 */
function chooseSite(corpusDir: string, choice: SiteChoice, stored: SiteSettings | undefined): SiteSettings {
  try {
    return siteSettings(corpusDir, {
      siteDir: choice.siteDir,
      baseUrl: choice.baseUrl !== undefined ? choice.baseUrl : stored?.baseUrl,
      drafts: choice.drafts ?? stored?.drafts,
      includeHidden: choice.includeHidden ?? stored?.includeHidden,
    });
  } catch (error) {
    if (error instanceof SiteConfigError) throw new CliError(error.message);
    throw error;
  }
}

/** Waits for the workers' segmenters; they must be the analyzer the plan was made for. */
async function awaitWorkers(pool: ReindexPool, identity: AnalyzerIdentity, segmenter: SegmenterName): Promise<void> {
  const identities = await pool.ready.catch((error: unknown) => {
    throw segmenterError(segmenter, error);
  });
  for (const loaded of identities) {
    if (!sameAnalyzer(loaded, identity)) {
      throw new CliError(`分析线程的分析器（${describeAnalyzer(loaded)}）与预期的（${describeAnalyzer(identity)}）不同`);
    }
  }
}

/** The segmenter (its package, dictionary or user dictionary) could not be loaded. */
function segmenterError(segmenter: SegmenterName, error: unknown): CliError {
  return new CliError(`无法加载分词器 ${segmenter}：${errorMessage(error)}`);
}

/**
 * An indexed file that cannot be read now (permissions, a disk error) keeps its indexed version and is reported:
 * dropping it would lose a good article while the summary says nothing was removed. Its id goes into `kept`.
 */
function keepUnreadable<F extends CorpusFile & { readError?: string }>(plan: ReindexPlan<F>, skipped: IngestError[], kept: Set<string>): ReindexPlan<F> {
  const unreadable = plan.changed.filter((file) => file.readError !== undefined);
  if (unreadable.length === 0) return plan;
  for (const file of unreadable) {
    skipped.push({ id: file.id, reason: `无法读取文件：${file.readError}；索引中保留上次的版本` });
    kept.add(file.id);
  }
  return {
    ...plan,
    changed: plan.changed.filter((file) => file.readError === undefined),
    unchanged: [...plan.unchanged, ...unreadable.map((file) => file.id)],
  };
}

/**
 * A full rebuild keeps nothing of the previous generation: an indexed article whose file is gone, or cannot be read
 * or indexed now, is not in the new one. Counts those (the summary's 已删除) and says so in the skip reason of each
 * that was skipped, so an article is never lost without a word.
 */
function droppedByRebuild(previous: readonly { id: string }[], builder: IndexBuilder, skipped: IngestError[]): number {
  const dropped = new Set(previous.filter(({ id }) => !builder.has(id)).map(({ id }) => id));
  for (const entry of skipped) if (dropped.has(entry.id)) entry.reason += DROPPED_BY_REBUILD;
  return dropped.size;
}

/**
 * What changed since the live generation, and whether a file was read that its stamp could have vouched for: a file
 * whose stamp says it is unchanged is not (file-stamps.ts; every file is, on a network file system). Unreadable
 * indexed files' ids go into `unreadable`.
 */
function incrementalPlan(
  indexDir: string,
  corpusDir: string,
  catalog: IndexCatalog,
  files: CorpusFile[],
  skipped: IngestError[],
  unreadable: Set<string>,
): { plan: ReindexPlan<CorpusFile>; read: boolean } {
  const trusted = stampsTrusted(corpusDir);
  const known = trusted ? readStamps(indexDir, catalog.manifest.generation, catalog.documents) : null;
  let read = trusted && known === null;
  const counted: KnownHash | null =
    known &&
    ((file) => {
      const hash = known(file);
      if (hash === undefined) read = true;
      return hash;
    });
  return { plan: keepUnreadable(planReindex(hashFiles(files, counted), catalog.documents), skipped, unreadable), read };
}

function fullPlan(files: CorpusFile[]): ReindexPlan<CorpusFile> {
  return { added: files, changed: [], unchanged: [], removed: [] };
}

/**
 * Sends every file to the pool and hands each outcome over as it arrives; a crashed worker becomes a skip reason. Each
 * file's entry of `files` is emptied (null) once its outcome is handed over.
 */
async function analyzeAll(
  pool: ReindexPool | null,
  files: (CorpusFile | null)[],
  progress: ProgressReporter,
  onOutcome: (file: CorpusFile, outcome: AnalyzeOutcome) => void,
): Promise<void> {
  if (files.length === 0 || pool === null) return;
  progress.start(files.length, files.reduce((sum, f) => sum + f!.bytes, 0));
  // A few files per thread handed to the pool at a time: a task, promise and closure for every file at once were
  // ~1.5 KB a post from the start of the analysis (~0.4 GB at 10x the scale corpus).
  let next = 0;
  const feed = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i]!;
      const outcome = await pool.run(file).catch((error: unknown): AnalyzeOutcome => {
        // No thread left: the run stops rather than write an index without the articles still to analyse.
        if (error instanceof PoolFailedError) throw error;
        return { ok: false, error: { id: file.id, reason: `分析线程失败：${errorMessage(error)}` } };
      });
      progress.tick(file.bytes);
      onOutcome(file, outcome);
      files[i] = null;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(files.length, FILES_PER_THREAD * pool.size) }, feed));
  } finally {
    progress.stop();
  }
}

function initialSummary(
  run: {
    workers: number;
    corpusDir: string;
    indexDir: string;
    segmenter: SegmenterName;
    fullReason: string | null;
    files: number;
    plan: Pick<ReindexPlan<{ id: string }>, 'unchanged' | 'removed'>;
    site: SiteSettings;
  },
): ReindexSummary {
  return {
    status: 'failed',
    corpus: run.corpusDir,
    index: run.indexDir,
    mode: run.fullReason === null ? 'incremental' : 'full',
    fullReason: run.fullReason,
    segmenter: run.segmenter,
    workers: run.workers,
    files: run.files,
    indexed: 0,
    added: 0,
    changed: 0,
    unchanged: run.plan.unchanged.length,
    removed: run.plan.removed.length,
    skipped: 0,
    skippedReasons: [],
    skippedFiles: [],
    notPublished: 0,
    notPublishedFiles: [],
    warned: 0,
    warnedFiles: [],
    site: run.site.hexo?.dir ?? null,
    timeZone: run.site.timeZone,
    articles: 0,
    generation: null,
    indexBytes: 0,
    analysedBytes: 0,
    seconds: 0,
    megabytesPerSecond: 0,
  };
}

/** Fills in the live generation's name, size and article count. */
function describeGeneration(summary: ReindexSummary, manifest: IndexManifest): void {
  summary.generation = manifest.generation;
  summary.articles = manifest.docCount;
  summary.indexBytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
}

/** The live index's catalog, or why there is none to update (then the run is a full build). */
async function readExisting(indexDir: string): Promise<{ catalog: IndexCatalog; problem: null } | { catalog: null; problem: string }> {
  if (!hasIndex(indexDir)) return { catalog: null, problem: '尚无索引' };
  try {
    return { catalog: await readIndexCatalog(indexDir), problem: null };
  } catch (error) {
    return { catalog: null, problem: `现有索引无法加载（${errorMessage(error)}）` };
  }
}

function hasIndex(indexDir: string): boolean {
  try {
    return readCurrentGeneration(indexDir) !== null;
  } catch {
    return false;
  }
}

async function assertDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`文章目录不存在：${dir}（用 --corpus 指定）`);
}

/** Fails before any analysis when the index folder cannot be created or written. */
async function assertWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new CliError(`索引目录不可写：${dir}（${writeFailure(dir, error)}）`);
  }
}
