/** Per-query access to postings: each list is fetched once, documents are found by binary search. */
import type { FieldName, IndexReader, PostingList } from '../index/types.js';

const EMPTY = new Uint32Array(0);

export class PostingsCache {
  // Per field, then per term: no key string is built on the hot path (positions are read per document).
  private readonly lists = new Map<FieldName, Map<string, PostingList | null>>();

  constructor(readonly reader: Pick<IndexReader, 'postings'>) {}

  get(field: FieldName, term: string): PostingList | undefined {
    let byTerm = this.lists.get(field);
    if (!byTerm) this.lists.set(field, (byTerm = new Map()));
    let list = byTerm.get(term);
    if (list === undefined) {
      list = this.reader.postings(field, term) ?? null;
      byTerm.set(term, list);
    }
    return list ?? undefined;
  }

  /** Sorted positions of `term` in `field` of `doc` (empty if absent). */
  positions(field: FieldName, term: string, doc: number): Uint32Array {
    const list = this.get(field, term);
    return list ? positionsIn(list, doc) : EMPTY;
  }

  contains(field: FieldName, term: string, doc: number): boolean {
    const list = this.get(field, term);
    return list !== undefined && entryIndex(list.docs, doc) >= 0;
  }
}

/** Sorted positions of the list's term in `doc` (empty if absent). */
export function positionsIn(list: PostingList, doc: number): Uint32Array {
  const i = entryIndex(list.docs, doc);
  return i < 0 ? EMPTY : list.positions.subarray(list.posStart[i], list.posStart[i + 1]);
}

/** Tokens of the list's term in `doc` (0 if absent or no list). */
export function tokenCount(list: PostingList | undefined, doc: number): number {
  const i = list ? entryIndex(list.docs, doc) : -1;
  return i < 0 ? 0 : list!.tfs[i]!;
}

/** Index of `doc` in the ascending `docs[from, to)` (documents or positions), or -1. */
export function entryIndex(docs: Uint32Array, doc: number, from = 0, to = docs.length): number {
  let low = from;
  let high = to - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = docs[mid];
    if (value === doc) return mid;
    if (value < doc) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * Sorted union of several sorted position arrays (duplicates removed), merged pairwise in linear time; in memory
 * taken from `arena` when given (the head's re-ranking merges a few per document: fresh arrays made it garbage).
 */
export function unionPositions(arrays: Uint32Array[], arena?: PositionArena): Uint32Array {
  const nonEmpty = arrays.filter((a) => a.length > 0);
  if (nonEmpty.length === 0) return EMPTY;
  return nonEmpty.reduce((a, b) => mergeSorted(a, b, arena));
}

/**
 * Sorted union (duplicates removed) of the lists' positions in `doc`, read where they lie in each list: no view is made
 * of a list's positions unless it is the only one holding `doc`, and the union is one piece of `arena` (the head's
 * re-ranking asks this per slot, field and document: the views and pairwise merges were most of its garbage).
 */
export function unionPositionsIn(lists: readonly PostingList[], doc: number, arena: PositionArena): Uint32Array {
  if (cursors.length < lists.length) {
    cursors = new Uint32Array(lists.length);
    ends = new Uint32Array(lists.length);
  }
  const at = cursors;
  const end = ends;
  let total = 0;
  let holding = 0;
  let only = 0;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    const e = entryIndex(list.docs, doc);
    at[i] = e < 0 ? 0 : list.posStart[e]!;
    end[i] = e < 0 ? 0 : list.posStart[e + 1]!;
    if (end[i]! > at[i]!) {
      total += end[i]! - at[i]!;
      holding++;
      only = i;
    }
  }
  if (holding === 0) return EMPTY;
  if (holding === 1) return lists[only]!.positions.subarray(at[only], end[only]);
  const merged = arena.take(total);
  let n = 0;
  for (;;) {
    let least = -1;
    for (let i = 0; i < lists.length; i++) {
      if (at[i]! < end[i]!) {
        const value = lists[i]!.positions[at[i]!]!;
        if (least < 0 || value < least) least = value;
      }
    }
    if (least < 0) return merged.subarray(0, n);
    merged[n++] = least;
    for (let i = 0; i < lists.length; i++) if (at[i]! < end[i]! && lists[i]!.positions[at[i]!] === least) at[i]!++;
  }
}

/** unionPositionsIn's read cursors and ends per list, kept between calls. */
let cursors = new Uint32Array(8);
let ends = new Uint32Array(8);

function mergeSorted(a: Uint32Array, b: Uint32Array, arena: PositionArena | undefined): Uint32Array {
  const merged = arena ? arena.take(a.length + b.length) : new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x <= y) i++;
    if (y <= x) j++;
    merged[n++] = x <= y ? x : y;
  }
  while (i < a.length) merged[n++] = a[i++];
  while (j < b.length) merged[n++] = b[j++];
  return merged.subarray(0, n);
}

/** Memory for position arrays that live while one document is looked at, handed out in pieces of one buffer. */
export class PositionArena {
  private buffer = new Uint32Array(4096);
  private used = 0;

  /** A piece of `size` entries (its contents undefined). */
  take(size: number): Uint32Array {
    if (this.used + size > this.buffer.length) {
      // Pieces already taken keep the old buffer alive until they are dropped.
      this.buffer = new Uint32Array(Math.max(2 * this.buffer.length, size));
      this.used = 0;
    }
    const piece = this.buffer.subarray(this.used, this.used + size);
    this.used += size;
    return piece;
  }

  /** Every piece taken so far may be handed out again: none may be read afterwards. */
  reset(): void {
    this.used = 0;
  }
}

/**
 * Calls `visit(doc, count)` for each document (ascending) in which some position p of the first list has every list i
 * at p + offsets[i] (offsets[0] is not read: the first list's positions are the p), with the number of such p. The
 * documents of the list with fewest are walked and looked up in the others by galloping, positions compared only in
 * the documents all share: a phrase of a rare word and a common one costs about the rare word's list, not the
 * common one's (counting the occurrences from the rarest list's positions gives the same count: one p per
 * occurrence).
 */
export function forEachAligned(lists: PostingList[], offsets: readonly number[], visit: (doc: number, count: number) => void): void {
  if (lists.length === 1) {
    // One word (a phrase of a word and stop words, 习近平会): each of its documents, with its positions' count.
    const { docs, posStart } = lists[0]!;
    for (let i = 0; i < docs.length; i++) visit(docs[i]!, posStart[i + 1]! - posStart[i]!);
    return;
  }
  let lead = 0;
  for (let s = 1; s < lists.length; s++) if (lists[s]!.docs.length < lists[lead]!.docs.length) lead = s;
  // Offsets relative to the first list's positions, which need none.
  const relative = offsets.map((offset, s) => (s === 0 ? 0 : offset));
  const cursors = new Array<number>(lists.length).fill(0);
  const { docs: leadDocs, posStart: leadStarts, positions: leadPositions } = lists[lead]!;
  documents: for (let i = 0; i < leadDocs.length; i++) {
    const doc = leadDocs[i]!;
    for (let s = 0; s < lists.length; s++) {
      if (s === lead) continue;
      const docs = lists[s]!.docs;
      const c = seek(docs, doc, cursors[s]!);
      cursors[s] = c;
      if (c === docs.length) return;
      if (docs[c] !== doc) continue documents;
    }
    let count = 0;
    for (let p = leadStarts[i]!; p < leadStarts[i + 1]!; p++) {
      const start = leadPositions[p]! - relative[lead]!;
      let all = true;
      for (let s = 0; s < lists.length && all; s++) {
        if (s === lead) continue;
        const { posStart, positions } = lists[s]!;
        all = entryIndex(positions, start + relative[s]!, posStart[cursors[s]!], posStart[cursors[s]! + 1]) >= 0;
      }
      if (all) count++;
    }
    if (count > 0) visit(doc, count);
  }
}

/**
 * The first index at or after `from` whose value in the ascending `values` is ≥ `target` (values.length if none):
 * steps of doubling length from `from`, then a binary search in the last step, so a walk of ascending targets over a
 * long list costs the logarithm of the gaps, not the list.
 */
export function seek(values: Uint32Array, target: number, from: number): number {
  let low = from;
  let step = 1;
  let high = from;
  while (high < values.length && values[high]! < target) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > values.length) high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** forEachAligned for words side by side (offsets 0, 1, 2, …). */
export function forEachAdjacent(lists: PostingList[], visit: (doc: number, count: number) => void): void {
  forEachAligned(lists, lists.map((_, i) => i), visit);
}
