/**
 * The storage of a Vocabulary (types.ts): terms numbered in the order they are first met, and for each word the
 * tokenizer has visited its facts (stop word or not, its sub-words that are none) in typed arrays, so that a word met
 * again costs one lookup and then only array reads. Also the buffers one text's tokens are written to.
 *
 * The lookup is a hash table of its own over the terms' UTF-16 units (open addressing, each slot the term's hash,
 * number and short key side by side): a Map lookup of each fresh string from the segmenter cost half as much CPU as jieba's cut
 * itself, this about a quarter (the hash is worked out while the segmenter's word is checked against the text).
 */
import { grown } from './typedArrays.js';

/** Facts of a number not yet worked out (a term met only as a sub-word so far, or just numbered). */
const UNKNOWN = 0;
const STOP = 1;
const KEPT = 2;
/** A number's facts: its kind (UNKNOWN, STOP or KEPT) in the low bits, its sub-word count above them. */
const KIND_BITS = 2;
const KIND_MASK = (1 << KIND_BITS) - 1;

/**
 * Terms a vocabulary holds before trim() forgets them all: ~70–90 bytes each (the string, its slots, its facts), so
 * ~20 MB per analysis thread at the limit. It is checked between articles, so one article's new words may pass it,
 * and the tables keep their largest size. A 10 % sample of the scale corpus has 65,000 distinct terms, 30 % 108,000.
 */
export const VOCABULARY_LIMIT = 300_000;

export class WordTable {
  /** Times every term was forgotten. */
  generation = 0;
  private readonly terms: string[] = [];
  /**
   * Triples (hash, number + 1, shortKey), 0 + 0 + 0 where empty; at most half full. A term of one or two units is
   * told by its key alone: most words are, and comparing their text meant reading each stored string.
   */
  private slots = new Int32Array(3 * 2048);
  private slotCount = 2048;
  /**
   * Per number: its kind and sub-word count (KIND_BITS), one read for a word met again; a KEPT word's sub-words are
   * parts[3 * partsFrom[id] …] (term, start, end) × its count.
   */
  private facts = new Int32Array(1024);
  private partsFrom = new Int32Array(1024);
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
    const mask = this.slotCount - 1;
    const key = shortKey(term);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[3 * slot + 1]! - 1;
      if (id < 0) return -1;
      if (slots[3 * slot] === hash && slots[3 * slot + 2] === key && (key !== 0 || this.terms[id] === term)) return id;
    }
  }

  /** Whether the facts of number `id` are worked out (setFacts). */
  hasFacts(id: number): boolean {
    return (this.facts[id]! & KIND_MASK) !== UNKNOWN;
  }

  /** Numbers `term` (termHash `hash`) if it is new (its facts UNKNOWN); its number either way. */
  add(term: string, hash = termHash(term)): number {
    let id = this.numberOf(term, hash);
    if (id >= 0) return id;
    id = this.terms.length;
    this.terms.push(term);
    if (2 * this.terms.length > this.slotCount) this.rehash(2 * this.slotCount);
    else this.place(term, hash, id);
    if (id === this.facts.length) {
      this.facts = grown(this.facts, 2 * id);
      this.partsFrom = grown(this.partsFrom, 2 * id);
    }
    this.facts[id] = UNKNOWN;
    return id;
  }

  private place(term: string, hash: number, id: number): void {
    const mask = this.slotCount - 1;
    let slot = hash & mask;
    while (this.slots[3 * slot + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[3 * slot] = hash;
    this.slots[3 * slot + 1] = id + 1;
    this.slots[3 * slot + 2] = shortKey(term);
  }

  /** `count` slots for every term. */
  private rehash(count: number): void {
    this.slots = new Int32Array(3 * count);
    this.slotCount = count;
    this.terms.forEach((term, id) => this.place(term, termHash(term), id));
  }

  /** Records a word's facts: a stop word, or kept with its sub-words (term number, start, end relative to the word). */
  setFacts(id: number, stop: boolean, parts: readonly number[]): void {
    this.facts[id] = (stop ? STOP : KEPT) | ((parts.length / 3) << KIND_BITS);
    if (parts.length === 0) return;
    if (this.partsLength + parts.length > this.parts.length) this.parts = grown(this.parts, 2 * (this.partsLength + parts.length));
    this.parts.set(parts, this.partsLength);
    this.partsFrom[id] = this.partsLength / 3;
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
    const facts = this.facts[id]!;
    if ((facts & KIND_MASK) === STOP) return;
    this.push(id, position, start, end);
    const count = facts >>> KIND_BITS;
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

/**
 * A term of one or two UTF-16 units as one number (its units side by side), which names it among all terms of its
 * table: 0 for longer terms and for those starting with U+0000, which are told by their text.
 */
function shortKey(term: string): number {
  const first = term.charCodeAt(0);
  if (term.length === 1) return first;
  return term.length === 2 && first !== 0 ? (first << 16) | term.charCodeAt(1) : 0;
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
