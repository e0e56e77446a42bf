/** Per-query access to postings: each list is fetched once, documents are found by binary search. */
import type { FieldName, IndexReader, PostingList } from '../index/types.js';
import { hasBit } from './filters.js';

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

  /** The lists of the `terms` found in `field`, in order (all of them when as many). */
  found(field: FieldName, terms: Iterable<string>): PostingList[] {
    const lists: PostingList[] = [];
    for (const term of terms) {
      const list = this.get(field, term);
      if (list) lists.push(list);
    }
    return lists;
  }

  contains(field: FieldName, term: string, doc: number): boolean {
    const list = this.get(field, term);
    return list !== undefined && entryIndex(list.docs, doc) >= 0;
  }
}

/**
 * Whether some field holds every word: `lists` are the words' lists field after field, `perField` of them each (as the
 * search core's kept compounds and phrases record them). When none does, the words never occur side by side.
 */
export function someFieldHasAll(lists: readonly (PostingList | undefined)[], perField: number): boolean {
  for (let start = 0; start < lists.length; start += perField) {
    let all = true;
    for (let i = start; i < start + perField && all; i++) all = lists[i] !== undefined;
    if (all) return true;
  }
  return false;
}

/**
 * What a kept entry costs with nothing in it (its Map entry and arrays, ~0.8 KB measured, with its key and the lists it
 * was found in).
 */
function keptEntryBytes(key: string, lists: readonly unknown[]): number {
  return 1024 + 2 * key.length + 8 * lists.length;
}

/**
 * Values worked out from posting lists (a compound's occurrences, a phrase's documents) kept by the search core within
 * a memory budget: each with the lists it came from (and what else it was worked out from, compared by ===), found
 * again should those change; all dropped when the budget is full. An entry counts keptEntryBytes beside its value's
 * own bytes, so made-up keys count too.
 */
export class KeptByLists<V> {
  private readonly byKey = new Map<string, { from: readonly unknown[]; value: V; bytes: number }>();
  private kept = 0;

  constructor(private readonly budgetBytes: number) {}

  /** What the kept values are counted as (within the budget but for a single larger entry). */
  get keptBytes(): number {
    return this.kept;
  }

  /** The value kept for `key` if it came from these same lists. */
  get(key: string, from: readonly unknown[]): V | undefined {
    const known = this.byKey.get(key);
    return known && known.from.length === from.length && known.from.every((list, i) => list === from[i]) ? known.value : undefined;
  }

  set(key: string, from: readonly unknown[], value: V, valueBytes: number): void {
    const bytes = keptEntryBytes(key, from) + valueBytes;
    const known = this.byKey.get(key);
    if (known) this.kept -= known.bytes;
    if (this.kept + bytes > this.budgetBytes) {
      this.byKey.clear();
      this.kept = 0;
    }
    this.byKey.set(key, { from, value, bytes });
    this.kept += bytes;
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
 * Runs of sorted positions, run r being values[r][starts[r], ends[r]): a document's positions read where they lie (in
 * a posting list, or in an arena) with no view made per run. The head's re-ranking reads a few per slot, field and
 * document: the views, and the arrays of them, were most of a search's garbage. Reused from document to document.
 */
export class PositionRuns {
  readonly values: Uint32Array[] = [];
  starts = new Uint32Array(8);
  ends = new Uint32Array(8);
  count = 0;

  /**
   * Emptied; the arrays stay referenced until pushed over: a reused PositionRuns keeps at most its high-water count of
   * an earlier search's lists alive (of an index switched from, until the next searches), never a growing number.
   */
  clear(): void {
    this.count = 0;
  }

  push(values: Uint32Array, start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Uint32Array(2 * this.count);
      const ends = new Uint32Array(2 * this.count);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.values[this.count] = values;
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }

  /** Appends run r of `from`. */
  copy(from: PositionRuns, r: number): void {
    this.push(from.values[r]!, from.starts[r]!, from.ends[r]!);
  }

  length(r: number): number {
    return this.ends[r]! - this.starts[r]!;
  }
}

/** Appends the list's positions in `doc` to `runs` when it has some there; whether it had. */
export function appendPositionsIn(list: PostingList, doc: number, runs: PositionRuns): boolean {
  const i = entryIndex(list.docs, doc);
  if (i < 0 || list.posStart[i + 1]! === list.posStart[i]!) return false;
  runs.push(list.positions, list.posStart[i]!, list.posStart[i + 1]!);
  return true;
}

/**
 * Appends to `runs` the sorted union (duplicates removed) of the lists' positions in `doc`, read where they lie in
 * each list: a list's own positions when it is the only one holding `doc`, else one piece of `arena`. Whether any
 * list holds `doc` (nothing is appended when none does).
 */
export function appendUnionIn(lists: readonly PostingList[], doc: number, arena: PositionArena, runs: PositionRuns): boolean {
  if (lists.length === 1) return appendPositionsIn(lists[0]!, doc, runs);
  const at = cursorsFor(lists.length);
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
  if (holding === 0) return false;
  if (holding === 1) {
    runs.push(lists[only]!.positions, at[only]!, end[only]!);
    return true;
  }
  const values: Uint32Array[] = cursorValues;
  for (let i = 0; i < lists.length; i++) values[i] = lists[i]!.positions;
  mergeInto(values, lists.length, arena, total, runs);
  return true;
}

/** Appends to `into` the sorted union (duplicates removed) of runs from..to−1 of `runs`, one piece of `arena`. */
export function appendUnionOfRuns(runs: PositionRuns, from: number, to: number, arena: PositionArena, into: PositionRuns): void {
  const count = to - from;
  const at = cursorsFor(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    cursorValues[i] = runs.values[from + i]!;
    at[i] = runs.starts[from + i]!;
    ends[i] = runs.ends[from + i]!;
    total += ends[i]! - at[i]!;
  }
  mergeInto(cursorValues, count, arena, total, into);
}

/** Merges values[i][cursors[i], ends[i]) for i below `count` into a piece of `arena` (at most `total` long), appended to `into`. */
function mergeInto(values: Uint32Array[], count: number, arena: PositionArena, total: number, into: PositionRuns): void {
  const at = cursors;
  const end = ends;
  const start = arena.take(total);
  const merged = arena.buffer;
  let n = start;
  for (;;) {
    let least = -1;
    for (let i = 0; i < count; i++) {
      if (at[i]! < end[i]!) {
        const value = values[i]![at[i]!]!;
        if (least < 0 || value < least) least = value;
      }
    }
    if (least < 0) break;
    merged[n++] = least;
    for (let i = 0; i < count; i++) if (at[i]! < end[i]! && values[i]![at[i]!] === least) at[i]!++;
  }
  into.push(merged, start, n);
}

/** The merges' read cursors, ends and arrays per input, kept between calls (grown when more inputs come). */
let cursors = new Uint32Array(8);
let ends = new Uint32Array(8);
const cursorValues: Uint32Array[] = [];

/**
 * Read cursors for a walk over `count` runs of positions: the merges' here, minimalSpan's and countMeetings' in
 * proximity.ts. One array, kept between calls: a walk must not start another while it reads its cursors.
 */
export function cursorsFor(count: number): Uint32Array {
  if (cursors.length < count) {
    cursors = new Uint32Array(count);
    ends = new Uint32Array(count);
  }
  return cursors;
}

/** Memory for positions that live while one document is looked at, handed out in pieces of one buffer. */
export class PositionArena {
  private current: Uint32Array;
  private used = 0;

  constructor(size = 4096) {
    this.current = new Uint32Array(size);
  }

  /** The buffer the last piece was taken from. */
  get buffer(): Uint32Array {
    return this.current;
  }

  /** A piece of `size` entries of `buffer` (its contents undefined): where it starts. */
  take(size: number): number {
    if (this.used + size > this.current.length) {
      // Pieces already taken keep the old buffer alive until they are dropped.
      this.current = new Uint32Array(Math.max(2 * this.current.length, size));
      this.used = 0;
    }
    const start = this.used;
    this.used += size;
    return start;
  }

  /** Every piece taken so far may be handed out again: none may be read afterwards. */
  reset(): void {
    this.used = 0;
  }
}

/**
 * Calls `visit(doc, count)` for each document (ascending) in which some position p of the first list has every list i
 * at p + offsets[i] (offsets[0] is not read: the first list's positions are the p), with the number of such p. The
 * documents of the list with fewest are walked and looked up in the others (a step, then galloping), positions
 * compared only in the documents all share: a phrase of a rare word and a common one costs about the rare word's
 * list, not the common one's (counting the occurrences from the rarest list's positions gives the same count: one p
 * per occurrence). Documents set in the bits `skip` are passed over (not visited).
 */
export function forEachAligned(lists: PostingList[], offsets: readonly number[], visit: (doc: number, count: number) => void, skip?: Uint32Array): void {
  if (lists.length === 1) {
    // One word (a phrase of a word and stop words, 习近平会): each of its documents, with its positions' count.
    const { docs, posStart } = lists[0]!;
    for (let i = 0; i < docs.length; i++) if (skip === undefined || !hasBit(skip, docs[i]!)) visit(docs[i]!, posStart[i + 1]! - posStart[i]!);
    return;
  }
  let lead = 0;
  for (let s = 1; s < lists.length; s++) if (lists[s]!.docs.length < lists[lead]!.docs.length) lead = s;
  const others = alignedCursors(lists, offsets, lead);
  const m = others.length;
  const { docs: leadDocs, posStart: leadStarts, positions: leadPositions } = lists[lead]!;
  documents: for (let i = 0; i < leadDocs.length; i++) {
    const doc = leadDocs[i]!;
    if (skip !== undefined && hasBit(skip, doc)) continue;
    for (let k = 0; k < m; k++) {
      const other = others[k]!;
      const docs = other.docs;
      // The lists' documents are mostly close together: one step before galloping.
      let c = other.cursor;
      if (c < docs.length && docs[c]! < doc) c = c + 1 < docs.length && docs[c + 1]! < doc ? seek(docs, doc, c + 2) : c + 1;
      other.cursor = c;
      if (c === docs.length) return;
      if (docs[c] !== doc) continue documents;
      other.from = other.posStart[c]!;
      other.to = other.posStart[c + 1]!;
    }
    // The lead's positions rise, and so do the places they ask of the others: each list's positions are read once
    // (a common word's many positions in a document passed over by galloping).
    let count = 0;
    occurrences: for (let p = leadStarts[i]!, leadEnd = leadStarts[i + 1]!; p < leadEnd; p++) {
      const at = leadPositions[p]!;
      for (let k = 0; k < m; k++) {
        const other = others[k]!;
        const target = at + other.shift;
        const positions = other.positions;
        const end = other.to;
        let q = other.from;
        if (q < end && positions[q]! < target) q = q + 1 < end && positions[q + 1]! < target ? seek(positions, target, q + 2, end) : q + 1;
        other.from = q;
        // No position left at or past this one: none for the lead's later positions either.
        if (q === end) break occurrences;
        if (positions[q] !== target) continue occurrences;
      }
      count++;
    }
    if (count > 0) visit(doc, count);
  }
}

/** A list forEachAligned looks the lead's documents and positions up in, with where it has got to. */
interface AlignedCursor {
  docs: Uint32Array;
  posStart: Uint32Array;
  positions: Uint32Array;
  /** What to add to a position of the lead to get this list's there. */
  shift: number;
  /** The first of its documents not below the lead's. */
  cursor: number;
  /** Its positions in the document looked at: from `from` (moving on as the lead's rise) up to `to`. */
  from: number;
  to: number;
}

function alignedCursors(lists: PostingList[], offsets: readonly number[], lead: number): AlignedCursor[] {
  const leadOffset = lead === 0 ? 0 : offsets[lead]!;
  const others: AlignedCursor[] = [];
  for (let s = 0; s < lists.length; s++) {
    if (s === lead) continue;
    const { docs, posStart, positions } = lists[s]!;
    others.push({ docs, posStart, positions, shift: (s === 0 ? 0 : offsets[s]!) - leadOffset, cursor: 0, from: 0, to: 0 });
  }
  return others;
}

/**
 * The first index in [from, to) whose value in the ascending `values` is ≥ `target` (`to` if none): steps of
 * doubling length from `from`, then a binary search in the last step, so a walk of ascending targets over a long
 * list costs the logarithm of the gaps, not the list.
 */
export function seek(values: Uint32Array, target: number, from: number, to = values.length): number {
  let low = from;
  let step = 1;
  let high = from;
  while (high < to && values[high]! < target) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > to) high = to;
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
