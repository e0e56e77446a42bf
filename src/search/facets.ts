/** Facet counts over every matching document (not just the returned page). */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import type { FacetValue, SearchResult } from './types.js';

/** Values listed per facet (the most frequent ones); years are all listed. */
export const FACET_LIMIT = 30;

export class FacetCounter {
  private readonly categories: Uint32Array;
  private readonly tags: Uint32Array;
  private readonly authors: Uint32Array;
  private readonly years: Uint32Array;

  constructor(private readonly meta: DocMeta) {
    this.categories = new Uint32Array(meta.categories.labels.length);
    this.tags = new Uint32Array(meta.tags.labels.length);
    this.authors = new Uint32Array(meta.authors.labels.length);
    this.years = new Uint32Array(meta.years.length);
  }

  /** Called for every matching document: plain typed-array counting, no map lookups. */
  add(doc: number): void {
    const meta = this.meta;
    const categories = meta.docCategories[doc];
    for (let i = 0; i < categories.length; i++) this.categories[categories[i]]++;
    const tags = meta.docTags[doc];
    for (let i = 0; i < tags.length; i++) this.tags[tags[i]]++;
    if (meta.docAuthor[doc] >= 0) this.authors[meta.docAuthor[doc]]++;
    if (meta.docYear[doc] >= 0) this.years[meta.docYear[doc]]++;
  }

  result(): SearchResult['facets'] {
    const years: { year: number; count: number }[] = [];
    this.years.forEach((count, id) => {
      if (count > 0) years.push({ year: this.meta.years[id], count });
    });
    return {
      category: topValues(this.categories, this.meta.categories),
      tag: topValues(this.tags, this.meta.tags),
      author: topValues(this.authors, this.meta.authors),
      year: years.sort((a, b) => b.year - a.year).map(({ year, count }) => ({ value: String(year), count })),
    };
  }
}

/** Most frequent first, ties by label. */
function topValues(counts: Uint32Array, dictionary: FacetDictionary): FacetValue[] {
  const values: FacetValue[] = [];
  counts.forEach((count, id) => {
    if (count > 0) values.push({ value: dictionary.labels[id], count });
  });
  return orderFacetValues(values);
}

/** The FACET_LIMIT most frequent values, ties by label. */
export function orderFacetValues(values: FacetValue[]): FacetValue[] {
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return values.slice(0, FACET_LIMIT);
}
