/** Public surface of the search stage. */
export { createSearchService, loadSearchService } from './service.js';
export { embeddedBackend } from './embedded-backend.js';
export { engineBackend, EngineUnavailableError, ENGINE_QUERY_TIMEOUT_MS, type EngineBackendOptions } from './engine-backend.js';
export { analyzerForIndex, AnalyzerMismatchError, type AnalyzerCache, type QueryAnalyzerOptions } from './open-index.js';
export { MAX_QUERY_CHARS, parseQuery, type QueryAst, type QueryAtom, type QueryGroup, type QueryFilters, type DateRange } from './query.js';
export { defaultRankingConfig, resolveRankingConfig, type RankingConfig } from './config.js';
export { bm25fScore, idf, type FieldTf } from './bm25f.js';
export { escapeHtml } from './snippet.js';
export { filterValues } from './filters.js';
export { SpellingCorrector, type Vocabulary } from './did-you-mean.js';
export { corpusTopics } from './topics.js';
export { distinctEntries, firstCharacter, suggestEntries, suggestWords } from './suggest.js';
export { docMetaSteps } from './doc-meta.js';
export { querySynonyms, type SynonymMap } from './synonyms.js';
export type * from './types.js';
