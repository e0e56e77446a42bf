/** The parts of a search answer every backend assembles the same way: the page asked for, and the result object. */
import type { QueryExpansion, SearchHit, SearchRequest, SearchResult } from './types.js';

const DEFAULT_SIZE = 10;
const MAX_SIZE = 100;
/** At most this many hits and the query's unknown words get a "did you mean". */
const FEW_HITS = 2;

/** The 1-based page and the page size (1–100, default 10) a request asks for. */
export function requestedPage(request: SearchRequest): { page: number; size: number } {
  return {
    page: Math.max(1, Math.floor(Number(request.page) || 1)),
    size: Math.min(MAX_SIZE, Math.max(1, Math.floor(Number(request.size) || DEFAULT_SIZE))),
  };
}

/**
 * Whether a search that found `total` articles for a query with words (`plannedGroups` > 0) gets a "did you mean"
 * (did-you-mean.ts).
 */
export function wantsCorrection(total: number, plannedGroups: number): boolean {
  return total <= FEW_HITS && plannedGroups > 0;
}

/**
 * The answer to `request`, timed from `started` (performance.now()); no facets when they were not counted. One literal
 * with `expanded`: a field spread onto a copy ({ ...result, expanded }) made a new hidden class per search.
 */
export function searchResult(
  request: SearchRequest,
  started: number,
  { page, size }: { page: number; size: number },
  total: number,
  hits: SearchHit[],
  facets: SearchResult['facets'] | undefined,
  expanded: QueryExpansion[],
): SearchResult {
  return {
    query: request.q ?? '',
    total,
    took_ms: Math.round((performance.now() - started) * 100) / 100,
    page,
    size,
    hits,
    facets: facets ?? { category: [], tag: [], author: [], year: [] },
    expanded,
  };
}
