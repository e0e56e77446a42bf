/**
 * Per-document keywords: TF-IDF over title + body, with IDF from the documents being indexed.
 *
 * The same keywords as analysis' topKeywords(termCounts, docFreq, N, KEYWORDS_PER_DOC) (a test holds them equal on
 * the real corpus), computed on term ids: whether a term can be a keyword and which shorter terms lie inside it are
 * worked out once per term of the dictionary instead of once per document it occurs in, and counts live in typed
 * arrays instead of Maps. Every keyword depends on the corpus-wide IDF, so every build recomputes all of them.
 */
import { isKeywordCandidate } from '../analysis/index.js';
import type { FieldName } from './types.js';

/** A keyword is a topic of the articles that also name it in these fields (titles and tags say what an article is about). */
export const TOPIC_NAMING_FIELDS: readonly FieldName[] = ['title', 'tags'];

/** Keywords kept per document. */
export const KEYWORDS_PER_DOC = 10;

interface TermCounts {
  termIds: Uint32Array;
  freqs: Uint32Array;
}

/** Facts about one dictionary term, found on first use. */
interface TermFacts {
  candidate: boolean;
  /** Length in code points. */
  chars: number;
}

/** Above any term id (ids index typed arrays); long words are sorted by (length, id) packed in one number. */
const ID_LIMIT = 2 ** 32;
const MAX_SORTED_CHARS = 1 << 16;

/**
 * Keywords of each document, given its title and body fields as term ids into `termStrings`.
 * A term's document frequency counts documents with the term in the title or the body.
 */
export function articleKeywords(
  docs: readonly (readonly TermCounts[])[],
  termStrings: readonly string[],
  termIds: ReadonlyMap<string, number>,
): string[][] {
  const dictionarySize = termStrings.length;
  const docFreq = new Uint32Array(dictionarySize);
  // Which document last touched a term: counts and df are reset lazily instead of per document.
  const lastDoc = new Int32Array(dictionarySize).fill(-1);
  docs.forEach((fields, doc) => {
    for (const { termIds: ids } of fields) {
      for (let i = 0; i < ids.length; i++) {
        if (lastDoc[ids[i]] !== doc) {
          lastDoc[ids[i]] = doc;
          docFreq[ids[i]]++;
        }
      }
    }
  });

  const facts: (TermFacts | undefined)[] = new Array(dictionarySize);
  const factsOf = (id: number): TermFacts => (facts[id] ??= termFacts(termStrings[id]));
  // Only needed for a word that stands on its own somewhere, and the costliest part (a lookup per substring).
  const inners: (Uint32Array | undefined)[] = new Array(dictionarySize);
  // Inner terms that are no candidates and too short to have inner terms themselves cannot change any keyword.
  const matters = (id: number): boolean => factsOf(id).candidate || facts[id]!.chars >= 3;
  const innerOf = (id: number): Uint32Array => (inners[id] ??= innerTerms(termStrings[id], termIds, matters));
  const docCount = docs.length;
  const idf = (id: number): number => {
    const df = Math.min(docFreq[id], docCount);
    return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  };

  const own = new Float64Array(dictionarySize);
  lastDoc.fill(-1);
  return docs.map((fields, doc) => {
    const touched: number[] = [];
    for (const { termIds: ids, freqs } of fields) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          own[id] = 0;
          touched.push(id);
        }
        own[id] += freqs[i];
      }
    }
    // Longest first: a word's own count is final once every longer word containing it has been subtracted.
    // Sorted as numbers (fewer characters, larger key; equal lengths cannot contain each other, so any order).
    const long: number[] = [];
    for (const id of touched) {
      const chars = factsOf(id).chars;
      if (chars >= 3) long.push((MAX_SORTED_CHARS - Math.min(chars, MAX_SORTED_CHARS)) * ID_LIMIT + id);
    }
    for (const key of Float64Array.from(long).sort()) {
      const id = key % ID_LIMIT;
      const count = own[id];
      if (count <= 0) continue;
      for (const inner of innerOf(id)) if (lastDoc[inner] === doc) own[inner] -= count;
    }
    const best = new TopTerms(KEYWORDS_PER_DOC, termStrings);
    for (const id of touched) {
      const count = own[id];
      if (count > 0 && factsOf(id).candidate) best.offer(id, count * idf(id));
    }
    return best.terms();
  });
}

function termFacts(term: string): TermFacts {
  let chars = 0;
  for (let i = 0; i < term.length; chars++) i += term.codePointAt(i)! > 0xffff ? 2 : 1;
  return { candidate: isKeywordCandidate(term), chars };
}

/**
 * Ids of the shorter terms inside `term` that `matter`, once per place they occur (see ownWordCounts in analysis):
 * a count of the term as a word of its own was also emitted once per place as a sub-word. Single characters are
 * never keywords and contain nothing, so they are not even looked up.
 */
function innerTerms(term: string, termIds: ReadonlyMap<string, number>, matters: (id: number) => boolean): Uint32Array {
  const bounds = [0];
  for (let i = 0; i < term.length; ) {
    i += term.codePointAt(i)! > 0xffff ? 2 : 1;
    bounds.push(i);
  }
  const chars = bounds.length - 1;
  const inner: number[] = [];
  for (let start = 0; start < chars; start++) {
    for (let end = start + 2; end <= chars; end++) {
      if (end - start === chars) continue;
      const id = termIds.get(term.slice(bounds[start], bounds[end]));
      if (id !== undefined && matters(id)) inner.push(id);
    }
  }
  return Uint32Array.from(inner);
}

/** The `limit` best terms offered, best first: higher score, then the smaller term (UTF-16 order). */
class TopTerms {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly termStrings: readonly string[],
  ) {
    this.ids = new Int32Array(limit);
    this.scores = new Float64Array(limit);
  }

  offer(id: number, score: number): void {
    if (this.size === this.limit && !this.before(id, score, this.size - 1)) return;
    let i = this.size < this.limit ? this.size++ : this.limit - 1;
    for (; i > 0 && this.before(id, score, i - 1); i--) {
      this.ids[i] = this.ids[i - 1];
      this.scores[i] = this.scores[i - 1];
    }
    this.ids[i] = id;
    this.scores[i] = score;
  }

  terms(): string[] {
    return Array.from(this.ids.subarray(0, this.size), (id) => this.termStrings[id]);
  }

  /** Whether (id, score) ranks before the entry at `slot`. */
  private before(id: number, score: number, slot: number): boolean {
    const other = this.scores[slot];
    return score > other || (score === other && this.termStrings[id] < this.termStrings[this.ids[slot]]);
  }
}
