/** Bounded min-heap keeping the k best (score, doc) pairs; ties go to the lower doc number. */
export interface Scored {
  doc: number;
  score: number;
}

/** True if a ranks before b. */
export function ranksBefore(a: Scored, b: Scored): boolean {
  return a.score > b.score || (a.score === b.score && a.doc < b.doc);
}

export class TopK {
  private readonly heap: Scored[] = [];

  constructor(private readonly k: number) {}

  push(doc: number, score: number): void {
    if (this.k <= 0) return;
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push({ doc, score });
      this.siftUp(heap.length - 1);
    } else if (score > heap[0].score || (score === heap[0].score && doc < heap[0].doc)) {
      heap[0] = { doc, score };
      this.siftDown(0);
    }
  }

  /** The kept entries, best first. */
  sorted(): Scored[] {
    return [...this.heap].sort((a, b) => (ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0));
  }

  // The root is the worst kept entry.
  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksBefore(heap[parent], heap[i])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && ranksBefore(heap[worst], heap[left])) worst = left;
      if (right < heap.length && ranksBefore(heap[worst], heap[right])) worst = right;
      if (worst === i) return;
      [heap[worst], heap[i]] = [heap[i], heap[worst]];
      i = worst;
    }
  }
}
