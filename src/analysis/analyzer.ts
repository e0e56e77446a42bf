/**
 * createAnalyzer: one analyzer serves indexing and queries, and names itself (segmenter, version,
 * dictionary hash, rules version) so an index built with another analyzer can be refused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_STOP_WORDS } from './defaultStopWords.js';
import { hanSubWordFinder, type HanSubWordFinder } from './hanSubWords.js';
import { normalizeText } from './normalize.js';
import { createNodeRsSegmenter } from './nodeRsSegmenter.js';
import { createNodejiebaSegmenter } from './nodejiebaSegmenter.js';
import type { Segmenter } from './segmenter.js';
import { stopWordSet } from './stopWords.js';
import { tokenize, type TokenizerConfig } from './tokenize.js';
import type { Analyzer, AnalyzerIdentity, AnalyzerOptions, SegmenterName, Token } from './types.js';
import { defaultUserDictPath, readUserDictionary } from './userDictionary.js';

/** Version of our normalisation and tokenisation rules; bump on any change that alters tokens. */
export const ANALYSIS_RULES_VERSION = 'zhsearch-analysis-4';

const SEGMENTERS: Record<SegmenterName, (userDictJiebaText: string) => Segmenter> = {
  nodejieba: createNodejiebaSegmenter,
  'node-rs': createNodeRsSegmenter,
};

/** Segmenters (with their sub-word finder) by name and user dictionary content: loading takes 0.2–2 s, so once. */
const segmenterCache = new Map<string, { segmenter: Segmenter; hanSubWords: HanSubWordFinder }>();
/** sha256 of the built-in dictionary files, by segmenter name. */
const builtInDictHashes = new Map<SegmenterName, string>();

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

function builtInDictHash(segmenter: Segmenter): string {
  let hash = builtInDictHashes.get(segmenter.name);
  if (!hash) {
    const sha = createHash('sha256');
    for (const file of segmenter.dictionaryFiles) sha.update(readFileSync(file)).update('\0');
    hash = sha.digest('hex');
    builtInDictHashes.set(segmenter.name, hash);
  }
  return hash;
}

const LETTER_WORD = /^[a-z]\p{Script=Han}+$/u;

/**
 * Options: `segmenter` 'nodejieba' (default) or 'node-rs'; `userDictPath` (default: the repository's
 * corpus/dict.txt when it exists); `stopWords` replaces the default list.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const segmenterName = options.segmenter ?? 'nodejieba';
  if (!(segmenterName in SEGMENTERS)) {
    throw new Error(`analyzer option "segmenter" must be 'nodejieba' or 'node-rs', got ${JSON.stringify(segmenterName)}`);
  }
  const userDictPath = options.userDictPath ?? (existsSync(defaultUserDictPath()) ? defaultUserDictPath() : undefined);
  const userDict = userDictPath === undefined ? undefined : readUserDictionary(userDictPath);
  const userDictJiebaText = userDict?.jiebaText ?? '';
  const stopWords = stopWordSet(options.stopWords ?? DEFAULT_STOP_WORDS);
  const { segmenter, hanSubWords } = cachedSegmenter(segmenterName, userDictJiebaText);

  const identity: AnalyzerIdentity = {
    segmenter: segmenter.name,
    version: segmenter.version,
    dictHash: createHash('sha256')
      .update(builtInDictHash(segmenter))
      .update('\0')
      .update(userDictJiebaText)
      .update('\0')
      .update([...stopWords].sort().join('\n'))
      .digest('hex')
      .slice(0, 16),
    rules: ANALYSIS_RULES_VERSION,
  };
  const config: TokenizerConfig = {
    segmenter,
    hanSubWords,
    stopWords,
    letterWords: new Set((userDict?.entries ?? []).map((entry) => entry.word).filter((word) => LETTER_WORD.test(word))),
  };
  const analyze = (text: string): Token[] => {
    if (typeof text !== 'string') throw new TypeError(`analyze: text must be a string, got ${typeof text}`);
    return tokenize(text, config);
  };
  return {
    identity,
    analyze,
    // Queries go through exactly the same pipeline, so index and query terms cannot drift apart.
    analyzeQuery: analyze,
    normalize: normalizeText,
  };
}
