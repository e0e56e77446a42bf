/** Filters from the request and from the query (category:, tag:, author:, date:), all of which must hold. */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import { facetKey } from '../index/portable.js';
import { periodEnd, periodStart, type QueryFilters } from './query.js';
import type { SearchRequest } from './types.js';

/** The documents passing every filter: as 1s (`has`, for tests one at a time) and listed ascending (`docs`). */
export interface DocumentFilter {
  has: Uint8Array;
  docs: Uint32Array;
}

/**
 * The documents passing every filter (null when nothing restricts the result). Made once per search from each
 * value's document list, so the per-document test during ranking is one array read, and the list is what a
 * filtered search scores (not every document having its words).
 */
export function buildFilter(meta: DocMeta, fromQuery: QueryFilters, request: SearchRequest, normalize: (s: string) => string): DocumentFilter | null {
  const docCount = meta.wallMs.length;
  let allowed: Uint8Array | null = null;
  /** The value lists of the facet check whose documents are fewest: the passing documents are among them. */
  let fewest: number[][] | null = null;
  let fewestCount = Infinity;
  /** Keeps only the allowed documents that `keep` accepts (each check narrows the previous ones). */
  const narrow = (keep: Uint8Array): void => {
    if (allowed) for (let doc = 0; doc < docCount; doc++) keep[doc] &= allowed[doc];
    allowed = keep;
  };
  /** Documents having any of `values`. */
  const byValues = (dictionary: FacetDictionary, values: string[]): void => {
    const keep = new Uint8Array(docCount);
    const lists: number[][] = [];
    let count = 0;
    for (const value of values) {
      const id = dictionary.ids.get(facetKey(value, normalize));
      if (id === undefined) continue;
      const docs = dictionary.docs[id]!;
      for (const doc of docs) keep[doc] = 1;
      lists.push(docs);
      count += docs.length;
    }
    if (count < fewestCount) {
      fewest = lists;
      fewestCount = count;
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
  if (allowed === null) return null;
  return { has: allowed, docs: passing(allowed, fewest) };
}

/** The documents `has` marks, ascending: read from `lists` (documents of values, each ascending) when given, else from `has` whole. */
function passing(has: Uint8Array, lists: number[][] | null): Uint32Array {
  if (lists === null) {
    let count = 0;
    for (let doc = 0; doc < has.length; doc++) count += has[doc]!;
    const docs = new Uint32Array(count);
    for (let doc = 0, n = 0; n < count; doc++) if (has[doc] === 1) docs[n++] = doc;
    return docs;
  }
  let total = 0;
  for (const list of lists) total += list.length;
  const docs = new Uint32Array(total);
  let count = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) if (has[list[i]!] === 1) docs[count++] = list[i]!;
  if (lists.length === 1) return docs.subarray(0, count);
  // Several values: a document having two of them is listed twice.
  const sorted = docs.subarray(0, count).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** A request filter's values as a list (absent: none), whether one value or several were given. */
export function filterValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v.trim() !== '');
}
