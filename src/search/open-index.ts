/** The analyzer to query an index with: the one that built it (same segmenter, dictionary and rules), or a refusal. */
import { createAnalyzer, describeAnalyzer, sameAnalyzer } from '../analysis/index.js';
import type { Analyzer, AnalyzerIdentity, SegmenterName } from '../analysis/types.js';

/** Query terms analysed differently from the indexed ones would silently miss: such an index must be rebuilt. */
export class AnalyzerMismatchError extends Error {
  constructor(
    readonly built: AnalyzerIdentity,
    readonly current: AnalyzerIdentity,
  ) {
    super(`the index was built with analyzer ${describeAnalyzer(built)}, the query analyzer is ${describeAnalyzer(current)}`);
    this.name = 'AnalyzerMismatchError';
  }
}

export interface QueryAnalyzerOptions {
  /** Default: the segmenter the index records. */
  segmenter?: SegmenterName;
  /** The user dictionary the index was built with; default: the analysis default. */
  userDictPath?: string;
}

/** Analyzers already made, by segmenter and user dictionary (nodejieba takes ~2 s to load its dictionary). */
export type AnalyzerCache = Map<string, Analyzer>;

/** Throws AnalyzerMismatchError when the analyzer `options` describe is not the one recorded as `built`. */
export function analyzerForIndex(built: AnalyzerIdentity, options: QueryAnalyzerOptions = {}, cache?: AnalyzerCache): Analyzer {
  const segmenter = options.segmenter ?? built.segmenter;
  const key = `${segmenter}\u0000${options.userDictPath ?? ''}`;
  let analyzer = cache?.get(key);
  if (!analyzer) {
    analyzer = createAnalyzer(options.userDictPath === undefined ? { segmenter } : { segmenter, userDictPath: options.userDictPath });
    cache?.set(key, analyzer);
  }
  if (!sameAnalyzer(built, analyzer.identity)) throw new AnalyzerMismatchError(built, analyzer.identity);
  return analyzer;
}
