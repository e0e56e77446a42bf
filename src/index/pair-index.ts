/**
 * Pairs of non-negative integers (two term ids, two characters) numbered 0, 1, 2, … in the order they were first
 * added: open addressing over typed arrays. Callers keep what they count per pair in arrays of their own, indexed by
 * that number. A Map keyed by `first * size + second` hashed a double per lookup: millions of lookups in the corpus-wide
 * passes over every word of every article (collocations, abbreviations) went there.
 */
import { grown } from '../analysis/index.js';

export class PairIndex {
  private slots = new Int32Array(1 << 16).fill(-1);
  private firsts = new Int32Array(1 << 15);
  private seconds = new Int32Array(1 << 15);
  private count = 0;

  get size(): number {
    return this.count;
  }

  first(pair: number): number {
    return this.firsts[pair];
  }

  second(pair: number): number {
    return this.seconds[pair];
  }

  /** The number of (first, second), or −1 when it was never added. */
  find(first: number, second: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(first, second) & mask; ; slot = (slot + 1) & mask) {
      const pair = this.slots[slot];
      if (pair < 0 || (this.firsts[pair] === first && this.seconds[pair] === second)) return pair;
    }
  }

  /** The number of (first, second), given the next one when it is new. */
  add(first: number, second: number): number {
    const mask = this.slots.length - 1;
    let slot = hash(first, second) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const pair = this.slots[slot];
      if (pair < 0) break;
      if (this.firsts[pair] === first && this.seconds[pair] === second) return pair;
    }
    const pair = this.count++;
    if (pair === this.firsts.length) {
      this.firsts = grown(this.firsts, pair * 2);
      this.seconds = grown(this.seconds, pair * 2);
    }
    this.firsts[pair] = first;
    this.seconds[pair] = second;
    this.slots[slot] = pair;
    if (this.count * 2 > this.slots.length) this.rehash();
    return pair;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let pair = 0; pair < this.count; pair++) {
      let slot = hash(this.firsts[pair], this.seconds[pair]) & mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = pair;
    }
  }
}

function hash(first: number, second: number): number {
  const h = (Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  return h ^ (h >>> 15);
}
