/** Filters from the request and from the query (category:, tag:, author:, date:), all of which must hold. */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import { facetKey } from '../index/portable.js';
import { periodEnd, periodStart, type QueryFilters } from './query.js';
import type { SearchRequest } from './types.js';

/**
 * The documents passing every filter, as 1s (null when nothing restricts the result). Made once per search from
 * each value's document list, so the per-document test during ranking is one array read.
 */
export function buildFilter(meta: DocMeta, fromQuery: QueryFilters, request: SearchRequest, normalize: (s: string) => string): Uint8Array | null {
  const docCount = meta.wallMs.length;
  let allowed: Uint8Array | null = null;
  /** Keeps only the allowed documents that `keep` accepts (each check narrows the previous ones). */
  const narrow = (keep: Uint8Array): void => {
    if (allowed) for (let doc = 0; doc < docCount; doc++) keep[doc] &= allowed[doc];
    allowed = keep;
  };
  /** Documents having any of `values`. */
  const byValues = (dictionary: FacetDictionary, values: string[]): void => {
    const keep = new Uint8Array(docCount);
    for (const value of values) {
      const id = dictionary.ids.get(facetKey(value, normalize));
      if (id !== undefined) for (const doc of dictionary.docs[id]) keep[doc] = 1;
    }
    narrow(keep);
  };
  // Each query filter must hold; the request's values of one filter are alternatives (several categories ticked).
  for (const value of fromQuery.category) byValues(meta.categories, [value]);
  for (const value of fromQuery.tag) byValues(meta.tags, [value]);
  for (const value of fromQuery.author) byValues(meta.authors, [value]);
  if (filterValues(request.category).length > 0) byValues(meta.categories, filterValues(request.category));
  if (filterValues(request.tag).length > 0) byValues(meta.tags, filterValues(request.tag));
  if (filterValues(request.author).length > 0) byValues(meta.authors, filterValues(request.author));
  for (const range of [...fromQuery.dates, { from: request.from, to: request.to }]) {
    const from = range.from ? periodStart(range.from.trim()) : null;
    const to = range.to ? periodEnd(range.to.trim()) : null;
    if (from === null && to === null) continue;
    const low = from ?? -Infinity;
    const high = to ?? Infinity;
    // An unknown date (NaN) fails both comparisons, so undated articles drop out of date-bounded searches.
    narrow(Uint8Array.from(meta.wallMs, (ms) => (ms >= low && ms <= high ? 1 : 0)));
  }
  return allowed;
}

/** A request filter's values as a list (absent: none), whether one value or several were given. */
export function filterValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v.trim() !== '');
}
