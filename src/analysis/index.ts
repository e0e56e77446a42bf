/**
 * Public surface of the analysis stage: text → tokens (term, position, original offsets).
 *
 * - createAnalyzer({ segmenter: 'nodejieba' | 'node-rs', userDictPath, stopWords }): one analyzer for
 *   indexing and queries (analyzeQuery is analyze). Its identity (segmenter, package version, hash of built-in
 *   dictionaries + user dictionary + stop words, rules version) goes into the index manifest;
 *   analyzerIdentity(options) tells that identity without loading any dictionary.
 * - Tokens: at each position the first token is the precise-mode word (the longest); the tokens after it with
 *   the same position are its search-mode sub-words. Stop words are dropped but keep their position.
 * - nodejieba holds one dictionary per thread: analyzers with different user dictionaries work, but each switch
 *   between them reloads it (~2 s). Worker threads each load their own; releaseSegmenters() frees a thread's before
 *   it exits (nodejieba never frees them itself).
 * - topKeywords(termFreqs, docFreq, docCount, limit, lexicon): keywords from the counts of all emitted tokens: TF-IDF with
 *   idf blended from the corpus and general Chinese (keywordIdf), weighted by part of speech.
 * - createLexicon({ userDictPath }): @node-rs/jieba's tagger and idf table; isGenericWord(term, tags) is the topic
 *   targets' measure of a word no reader would click.
 * - asksHow(stopWordsBetween): whether a query word follows 如何/怎样/how to …, so the search weighs that verb less.
 */
export type { Analyzer, AnalyzerIdentity, AnalyzerOptions, SegmenterName, Token } from './types.js';
export { createAnalyzer, releaseSegmenters } from './analyzer.js';
export { analysisCodeDigest, folderCodeDigest } from './code-digest.js';
export { DEFAULT_SEGMENTER } from './segmenter.js';
export { DEFAULT_CHINESE_STOP_WORDS, DEFAULT_ENGLISH_STOP_WORDS, DEFAULT_STOP_WORDS } from './defaultStopWords.js';
export { BACKGROUND_DOCUMENTS, isKeywordCandidate, keywordIdf, ownWordCounts, topKeywords, type KeywordLexicon } from './keywords.js';
export { LATIN_OR_DIGIT, nextOccurrence, occurrencesIn } from './occurrences.js';
export { createLexicon, generalIdf, type Lexicon } from './lexicon.js';
export { isGenericWord, isPersonName, keywordWeightOf, type TaggedPiece } from './partOfSpeech.js';
export { normalizeText } from './normalize.js';
export { isStopWord } from './stopWords.js';
export { asksHow } from './questionWords.js';
export { defaultUserDictPath } from './userDictionary.js';
export { ANALYSIS_RULES_VERSION, analyzerIdentity, describeAnalyzer, effectiveUserDictPath, sameAnalyzer } from './identity.js';
export { segmentationData, type SegmentationData } from './segmentationData.js';
export { grown } from './typedArrays.js';
export { traditionalToSimplifiedEntries, traditionalToSimplifiedTable } from './openccTable.js';
