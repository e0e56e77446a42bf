/** Bounded min-heap keeping the k best (score, doc) pairs; ties go to the lower doc number. */
export interface Scored {
  doc: number;
  score: number;
}

/** The ranking's order as a sort's comparator: −1 when a ranks before b, else 1 (no two entries share a document). */
export function byRank(a: Scored, b: Scored): number {
  return scoredBefore(a.score, a.doc, b.score, b.doc) ? -1 : 1;
}

/** The ranking's one order: whether (scoreA, docA) ranks before (scoreB, docB), a higher score or the same and a lower document number. */
export function scoredBefore(scoreA: number, docA: number, scoreB: number, docB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && docA < docB);
}

/**
 * The heap lives in two typed arrays (grown as it fills, k may be far larger than what is pushed): pushing every
 * match of a common word allocated an object per entry that entered the heap.
 */
export class TopK {
  private docs: Uint32Array;
  private scores: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    const capacity = Math.max(1, Math.min(k, 128));
    this.docs = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  push(doc: number, score: number): void {
    if (this.k <= 0) return;
    if (this.size < this.k) {
      if (this.size === this.docs.length) this.grow();
      this.docs[this.size] = doc;
      this.scores[this.size] = score;
      this.siftUp(this.size++);
    } else if (scoredBefore(score, doc, this.scores[0], this.docs[0])) {
      this.docs[0] = doc;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /**
   * The score a push must reach to be kept (at it, a lower document number than the worst kept entry's): -Infinity
   * while the heap has room, Infinity when it keeps nothing.
   */
  threshold(): number {
    if (this.k <= 0) return Infinity;
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  /** push of docs[i] with keys[i], for i below `count`. */
  pushAll(docs: Uint32Array, keys: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) this.push(docs[i]!, keys[i]!);
  }

  /**
   * The kept entries, best first, taken out of the heap (it is left empty): the worst is its root, so popping it
   * fills the list from its end, with no sort nor comparison closure.
   */
  sorted(): Scored[] {
    const entries = new Array<Scored>(this.size);
    while (this.size > 0) {
      const last = --this.size;
      entries[last] = { doc: this.docs[0], score: this.scores[0] };
      this.swap(0, last);
      this.siftDown(0);
    }
    return entries;
  }

  /** Whether entry i ranks before entry j. */
  private before(i: number, j: number): boolean {
    const { scores, docs } = this;
    return scoredBefore(scores[i], docs[i], scores[j], docs[j]);
  }

  private swap(i: number, j: number): void {
    const { scores, docs } = this;
    const doc = docs[i];
    const score = scores[i];
    docs[i] = docs[j];
    scores[i] = scores[j];
    docs[j] = doc;
    scores[j] = score;
  }

  private grow(): void {
    const capacity = Math.min(this.k, this.docs.length * 2);
    const docs = new Uint32Array(capacity);
    const scores = new Float64Array(capacity);
    docs.set(this.docs);
    scores.set(this.scores);
    this.docs = docs;
    this.scores = scores;
  }

  // The root is the worst kept entry.
  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(parent, i)) break;
      this.swap(parent, i);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.before(worst, left)) worst = left;
      if (right < this.size && this.before(worst, right)) worst = right;
      if (worst === i) return;
      this.swap(worst, i);
      i = worst;
    }
  }
}
