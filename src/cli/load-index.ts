/** Loading the live index for the read-only commands, with messages that say what to do. */
import type { Analyzer } from '../analysis/types.js';
import { openIndex } from '../index/index.js';
import type { IndexReader } from '../index/types.js';
import { createAnalyzer, describeAnalyzer, sameAnalyzer } from '../analysis/index.js';
import { userDictionaryFor } from './analyzer-choice.js';
import { CliError, errorMessage } from './errors.js';

export async function loadIndex(indexDir: string): Promise<IndexReader> {
  try {
    return await openIndex(indexDir);
  } catch (error) {
    throw new CliError(`无法加载索引 ${indexDir}：${errorMessage(error)}`);
  }
}

/** The analyzer the index was built with (its segmenter, the corpus's user dictionary); refuses a mismatch. */
export async function analyzerFor(reader: IndexReader, corpusDir: string): Promise<Analyzer> {
  const built = reader.manifest.analyzer;
  const analyzer = createAnalyzer({ segmenter: built.segmenter, userDictPath: userDictionaryFor(corpusDir) });
  if (!sameAnalyzer(built, analyzer.identity)) {
    throw new CliError(
      `索引由另一个分析器建立（${describeAnalyzer(built)}，现在是 ${describeAnalyzer(analyzer.identity)}）：` +
        `请运行 zhsearch reindex --corpus ${corpusDir} 重建索引`,
    );
  }
  return analyzer;
}
