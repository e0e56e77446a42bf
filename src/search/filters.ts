/** Filters from the request and from the query (category:, tag:, author:, date:), all of which must hold. */
import type { DocMeta } from './doc-meta.js';
import { facetKey } from './doc-meta.js';
import { periodEnd, periodStart, type QueryFilters } from './query.js';
import type { SearchRequest } from './types.js';

export type DocFilter = (doc: number) => boolean;

/** Returns null when nothing restricts the result. */
export function buildFilter(meta: DocMeta, fromQuery: QueryFilters, request: SearchRequest, normalize: (s: string) => string): DocFilter | null {
  const checks: DocFilter[] = [];
  const categories = [...fromQuery.category, ...(request.category ? [request.category] : [])];
  const tags = [...fromQuery.tag, ...(request.tag ? [request.tag] : [])];
  const authors = [...fromQuery.author, ...(request.author ? [request.author] : [])];
  for (const value of categories) {
    const id = meta.categories.ids.get(facetKey(value, normalize));
    checks.push(id === undefined ? () => false : (doc) => meta.docCategories[doc].includes(id));
  }
  for (const value of tags) {
    const id = meta.tags.ids.get(facetKey(value, normalize));
    checks.push(id === undefined ? () => false : (doc) => meta.docTags[doc].includes(id));
  }
  for (const value of authors) {
    const id = meta.authors.ids.get(facetKey(value, normalize));
    checks.push(id === undefined ? () => false : (doc) => meta.docAuthor[doc] === id);
  }
  const ranges = [...fromQuery.dates, { from: request.from, to: request.to }];
  for (const range of ranges) {
    const from = range.from ? periodStart(range.from.trim()) : null;
    const to = range.to ? periodEnd(range.to.trim()) : null;
    if (from === null && to === null) continue;
    const low = from ?? -Infinity;
    const high = to ?? Infinity;
    // An unknown date (NaN) fails both comparisons, so undated articles drop out of date-bounded searches.
    checks.push((doc) => meta.dateMs[doc] >= low && meta.dateMs[doc] <= high);
  }
  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0];
  return (doc) => checks.every((check) => check(doc));
}
