/**
 * Term-at-a-time scoring into dense per-document arrays: each query slot's BM25F pseudo term frequencies are
 * accumulated posting by posting, then each matched document's slots are combined.
 */
import type { FieldName, IndexReader, PostingList } from '../index/types.js';
import { FIELDS, idf, saturate, weightedFieldTf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import { slotWords, type AtomPlan, type GroupPlan, type Slot } from './plan.js';
import { mapped } from './arrays.js';
import { bitWords } from './filters.js';
import { forEachAdjacent, KeptByLists, seek, someFieldHasAll, type PostingsCache } from './postings.js';

export interface ScoringContext {
  reader: Pick<IndexReader, 'docCount'>;
  postings: PostingsCache;
  config: RankingConfig;
  /** Per field and document: weight / length normalisation, the factor a term frequency there is multiplied by. */
  fieldFactors: FieldFactors;
  buffers: ScoreBuffers;
  /**
   * Per slot (slotKey), the number of documents having one of its words, kept for the index's life once counted (at
   * most MAX_KEPT_DOC_FREQS): scoring a slot at a few documents then looks them up instead of walking its lists to count.
   */
  docFreqs?: Map<string, number>;
  /** Compounds' occurrences found so far, up to a memory budget (see AdjacentLists); without it, found at each use. */
  adjacent?: AdjacentLists;
  /** Slots' values at kept phrases' documents (see keptSlotWithin); without it, worked out at each search. */
  keptWithin?: KeptByLists<KeptSlotValues>;
}

/** Slots whose document frequency ScoringContext.docFreqs keeps before it starts again. */
const MAX_KEPT_DOC_FREQS = 100_000;

export type FieldFactors = Record<FieldName, Float64Array>;

/** One query slot over the corpus: its BM25F pseudo term frequency per document, saturated when read (CombinedScorer). */
export interface SlotScores {
  /** Weighted, length-normalised term frequency per document; 0 = the document has none of the slot's words. */
  pseudoTf: Float64Array;
  /** Documents having the slot's whole word or a sub-word in any field. */
  docFreq: number;
  /** idf over those documents. */
  idf: number;
  /**
   * Per document, non-zero where the slot's whole word occurs (for a compound, its pieces side by side); null when
   * the slot has no sub-words. A document with only sub-words has its slot score multiplied by partPenalty.
   */
  whole: Float64Array | null;
}

/** BM25F's per-field length normalisation with the field weight folded in, computed once per index and config. */
export function fieldFactors(reader: Pick<IndexReader, 'docCount' | 'averageFieldLength' | 'fieldLength'>, config: RankingConfig): FieldFactors {
  const factors = {} as FieldFactors;
  for (const field of FIELDS) {
    const average = reader.averageFieldLength(field);
    const values = new Float64Array(reader.docCount);
    for (let doc = 0; doc < reader.docCount; doc++) {
      values[doc] = weightedFieldTf(1, reader.fieldLength(field, doc), average, config.weights[field], config.b[field]);
    }
    factors[field] = values;
  }
  return factors;
}

/**
 * Zeroed per-document score arrays reused from query to query (search is synchronous, so one set per service):
 * allocating them per query made garbage collection a third of the query time. So are sets of documents as a byte
 * each (takeMarks) or a bit each (takeBits): a phrase's or a filter's documents, one made per search, were ~30–60 KB
 * of it outside the heap.
 */
export class ScoreBuffers {
  private readonly free: Float64Array[] = [];
  private readonly taken: Float64Array[] = [];
  private readonly marks = new ZeroedSets(() => new Uint8Array(this.docCount));
  private readonly bits = new ZeroedSets(() => new Uint32Array(bitWords(this.docCount)));

  constructor(private readonly docCount: number) {}

  take(): Float64Array {
    const buffer = this.free.pop() ?? new Float64Array(this.docCount);
    this.taken.push(buffer);
    return buffer;
  }

  /** A byte per document, all 0, until releaseAll. */
  takeMarks(): Uint8Array {
    return this.marks.take();
  }

  /** A bit per document (bit d % 32 of word d / 32), all 0, until releaseAll. */
  takeBits(): Uint32Array {
    return this.bits.take();
  }

  /**
   * Zeroes and returns every taken buffer; the scores handed out must not be used afterwards. `written`: the only
   * documents whose entries may be non-zero (the matched ones): a search matching few documents zeroes just those,
   * so its cost does not grow with the corpus (filling every buffer whole was most of a rare word's query time).
   */
  releaseAll(written: Uint32Array): void {
    const sparse = few(written.length, this.docCount);
    for (const buffer of this.taken) {
      if (sparse) for (let i = 0; i < written.length; i++) buffer[written[i]] = 0;
      else buffer.fill(0);
      this.free.push(buffer);
    }
    this.taken.length = 0;
    this.marks.releaseAll();
    this.bits.releaseAll();
  }
}

/**
 * Sets of documents handed out zeroed and given back together; at most KEPT_SETS kept for the next query (a query
 * of many phrases or exclusions takes one each, and they would otherwise be pinned for the service's life).
 */
class ZeroedSets<T extends Uint8Array | Uint32Array> {
  private readonly free: T[] = [];
  private readonly taken: T[] = [];

  constructor(private readonly make: () => T) {}

  take(): T {
    const set = this.free.pop();
    if (set) set.fill(0);
    const taken = set ?? this.make();
    this.taken.push(taken);
    return taken;
  }

  releaseAll(): void {
    for (const set of this.taken) if (this.free.length < KEPT_SETS) this.free.push(set);
    this.taken.length = 0;
  }
}

const KEPT_SETS = 4;

/** Whether `count` documents of `docCount` are few enough to be visited one by one rather than the whole array in order. */
function few(count: number, docCount: number): boolean {
  return count * 8 < docCount;
}

/**
 * The documents having any slot of the query: ranking visits only these, which for rare words is far fewer than
 * the corpus. The visiting order does not change results (top-k breaks ties by document number). One instance
 * serves every search of a service (cleared after each), so a search allocates no per-document arrays.
 */
export class MatchedDocuments {
  /** 1 per document met, over whole words of 4 (the end padded with 0s): `words` views the same bytes. */
  private readonly seen: Uint8Array;
  private readonly words: Uint32Array;
  private readonly firstMet: Uint32Array;
  private readonly ascending: Uint32Array;
  private count = 0;

  constructor(private readonly docCount: number) {
    const buffer = new ArrayBuffer(4 * Math.ceil(docCount / 4));
    this.seen = new Uint8Array(buffer);
    this.words = new Uint32Array(buffer);
    this.firstMet = new Uint32Array(docCount);
    this.ascending = new Uint32Array(docCount);
  }

  add(doc: number): void {
    if (this.seen[doc] === 0) {
      this.seen[doc] = 1;
      this.firstMet[this.count++] = doc;
    }
  }

  /**
   * The documents: in the order first met when few, ascending when many, so the per-document arrays are read in
   * memory order (on the scale corpus a 20,000-match query took 2.5 ms this way, 8 ms in first-met order).
   * Valid until clear().
   */
  docs(): Uint32Array {
    if (few(this.count, this.docCount)) return this.met();
    const { seen, words, ascending } = this;
    let n = 0;
    // Four documents a step: most of a corpus is not met even by a common word.
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let doc = 4 * w; doc < 4 * w + 4; doc++) if (seen[doc] === 1) ascending[n++] = doc;
    }
    return ascending.subarray(0, n);
  }

  has(doc: number): boolean {
    return this.seen[doc] === 1;
  }

  /** The documents in the order first met. Valid until clear(). */
  met(): Uint32Array {
    return this.firstMet.subarray(0, this.count);
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.seen[this.firstMet[i]] = 0;
    this.count = 0;
  }
}

/**
 * Adds coefficient · the lists' weighted, length-normalised frequencies (a term's fields, or a compound's) into
 * `pseudoTf` (every addend is positive); returns how many documents it made non-zero, and adds those to `matched`.
 */
function accumulatePseudoTf(lists: WeightedList[], coefficient: number, pseudoTf: Float64Array, matched: MatchedDocuments): number {
  let added = 0;
  for (const { list, factors } of lists) {
    const { docs, tfs } = list;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (pseudoTf[doc] === 0) {
        added++;
        matched.add(doc);
      }
      pseudoTf[doc] += coefficient * tfs[i] * factors[doc];
    }
  }
  return added;
}

/**
 * A slot is scored as one BM25F pseudo-term over its whole word and sub-words (like a synonym set):
 * tf = (1 − s) · tf(whole) + s · Σ share · tf(sub-word), s = subwordWeight. The index puts sub-words at
 * every occurrence of their whole word too, so an occurrence of the whole word counts 1 and an occurrence
 * of only a sub-word (基础设施 without 新) counts s. The idf is that of the documents having any of them.
 * `within`: the only documents whose scores are wanted (those where a required phrase occurs); the
 * others' are left 0 and not added to `matched`, and the idf is the same.
 */
export function scoreSlot(ctx: ScoringContext, slot: Slot, matched: MatchedDocuments, within?: WithinDocuments): SlotScores {
  const subwordWeight = slot.subwords.length > 0 ? ctx.config.subwordWeight : 0;
  const pseudoTf = ctx.buffers.take();
  // A compound's rarity is that of its pieces side by side, over the whole index: scored everywhere.
  if (within && !slot.pieces) return (within.kept === undefined ? scoreSlotWithin : keptSlotWithin)(ctx, slot, matched, within, subwordWeight, pseudoTf);
  let docFreq = accumulatePseudoTf(slot.pieces ? adjacentLists(ctx, slot.pieces) : weightedLists(ctx, slot.whole), 1 - subwordWeight, pseudoTf, matched);
  const wholeDocFreq = docFreq;
  let whole: Float64Array | null = null;
  if (subwordWeight > 0) {
    // Before the sub-words are added, the documents with a non-zero value are those having the whole word.
    whole = ctx.buffers.take();
    copyMatched(pseudoTf, whole, matched);
    for (const sub of slot.subwords) docFreq += accumulatePseudoTf(weightedLists(ctx, sub.term), subwordWeight * sub.share, pseudoTf, matched);
  }
  // A compound's pieces are often common words (数字 in 数字鸿沟): its rarity is that of the pieces side by side.
  const idfDocs = slot.pieces && wholeDocFreq > 0 ? wholeDocFreq : docFreq;
  return { pseudoTf, docFreq, idf: idf(idfDocs, pseudoTf.length), whole };
}

/**
 * scoreSlot of a slot without pieces at the `within` documents only, its value there the same to the bit (a document's
 * terms and fields are added in scoreSlot's order). The slot's lists are either walked whole, each document counted
 * once for the document frequency and scored where it is within, or, when that costs more, looked up at the within
 * documents (galloping) with the frequency counted apart (unionSize, which walks all but the longest list). Its sub-word
 * weight and buffer are scoreSlot's.
 */
function scoreSlotWithin(ctx: ScoringContext, slot: Slot, matched: MatchedDocuments, within: WithinDocuments, subwordWeight: number, pseudoTf: Float64Array): SlotScores {
  // The terms scored, as scoreSlot counts them: the sub-words only when they weigh.
  const terms = subwordWeight > 0 ? slotWords(slot) : [slot.whole];
  const lists = terms.flatMap((term) => weightedLists(ctx, term).map(({ list }) => list.docs));
  const key = ctx.docFreqs && slotKey(slot);
  const known = key === undefined ? undefined : ctx.docFreqs!.get(key);
  const lookups = known === undefined ? lookupCost(lists, within.docs.length) : within.docs.length * lists.length * LOOKUP_STEPS;
  const seen = walkCost(lists) < lookups ? within.scratch() : undefined;
  let docFreq = 0;
  const accumulate = (term: string, coefficient: number) => {
    if (seen) docFreq += accumulateWalking(ctx, term, coefficient, pseudoTf, matched, within.has(), seen);
    else accumulateWithin(ctx, term, coefficient, pseudoTf, matched, within.docs);
  };
  accumulate(slot.whole, 1 - subwordWeight);
  let whole: Float64Array | null = null;
  if (subwordWeight > 0) {
    whole = ctx.buffers.take();
    copyMatched(pseudoTf, whole, matched);
    for (const sub of slot.subwords) accumulate(sub.term, subwordWeight * sub.share);
  }
  if (!seen) docFreq = known ?? unionSize(lists);
  if (key !== undefined && known === undefined) {
    if (ctx.docFreqs!.size >= MAX_KEPT_DOC_FREQS) ctx.docFreqs!.clear();
    ctx.docFreqs!.set(key, docFreq);
  }
  return { pseudoTf, docFreq, idf: idf(docFreq, pseudoTf.length), whole };
}

/** A slot's values at a kept phrase's documents (that of docs[i] at i), its whole word's part, its document frequency. */
export interface KeptSlotValues {
  values: Float64Array;
  whole: Float64Array | null;
  docFreq: number;
}

/** Bytes of slot values ScoringContext.keptWithin keeps before it starts again. */
export const MAX_KEPT_WITHIN_BYTES = 8 << 20;

/**
 * scoreSlotWithin at a kept phrase's documents, its values there kept once worked out (as the phrase's block bounds
 * are): every search of the phrase looked each of them up in every list of the slot's words, a cost that grows with
 * the corpus (李强主持召开: 429 documents at 83,565, ~0.25 of its ~0.5 ms).
 */
function keptSlotWithin(ctx: ScoringContext, slot: Slot, matched: MatchedDocuments, within: WithinDocuments, subwordWeight: number, pseudoTf: Float64Array): SlotScores {
  const { docs } = within;
  // The documents, the lists and the weights the values come from.
  const from: unknown[] = [docs, subwordWeight];
  for (const sub of slot.subwords) from.push(sub.share);
  for (const term of subwordWeight > 0 ? slotWords(slot) : [slot.whole]) for (const { list } of weightedLists(ctx, term)) from.push(list);
  const key = `${within.kept}\u0002${slotKey(slot)}`;
  const kept = ctx.keptWithin?.get(key, from);
  if (!kept) {
    const scores = scoreSlotWithin(ctx, slot, matched, within, subwordWeight, pseudoTf);
    const { whole } = scores;
    const values = { values: Float64Array.from(docs, (doc) => pseudoTf[doc]!), whole: whole && Float64Array.from(docs, (doc) => whole[doc]!), docFreq: scores.docFreq };
    // Counted with the phrase's documents it keeps alive should the phrase's own keep start again.
    ctx.keptWithin?.set(key, from, values, (whole ? 16 : 8) * docs.length + docs.byteLength);
    return scores;
  }
  const { values, docFreq } = kept;
  const whole = kept.whole && ctx.buffers.take();
  // Where a value is 0 the document has none of the slot's words: not matched, as scoreSlotWithin leaves it (every
  // posting adds above 0: the caller keeps values only under blockScorable's parameters).
  for (let i = 0; i < docs.length; i++) {
    if (values[i] === 0) continue;
    const doc = docs[i]!;
    matched.add(doc);
    pseudoTf[doc] = values[i]!;
    if (whole) whole[doc] = kept.whole![i]!;
  }
  return { pseudoTf, docFreq, idf: idf(docFreq, pseudoTf.length), whole };
}

/** What looking a document up in a list costs, in postings walked. */
export const LOOKUP_STEPS = 2;

/** Postings walked to score a slot's lists whole. */
function walkCost(lists: Uint32Array[]): number {
  let cost = 0;
  for (const list of lists) cost += list.length;
  return cost;
}

/** Postings walked (or their cost in lookups) to score `count` documents of a slot's lists and count its documents. */
function lookupCost(lists: Uint32Array[], count: number): number {
  let longest = 0;
  for (const list of lists) longest = Math.max(longest, list.length);
  return (count * lists.length + walkCost(lists) - longest) * LOOKUP_STEPS;
}

/**
 * The documents a search scores (ascending), as 1s when a slot walks its lists (made on first use), and a scratch
 * array to mark the documents counted (zeroed for each slot); both taken from the search's buffers.
 */
export class WithinDocuments {
  private marks?: Uint8Array;
  private counted?: Uint8Array;

  constructor(
    readonly docs: Uint32Array,
    private readonly buffers: ScoreBuffers,
    /** The key of the kept phrase whose documents `docs` are (KeptPhrases), if they are. */
    readonly kept?: string,
  ) {}

  has(): Uint8Array {
    if (!this.marks) {
      this.marks = this.buffers.takeMarks();
      for (let i = 0; i < this.docs.length; i++) this.marks[this.docs[i]] = 1;
    }
    return this.marks;
  }

  scratch(): Uint8Array {
    if (this.counted) return this.counted.fill(0);
    return (this.counted = this.buffers.takeMarks());
  }
}

/**
 * accumulatePseudoTf at the documents `within` marks, walking the term's lists whole: returns how many of their
 * documents `seen` did not mark yet (and marks them).
 */
function accumulateWalking(ctx: ScoringContext, term: string, coefficient: number, pseudoTf: Float64Array, matched: MatchedDocuments, within: Uint8Array, seen: Uint8Array): number {
  let added = 0;
  for (const { list, factors } of weightedLists(ctx, term)) {
    const { docs, tfs } = list;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (seen[doc] === 0) {
        seen[doc] = 1;
        added++;
      }
      if (within[doc] === 0) continue;
      if (pseudoTf[doc] === 0) matched.add(doc);
      pseudoTf[doc] += coefficient * tfs[i] * factors[doc];
    }
  }
  return added;
}

/** Documents, ascending, with a count each: a term's postings (their positions unread), or a compound's occurrences. */
export type CountList = Pick<PostingList, 'docs' | 'tfs'>;

/** A list of a field that counts, with the field's factors. */
export interface WeightedList {
  list: CountList;
  factors: Float64Array;
}

/** The term's posting lists in the fields that count (weight above 0), in FIELDS order, each with its field's factors. */
export function weightedLists(ctx: ScoringContext, term: string): WeightedList[] {
  const lists: WeightedList[] = [];
  for (const field of FIELDS) {
    const list = ctx.config.weights[field] === 0 ? undefined : ctx.postings.get(field, term);
    if (list) lists.push({ list, factors: ctx.fieldFactors[field] });
  }
  return lists;
}

/** accumulatePseudoTf at the `within` documents (ascending) only. */
function accumulateWithin(ctx: ScoringContext, term: string, coefficient: number, pseudoTf: Float64Array, matched: MatchedDocuments, within: Uint32Array): void {
  for (const { list, factors } of weightedLists(ctx, term)) {
    const { docs, tfs } = list;
    let c = 0;
    for (let i = 0; i < within.length; i++) {
      const doc = within[i];
      c = seek(docs, doc, c);
      if (c === docs.length) break;
      if (docs[c] !== doc) continue;
      if (pseudoTf[doc] === 0) matched.add(doc);
      pseudoTf[doc] += coefficient * tfs[c] * factors[doc];
    }
  }
}

/**
 * How many documents are in any of the ascending lists: the longest (a common word's body list) is not walked, the
 * others' documents are looked up in it (galloping), and those it lacks (a word in a title and not in the body: few)
 * are sorted to be counted once.
 */
function unionSize(lists: Uint32Array[]): number {
  if (lists.length === 0) return 0;
  let longest = 0;
  for (let i = 1; i < lists.length; i++) if (lists[i]!.length > lists[longest]!.length) longest = i;
  const base = lists[longest]!;
  const missing: number[] = [];
  for (let l = 0; l < lists.length; l++) {
    if (l === longest) continue;
    const list = lists[l]!;
    let c = 0;
    for (let i = 0; i < list.length; i++) {
      c = seek(base, list[i]!, c);
      if (c === base.length) {
        for (let j = i; j < list.length; j++) missing.push(list[j]!);
        break;
      }
      if (base[c] !== list[i]) missing.push(list[i]!);
    }
  }
  const sorted = Uint32Array.from(missing).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return base.length + distinct;
}

/** Copies `from` into the zeroed `to`: only the matched documents' entries when they are few (the others are 0). */
function copyMatched(from: Float64Array, to: Float64Array, matched: MatchedDocuments): void {
  const docs = matched.met();
  if (!few(docs.length, from.length)) return to.set(from);
  for (let i = 0; i < docs.length; i++) to[docs[i]] = from[docs[i]];
}

/**
 * The occurrences of `pieces` side by side (a compound query word the segmenter cut) as weightedLists gives a term's:
 * per field that counts, the documents (ascending) where they occur and how many times. Found by walking the pieces'
 * lists together, their positions compared in the documents they share.
 */
export function adjacentLists(ctx: ScoringContext, pieces: string[]): WeightedList[] {
  return weighted(ctx, ctx.adjacent ? ctx.adjacent.of(ctx, pieces) : findAdjacent(ctx, pieces));
}

function findAdjacent(ctx: ScoringContext, pieces: string[]): FieldList[] {
  const found: FieldList[] = [];
  for (const field of FIELDS) {
    if (ctx.config.weights[field] === 0) continue;
    const lists = ctx.postings.found(field, pieces);
    if (lists.length < pieces.length) continue;
    const docs: number[] = [];
    const counts: number[] = [];
    forEachAdjacent(lists, (doc, count) => {
      docs.push(doc);
      counts.push(count);
    });
    if (docs.length > 0) found.push({ field, list: { docs: Uint32Array.from(docs), tfs: Uint32Array.from(counts) } });
  }
  return found;
}

type FieldList = { field: FieldName; list: CountList };

function weighted(ctx: ScoringContext, lists: FieldList[]): WeightedList[] {
  return lists.map(({ field, list }) => ({ list, factors: ctx.fieldFactors[field] }));
}

/** Bytes a search core's AdjacentLists keeps before it starts again, an occurrence counted as 8 (see KeptByLists). */
export const MAX_KEPT_ADJACENT_BYTES = 16 << 20;

/**
 * Compounds' occurrences (adjacentLists), kept once found: finding them walks the pieces' lists and compares their
 * positions, a cost that grows with the corpus at every search of the compound, where a term's lists are read as they
 * are. Each is kept with the pieces' lists it was found in (in the fields that count) and found again should those
 * change (a lazily loaded index's lists arrive later).
 */
export class AdjacentLists {
  private readonly kept = new KeptByLists<FieldList[]>(MAX_KEPT_ADJACENT_BYTES);

  get keptBytes(): number {
    return this.kept.keptBytes;
  }

  of(ctx: ScoringContext, pieces: string[]): FieldList[] {
    const from: (PostingList | undefined)[] = [];
    for (const field of FIELDS) if (ctx.config.weights[field] !== 0) for (const piece of pieces) from.push(ctx.postings.get(field, piece));
    const key = pieces.join('\u0000');
    const known = this.kept.get(key, from);
    if (known) return known;
    // Pieces no field holds all of never occur side by side: nothing to find, and nothing kept for made-up compounds.
    if (!someFieldHasAll(from, pieces.length)) return [];
    const lists = findAdjacent(ctx, pieces);
    let bytes = 0;
    for (const { list } of lists) bytes += 8 * list.docs.length;
    this.kept.set(key, from, lists, bytes);
    return lists;
  }
}

/** Scores of every slot of every atom in the plan's groups, keyed by atom. */
export type AtomScores = Map<AtomPlan, SlotScores[]>;

/**
 * Scores every slot (at the `within` documents only when given; see scoreSlot); `matched` collects the documents
 * having any of them. A synonym's words take at most the idf of the words typed (their mean over the group's own
 * alternatives), so a rare synonym cannot outweigh them.
 */
export function scoreAtoms(ctx: ScoringContext, groups: GroupPlan[], matched: MatchedDocuments, within?: Uint32Array, kept?: string): AtomScores {
  const documents = within && new WithinDocuments(within, ctx.buffers, kept);
  return atomScoresOf(groups, (slot) => scoreSlot(ctx, slot, matched, documents));
}

/** A slot's identity: slots with the same words (in several atoms or groups) are scored once. */
export function slotKey(slot: Slot): string {
  // Its words from a loop, not a join of the sub-words' map (see arrays.ts).
  return slotWords(slot).join('\u0000') + (slot.pieces ? '\u0000pieces' : '');
}

/**
 * The atoms' slot scores from a slot scorer (called once per distinct slot), a synonym's words capped at the idf of
 * the words typed. Shared by every backend that computes SlotScores: the embedded index over its postings, the
 * engine over the head of its ranking.
 */
export function atomScoresOf(groups: GroupPlan[], scoreSlotOnce: (slot: Slot) => SlotScores): AtomScores {
  const result: AtomScores = new Map();
  const bySlotKey = new Map<string, SlotScores>();
  const scoreOf = (slot: Slot) => {
    const key = slotKey(slot);
    let scores = bySlotKey.get(key);
    if (!scores) bySlotKey.set(key, (scores = scoreSlotOnce(slot)));
    return scores;
  };
  for (const group of groups) {
    const own = group.alternatives.filter((atom) => atom.expansionOf === undefined).flatMap((atom) => atom.slots.map(scoreOf));
    const ownIdf = own.reduce((sum, scores) => sum + scores.idf, 0) / own.length;
    for (const atom of group.alternatives) {
      const scores = mapped(atom.slots, scoreOf);
      result.set(atom, atom.expansionOf === undefined ? scores : mapped(scores, (s) => (s.idf > ownIdf ? { ...s, idf: ownIdf } : s)));
    }
  }
  return result;
}

/**
 * Combines the plan's slot scores per document: each group takes its best alternative; every missing slot
 * (of the chosen alternative, or of the shortest one when none matched) multiplies the sum by missingPenalty.
 * Slots are saturated as they are read, in one pass per document (no intermediate arrays).
 */
export class CombinedScorer {
  /**
   * Every alternative's slots, group after group, alternative after alternative: their pseudo term frequencies, idfs,
   * whole-word marks and question-verb weights (questionVerbWeight for a question verb, never missing; NaN for an
   * ordinary word). Typed arrays read by index: the nested arrays and a method per document made a heap number of
   * each slot's score, a megabyte per search of a common word with synonyms.
   */
  private readonly tfs: Float64Array[];
  private readonly idfs: Float64Array;
  private readonly wholes: (Float64Array | null)[];
  private readonly verbWeights: Float64Array;
  /**
   * Group g's alternatives are groupStarts[g] to groupStarts[g + 1] − 1; alternative a's slots altStarts[a] to
   * altStarts[a + 1] − 1. Without OR groups the combination is a flat sum over all slots: one group of one
   * alternative holding them all (the same sum, added in the same order).
   */
  private readonly groupStarts: Uint32Array;
  private readonly altStarts: Uint32Array;
  /** Per alternative: 1, or synonymWeight / its slot count for an alternative a synonym added. */
  private readonly altWeights: Float64Array;
  private readonly penalties: Float64Array;

  constructor(
    groups: GroupPlan[],
    atomScores: AtomScores,
    private readonly config: Pick<RankingConfig, 'missingPenalty' | 'k1' | 'partPenalty' | 'synonymWeight' | 'questionVerbWeight'>,
  ) {
    const { missingPenalty, synonymWeight, questionVerbWeight } = config;
    const atoms = groups.flatMap((group) => group.alternatives);
    const slots = atoms.flatMap((atom) => atomScores.get(atom)!);
    // Filled by push, not map: map's result is sometimes a holey array, a second shape that deoptimised the scoring
    // loop (scoreAll, inlined where blocks are scored) over and over while a run's first queries were answered.
    this.tfs = [];
    this.wholes = [];
    for (const slot of slots) {
      this.tfs.push(slot.pseudoTf);
      this.wholes.push(slot.whole);
    }
    this.idfs = Float64Array.from(slots, (slot) => slot.idf);
    this.verbWeights = Float64Array.from(atoms.flatMap((atom) => atom.slots.map((slot) => (slot.questionVerb ? questionVerbWeight : NaN))));
    const flat = groups.every((group) => group.alternatives.length === 1);
    this.groupStarts = flat ? Uint32Array.of(0, 1) : startsOf(groups.map((group) => group.alternatives.length));
    this.altStarts = flat ? Uint32Array.of(0, slots.length) : startsOf(atoms.map((atom) => atom.slots.length));
    // An expansion is one query word said in other words: its slots' mean, not their sum, scaled below the word typed.
    this.altWeights = flat ? Float64Array.of(1) : Float64Array.from(atoms, (atom) => (atom.expansionOf === undefined ? 1 : synonymWeight / atom.slots.length));
    const slotCount = groups.reduce((sum, group) => sum + Math.max(...group.alternatives.map((atom) => atom.slots.length)), 0);
    this.penalties = Float64Array.from({ length: slotCount + 1 }, (_, missing) => missingPenalty ** missing);
  }

  private readonly one = { doc: new Uint32Array(1), score: new Float64Array(1) };

  /** The combined score of a document having at least one of the query's words. */
  scoreOf(doc: number): number {
    this.one.doc[0] = doc;
    this.scoreAll(this.one.doc, 1, this.one.score);
    return this.one.score[0];
  }

  /** Each slot's pseudo term frequencies, in the order bounds reads their bounds. */
  slotBuffers(): Float64Array[] {
    return this.tfs;
  }

  /**
   * Per block b holding a document (occupied[b] not 0), into[b]: a bound of scoreOf of every document whose slot i has
   * a pseudo term frequency of at most upper[i][b] (0: the slot is missing), boundAt with every slot there. Returns
   * the highest of them (0 without any).
   */
  bounds(upper: Float64Array[], wholeUpper: (Float64Array | null)[], occupied: Uint32Array, into: Float64Array): number {
    let highest = 0;
    for (let b = 0; b < occupied.length; b++) if (occupied[b] !== 0 && (into[b] = this.boundAt(upper, wholeUpper, b, -1, -1)) > highest) highest = into[b]!;
    return highest;
  }

  /**
   * Of the documents of block b that `word` sets (bit d: document 32b + d), those whose own bound reaches `threshold`:
   * boundAt with the slots each has (bit d of slotBits[i][b]) and its whole words (of wholeBits[i][b]; null: a slot
   * without sub-words). A block's bound takes the best of each slot from any of its documents; a document's own
   * slots are often fewer (a missing one costs missingPenalty) or only parts. With more than 31 slots, all of `word`.
   */
  reaching(upper: Float64Array[], wholeUpper: (Float64Array | null)[], slotBits: Uint32Array[], wholeBits: (Uint32Array | null)[], b: number, word: number, threshold: number): number {
    const n = this.idfs.length;
    if (n > 31 || threshold === -Infinity) return word;
    // Documents with the same slots and whole words share their bound: a block holds a few such patterns, each the
    // documents left whose bits agree with those of the first (found by ANDs, not document by document).
    let kept = 0;
    for (let rest = word; rest !== 0; ) {
      const bit = rest & -rest;
      let same = rest;
      let present = 0;
      let wholes = 0;
      for (let i = 0; i < n; i++) {
        const has = slotBits[i]![b]!;
        if ((has & bit) === 0) {
          same &= ~has;
        } else {
          present |= 1 << i;
          same &= has;
        }
        const whole = wholeBits[i]!;
        if (whole === null) {
          wholes |= 1 << i;
        } else if ((whole[b]! & bit) === 0) {
          same &= ~whole[b]!;
        } else {
          wholes |= 1 << i;
          same &= whole[b]!;
        }
      }
      if (this.boundAt(upper, wholeUpper, b, present, wholes) >= threshold) kept |= same;
      rest &= ~same;
    }
    return kept;
  }

  /**
   * A bound of scoreOf of every document of block b whose slot i has a pseudo term frequency of at most upper[i][b],
   * none where bit i of `present` is 0 (or upper[i][b] is 0), and no whole word where bit i of `wholes` is 0 (or
   * wholeUpper[i][b] is 0). Each group takes its best alternative's weighted sum with every slot at its bound (a part
   * counts partPenalty), and the fewest slots missing of any of them: the score grows with each pseudo term frequency
   * and shrinks with each missing slot where blockSkippingHolds.
   */
  private boundAt(upper: Float64Array[], wholeUpper: (Float64Array | null)[], b: number, present: number, wholes: number): number {
    const { idfs, verbWeights, groupStarts, altStarts, altWeights, penalties } = this;
    const { k1, partPenalty } = this.config;
    const groupCount = groupStarts.length - 1;
    let total = 0;
    let missing = 0;
    for (let g = 0; g < groupCount; g++) {
      let bestRaw = 0;
      let fewestAbsent = Infinity;
      for (let a = groupStarts[g]; a < groupStarts[g + 1]; a++) {
        let raw = 0;
        let absent = 0;
        for (let i = altStarts[a]; i < altStarts[a + 1]; i++) {
          let s = ((present >>> i) & 1) === 0 ? 0 : saturate(upper[i][b], idfs[i], k1);
          const whole = wholeUpper[i];
          // Without the whole word, the document has only parts; with it, a part may still weigh more (partPenalty > 1).
          if (whole !== null && (((wholes >>> i) & 1) === 0 || whole[b] === 0 || partPenalty > 1)) s *= partPenalty;
          const verbWeight = verbWeights[i];
          if (verbWeight >= 0) raw += s * verbWeight;
          else if (s > 0) raw += s;
          else absent++;
        }
        bestRaw = Math.max(bestRaw, altWeights[a] * raw);
        fewestAbsent = Math.min(fewestAbsent, absent);
      }
      total += bestRaw;
      missing += fewestAbsent;
    }
    return above(total * penalties[missing]);
  }

  /**
   * scoreOf of docs[i] into scores[i], for i below `count`: one loop, so that no score leaves it as a heap number (a
   * search scores every match).
   */
  scoreAll(docs: Uint32Array, count: number, scores: Float64Array): void {
    // Per group, the alternative scoring most (with its missing slots' penalty).
    const { tfs, idfs, wholes, verbWeights, groupStarts, altStarts, altWeights, penalties } = this;
    const { k1, partPenalty } = this.config;
    const groupCount = groupStarts.length - 1;
    for (let d = 0; d < count; d++) {
      const doc = docs[d];
      let total = 0;
      let missing = 0;
      for (let g = 0; g < groupCount; g++) {
        let bestValue = -Infinity;
        let bestRaw = 0;
        let bestMissing = 0;
        for (let a = groupStarts[g]; a < groupStarts[g + 1]; a++) {
          const weight = altWeights[a];
          let raw = 0;
          let absent = 0;
          for (let i = altStarts[a]; i < altStarts[a + 1]; i++) {
            let s = saturate(tfs[i][doc], idfs[i], k1);
            const whole = wholes[i];
            // A document with only sub-words of the slot counts partPenalty times as much.
            if (whole !== null && whole[doc] === 0) s *= partPenalty;
            const verbWeight = verbWeights[i];
            if (verbWeight >= 0) raw += s * verbWeight;
            else if (s > 0) raw += s;
            else absent++;
          }
          const value = raw > 0 ? weight * raw * penalties[absent] : -absent;
          if (value > bestValue) {
            bestValue = value;
            bestRaw = weight * raw;
            bestMissing = absent;
          }
        }
        total += bestRaw;
        missing += bestMissing;
      }
      scores[d] = total * penalties[missing];
    }
  }
}

/** A bound a hair above `value`: bounds summed in another order than the scores they bound may round below them. */
export function above(value: number): number {
  return value + Math.abs(value) * 1e-9 + 1e-12;
}

/** Where each of consecutive runs of the given lengths starts, and (last) where the last one ends. */
function startsOf(lengths: number[]): Uint32Array {
  const starts = new Uint32Array(lengths.length + 1);
  for (let i = 0; i < lengths.length; i++) starts[i + 1] = starts[i]! + lengths[i]!;
  return starts;
}
