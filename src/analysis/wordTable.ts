/**
 * The storage of a Vocabulary (types.ts): terms numbered in the order they are first met, and for each word the
 * tokenizer has visited its facts (stop word or not, its sub-words that are none) in typed arrays, so that a word met
 * again costs one lookup and then only array reads. Also the buffers one text's tokens are written to.
 *
 * The lookup is a hash table of its own over the terms' UTF-16 units (open addressing, each slot the term's hash and
 * number side by side): a Map lookup of each fresh string from the segmenter cost half as much CPU as jieba's cut
 * itself, this about a quarter (the hash is worked out while the segmenter's word is checked against the text).
 */
import { grown } from './typedArrays.js';

/** Facts of a number not yet worked out (a term met only as a sub-word so far, or just numbered). */
export const UNKNOWN = 0;
export const STOP = 1;
export const KEPT = 2;

/**
 * Terms a vocabulary holds before trim() forgets them all: ~60–80 bytes each (the string, its slot, its facts), so
 * ~20 MB per analysis thread at the limit. It is checked between articles, so one article's new words may pass it,
 * and the tables keep their largest size. A 10 % sample of the scale corpus has 65,000 distinct terms, 30 % 108,000.
 */
export const VOCABULARY_LIMIT = 300_000;

export class WordTable {
  /** Times every term was forgotten. */
  generation = 0;
  private readonly terms: string[] = [];
  /** Pairs (hash, number + 1), 0 + 0 where empty; at most half full. */
  private slots = new Int32Array(2 * 2048);
  /** Per number: UNKNOWN, STOP or KEPT. */
  kinds = new Uint8Array(1024);
  /** Per number of a KEPT word: its sub-words, parts[3 * partsFrom[id] …] (term, start, end) × partCounts[id]. */
  partsFrom = new Int32Array(1024);
  partCounts = new Int32Array(1024);
  parts = new Int32Array(3 * 1024);
  private partsLength = 0;

  /** The last text's tokens: term numbers, positions and UTF-16 offsets into its normalised text. */
  count = 0;
  ids = new Int32Array(1024);
  positions = new Int32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);

  get size(): number {
    return this.terms.length;
  }

  term(id: number): string {
    const term = this.terms[id];
    if (term === undefined) throw new RangeError(`vocabulary: no term numbered ${id} (of ${this.terms.length})`);
    return term;
  }

  /** The number of `term`, whose termHash is `hash`; −1 before it is numbered. */
  numberOf(term: string, hash: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[2 * slot + 1]! - 1;
      if (id < 0) return -1;
      if (slots[2 * slot] === hash && this.terms[id] === term) return id;
    }
  }

  /** Numbers `term` (termHash `hash`) if it is new (its facts UNKNOWN); its number either way. */
  add(term: string, hash = termHash(term)): number {
    let id = this.numberOf(term, hash);
    if (id >= 0) return id;
    id = this.terms.length;
    this.terms.push(term);
    if (4 * this.terms.length > this.slots.length) this.rehash(2 * this.slots.length);
    else this.place(hash, id);
    if (id === this.kinds.length) {
      this.kinds = grown(this.kinds, 2 * id);
      this.partsFrom = grown(this.partsFrom, 2 * id);
      this.partCounts = grown(this.partCounts, 2 * id);
    }
    this.kinds[id] = UNKNOWN;
    this.partCounts[id] = 0;
    return id;
  }

  private place(hash: number, id: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let slot = hash & mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[2 * slot] = hash;
    this.slots[2 * slot + 1] = id + 1;
  }

  /** Slots for every term, `length` numbers. */
  private rehash(length: number): void {
    this.slots = new Int32Array(length);
    this.terms.forEach((term, id) => this.place(termHash(term), id));
  }

  /** Records a word's facts: a stop word, or kept with its sub-words (term number, start, end relative to the word). */
  setFacts(id: number, stop: boolean, parts: readonly number[]): void {
    this.kinds[id] = stop ? STOP : KEPT;
    if (parts.length === 0) return;
    if (this.partsLength + parts.length > this.parts.length) this.parts = grown(this.parts, 2 * (this.partsLength + parts.length));
    this.parts.set(parts, this.partsLength);
    this.partsFrom[id] = this.partsLength / 3;
    this.partCounts[id] = parts.length / 3;
    this.partsLength += parts.length;
  }

  /** Forgets every term once there are more than VOCABULARY_LIMIT (numbers given before mean nothing after). */
  trim(): void {
    if (this.terms.length <= VOCABULARY_LIMIT) return;
    this.terms.length = 0;
    this.slots.fill(0);
    this.partsLength = 0;
    this.generation += 1;
  }

  /** Writes the tokens of word `id` (at [start, end) in the normalised text, word number `position`), unless a stop word. */
  pushWord(id: number, start: number, end: number, position: number): void {
    if (this.kinds[id] === STOP) return;
    this.push(id, position, start, end);
    const count = this.partCounts[id]!;
    for (let k = 0, at = 3 * this.partsFrom[id]!; k < count; k++, at += 3) {
      this.push(this.parts[at]!, position, start + this.parts[at + 1]!, start + this.parts[at + 2]!);
    }
  }

  private push(id: number, position: number, start: number, end: number): void {
    const k = this.count++;
    if (k === this.ids.length) {
      this.ids = grown(this.ids, 2 * k);
      this.positions = grown(this.positions, 2 * k);
      this.starts = grown(this.starts, 2 * k);
      this.ends = grown(this.ends, 2 * k);
    }
    this.ids[k] = id;
    this.positions[k] = position;
    this.starts[k] = start;
    this.ends[k] = end;
  }
}

/** termHash(text) is hashEnd of hashUnit applied to each UTF-16 unit of text in turn, from 0. */
export function hashUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x9e3779b1);
}

export function hashEnd(hash: number): number {
  return hash ^ (hash >>> 15);
}

export function termHash(term: string): number {
  let hash = 0;
  for (let i = 0; i < term.length; i++) hash = hashUnit(hash, term.charCodeAt(i));
  return hashEnd(hash);
}
