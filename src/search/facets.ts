/** Facet counts over every matching document (not just the returned page). */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import type { FacetValue, SearchResult } from './types.js';

/** Values listed per facet (the most frequent ones); years are all listed. */
const FACET_LIMIT = 30;

export class FacetCounter {
  private readonly categories: Uint32Array;
  private readonly tags: Uint32Array;
  private readonly authors: Uint32Array;
  private readonly years = new Map<number, number>();

  constructor(private readonly meta: DocMeta) {
    this.categories = new Uint32Array(meta.categories.labels.length);
    this.tags = new Uint32Array(meta.tags.labels.length);
    this.authors = new Uint32Array(meta.authors.labels.length);
  }

  add(doc: number): void {
    const meta = this.meta;
    for (const id of meta.docCategories[doc]) this.categories[id]++;
    for (const id of meta.docTags[doc]) this.tags[id]++;
    if (meta.docAuthor[doc] >= 0) this.authors[meta.docAuthor[doc]]++;
    const year = meta.year[doc];
    if (year) this.years.set(year, (this.years.get(year) ?? 0) + 1);
  }

  result(): SearchResult['facets'] {
    return {
      category: topValues(this.categories, this.meta.categories),
      tag: topValues(this.tags, this.meta.tags),
      author: topValues(this.authors, this.meta.authors),
      year: [...this.years].sort((a, b) => b[0] - a[0]).map(([year, count]) => ({ value: String(year), count })),
    };
  }
}

/** Most frequent first, ties by label. */
function topValues(counts: Uint32Array, dictionary: FacetDictionary): FacetValue[] {
  const values: FacetValue[] = [];
  counts.forEach((count, id) => {
    if (count > 0) values.push({ value: dictionary.labels[id], count });
  });
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return values.slice(0, FACET_LIMIT);
}
