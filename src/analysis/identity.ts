/**
 * Analyzer identities: an index is only queried with the analyzer that built it.
 * analyzerIdentity names an analyzer without creating it, so `reindex` can tell that nothing changed without
 * loading a dictionary (nodejieba takes ~2 s); it must give exactly createAnalyzer(options).identity.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_STOP_WORDS } from './defaultStopWords.js';
import { packageInfo } from './packageInfo.js';
import { DEFAULT_SEGMENTER } from './segmenter.js';
import { stopWordSet } from './stopWords.js';
import type { AnalyzerIdentity, AnalyzerOptions, SegmenterName } from './types.js';
import { defaultUserDictPath, readUserDictionary } from './userDictionary.js';

/** Version of our normalisation and tokenisation rules; bump on any change that alters tokens. */
export const ANALYSIS_RULES_VERSION = 'zhsearch-analysis-4';

/** Package of each segmenter and its built-in dictionary files (relative to the package folder), as the segmenters use them. */
const SEGMENTER_PACKAGES: Record<SegmenterName, { name: string; dictionaryFiles: readonly string[] }> = {
  nodejieba: {
    name: 'nodejieba',
    dictionaryFiles: ['submodules/cppjieba/dict/jieba.dict.utf8', 'submodules/cppjieba/dict/hmm_model.utf8'],
  },
  // The HMM model of @node-rs/jieba is compiled into the binary, so the package version covers it.
  'node-rs': { name: '@node-rs/jieba', dictionaryFiles: ['dict.txt'] },
};

/** Package version and built-in dictionary files of a segmenter (what its identity depends on besides our rules). */
export function segmenterPackage(name: SegmenterName): { version: string; dictionaryFiles: string[] } {
  const entry = SEGMENTER_PACKAGES[name];
  if (entry === undefined) throw new Error(`analyzer option "segmenter" must be 'nodejieba' or 'node-rs', got ${JSON.stringify(name)}`);
  const { dir, version } = packageInfo(entry.name);
  return { version, dictionaryFiles: entry.dictionaryFiles.map((file) => path.join(dir, ...file.split('/'))) };
}

/** sha256 of the built-in dictionary files, by segmenter name (the files only change with the package). */
const builtInDictHashes = new Map<SegmenterName, string>();

function builtInDictHash(name: SegmenterName, dictionaryFiles: readonly string[]): string {
  let hash = builtInDictHashes.get(name);
  if (!hash) {
    const sha = createHash('sha256');
    for (const file of dictionaryFiles) sha.update(readFileSync(file)).update('\0');
    hash = sha.digest('hex');
    builtInDictHashes.set(name, hash);
  }
  return hash;
}

/** The user dictionary the analyzer loads: the given one, else the repository's corpus/dict.txt when it exists. */
export function effectiveUserDictPath(options: AnalyzerOptions): string | undefined {
  return options.userDictPath ?? (existsSync(defaultUserDictPath()) ? defaultUserDictPath() : undefined);
}

/** The identity createAnalyzer(options) will have: reads the package manifest and dictionary files, loads nothing. */
export function analyzerIdentity(options: AnalyzerOptions = {}): AnalyzerIdentity {
  const name = options.segmenter ?? DEFAULT_SEGMENTER;
  const { version, dictionaryFiles } = segmenterPackage(name);
  const userDictPath = effectiveUserDictPath(options);
  const userDictJiebaText = userDictPath === undefined ? '' : readUserDictionary(userDictPath).jiebaText;
  const stopWords = stopWordSet(options.stopWords ?? DEFAULT_STOP_WORDS);
  return {
    segmenter: name,
    version,
    dictHash: createHash('sha256')
      .update(builtInDictHash(name, dictionaryFiles))
      .update('\0')
      .update(userDictJiebaText)
      .update('\0')
      .update([...stopWords].sort().join('\n'))
      .digest('hex')
      .slice(0, 16),
    rules: ANALYSIS_RULES_VERSION,
  };
}

export function sameAnalyzer(a: AnalyzerIdentity, b: AnalyzerIdentity): boolean {
  return a.segmenter === b.segmenter && a.version === b.version && a.dictHash === b.dictHash && a.rules === b.rules;
}

export function describeAnalyzer(a: AnalyzerIdentity): string {
  return `${a.segmenter} ${a.version} (dictionary ${a.dictHash}, rules ${a.rules})`;
}
