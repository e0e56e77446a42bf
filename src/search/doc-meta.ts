/** Per-document filter and facet values, made once from the index's stored columns when the service starts. */
import { categoryAncestors, facetKey, type Steps } from '../index/portable.js';
import type { StoredColumns, ValueColumn } from '../index/types.js';
import { anyOf, type DocumentFilter } from './filters.js';

/**
 * Memory the filters of single values a DocMeta's dictionaries keep may take together (each a byte and a bit per
 * document of the index and a number per document having the value): hundreds of values at 100,000 documents. A
 * filter made again costs time that grows with the corpus, and a budget in bytes rather than a count keeps as many
 * as fit (the bench's filtered searches alone ask for 37 categories).
 */
const MAX_KEPT_FILTER_BYTES = 32 << 20;

/** The kept filters of several dictionaries under one budget: past it, all of them are dropped and made again on use. */
class KeptFilters {
  private readonly kept: Map<number, DocumentFilter>[] = [];
  private bytes = 0;

  /** A dictionary's own filters, by value id, under this budget. */
  own(): Map<number, DocumentFilter> {
    const filters = new Map<number, DocumentFilter>();
    this.kept.push(filters);
    return filters;
  }

  keep(filters: Map<number, DocumentFilter>, id: number, filter: DocumentFilter): void {
    const bytes = filter.has.byteLength + filter.bits.byteLength + filter.docs.byteLength;
    if (this.bytes + bytes > MAX_KEPT_FILTER_BYTES) {
      for (const each of this.kept) each.clear();
      this.bytes = 0;
    }
    filters.set(id, filter);
    this.bytes += bytes;
  }
}

/** Distinct values of one facet: normalised key → id, and the label shown (first spelling seen). */
export class FacetDictionary {
  readonly ids = new Map<string, number>();
  readonly labels: string[] = [];
  /** Per value id, the documents having it, ascending (filters mark them instead of testing every document). */
  readonly docs: number[][] = [];
  /** Label → id, so each distinct spelling is normalised once (the same values recur in thousands of documents). */
  private readonly labelIds = new Map<string, number>();
  /** Per value id, its documents as a filter (passing), made on first use and kept within `kept`'s budget. */
  private readonly filters: Map<number, DocumentFilter>;

  constructor(private readonly kept: KeptFilters) {
    this.filters = kept.own();
  }

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

  /**
   * The documents having value `id` among `docCount`, as a filter of that value: made once (the documents marked
   * and listed), then kept, so a filtered search does not go over its value's documents again. Read only.
   */
  passing(id: number, docCount: number): DocumentFilter {
    let filter = this.filters.get(id);
    if (filter === undefined) {
      filter = { ...anyOf([this.docs[id]!], docCount), kept: true };
      this.kept.keep(this.filters, id, filter);
    }
    return filter;
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
  const kept = new KeptFilters();
  return {
    categories: new FacetDictionary(kept),
    tags: new FacetDictionary(kept),
    authors: new FacetDictionary(kept),
    docCategories: new Array<Uint32Array>(docCount),
    docTags: new Array<Uint32Array>(docCount),
    docAuthor: new Int32Array(docCount).fill(-1),
    dateMs: new Float64Array(docCount).fill(NaN),
    wallMs: new Float64Array(docCount).fill(NaN),
    years: [],
    docYear: new Int32Array(docCount).fill(-1),
  };
}

/** What a document without values of a facet has (most have no author, many no tag). */
const NO_VALUES = new Uint32Array(0);

/**
 * The facet values of every document from the index's columns, as the labels are trimmed, categories counted for
 * their ancestors, and keys normalised by `normalize` (the analyzer's, so filters match after normalisation). Values
 * are interned in order of first appearance: each distinct stored value once, the same ids a walk over every
 * document's values gives.
 */
export function* docMetaSteps(columns: StoredColumns, normalize: (s: string) => string): Steps<DocMeta> {
  const docCount = columns.dateMs.length;
  const meta = createDocMeta(docCount);
  const fill = (dictionary: FacetDictionary, column: ValueColumn, labelsOf: (value: string) => string[], perDoc: Uint32Array[] | null) => {
    const valueIds = column.values.map((value) => {
      const ids = new Set<number>();
      for (const label of labelsOf(value).map((label) => label.trim())) if (label) ids.add(dictionary.internLabel(label, normalize));
      return Uint32Array.from(ids);
    });
    // Documents with the same values share one array (nothing writes to them): most have one value, or the same few.
    const shared = new Map<string, Uint32Array>();
    const { start, ids: stored } = column;
    const docs = dictionary.docs;
    for (let doc = 0; doc < docCount; doc++) {
      const from = start[doc];
      const to = start[doc + 1];
      let ids: Uint32Array;
      if (to - from === 1) ids = valueIds[stored[from]];
      else if (to === from) ids = NO_VALUES;
      else {
        const key = stored.subarray(from, to).join(',');
        let union = shared.get(key);
        if (union === undefined) {
          const set = new Set<number>();
          for (let i = from; i < to; i++) for (const id of valueIds[stored[i]]) set.add(id);
          shared.set(key, (union = Uint32Array.from(set)));
        }
        ids = union;
      }
      for (let i = 0; i < ids.length; i++) docs[ids[i]].push(doc);
      if (perDoc) perDoc[doc] = ids;
      else meta.docAuthor[doc] = ids.length === 0 ? -1 : ids[0];
    }
  };
  fill(meta.categories, columns.categories, categoryAncestors, meta.docCategories);
  yield;
  fill(meta.tags, columns.tags, (tag) => [tag], meta.docTags);
  yield;
  fill(meta.authors, columns.authors, (author) => [author], null);
  yield;
  for (let doc = 0; doc < docCount; doc++) addDocDate(meta, doc, columns.dateMs[doc], columns.wallMs[doc]);
  return meta;
}

/** The UTC year of ms since epoch; the last year's bounds kept, as consecutive documents mostly share a year. */
const lastYear = { from: 0, to: 0, year: NaN };
function utcYear(ms: number): number {
  if (!(ms >= lastYear.from && ms < lastYear.to)) {
    const year = new Date(ms).getUTCFullYear();
    lastYear.year = year;
    lastYear.from = new Date(0).setUTCFullYear(year, 0, 1);
    lastYear.to = new Date(0).setUTCFullYear(year + 1, 0, 1);
  }
  return lastYear.year;
}

/** Records one document's date, wall-clock date and year. */
export function addDocDate(meta: DocMeta, doc: number, dateMs: number, wallMs: number): void {
  meta.dateMs[doc] = dateMs;
  meta.wallMs[doc] = wallMs;
  if (!Number.isNaN(wallMs)) {
    const year = utcYear(wallMs);
    let id = meta.years.indexOf(year);
    if (id < 0) id = meta.years.push(year) - 1;
    meta.docYear[doc] = id;
  }
}
