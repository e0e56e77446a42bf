/** Filters from the request and from the query (category:, tag:, author:, date:), all of which must hold. */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import { facetKey } from '../index/portable.js';
import { periodEnd, periodStart, type QueryFilters } from './query.js';
import type { SearchRequest } from './types.js';

/**
 * The documents passing every filter: as 1s (`has`, for tests one at a time), as bits (`bits`, 32 documents a word:
 * a ranking by blocks tests a block's matches at once) and listed ascending (`docs`); read only. `kept`: one value's
 * filter kept by FacetDictionary.passing, the same arrays at the next search of that value (others are made afresh).
 */
export interface DocumentFilter {
  has: Uint8Array;
  bits: Uint32Array;
  docs: Uint32Array;
  kept: boolean;
}

/**
 * The documents passing every filter (null when nothing restricts the result). A filter of one value is that value's
 * documents as FacetDictionary.passing keeps them (made once); several checks keep the documents of the one with
 * fewest that pass all the others, so the per-document test during ranking is one array read and the list is what a
 * filtered search scores (not every document having its words).
 */
export function buildFilter(meta: DocMeta, fromQuery: QueryFilters, request: SearchRequest, normalize: (s: string) => string): DocumentFilter | null {
  const docCount = meta.wallMs.length;
  /** Per check, the documents passing it (`docs` left out by a date check: it passes any number of them). */
  const checks: { has: Uint8Array; docs?: Uint32Array }[] = [];
  /** Documents having any of `values`. */
  const byValues = (dictionary: FacetDictionary, values: string[]): void => {
    const ids: number[] = [];
    for (const value of values) {
      const id = dictionary.ids.get(facetKey(value, normalize));
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    if (ids.length === 1) checks.push(dictionary.passing(ids[0]!, docCount));
    else checks.push(anyOf(ids.map((id) => dictionary.docs[id]!), docCount));
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
    checks.push({ has: Uint8Array.from(meta.wallMs, (ms) => (ms >= low && ms <= high ? 1 : 0)) });
  }
  if (checks.length === 0) return null;
  if (checks.length === 1 && checks[0]!.docs) return checks[0] as DocumentFilter;
  // The documents of the listed check with fewest (or every document, when only dates were checked) passing all.
  let fewest: Uint32Array | undefined;
  for (const check of checks) if (check.docs && (!fewest || check.docs.length < fewest.length)) fewest = check.docs;
  const has = new Uint8Array(docCount);
  const docs = new Uint32Array(fewest ? fewest.length : docCount);
  let count = 0;
  documents: for (let i = 0; i < docs.length; i++) {
    const doc = fewest ? fewest[i]! : i;
    for (const check of checks) if (check.has[doc] !== 1) continue documents;
    has[doc] = 1;
    docs[count++] = doc;
  }
  const passing = docs.subarray(0, count);
  return { has, bits: documentBits(passing, docCount), docs: passing, kept: false };
}

/** The documents as bits: bit d % 32 of word d / 32 set for each document d (the blocks of a ranking by blocks). */
export function documentBits(docs: ArrayLike<number>, docCount: number): Uint32Array {
  const bits = new Uint32Array(bitWords(docCount));
  for (let i = 0; i < docs.length; i++) bits[docs[i]! >>> 5]! |= 1 << (docs[i]! & 31);
  return bits;
}

/** Whether bits (as documentBits sets them) have document `doc`. */
export function hasBit(bits: Uint32Array, doc: number): boolean {
  return ((bits[doc >>> 5]! >>> (doc & 31)) & 1) === 1;
}

/** How many bits a 32-bit word sets. */
export function bitCount(word: number): number {
  word -= (word >>> 1) & 0x55555555;
  word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
  return Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Words of a set of `docCount` documents as bits. */
export function bitWords(docCount: number): number {
  return (docCount + 31) >>> 5;
}

/** The documents in any of `lists` (each ascending), as 1s, as bits and listed ascending. */
export function anyOf(lists: readonly number[][], docCount: number): DocumentFilter {
  const has = new Uint8Array(docCount);
  let total = 0;
  for (const list of lists) total += list.length;
  const docs = new Uint32Array(total);
  let count = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const doc = list[i]!;
      if (has[doc] === 1) continue;
      has[doc] = 1;
      docs[count++] = doc;
    }
  }
  const listed = docs.subarray(0, count);
  // Each list is ascending; several one after another are not.
  return { has, bits: documentBits(listed, docCount), docs: lists.length > 1 ? listed.sort() : listed, kept: false };
}

/** A request filter's values as a list (absent: none), whether one value or several were given. */
export function filterValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v.trim() !== '');
}
