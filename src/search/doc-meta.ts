/** Per-document filter and facet values, read once from the stored fields when the service starts. */
import { categoryAncestors, facetKey } from '../index/portable.js';
import type { StoredArticle } from '../index/types.js';
import { wallClockOf } from '../ingest/portable.js';

/** Distinct values of one facet: normalised key → id, and the label shown (first spelling seen). */
export class FacetDictionary {
  readonly ids = new Map<string, number>();
  readonly labels: string[] = [];
  /** Per value id, the documents having it, ascending (filters mark them instead of testing every document). */
  readonly docs: number[][] = [];
  /** Label → id, so each distinct spelling is normalised once (the same values recur in thousands of documents). */
  private readonly labelIds = new Map<string, number>();

  intern(key: string, label: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(key, id);
      this.labels.push(label);
      this.docs.push([]);
    }
    return id;
  }

  /** intern() of a label under its facetKey. */
  internLabel(label: string, normalize: (s: string) => string): number {
    let id = this.labelIds.get(label);
    if (id === undefined) {
      id = this.intern(facetKey(label, normalize), label);
      this.labelIds.set(label, id);
    }
    return id;
  }
}

export interface DocMeta {
  categories: FacetDictionary;
  tags: FacetDictionary;
  authors: FacetDictionary;
  docCategories: Uint32Array[];
  docTags: Uint32Array[];
  /** Author id, -1 when none. */
  docAuthor: Int32Array;
  /** ms since epoch, NaN when unknown: the order of dates. */
  dateMs: Float64Array;
  /**
   * The date's wall clock in the site's time zone, as UTC ms of the same calendar fields (NaN when unknown): what
   * date filters compare, so `date:2022-03-01` means that day on the site's calendar.
   */
  wallMs: Float64Array;
  /** Distinct years of the site's calendar, and each document's index into them (-1 when its date is unknown): counted like facet ids. */
  years: number[];
  docYear: Int32Array;
}

export function createDocMeta(docCount: number): DocMeta {
  return {
    categories: new FacetDictionary(),
    tags: new FacetDictionary(),
    authors: new FacetDictionary(),
    docCategories: new Array<Uint32Array>(docCount),
    docTags: new Array<Uint32Array>(docCount),
    docAuthor: new Int32Array(docCount).fill(-1),
    dateMs: new Float64Array(docCount).fill(NaN),
    wallMs: new Float64Array(docCount).fill(NaN),
    years: [],
    docYear: new Int32Array(docCount).fill(-1),
  };
}

/** Records one document's facet values (documents are added in ascending order); `normalize` is the analyzer's, so filters match after normalisation. */
export function addDocMeta(meta: DocMeta, doc: number, article: StoredArticle, dateMs: number, normalize: (s: string) => string): void {
  const intern = (dictionary: FacetDictionary, values: string[]) => {
    const ids = new Set<number>();
    for (const value of values) {
      const label = value.trim();
      if (label) ids.add(dictionary.internLabel(label, normalize));
    }
    return Uint32Array.from(ids);
  };
  meta.docCategories[doc] = intern(meta.categories, article.categories.flatMap(categoryAncestors));
  meta.docTags[doc] = intern(meta.tags, article.tags);
  for (const id of meta.docCategories[doc]) meta.categories.docs[id].push(doc);
  for (const id of meta.docTags[doc]) meta.tags.docs[id].push(doc);
  const author = article.author?.trim();
  if (author) {
    meta.docAuthor[doc] = meta.authors.internLabel(author, normalize);
    meta.authors.docs[meta.docAuthor[doc]].push(doc);
  }
  addDocDate(meta, doc, dateMs, wallClockOf(article.date));
}

/** Records one document's date, wall-clock date and year (part of addDocMeta; alone for metadata that comes without stored articles). */
export function addDocDate(meta: DocMeta, doc: number, dateMs: number, wallMs: number): void {
  meta.dateMs[doc] = dateMs;
  meta.wallMs[doc] = wallMs;
  if (!Number.isNaN(wallMs)) {
    const year = new Date(wallMs).getUTCFullYear();
    let id = meta.years.indexOf(year);
    if (id < 0) id = meta.years.push(year) - 1;
    meta.docYear[doc] = id;
  }
}
