/**
 * The storage of a Vocabulary (types.ts): terms numbered in the order they are first met, and for each word the
 * tokenizer has visited its facts (stop word or not, its sub-words that are none) in typed arrays, so that a word met
 * again costs one lookup and then only array reads. Also the buffers one text's tokens are written to.
 *
 * The lookup is a hash table of its own over the terms' UTF-16 units (open addressing, each slot the term's key or
 * hash, number and facts side by side): a Map lookup of each fresh string from the segmenter cost half as much CPU as jieba's cut
 * itself, this about a quarter (the hash is worked out while the segmenter's word is checked against the text).
 */
import { grown } from './typedArrays.js';

/** Facts of a number not yet worked out (a term met only as a sub-word so far, or just numbered). */
const UNKNOWN = 0;
const STOP = 1;
const KEPT = 2;
/** A word's facts: its kind (UNKNOWN, STOP or KEPT) in the low bits, its sub-word count above them. */
const KIND_BITS = 2;
const KIND_MASK = (1 << KIND_BITS) - 1;

/**
 * Terms a vocabulary holds before trim() forgets them all: ~70–90 bytes each (the string, its slots, its facts), so
 * ~20 MB per analysis thread at the limit. It is checked between articles, so one article's new words may pass it,
 * and the tables keep their largest size. A 10 % sample of the scale corpus has 65,000 distinct terms, 30 % 108,000.
 */
export const VOCABULARY_LIMIT = 300_000;

/** A slot's words: its check (a short term's key, else its hash), reference, facts and first sub-word. */
const SLOT = 4;
/** In a slot's reference (number + 1): the term is told by its hash and text, not by its key. */
const LONG = 1 << 30;
/**
 * In a slot's reference: a term of three units, told by the key of its first two and its third, kept in the high half
 * of its facts (its sub-words, fewer than its units, count in the low half).
 */
const THIRD = 1 << 29;
const FLAGS = LONG | THIRD;

export class WordTable {
  /** Times every term was forgotten. */
  generation = 0;
  private readonly terms: string[] = [];
  /**
   * SLOT words per slot, 0 where empty; at most half full. A term of one to three units is told by its units alone
   * (most words are; comparing their text meant reading each stored string), a longer one by its hash, then its text. A
   * word's facts sit beside its number, so a word met again costs one slot's read (one cache line): its kind and
   * sub-word count (KIND_BITS), and its sub-words' place, parts[3 × first …] (term, start, end) × its count.
   */
  private slots = new Int32Array(SLOT * 2048);
  parts = new Int32Array(3 * 1024);
  private partsLength = 0;

  /**
   * The last text's tokens: term numbers, positions and, when `offsets`, UTF-16 offsets into its normalised text (an
   * index's terms need none).
   */
  count = 0;
  ids = new Int32Array(1024);
  positions = new Int32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);

  constructor(readonly offsets: boolean) {}

  get size(): number {
    return this.terms.length;
  }

  term(id: number): string {
    const term = this.terms[id];
    if (term === undefined) throw new RangeError(`vocabulary: no term numbered ${id} (of ${this.terms.length})`);
    return term;
  }

  /** The slot of `term`, whose termHash is `hash`; before it is numbered, −1 − the slot it would take. */
  slotOf(term: string, hash: number): number {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    const key = shortKey(term);
    const check = key === 0 ? hash : key;
    const flag = flagOf(term, key);
    const third = flag === THIRD ? term.charCodeAt(2) : 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = SLOT * slot;
      const ref = slots[at + 1]!;
      if (ref === 0) return ~slot;
      if (slots[at] !== check || (ref & FLAGS) !== flag) continue;
      if (flag === 0 || (flag === THIRD ? slots[at + 2]! >>> 16 === third : this.terms[(ref & ~FLAGS) - 1] === term)) return slot;
    }
  }

  /** The number of the term in `slot`. */
  idAt(slot: number): number {
    return (this.slots[SLOT * slot + 1]! & ~FLAGS) - 1;
  }

  /** Whether the facts of the term in `slot` are worked out (setFacts). */
  hasFacts(slot: number): boolean {
    return (this.slots[SLOT * slot + 2]! & KIND_MASK) !== UNKNOWN;
  }

  /** Numbers `term` (termHash `hash`) if it is new (its facts UNKNOWN); its number either way. */
  add(term: string, hash = termHash(term)): number {
    let slot = this.slotOf(term, hash);
    if (slot >= 0) return this.idAt(slot);
    const id = this.terms.length;
    this.terms.push(term);
    if (2 * SLOT * this.terms.length > this.slots.length) {
      this.rehash(2 * this.slots.length);
      slot = this.slotOf(term, hash);
    }
    const key = shortKey(term);
    const flag = flagOf(term, key);
    this.slots[SLOT * ~slot] = key === 0 ? hash : key;
    this.slots[SLOT * ~slot + 1] = (id + 1) | flag;
    if (flag === THIRD) this.slots[SLOT * ~slot + 2] = term.charCodeAt(2) << 16;
    return id;
  }

  /**
   * Slots of `length` words for every term, each term's slot moved whole to the first empty one from its hash (the
   * terms are distinct), worked out from the slot alone: a long term's check is its hash, a short one's its units.
   */
  private rehash(length: number): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(length));
    const mask = length / SLOT - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      const ref = old[at + 1]!;
      let slot = ((ref & LONG) !== 0 ? old[at]! : keyHash(old[at]!, (ref & THIRD) !== 0 ? old[at + 2]! >>> 16 : -1)) & mask;
      while (slots[SLOT * slot + 1] !== 0) slot = (slot + 1) & mask;
      for (let k = 0; k < SLOT; k++) slots[SLOT * slot + k] = old[at + k]!;
    }
  }

  /**
   * Records the facts of `term` (numbered; termHash `hash`): a stop word, or kept with its sub-words (term number,
   * start, end relative to the word). Its slot.
   */
  setFacts(term: string, hash: number, stop: boolean, parts: readonly number[]): number {
    const slot = this.slotOf(term, hash);
    const at = SLOT * slot;
    // A term of three units keeps its third unit above its facts.
    this.slots[at + 2] = (this.slots[at + 2]! & ~0xffff) | (stop ? STOP : KEPT) | ((parts.length / 3) << KIND_BITS);
    if (parts.length === 0) return slot;
    if (this.partsLength + parts.length > this.parts.length) this.parts = grown(this.parts, 2 * (this.partsLength + parts.length));
    this.parts.set(parts, this.partsLength);
    this.slots[at + 3] = this.partsLength;
    this.partsLength += parts.length;
    return slot;
  }

  /** Forgets every term once there are more than VOCABULARY_LIMIT (numbers given before mean nothing after). */
  trim(): void {
    if (this.terms.length <= VOCABULARY_LIMIT) return;
    this.terms.length = 0;
    this.slots.fill(0);
    this.partsLength = 0;
    this.generation += 1;
  }

  /** Writes the tokens of the word in `slot` (at [start, end) in the normalised text, word number `position`), unless a stop word. */
  pushWord(slot: number, start: number, end: number, position: number): void {
    const at = SLOT * slot;
    const facts = this.slots[at + 2]!;
    if ((facts & KIND_MASK) === STOP) return;
    const ref = this.slots[at + 1]!;
    this.push((ref & ~FLAGS) - 1, position, start, end);
    const count = ((ref & THIRD) === 0 ? facts : facts & 0xffff) >>> KIND_BITS;
    if (count === 0) return;
    for (let k = 0, part = this.slots[at + 3]!; k < count; k++, part += 3) {
      this.push(this.parts[part]!, position, start + this.parts[part + 1]!, start + this.parts[part + 2]!);
    }
  }

  private push(id: number, position: number, start: number, end: number): void {
    const k = this.count++;
    if (k === this.ids.length) {
      this.ids = grown(this.ids, 2 * k);
      this.positions = grown(this.positions, 2 * k);
    }
    this.ids[k] = id;
    this.positions[k] = position;
    if (!this.offsets) return;
    if (k === this.starts.length) {
      this.starts = grown(this.starts, 2 * k);
      this.ends = grown(this.ends, 2 * k);
    }
    this.starts[k] = start;
    this.ends[k] = end;
  }
}

/**
 * A term of one or two UTF-16 units as one number (its units side by side), or the first two of a term of three (told
 * apart by THIRD), which names it among all terms of its table: 0 for longer terms and for those starting with U+0000,
 * which are told by their text.
 */
function shortKey(term: string): number {
  const first = term.charCodeAt(0);
  if (term.length === 1) return first;
  return term.length <= 3 && first !== 0 ? (first << 16) | term.charCodeAt(1) : 0;
}

/** The flags of a term's reference (LONG, THIRD or none), given its shortKey. */
function flagOf(term: string, key: number): number {
  return key === 0 ? LONG : term.length === 3 ? THIRD : 0;
}

/** termHash of the term whose shortKey is `key` and, for one of three units, whose `third` unit is given (else −1). */
function keyHash(key: number, third: number): number {
  const first = key >>> 16;
  if (first === 0) return hashEnd(hashUnit(0, key));
  const two = hashUnit(hashUnit(0, first), key & 0xffff);
  return hashEnd(third < 0 ? two : hashUnit(two, third));
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
