/** Facet counts over every matching document (not just the returned page). */
import type { DocMeta, FacetDictionary } from './doc-meta.js';
import { bitCount } from './filters.js';
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
  /**
   * Per word of a bitset (32 documents), the signature of its first document and the bits of its documents having it:
   * neighbouring documents are mostly one source's, of one signature, so a word's matches are counted at once.
   */
  wordSignature: Uint32Array;
  wordMask: Uint32Array;
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
  const wordSignature = new Uint32Array((docCount + 31) >>> 5);
  const wordMask = new Uint32Array(wordSignature.length);
  for (let doc = 0; doc < docCount; doc++) {
    const w = doc >>> 5;
    if ((doc & 31) === 0) wordSignature[w] = ofDoc[doc]!;
    if (ofDoc[doc] === wordSignature[w]) wordMask[w]! |= 1 << (doc & 31);
  }
  return {
    ofDoc,
    wordSignature,
    wordMask,
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
  authors: Listed;
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
      authors: { counts: new Uint32Array(meta.authors.labels.length), ids: new Uint32Array(meta.authors.labels.length), count: 0 },
      years: new Uint32Array(meta.years.length),
      categorySets: new SetTally(signatures.categorySets, meta.categories.labels.length),
      tagSets: new SetTally(signatures.tagSets, meta.tags.labels.length),
    };
    this.counts = this.tallies.signatures;
    this.met = this.tallies.met;
  }

  /** Called for every matching document: one increment. */
  add(doc: number): void {
    const signature = this.ofDoc[doc];
    if (this.counts[signature]++ === 0) this.met[this.metCount++] = signature;
  }

  /**
   * add() of each document whose bit is set, 32 a word (document 32w + i is bit i of word w): those of the word's
   * signature (Signatures.wordMask) at once, the others one by one.
   */
  addBits(bits: Uint32Array): void {
    const { ofDoc, counts, met } = this;
    const { wordSignature, wordMask } = this.signatures;
    let metCount = this.metCount;
    for (let w = 0; w < bits.length; w++) {
      if (bits[w] === 0) continue;
      const same = bits[w]! & wordMask[w]!;
      if (same !== 0) {
        const signature = wordSignature[w]!;
        if (counts[signature] === 0) met[metCount++] = signature;
        counts[signature] += bitCount(same);
      }
      for (let word = bits[w]! & ~wordMask[w]!; word !== 0; word &= word - 1) {
        const signature = ofDoc[(w << 5) | (31 - Math.clz32(word & -word))]!;
        if (counts[signature]++ === 0) met[metCount++] = signature;
      }
    }
    this.metCount = metCount;
  }

  /** The facets of the documents counted; the counter is spent (its tallies, zeroed, are reused by a later search). */
  result(): SearchResult['facets'] {
    const { meta, signatures, tallies, counts } = this;
    const { years, authors: listedAuthors } = tallies;
    const authors = listedAuthors.counts;
    for (let i = 0; i < this.metCount; i++) {
      const signature = this.met[i];
      const count = counts[signature];
      counts[signature] = 0;
      tallies.categorySets.add(signatures.categorySet[signature], count);
      tallies.tagSets.add(signatures.tagSet[signature], count);
      if (signatures.author[signature] >= 0) authors[signatures.author[signature]] += count;
      if (signatures.year[signature] >= 0) years[signatures.year[signature]] += count;
    }
    const year: FacetValue[] = [];
    for (const id of signatures.yearsNewestFirst) if (years[id] > 0) year.push({ value: signatures.yearLabels[id], count: years[id] });
    listedAuthors.count = 0;
    for (let id = 0; id < authors.length; id++) if (authors[id]! > 0) listedAuthors.ids[listedAuthors.count++] = id;
    const facets = {
      category: topValues(tallies.categorySets.valueCounts(), meta.categories),
      tag: topValues(tallies.tagSets.valueCounts(), meta.tags),
      author: topValues(listedAuthors, meta.authors),
      year,
    };
    authors.fill(0);
    years.fill(0);
    signatures.free.push(tallies);
    return facets;
  }
}

/** Documents counted per value of a facet, and the values with a count listed (`count` of them in `ids`). */
interface Listed {
  counts: Uint32Array;
  ids: Uint32Array;
  count: number;
}

/** Documents counted per value set of a multi-valued facet, and which sets were met. */
class SetTally {
  private readonly counts: Uint32Array;
  /** The sets met, `metCount` of them. */
  private readonly met: Uint32Array;
  private metCount = 0;
  private readonly listed: Listed;

  constructor(
    private readonly sets: readonly Uint32Array[],
    valueCount: number,
  ) {
    this.counts = new Uint32Array(sets.length);
    this.met = new Uint32Array(sets.length);
    this.listed = { counts: new Uint32Array(valueCount), ids: new Uint32Array(valueCount), count: 0 };
  }

  add(set: number, count: number): void {
    if (this.counts[set] === 0) this.met[this.metCount++] = set;
    this.counts[set] += count;
  }

  /** The documents counted per value, the values with a count listed (until the next call); the tally is zeroed. */
  valueCounts(): Listed {
    const listed = this.listed;
    const { counts, ids } = listed;
    for (let i = 0; i < listed.count; i++) counts[ids[i]!] = 0;
    listed.count = 0;
    for (let i = 0; i < this.metCount; i++) {
      const set = this.met[i]!;
      const count = this.counts[set];
      this.counts[set] = 0;
      for (const value of this.sets[set]) {
        if (counts[value] === 0) ids[listed.count++] = value;
        counts[value] += count;
      }
    }
    this.metCount = 0;
    return listed;
  }
}

/** Value ids of a topValues selection (a search's are listed before the next starts). */
const chosen = new Uint32Array(FACET_LIMIT);

/**
 * orderFacetValues of the `listed` values, the FACET_LIMIT first picked by insertion before any is listed: a common
 * word's matches hold thousands of tags, and an object for each, sorted, was most of what counting facets allocated.
 */
function topValues({ counts, ids, count }: Listed, { labels }: FacetDictionary): FacetValue[] {
  const before = (a: number, b: number) => listedBefore(counts[a]!, labels[a]!, counts[b]!, labels[b]!);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    if (n === FACET_LIMIT && !before(id, chosen[FACET_LIMIT - 1]!)) continue;
    // After every value it does not come before, as a stable sort leaves ties.
    let at = Math.min(n, FACET_LIMIT - 1);
    for (; at > 0 && before(id, chosen[at - 1]!); at--) chosen[at] = chosen[at - 1]!;
    chosen[at] = id;
    if (n < FACET_LIMIT) n++;
  }
  const values: FacetValue[] = [];
  for (let i = 0; i < n; i++) values.push({ value: labels[chosen[i]!]!, count: counts[chosen[i]!]! });
  return values;
}

/** The FACET_LIMIT most frequent values, ties by label. */
export function orderFacetValues(values: FacetValue[]): FacetValue[] {
  values.sort((a, b) => (listedBefore(a.count, a.value, b.count, b.value) ? -1 : listedBefore(b.count, b.value, a.count, a.value) ? 1 : 0));
  return values.slice(0, FACET_LIMIT);
}

/** Whether a facet value is listed before another: more frequent, or as frequent with a smaller label. */
function listedBefore(count: number, label: string, otherCount: number, otherLabel: string): boolean {
  return count > otherCount || (count === otherCount && label < otherLabel);
}
