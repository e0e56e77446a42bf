/**
 * The part of the analysis stage that runs anywhere, a browser included (no Node APIs, no native segmenter, no
 * bundled conversion table): the tokenizer pipeline, given a segmenter and a Traditional → Simplified table as data.
 * A static export's runtime builds its analyzer from these; the Node analyzer (createAnalyzer) uses the same ones.
 */
export type { Analyzer, AnalyzerIdentity, SegmenterName, Token } from './types.js';
export type { Segmenter } from './segmenter.js';
export { analyzerFromConfig, tokenize, type TokenizerConfig } from './tokenize.js';
export { hanSubWordFinder } from './hanSubWords.js';
export { createVocabularySegmenter, type SegmenterVocabulary } from './vocabularySegmenter.js';
export { foldText, normalizeText, PLAIN_TERM } from './normalize.js';
export { ConversionTrie, FIRST_CJK, type SimplifiedTable } from './traditional.js';
export { splitScriptRuns } from './scriptRuns.js';
export { asksHow } from './questionWords.js';
export { LATIN_OR_DIGIT, nextOccurrence, occurrencesIn } from './occurrences.js';
