/** Public surface of the analysis stage. */
export type { Analyzer, AnalyzerIdentity, AnalyzerOptions, SegmenterName, Token } from './types.js';
export { ANALYSIS_RULES_VERSION, createAnalyzer } from './analyzer.js';
export { DEFAULT_CHINESE_STOP_WORDS, DEFAULT_ENGLISH_STOP_WORDS, DEFAULT_STOP_WORDS } from './defaultStopWords.js';
export { isKeywordCandidate, ownWordCounts, topKeywords } from './keywords.js';
export { isStopWord } from './stopWords.js';
export { defaultUserDictPath } from './userDictionary.js';
