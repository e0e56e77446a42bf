/**
 * The part of the search stage that runs anywhere, a browser included (no Node APIs): query parsing and planning,
 * BM25F ranking with phrases, exclusion, filters, facets and date order, snippets. A static export's runtime ranks
 * with exactly these over the chunks it fetched; the embedded service (service.ts) runs the same.
 */
export type * from './types.js';
export { createSearchCore, pageResult, planSearch, plannedTerms, rankPage, type PlannedSearch, type RankedPage, type SearchCore } from './search-core.js';
export { resolveRankingConfig, type RankingConfig } from './config.js';
export { addDocDate, createDocMeta, FacetDictionary, type DocMeta } from './doc-meta.js';
export { fieldFactors } from './score.js';
export { FIELDS } from './bm25f.js';
export { bestWindowStart, escapeHtml, SNIPPET_LEAD, SNIPPET_LENGTH, snippetWindow, type Occurrence, type SnippetTerms } from './snippet.js';
export { positionsIn } from './postings.js';
export { articleHit } from './hit.js';
export { isLatinPartWord, isLatinTerm, latinAffixKeys, latinPartsAmong, reverse } from './latin-parts.js';
export { wantsCorrection } from './result.js';
