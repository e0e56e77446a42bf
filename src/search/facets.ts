/** Facet counts over every matching document (not just the returned page). */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import type { FacetValue, SearchResult } from './types.js';

/** Values listed per facet (the most frequent ones); years are all listed. */
export const FACET_LIMIT = 30;

/**
 * Each document's set of values of a multi-valued facet (its categories, its tags) as one id: documents share
 * few distinct sets (a source's category path with its ancestors), so counting a match is one increment in a dense
 * array instead of a walk over the document's own small array, and the sets are expanded into values once per search.
 */
interface ValueSets {
  docSet: Uint32Array;
  sets: Uint32Array[];
}

const EMPTY = new Uint32Array(0);

function valueSets(perDocument: readonly (Uint32Array | undefined)[]): ValueSets {
  const ids = new Map<string, number>();
  const sets: Uint32Array[] = [];
  const docSet = new Uint32Array(perDocument.length);
  for (let doc = 0; doc < perDocument.length; doc++) {
    const values = perDocument[doc] ?? EMPTY;
    const key = values.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      ids.set(key, id);
      sets.push(values);
    }
    docSet[doc] = id;
  }
  return { docSet, sets };
}

/** The value sets of a DocMeta, made on its first facet count (a DocMeta is complete once a search runs on it). */
const setsOfMeta = new WeakMap<DocMeta, { categories: ValueSets; tags: ValueSets }>();

/** Counts of the sets met in a search, and which ones were met. */
class SetCounts {
  readonly counts: Uint32Array;
  readonly met: number[] = [];

  constructor(readonly sets: ValueSets) {
    this.counts = new Uint32Array(sets.sets.length);
  }

  add(doc: number): void {
    const set = this.sets.docSet[doc];
    if (this.counts[set]++ === 0) this.met.push(set);
  }

  /** Per value, the documents counted that have it. */
  valueCounts(valueCount: number): { counts: Uint32Array; values: number[] } {
    const counts = new Uint32Array(valueCount);
    const values: number[] = [];
    for (const set of this.met) {
      const count = this.counts[set];
      for (const value of this.sets.sets[set]) {
        if (counts[value] === 0) values.push(value);
        counts[value] += count;
      }
    }
    return { counts, values };
  }
}

export class FacetCounter {
  private readonly categories: SetCounts;
  private readonly tags: SetCounts;
  private readonly authors: Uint32Array;
  private readonly years: Uint32Array;

  constructor(private readonly meta: DocMeta) {
    let sets = setsOfMeta.get(meta);
    if (!sets) setsOfMeta.set(meta, (sets = { categories: valueSets(meta.docCategories), tags: valueSets(meta.docTags) }));
    this.categories = new SetCounts(sets.categories);
    this.tags = new SetCounts(sets.tags);
    this.authors = new Uint32Array(meta.authors.labels.length);
    this.years = new Uint32Array(meta.years.length);
  }

  /** Called for every matching document: plain typed-array counting, no map lookups. */
  add(doc: number): void {
    const meta = this.meta;
    this.categories.add(doc);
    this.tags.add(doc);
    if (meta.docAuthor[doc] >= 0) this.authors[meta.docAuthor[doc]]++;
    if (meta.docYear[doc] >= 0) this.years[meta.docYear[doc]]++;
  }

  result(): SearchResult['facets'] {
    const years: { year: number; count: number }[] = [];
    this.years.forEach((count, id) => {
      if (count > 0) years.push({ year: this.meta.years[id], count });
    });
    const authors: number[] = [];
    this.authors.forEach((count, id) => {
      if (count > 0) authors.push(id);
    });
    const categories = this.categories.valueCounts(this.meta.categories.labels.length);
    const tags = this.tags.valueCounts(this.meta.tags.labels.length);
    return {
      category: topValues(categories.counts, categories.values, this.meta.categories),
      tag: topValues(tags.counts, tags.values, this.meta.tags),
      author: topValues(this.authors, authors, this.meta.authors),
      year: years.sort((a, b) => b.year - a.year).map(({ year, count }) => ({ value: String(year), count })),
    };
  }
}

/** Most frequent first, ties by label (`ids`: the values with a count, in any order). */
function topValues(counts: Uint32Array, ids: readonly number[], dictionary: FacetDictionary): FacetValue[] {
  return orderFacetValues(ids.map((id) => ({ value: dictionary.labels[id], count: counts[id] })));
}

/** The FACET_LIMIT most frequent values, ties by label. */
export function orderFacetValues(values: FacetValue[]): FacetValue[] {
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return values.slice(0, FACET_LIMIT);
}
