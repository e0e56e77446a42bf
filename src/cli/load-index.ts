/** Loading the live index for the read-only commands, with messages that say what to do. */
import type { Analyzer } from '../analysis/types.js';
import { openIndex, openIndexWith, rebuildCommand } from '../index/index.js';
import type { IndexManifest, IndexReader } from '../index/types.js';
import { describeAnalyzer } from '../analysis/index.js';
import { analyzerForIndex, AnalyzerMismatchError } from '../search/index.js';
import { userDictionaryFor } from './analyzer-choice.js';
import { CliError, errorMessage } from './errors.js';

export async function loadIndex(indexDir: string): Promise<IndexReader> {
  try {
    return await openIndex(indexDir);
  } catch (error) {
    throw loadFailure(indexDir, error);
  }
}

/** loadIndex with the analyzer it was built with (analyzerFor), whose dictionary loads while the files are read. */
export async function loadIndexAndAnalyzer(indexDir: string, corpusDir: string): Promise<{ reader: IndexReader; analyzer: Analyzer }> {
  let opened: { reader: IndexReader; prepared: Analyzer };
  // The analyzer's own failures (an unreadable user dictionary) are not the index's: they keep their message.
  let analyzerError: unknown;
  const prepare = (manifest: IndexManifest): Analyzer => {
    try {
      return analyzerFor(manifest, corpusDir, indexDir);
    } catch (error) {
      analyzerError = error;
      throw error;
    }
  };
  try {
    opened = await openIndexWith(indexDir, prepare);
  } catch (error) {
    if (error instanceof CliError || error === analyzerError) throw error;
    throw loadFailure(indexDir, error);
  }
  return { reader: opened.reader, analyzer: opened.prepared };
}

function loadFailure(indexDir: string, error: unknown): CliError {
  return new CliError(`无法加载索引 ${indexDir}：${errorMessage(error)}`);
}

/**
 * The analyzer the index was built with (its segmenter, the corpus's user dictionary); refuses a mismatch, advising
 * the rebuild of this index from the corpus it was built from.
 */
function analyzerFor(manifest: IndexManifest, corpusDir: string, indexDir: string): Analyzer {
  try {
    return analyzerForIndex(manifest.analyzer, { userDictPath: userDictionaryFor(corpusDir) });
  } catch (error) {
    if (!(error instanceof AnalyzerMismatchError)) throw error;
    const { source } = manifest;
    const dictionary = source ? `（建立时的用户词典：${source.userDictionary ?? '无'}）` : '';
    throw new CliError(
      `索引由另一个分析器建立（${describeAnalyzer(error.built)}，现在是 ${describeAnalyzer(error.current)}）${dictionary}：` +
        `请运行 ${rebuildCommand(indexDir, source)} 重建索引`,
    );
  }
}
