/**
 * createAnalyzer: one analyzer serves indexing and queries, and names itself (segmenter, version,
 * dictionary hash, rules version) so an index built with another analyzer can be refused.
 */
import { DEFAULT_STOP_WORDS } from './defaultStopWords.js';
import { hanSubWordFinder, type HanSubWordFinder } from './hanSubWords.js';
import { analyzerIdentity, effectiveUserDictPath } from './identity.js';
import { createNodeRsSegmenter } from './nodeRsSegmenter.js';
import { createNodejiebaSegmenter } from './nodejiebaSegmenter.js';
import { traditionalToSimplifiedTable } from './openccTable.js';
import { DEFAULT_SEGMENTER, type Segmenter } from './segmenter.js';
import { stopWordSet } from './stopWords.js';
import { analyzerFromConfig, type TokenizerConfig } from './tokenize.js';
import { ShortRuns } from './shortRuns.js';
import type { Analyzer, AnalyzerOptions, SegmenterName } from './types.js';
import { readUserDictionary } from './userDictionary.js';

const SEGMENTERS: Record<SegmenterName, (userDictJiebaText: string) => Segmenter> = {
  nodejieba: createNodejiebaSegmenter,
  'node-rs': createNodeRsSegmenter,
};

/** Segmenters (with their sub-word finder) by name and user dictionary content: loading takes 0.2–2 s, so once. */
const segmenterCache = new Map<string, { segmenter: Segmenter; hanSubWords: HanSubWordFinder }>();
function cachedSegmenter(name: SegmenterName, userDictJiebaText: string): { segmenter: Segmenter; hanSubWords: HanSubWordFinder } {
  const key = `${name}\0${userDictJiebaText}`;
  let entry = segmenterCache.get(key);
  if (!entry) {
    const segmenter = SEGMENTERS[name](userDictJiebaText);
    entry = { segmenter, hanSubWords: hanSubWordFinder(segmenter) };
    segmenterCache.set(key, entry);
  }
  return entry;
}

/**
 * Frees what the segmenters of this thread hold outside its heap, for a thread about to exit (nodejieba's
 * dictionaries would outlive it). Its analyzers still work: a released segmenter loads again at its next cut.
 */
export function releaseSegmenters(): void {
  for (const { segmenter } of segmenterCache.values()) segmenter.release?.();
}

const LETTER_WORD = /^[a-z]\p{Script=Han}+$/u;

/**
 * Options: `segmenter` 'node-rs' (default) or 'nodejieba'; `userDictPath` (default: the repository's
 * corpus/dict.txt when it exists); `stopWords` replaces the default list.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const segmenterName = options.segmenter ?? DEFAULT_SEGMENTER;
  // Also checks the options (an unknown segmenter is refused here).
  const identity = analyzerIdentity({ ...options, segmenter: segmenterName });
  const userDictPath = effectiveUserDictPath(options);
  const userDict = userDictPath === undefined ? undefined : readUserDictionary(userDictPath);
  const stopWords = stopWordSet(options.stopWords ?? DEFAULT_STOP_WORDS);
  const { segmenter, hanSubWords } = cachedSegmenter(segmenterName, userDict?.jiebaText ?? '');
  const simplified = traditionalToSimplifiedTable();
  const config: TokenizerConfig = {
    segmenter,
    simplified,
    hanSubWords,
    stopWords,
    letterWords: new Set((userDict?.entries ?? []).map((entry) => entry.word).filter((word) => LETTER_WORD.test(word))),
    shortRuns: new ShortRuns(),
  };
  return { ...analyzerFromConfig(identity, config), ...(userDictPath === undefined ? {} : { userDictPath }) };
}
