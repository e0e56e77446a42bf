/**
 * Collocations: adjacent words that belong together in this corpus (加沙 + 地带, 新能源 + 汽车), found by how much
 * more often they stand side by side than chance says (pointwise mutual information) and how much of each word's
 * use the pair takes up. They become one keyword, and the user dictionary's candidate new words.
 */
import { LATIN_OR_DIGIT } from '../analysis/index.js';
import type { DocumentList } from './forward.js';
import { grown } from '../analysis/index.js';
import { PairIndex } from './pair-index.js';

/** One analysed field as the index keeps it: distinct terms (as ids) with their positions grouped by term. */
export interface FieldTerms {
  termIds: Uint32Array;
  /** 16 bits wide where every count and position fits (a build's documents: see IndexBuilder). */
  freqs: Uint32Array | Uint16Array;
  positions: Uint32Array | Uint16Array;
  /** Token count (positions run below it). */
  length: number;
}

export interface Collocation {
  first: number;
  second: number;
  /** Times the two words stand side by side in the corpus. */
  count: number;
  /** Documents in which they do. */
  docs: number;
}

/** When a pair counts as one word. */
export const COLLOCATION_RULES = {
  /** Side by side at least this often … */
  minCount: 5,
  /** … in at least this many documents (a pair one article repeats is that article's phrase, not the corpus's). */
  minDocs: 3,
  /** ln of how many times more often than chance (words independent) the pair occurs. */
  minPmi: 3,
  /**
   * Share of the rarer word's occurrences taken by the pair, and of the more frequent word's: 加沙地带 takes 90 % of
   * 加沙 and 87 % of 地带, 新能源汽车 46 % of each; 习近平总书记 takes 68 % of 总书记 but only 26 % of 习近平, which
   * stays a word of its own.
   */
  minShareOfRarer: 0.4,
  minShareOfCommoner: 0.3,
  /** A word (番组) that hardly ever stands without the other (番组计划) joins it however common the other is. */
  boundShare: 0.8,
};

/**
 * The precise-mode word at each position of a field (−1 where there is none: a dropped stop word, a gap). Sub-words
 * share the position of the word covering them and are shorter than it, so the longest term at a position is the word.
 */
export function wordSequence(field: FieldTerms, chars: (id: number) => number, into?: Int32Array): Int32Array {
  const sequence = into && into.length >= field.length ? into.subarray(0, field.length) : new Int32Array(field.length);
  sequence.fill(-1);
  let p = 0;
  for (let i = 0; i < field.termIds.length; i++) {
    const id = field.termIds[i];
    const idChars = chars(id);
    for (const end = p + field.freqs[i]; p < end; p++) {
      const position = field.positions[p];
      if (position >= sequence.length) continue;
      const current = sequence[position];
      if (current < 0 || idChars > chars(current)) sequence[position] = id;
    }
  }
  return sequence;
}

/** How a collocation is written: its words joined, with a space between two Latin words (class solution). */
export function collocationTerm(first: string, second: string): string {
  return LATIN_OR_DIGIT.test(first[first.length - 1] ?? '') && LATIN_OR_DIGIT.test(second[0] ?? '') ? `${first} ${second}` : first + second;
}

/** What counting pairs of words needs to know about the corpus's terms (not their texts). */
export interface PairSource {
  /** The fields of each document in which pairs are looked for. */
  docs: DocumentList<readonly FieldTerms[]>;
  dictionarySize: number;
  /** Whether a word may be part of a collocation (keyword candidates: no stop words, single characters, numbers). */
  candidate(id: number): boolean;
  /** Length of a term in characters. */
  chars(id: number): number;
}

/** A pair of words frequent enough, and bound enough, to be a collocation if it is also written so. */
export interface FrequentPair extends Collocation {
  /** The last document the pair occurs in. */
  lastDoc: number;
}

/** How frequent pairs are checked against the texts and ordered. */
export interface PairWriting {
  term(id: number): string;
  /**
   * Whether document `doc` has `term` written out. Positions do not see punctuation, so 类型：手办 (a template's label
   * and value) looks like the pair 类型 手办: a pair is only a collocation where its words also stand together in text.
   */
  written(doc: number, term: string): boolean;
}

/**
 * The pairs of adjacent words that pass COLLOCATION_RULES by their counts, in no particular order: the pass over every
 * word of every document (on a thread of its own at a CLI build: counting-thread.ts).
 */
export function frequentPairs(source: PairSource): FrequentPair[] {
  const { docs, dictionarySize, candidate, chars } = source;
  // A word used fewer times than a collocation needs cannot be part of one: leaving it out keeps the pair table small.
  const termCount = new Uint32Array(dictionarySize);
  for (let doc = 0; doc < docs.count; doc++) for (const field of docs.at(doc)) for (let i = 0; i < field.termIds.length; i++) termCount[field.termIds[i]] += field.freqs[i];
  const eligible = new Uint8Array(dictionarySize);
  for (let id = 0; id < dictionarySize; id++) if (termCount[id] >= COLLOCATION_RULES.minCount && candidate(id)) eligible[id] = 1;
  const wordCount = new Uint32Array(dictionarySize);
  const pairs = new PairTable();
  let total = 0;
  let buffer = new Int32Array(1024);
  for (let doc = 0; doc < docs.count; doc++) {
    for (const field of docs.at(doc)) {
      if (field.length > buffer.length) buffer = new Int32Array(field.length * 2);
      const sequence = wordSequence(field, chars, buffer);
      for (let i = 0; i < sequence.length; i++) {
        const word = sequence[i];
        if (word < 0) continue;
        wordCount[word]++;
        total++;
        const next = sequence[i + 1];
        if (next !== undefined && next >= 0 && eligible[word] === 1 && eligible[next] === 1) pairs.add(word, next, doc);
      }
    }
  }

  const rules = COLLOCATION_RULES;
  const frequent: FrequentPair[] = [];
  pairs.forEach((first, second, count, docCount, lastDoc) => {
    if (count < rules.minCount || docCount < rules.minDocs) return;
    const a = wordCount[first];
    const b = wordCount[second];
    if (Math.log((count * total) / (a * b)) < rules.minPmi) return;
    const bound = count >= rules.boundShare * Math.min(a, b);
    if (!bound && (count < rules.minShareOfRarer * Math.min(a, b) || count < rules.minShareOfCommoner * Math.max(a, b))) return;
    frequent.push({ first, second, count, docs: docCount, lastDoc });
  });
  return frequent;
}

/**
 * The corpus's collocations: the frequent pairs also written so, most frequent first, ties by their words (UTF-16
 * order; not by ids, which follow the order the analysis workers happened to deliver the documents in, so
 * new-words.json differed from run to run).
 */
export function writtenCollocations(frequent: readonly FrequentPair[], { term, written }: PairWriting): Collocation[] {
  const found: Collocation[] = [];
  // Checked document after document: `written` reads and normalises a text once for all the pairs checked in it in a
  // row (found in their own order: the order checked in does not matter).
  for (const { first, second, count, docs, lastDoc } of [...frequent].sort((x, y) => x.lastDoc - y.lastDoc)) {
    if (written(lastDoc, collocationTerm(term(first), term(second)))) found.push({ first, second, count, docs });
  }
  const order = (a: number, b: number): number => {
    const [x, y] = [term(a), term(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return found.sort((x, y) => y.count - x.count || order(x.first, y.first) || order(x.second, y.second));
}

/**
 * Finds collocations in word sequences, left to right: where two overlap (A B C with both A B and B C), the first
 * wins and B C is not counted.
 */
export class CollocationMatcher {
  /** Pair number → collocation index. */
  private readonly pairs = new PairIndex();
  private readonly collocationOf: number[] = [];
  private readonly starts: Uint8Array;

  constructor(collocations: readonly Collocation[], dictionarySize: number) {
    this.starts = new Uint8Array(dictionarySize);
    collocations.forEach(({ first, second }, k) => {
      this.collocationOf[this.pairs.add(first, second)] = k;
      this.starts[first] = 1;
    });
  }

  /** Calls found(k, i) for each collocation k starting at sequence[i]. */
  match(sequence: Int32Array, found: (k: number, i: number) => void): void {
    for (let i = 0; i + 1 < sequence.length; i++) {
      const word = sequence[i];
      if (word < 0 || this.starts[word] === 0 || sequence[i + 1] < 0) continue;
      const pair = this.pairs.find(word, sequence[i + 1]);
      if (pair < 0) continue;
      found(this.collocationOf[pair], i);
      i++;
    }
  }
}

/** Counts of (first, second) word pairs and of the documents they occur in. */
class PairTable {
  private readonly pairs = new PairIndex();
  private counts = new Uint32Array(1 << 15);
  private docCounts = new Uint32Array(1 << 15);
  private lastDocs = new Int32Array(1 << 15);

  add(first: number, second: number, doc: number): void {
    const pair = this.pairs.add(first, second);
    if (pair === this.counts.length) {
      this.counts = grown(this.counts, pair * 2);
      this.docCounts = grown(this.docCounts, pair * 2);
      this.lastDocs = grown(this.lastDocs, pair * 2);
    }
    if (this.counts[pair]++ === 0) this.lastDocs[pair] = -1;
    if (this.lastDocs[pair] !== doc) {
      this.lastDocs[pair] = doc;
      this.docCounts[pair]++;
    }
  }

  /** Visits each pair with its count, its number of documents and the last document it occurs in. */
  forEach(visit: (first: number, second: number, count: number, docs: number, lastDoc: number) => void): void {
    const { pairs } = this;
    for (let pair = 0; pair < pairs.size; pair++) visit(pairs.first(pair), pairs.second(pair), this.counts[pair], this.docCounts[pair], this.lastDocs[pair]);
  }
}
