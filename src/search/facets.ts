/** Facet counts over every matching document (not just the returned page). */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import type { FacetValue, SearchResult } from './types.js';

/** Values listed per facet (the most frequent ones); years are all listed. */
export const FACET_LIMIT = 30;

/**
 * Each document's facet values (its set of categories, its set of tags, its author, its year) as one id, a
 * signature: documents share few (a source's category path with its ancestors, its usual tags, the year), so
 * counting a match is one increment in a dense array, and the signatures met are expanded into values once per
 * search.
 */
interface Signatures {
  ofDoc: Uint32Array;
  /** Per signature: its category set, its tag set (ids into the sets), author and year (-1: none). */
  categorySet: Uint32Array;
  tagSet: Uint32Array;
  author: Int32Array;
  year: Int32Array;
  categorySets: Uint32Array[];
  tagSets: Uint32Array[];
  /** Year ids, the newest year first, and each year's label. */
  yearsNewestFirst: Uint32Array;
  yearLabels: string[];
  /** Tallies of finished searches (zeroed), reused by the next ones. */
  free: Tallies[];
}

const EMPTY = new Uint32Array(0);

/** Each document's value (`valueOf`) as an id, values with the same comma-joined form sharing one; the values by id. */
function interned<T extends { join(separator: string): string }>(docCount: number, valueOf: (doc: number) => T): { ofDoc: Uint32Array; values: T[] } {
  const ids = new Map<string, number>();
  const values: T[] = [];
  const ofDoc = new Uint32Array(docCount);
  for (let doc = 0; doc < docCount; doc++) {
    const value = valueOf(doc);
    const key = value.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = values.length;
      ids.set(key, id);
      values.push(value);
    }
    ofDoc[doc] = id;
  }
  return { ofDoc, values };
}

function signaturesOf(meta: DocMeta): Signatures {
  const docCount = meta.docAuthor.length;
  const categories = interned(docCount, (doc) => meta.docCategories[doc] ?? EMPTY);
  const tags = interned(docCount, (doc) => meta.docTags[doc] ?? EMPTY);
  const { ofDoc, values: parts } = interned(docCount, (doc) => [categories.ofDoc[doc], tags.ofDoc[doc], meta.docAuthor[doc], meta.docYear[doc]]);
  return {
    ofDoc,
    categorySet: Uint32Array.from(parts, (part) => part[0]),
    tagSet: Uint32Array.from(parts, (part) => part[1]),
    author: Int32Array.from(parts, (part) => part[2]),
    year: Int32Array.from(parts, (part) => part[3]),
    categorySets: categories.values,
    tagSets: tags.values,
    yearsNewestFirst: Uint32Array.from(meta.years.keys()).sort((a, b) => meta.years[b] - meta.years[a]),
    yearLabels: meta.years.map(String),
    free: [],
  };
}

/** The signatures of a DocMeta, made on its first facet count (a DocMeta is complete once a search runs on it). */
const signaturesOfMeta = new WeakMap<DocMeta, Signatures>();

/** What a search counts in: per signature, then per category set and per tag set; all zero when not in use. */
interface Tallies {
  signatures: Uint32Array;
  /** The signatures met, in the order first met (a search meets each once at most). */
  met: Uint32Array;
  authors: Uint32Array;
  years: Uint32Array;
  categorySets: SetTally;
  tagSets: SetTally;
}

export class FacetCounter {
  private readonly signatures: Signatures;
  private readonly ofDoc: Uint32Array;
  private readonly tallies: Tallies;
  private readonly counts: Uint32Array;
  private readonly met: Uint32Array;
  private metCount = 0;

  constructor(private readonly meta: DocMeta) {
    let signatures = signaturesOfMeta.get(meta);
    if (!signatures) signaturesOfMeta.set(meta, (signatures = signaturesOf(meta)));
    this.signatures = signatures;
    this.ofDoc = signatures.ofDoc;
    this.tallies = signatures.free.pop() ?? {
      signatures: new Uint32Array(signatures.categorySet.length),
      met: new Uint32Array(signatures.categorySet.length),
      authors: new Uint32Array(meta.authors.labels.length),
      years: new Uint32Array(meta.years.length),
      categorySets: new SetTally(signatures.categorySets),
      tagSets: new SetTally(signatures.tagSets),
    };
    this.counts = this.tallies.signatures;
    this.met = this.tallies.met;
  }

  /** Called for every matching document: one increment. */
  add(doc: number): void {
    const signature = this.ofDoc[doc];
    if (this.counts[signature]++ === 0) this.met[this.metCount++] = signature;
  }

  /** The facets of the documents counted; the counter is spent (its tallies, zeroed, are reused by a later search). */
  result(): SearchResult['facets'] {
    const { meta, signatures, tallies, counts } = this;
    const { authors, years } = tallies;
    for (let i = 0; i < this.metCount; i++) {
      const signature = this.met[i];
      const count = counts[signature];
      counts[signature] = 0;
      tallies.categorySets.add(signatures.categorySet[signature], count);
      tallies.tagSets.add(signatures.tagSet[signature], count);
      if (signatures.author[signature] >= 0) authors[signatures.author[signature]] += count;
      if (signatures.year[signature] >= 0) years[signatures.year[signature]] += count;
    }
    const categories = tallies.categorySets.valueCounts(meta.categories.labels.length);
    const tags = tallies.tagSets.valueCounts(meta.tags.labels.length);
    const year: FacetValue[] = [];
    for (const id of signatures.yearsNewestFirst) if (years[id] > 0) year.push({ value: signatures.yearLabels[id], count: years[id] });
    const authorIds: number[] = [];
    authors.forEach((count, id) => {
      if (count > 0) authorIds.push(id);
    });
    const facets = {
      category: topValues(categories.counts, categories.values, meta.categories),
      tag: topValues(tags.counts, tags.values, meta.tags),
      author: topValues(authors, authorIds, meta.authors),
      year,
    };
    authors.fill(0);
    years.fill(0);
    signatures.free.push(tallies);
    return facets;
  }
}

/** Documents counted per value set of a multi-valued facet, and which sets were met. */
class SetTally {
  private readonly counts: Uint32Array;
  private readonly met: number[] = [];

  constructor(private readonly sets: readonly Uint32Array[]) {
    this.counts = new Uint32Array(sets.length);
  }

  add(set: number, count: number): void {
    if (this.counts[set] === 0) this.met.push(set);
    this.counts[set] += count;
  }

  /** Per value, the documents counted that have it, and the values with a count; the tally is zeroed. */
  valueCounts(valueCount: number): { counts: Uint32Array; values: number[] } {
    const counts = new Uint32Array(valueCount);
    const values: number[] = [];
    for (const set of this.met) {
      const count = this.counts[set];
      this.counts[set] = 0;
      for (const value of this.sets[set]) {
        if (counts[value] === 0) values.push(value);
        counts[value] += count;
      }
    }
    this.met.length = 0;
    return { counts, values };
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
