/**
 * `zhsearch export` as a function (the Hexo plugin calls it after `hexo generate`): optionally brings the index of a
 * corpus up to date (an incremental reindex), then writes the static search of that index into `outDir`.
 */
import { segmentationData } from '../analysis/index.js';
import { querySynonyms } from '../search/index.js';
import { ExportError, exportStatic, type ExportSummary } from '../static/index.js';
import { userDictionaryFor } from './analyzer-choice.js';
import { CliError } from './errors.js';
import { loadIndexAndAnalyzer } from './load-index.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { reindex } from './reindex.js';

export interface ExportSiteOptions {
  /** Articles folder: its user dictionary (dict.txt) is the analyzer's; with `reindex`, it is indexed first. */
  corpusDir: string;
  indexDir: string;
  outDir: string;
  /** Bring the index up to date with the corpus first (incremental). */
  reindex: boolean;
  workers?: number;
  progress?: ProgressReporter;
  note?: (message: string) => void;
}

export async function exportSite(options: ExportSiteOptions): Promise<ExportSummary> {
  if (options.reindex) {
    await reindex({
      corpusDir: options.corpusDir,
      indexDir: options.indexDir,
      full: false,
      workers: options.workers ?? 1,
      progress: options.progress ?? createProgressReporter(process.stderr),
      note: options.note ?? (() => {}),
    });
  }
  const { reader, analyzer } = await loadIndexAndAnalyzer(options.indexDir, options.corpusDir);
  const segmentation = segmentationData({ segmenter: reader.manifest.analyzer.segmenter, userDictPath: userDictionaryFor(options.corpusDir) });
  try {
    const synonyms = querySynonyms(analyzer, { warn: options.note ?? (() => {}), learned: reader.abbreviations() })();
    return await exportStatic({ reader, analyzer, segmentation, synonyms, outDir: options.outDir });
  } catch (error) {
    throw error instanceof ExportError ? new CliError(error.message) : error;
  }
}
