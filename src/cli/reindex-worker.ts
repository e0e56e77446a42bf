/** Worker thread of `reindex`: creates its analyzer once, then reads, parses and analyses one file per task. */
import { createAnalyzer, releaseSegmenters } from '../analysis/index.js';
import type { AnalyzerIdentity, SegmenterName } from '../analysis/types.js';
import { analyzeArticle, lowerThreadPriority, PackedTerms, type PackedArticle } from '../index/index.js';
import { readArticle } from '../ingest/index.js';
import type { CorpusFile, IngestError, NotPublished, SiteSettings } from '../ingest/types.js';
import { serveWorkerTasks } from './worker-pool.js';

export interface ReindexWorkerData {
  segmenter: SegmenterName;
  /** Undefined: the analysis default. */
  userDictPath: string | undefined;
  /** Nice value of this thread (a server shares the machine: its requests go first). */
  niceness: number;
  site: SiteSettings;
}

export type AnalyzeOutcome =
  | { ok: true; analyzed: PackedArticle; warnings: string[] }
  | { ok: false; error: IngestError }
  | { ok: false; notPublished: NotPublished };

// Runs on load: the main thread imports this module for its types only (erased at compile time).
serveWorkerTasks<CorpusFile, AnalyzeOutcome, AnalyzerIdentity>(async (data) => {
  const { segmenter, userDictPath, niceness, site } = data as ReindexWorkerData;
  lowerThreadPriority(niceness);
  const analyzer = createAnalyzer({ segmenter, userDictPath });
  const terms = new PackedTerms();
  return {
    info: analyzer.identity,
    handle: async (file) => {
      const result = await readArticle(file, { site });
      // Packed only once analysed: an article that fails (or whose result cannot be sent: unsent) leaves no numbered term the main thread never hears of.
      return result.ok ? { ok: true, analyzed: terms.pack(analyzeArticle(analyzer, result.article)), warnings: result.article.warnings } : result;
    },
    // Moved, not copied: cloning every field's counts and positions cost each worker ~7 % of its time.
    transfer: (outcome) => (outcome.ok ? [outcome.analyzed.forward.buffer as ArrayBuffer] : []),
    // Skipped as a failed article: the terms it numbered first are numbered again by the next article that has them.
    // If that cannot be (another was packed since), every later article of this thread would be out of order for the
    // builder: the thread ends, and the pool fails its tasks and carries on with the others.
    unsent: (outcome) => {
      if (outcome.ok && !terms.unpack(outcome.analyzed)) process.exit(1);
    },
    release: releaseSegmenters,
  };
});
