/**
 * Top-k scoring that skips documents which cannot reach the top k (block-max over ranges of document numbers): the
 * documents are cut in blocks of 32 consecutive numbers (one word of a bitset), and per term and block the largest
 * weighted term frequency of a document (its fields' tf · factor summed) is known. A slot's pseudo term frequency in a
 * block is at most the sum of its terms' maxima there times their coefficients, and the combined score at most
 * CombinedScorer.bounds of those. Blocks are scored from the highest bound down, and the others are left once the k-th
 * score is above their bound. The matches are counted from bitsets of the terms' documents (the total, each slot's
 * document frequency); only the scored blocks' documents get pseudo term frequencies, the same to the bit as scoring
 * everywhere gives (the same additions in the same order).
 */
import type { RankingConfig } from './config.js';
import type { GroupPlan, Slot } from './plan.js';
import { mapped } from './arrays.js';
import { above, adjacentLists, atomScoresOf, CombinedScorer, slotKey, weightedLists, type AtomScores, type CountList, type MatchedDocuments, type ScoringContext, type SlotScores, type WeightedList } from './score.js';
import { idf } from './bm25f.js';
import { bitCount } from './filters.js';
import { KeptByLists, seek } from './postings.js';
import type { TopK } from './top-k.js';

const BLOCK_BITS = 5;

/**
 * A term's documents (in the fields that count) as a bitset, and per block the largest weighted term frequency of a
 * document there, its fields' tf · factor summed: a bound as tight as a document's own sum, where one of each
 * field's maxima (often from different documents: a title here, a long body there) was several times it.
 */
interface TermBlocks {
  bits: Uint32Array;
  maxima: Float64Array;
  /** Kept for a term of many postings (BlockMaxima.term): its postings grouped by block. */
  entries?: BlockEntries;
}

/**
 * A term's postings in all its lists, by document (a document's list after list; lists[e]: the list's index): block
 * b's are entries starts[b] to starts[b + 1] − 1. Scoring a block reads them in a row, where the lists' own entries
 * there were found list by list, each in memory of its own (most of a scored block's time).
 */
interface BlockEntries {
  starts: Uint32Array;
  docs: Uint32Array;
  tfs: Uint32Array;
  lists: Uint8Array;
}

/** Rare terms' block data a search core keeps before it starts again (12 bytes per block each). */
const MAX_KEPT_RARE = 512;

/**
 * Bytes of slots' block data (CountedSlot: 12 or 20 per block, and what it keeps alive) a search core keeps before it
 * starts again.
 */
const MAX_KEPT_SLOT_BYTES = 16 << 20;

/**
 * The block data of the terms a search core has read, worked out on first use (one walk of the lists, as scoring
 * them once costs) and kept as long as the lists are (a term's, by its first list): the field factors are the core's,
 * fixed. A rare term's (fewer postings than blocks) is kept without its entries (its lists' entries in a block are
 * found by a search from their start, seek, in the lists having any there: occupied), and only so many of them.
 */
export class BlockMaxima {
  readonly blockCount: number;
  private readonly byTerm = new WeakMap<CountList, TermBlocks>();
  private readonly occupiedBy = new WeakMap<CountList, Uint32Array>();
  /** Rare terms' block data, kept too (at most MAX_KEPT_RARE, then started again): working it out walked all blocks. */
  private readonly rare = new Map<CountList, TermBlocks>();
  private readonly sums: Float64Array;
  /** Slots' documents and bounds (countSlot). */
  readonly slots = new KeptByLists<CountedSlot>(MAX_KEPT_SLOT_BYTES);
  /** Slots' bounds over a kept phrase's documents alone (boundsWithin). */
  readonly within = new KeptByLists<SlotBounds>(MAX_KEPT_SLOT_BYTES);
  /** Searches' candidate blocks and their order, as far as they were scored (scoreTopBlocks, without exclusions). */
  readonly rankings = new KeptByLists<RankedBlocks>(MAX_KEPT_SLOT_BYTES);
  /** The block data of a term in no list: no document in any block (one for every such term). */
  private absentBlocks?: TermBlocks;

  constructor(readonly docCount: number) {
    this.blockCount = (docCount + 31) >>> BLOCK_BITS;
    this.sums = new Float64Array(docCount);
  }

  /** The block data of a term with these weighted lists. */
  term(lists: WeightedList[]): TermBlocks {
    if (lists.length === 0) return (this.absentBlocks ??= this.termBlocks(lists));
    let postings = 0;
    for (const { list } of lists) postings += list.docs.length;
    if (postings < this.blockCount) {
      let rare = this.rare.get(lists[0]!.list);
      if (!rare) {
        if (this.rare.size >= MAX_KEPT_RARE) this.rare.clear();
        this.rare.set(lists[0]!.list, (rare = this.termBlocks(lists)));
      }
      return rare;
    }
    let blocks = this.byTerm.get(lists[0]!.list);
    if (!blocks) {
      blocks = this.termBlocks(lists);
      blocks.entries = this.entries(lists, postings);
      this.byTerm.set(lists[0]!.list, blocks);
    }
    return blocks;
  }

  /** The lists' postings grouped by block, by document. */
  private entries(lists: WeightedList[], postings: number): BlockEntries {
    // Where each document's entries start (one more: the end), then filled list after list.
    const next = new Uint32Array(this.docCount + 1);
    for (const { list } of lists) for (let i = 0; i < list.docs.length; i++) next[list.docs[i]! + 1]!++;
    for (let doc = 0; doc < this.docCount; doc++) next[doc + 1]! += next[doc]!;
    const starts = new Uint32Array(this.blockCount + 1);
    for (let b = 0; b <= this.blockCount; b++) starts[b] = next[Math.min(b << BLOCK_BITS, this.docCount)]!;
    const entries: BlockEntries = { starts, docs: new Uint32Array(postings), tfs: new Uint32Array(postings), lists: new Uint8Array(postings) };
    lists.forEach(({ list }, l) => {
      for (let i = 0; i < list.docs.length; i++) {
        const doc = list.docs[i]!;
        const e = next[doc]!++;
        entries.docs[e] = doc;
        entries.tfs[e] = list.tfs[i]!;
        entries.lists[e] = l;
      }
    });
    return entries;
  }

  /**
   * A rare term's list's blocks as bits (bit b % 32 of word b / 32: the list has a document in block b), made on first
   * use: a block's scoring passes over the lists with none there without searching them.
   */
  occupied(list: CountList): Uint32Array {
    const { docs } = list;
    let occupied = this.occupiedBy.get(list);
    if (!occupied) {
      occupied = new Uint32Array((this.blockCount + 31) >>> 5);
      for (let i = 0; i < docs.length; i++) {
        const b = docs[i]! >>> BLOCK_BITS;
        occupied[b >>> 5]! |= 1 << (b & 31);
      }
      this.occupiedBy.set(list, occupied);
    }
    return occupied;
  }

  /** The lists' documents, and per block the largest sum over the lists of tf · factor. */
  private termBlocks(lists: WeightedList[]): TermBlocks {
    const { sums } = this;
    const into: TermBlocks = { bits: new Uint32Array(this.blockCount), maxima: new Float64Array(this.blockCount) };
    const { bits, maxima } = into;
    for (const { list, factors } of lists) {
      const { docs, tfs } = list;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        sums[doc] += tfs[i]! * factors[doc]!;
        bits[doc >>> BLOCK_BITS]! |= 1 << (doc & 31);
      }
    }
    for (let w = 0; w < bits.length; w++) {
      for (let word = bits[w]!; word !== 0; word &= word - 1) {
        const doc = (w << BLOCK_BITS) | (31 - Math.clz32(word & -word));
        if (sums[doc]! > maxima[w]!) maxima[w] = sums[doc]!;
        sums[doc] = 0;
      }
    }
    return into;
  }
}

/**
 * Whether the ranking's parameters keep CombinedScorer.bounds an upper bound of its score and every list entry adding
 * to a pseudo term frequency (a document is matched where it has a posting): no weight, length normalisation, k1,
 * penalty, synonym or question-verb weight outside the ranges that keep the score growing with each pseudo term
 * frequency and a missing word costing, a sub-word weight below 1 (the whole word keeps a part). Written as x >= …
 * so that NaN fails too.
 */
function blockSkippingHolds(config: RankingConfig): boolean {
  const { weights, b, k1, missingPenalty, partPenalty, synonymWeight, questionVerbWeight, subwordWeight } = config;
  return (
    k1 >= 0 &&
    missingPenalty >= 0 &&
    missingPenalty <= 1 &&
    partPenalty >= 0 &&
    synonymWeight >= 0 &&
    questionVerbWeight >= 0 &&
    subwordWeight >= 0 &&
    subwordWeight < 1 &&
    Object.values(weights).every((weight) => weight >= 0) &&
    Object.values(b).every((value) => value >= 0 && value <= 1)
  );
}

/** Whether scoreTopBlocks can score these groups: the parameters hold its bounds and every sub-word has a share. */
export function blockScorable(groups: GroupPlan[], config: RankingConfig): boolean {
  return blockSkippingHolds(config) && groups.every((group) => group.alternatives.every((atom) => atom.slots.every((slot) => slot.subwords.every((sub) => sub.share > 0))));
}

/** A term of a slot as blocks score it: its weighted lists (with their block data when long) and its coefficient. */
interface BlockTerm {
  coefficient: number;
  /** The term's documents (a block without one is passed over). */
  bits: Uint32Array;
  /** Its postings grouped by block (a term of many postings), else its lists, whose entries in a block are looked for. */
  entries: BlockEntries | undefined;
  lists: CountList[];
  /** Per list, its field's factors, and for a rare term its blocks (BlockMaxima.occupied). */
  factors: Float64Array[];
  occupied: Uint32Array[];
}

/**
 * One distinct slot: its scores, the terms scoreBlock adds, the whole word first (a compound's: its pieces side by
 * side), whose values are copied to scores.whole before the sub-words are added.
 */
interface BlockSlot {
  scores: SlotScores;
  terms: BlockTerm[];
}

/** What scoreTopBlocks leaves: the slots' scores (pseudo term frequencies in the scored blocks only), their scorer and the matches. */
export interface BlockScoring {
  atomScores: AtomScores;
  scorer: CombinedScorer;
  /** How many documents have a slot, are accepted and are set in every `passing` bit set. */
  matches: number;
  /** Those documents as bits, 32 a word (document 32w + i is bit i of word w); read only, until the next search. */
  matchBits: Uint32Array;
}

/**
 * Scores the groups' slots where a document set in every one of `passing` (as bits: a filter's, the documents where
 * a required phrase occurs) and passing `accepted` (exclusions; null: all pass) may reach `top`, and pushes those
 * documents into it; the scored documents are added to `matched`. Bits take a block's matches 32 at a time: the
 * matches are counted, and only the blocks that may reach the top scored, in time that grows with the blocks, not
 * with the documents passing. `passingKept`: whether `passing` are arrays a later search of them passes again (none,
 * a kept filter's, a phrase's buffer); a date filter's or several values' bits are made afresh at every search, so a
 * ranking kept from them would never be found again.
 */
export function scoreTopBlocks(
  ctx: ScoringContext,
  groups: GroupPlan[],
  matched: MatchedDocuments,
  maxima: BlockMaxima,
  top: TopK,
  passing: readonly Uint32Array[],
  accepted: ((doc: number) => boolean) | null,
  passingKept: boolean,
  within?: KeptWithin,
): BlockScoring {
  const { docCount } = maxima;
  const slots: BlockSlot[] = [];
  const uppers = new Map<Float64Array, CountedSlot>();
  const atomScores = atomScoresOf(groups, (slot) => {
    const { scores, counted } = countSlot(ctx, slot, maxima);
    slots.push({ scores, terms: counted.terms });
    uppers.set(scores.pseudoTf, counted);
    return scores;
  });
  const scorer = new CombinedScorer(groups, atomScores, ctx.config);
  const buffers = scorer.slotBuffers();
  // Per slot of the scorer: its bounds, its documents and its whole word's.
  const counted = buffers.map((buffer) => uppers.get(buffer)!);
  // Every candidate is among a kept phrase's documents: the slots are bounded over those alone, scored into one pair
  // of buffers shared by the slots (taken on first need).
  const lent: Float64Array[] = [];
  const bounded = counted.map((slot) => (within ? boundsWithin(ctx, maxima, slot, within, lent) : slot));
  const upper = bounded.map((slot) => slot.upper);
  const wholeUpper = bounded.map((slot) => slot.wholeUpper);
  const slotBits = counted.map((slot) => slot.bits);
  const wholeBits = counted.map((slot) => (slot.wholeUpper ? slot.terms[0]!.bits : null));
  // Without exclusions, a plan's candidate blocks, their bounds and their order are the same at every search over the
  // same passing sets (a kept filter's, a kept phrase's, none): bounding and bucketing every candidate block (全国 两会:
  // 2,206 of 2,612 at 3×, ~15 % of its search) is done once, and the order kept as far as the search went (the
  // service keeps its plans; a static page plans afresh and replaces its entry). Sets made for this search alone
  // keep nothing: their entry would pin them and replace the same words' entry of kept sets.
  const from = accepted || !passingKept ? null : keptFrom(groups, passing, within);
  const key = from && rankingKey(counted, within);
  const kept = from && maxima.rankings.get(key!, from);
  let ranked = kept || rankBlocks(maxima, uppers.values(), passing, accepted, scorer, upper, wholeUpper);
  const { candidates } = ranked;
  // The blocks of `order` from position `k` on that may reach the top, scored and pushed into it; returns the position
  // where the top's threshold passed every bound left, or −1 when the order ran out first.
  const scoreFrom = (order: BlockOrder, k: number): number => {
    for (; k < order.count; k++) {
      const b = order.blocks[k]!;
      if (order.bounds[k]! < top.threshold()) {
        if (order.bucketEnd[k]! < top.threshold()) return k;
        continue;
      }
      // Only the block's documents whose own slots may reach the top are scored.
      const reaching = scorer.reaching(upper, wholeUpper, slotBits, wholeBits, b, candidates[b]!, top.threshold());
      if (reaching === 0) continue;
      scoreBlock(slots, b, docCount, reaching);
      // Every document given a pseudo term frequency is matched (its values are zeroed after the search).
      let n = 0;
      for (let word = reaching; word !== 0; word &= word - 1) {
        const doc = (b << BLOCK_BITS) | (31 - Math.clz32(word & -word));
        matched.add(doc);
        blockDocs[n++] = doc;
      }
      scorer.scoreAll(blockDocs, n, blockKeys);
      top.pushAll(blockDocs, blockKeys, n);
    }
    return -1;
  };
  let stopped = scoreFrom(ranked.order, 0);
  if (kept && stopped < 0 && !kept.complete) {
    // This search's threshold went past the order kept (a deeper page): the whole order, from where the kept one ends.
    ranked = rankBlocks(maxima, uppers.values(), passing, accepted, scorer, upper, wholeUpper);
    stopped = scoreFrom(ranked.order, kept.order.count);
  }
  if (from && ranked !== kept) keepRanking(maxima, key!, from, ranked, stopped < 0 ? ranked.order.count : stopped + 1);
  return { atomScores, scorer, matches: ranked.matches, matchBits: candidates };
}

/**
 * Blocks in the order they are scored, `count` of them: per position its block, the block's bound, and the top of
 * its bucket (no block after it is bound above that).
 */
interface BlockOrder {
  blocks: Uint32Array;
  bounds: Float64Array;
  bucketEnd: Float64Array;
  count: number;
}

/**
 * The candidate blocks (their documents as bits), how many documents, and the blocks in order: all of them
 * (`complete`), or as far as a search went (kept).
 */
interface RankedBlocks {
  candidates: Uint32Array;
  matches: number;
  order: BlockOrder;
  complete: boolean;
}

/**
 * The candidate blocks of a search (the documents having a slot, set in every `passing` bit set and `accepted`), in
 * order of their bounds, in the search's scratch.
 */
function rankBlocks(
  maxima: BlockMaxima,
  slots: Iterable<CountedSlot>,
  passing: readonly Uint32Array[],
  accepted: ((doc: number) => boolean) | null,
  scorer: CombinedScorer,
  upper: Float64Array[],
  wholeUpper: (Float64Array | null)[],
): RankedBlocks {
  const { blockCount } = maxima;
  const scratch = searchScratch(blockCount);
  const union = scratch.bitset();
  for (const slot of slots) for (let w = 0; w < blockCount; w++) union[w]! |= slot.bits[w]!;
  // The documents accepted among those having a slot: only their blocks are bounded and scored.
  const candidates = passing.length > 0 || accepted ? scratch.bitset() : union;
  let matches = 0;
  for (let b = 0; b < blockCount; b++) {
    let word = union[b]!;
    for (let p = 0; p < passing.length && word !== 0; p++) word &= passing[p]![b]!;
    if (word === 0) continue;
    if (accepted) {
      for (let rest = word; rest !== 0; rest &= rest - 1) {
        const bit = rest & -rest;
        if (accepted((b << BLOCK_BITS) | (31 - Math.clz32(bit)))) candidates[b]! |= bit;
      }
      if (candidates[b] === 0) continue;
    } else if (passing.length > 0) {
      candidates[b] = word;
    }
    matches += bitCount(candidates[b]!);
  }
  const bounds = scratch.bounds;
  // Blocks from the highest bound down, by buckets of bounds (a sort by bound cost as much as the scoring it saved).
  const order = scratch.bucketed(candidates, bounds, scorer.bounds(upper, wholeUpper, candidates, bounds));
  return { candidates, matches, order, complete: true };
}

/**
 * What a kept ranking comes from: the plan's groups, the passing sets (and a kept phrase's documents). Its slots are
 * named by its key: their bounds and documents are the index's, the same if their own cache made them again. Plans of
 * the same slots bound them otherwise (国际 联播, 国际 OR 联播; "国际" 联播, 国际 "联播"), and a required phrase's bits are
 * the search's (ScoreBuffers.takeBits, refilled at each search), so their identity tells nothing: only the groups'
 * identity keeps one plan from going on with another's order and bounds (search.skipping alternates such plans).
 */
function keptFrom(groups: GroupPlan[], passing: readonly Uint32Array[], within: KeptWithin | undefined): unknown[] {
  // Loops, not spreads (see arrays.ts).
  const from: unknown[] = [groups];
  for (const bits of passing) from.push(bits);
  if (within) from.push(within.docs);
  return from;
}

/** The name of a kept ranking: its slots' (and phrase's); other plans or sets of the same name replace it. */
function rankingKey(counted: CountedSlot[], within: KeptWithin | undefined): string {
  let key = within ? within.key : '';
  for (const slot of counted) key += '\u0003' + slot.key;
  return key;
}

/**
 * Keeps a ranking's candidates and its order's first `count` positions (copied), counted with what the entry keeps
 * alive (its `from`: the passing sets, a phrase's documents) should their own caches start again.
 */
function keepRanking(maxima: BlockMaxima, key: string, from: unknown[], { candidates, matches, order }: RankedBlocks, count: number): void {
  let bytes = 20 * count;
  for (const value of from) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  const kept = { blocks: order.blocks.slice(0, count), bounds: order.bounds.slice(0, count), bucketEnd: order.bucketEnd.slice(0, count), count };
  maxima.rankings.set(key, from, { candidates: candidates.slice(), matches, order: kept, complete: count === order.count }, bytes + candidates.byteLength);
}

/** Per block, a bound of a slot's pseudo term frequency there and, with sub-words, of its whole word's part. */
interface SlotBounds {
  upper: Float64Array;
  wholeUpper: Float64Array | null;
}

/** A slot's terms, its documents as a bitset, its bounds (key: its slotKey). */
interface CountedSlot extends SlotBounds {
  key: string;
  /** What it is counted as where it is kept: its bounds and what it keeps alive (countSlot). */
  bytes: number;
  terms: BlockTerm[];
  bits: Uint32Array;
  docFreq: number;
  idfDocs: number;
}

/**
 * Documents of a phrase kept by the search core (its key and list), and the same as bits: every candidate is among
 * them.
 */
export interface KeptWithin {
  key: string;
  docs: Uint32Array;
  bits: Uint32Array;
}

/**
 * A slot's bounds over a kept phrase's documents alone, each block's the largest of its values at those documents
 * (scoreBlock's, so as exact as the scores it bounds), worked out once and kept: a common phrase's documents are a
 * few of its words' (国际联播快讯: 1,163 of 国际's), and bounds from all of them had 2.7 times the blocks scored.
 */
function boundsWithin(ctx: ScoringContext, maxima: BlockMaxima, counted: CountedSlot, within: KeptWithin, lent: Float64Array[]): SlotBounds {
  const key = within.key + '\u0002' + counted.key;
  const from = [within.docs, counted];
  let bounds = maxima.within.get(key, from);
  if (bounds) return bounds;
  const { blockCount, docCount } = maxima;
  bounds = { upper: new Float64Array(blockCount), wholeUpper: counted.wholeUpper && new Float64Array(blockCount) };
  const { upper, wholeUpper } = bounds;
  // Scored into the search's lent buffers, zeroed again here: these documents are not matched.
  const scores = { pseudoTf: (lent[0] ??= ctx.buffers.take()), whole: wholeUpper && (lent[1] ??= ctx.buffers.take()), docFreq: 0, idf: 0 };
  const slot: BlockSlot = { scores, terms: counted.terms };
  const { pseudoTf, whole } = slot.scores;
  for (let b = 0; b < blockCount; b++) {
    const mask = within.bits[b]! & counted.bits[b]!;
    if (mask === 0) continue;
    scoreBlock([slot], b, docCount, mask);
    for (let word = mask; word !== 0; word &= word - 1) {
      const doc = (b << BLOCK_BITS) | (31 - Math.clz32(word & -word));
      if (pseudoTf[doc]! > upper[b]!) upper[b] = pseudoTf[doc]!;
      pseudoTf[doc] = 0;
      if (whole && wholeUpper) {
        if (whole[doc]! > wholeUpper[b]!) wholeUpper[b] = whole[doc]!;
        whole[doc] = 0;
      }
    }
  }
  // Counted with what the entry keeps alive: the phrase's documents and the slot, should their own caches start again.
  maxima.within.set(key, from, bounds, blockCount * (wholeUpper ? 16 : 8) + within.docs.byteLength + counted.bytes);
  return bounds;
}

/**
 * A slot's terms and bounds: its documents as a bitset (their count its document frequency), per block a bound of
 * its pseudo term frequency and, with sub-words, of its whole word's part. Kept by the search core (BlockMaxima.slots)
 * with the terms' lists and coefficients: each term's sum into the bounds is a pass over every block. The lists are
 * left to scoreBlock (a compound's occurrences are lists of their own: adjacentLists).
 */
function countSlot(ctx: ScoringContext, slot: Slot, maxima: BlockMaxima): { scores: SlotScores; counted: CountedSlot } {
  // As scoreSlot: sub-words count when they weigh, the whole word (1 − s) of its occurrences.
  const subwordWeight = slot.subwords.length > 0 ? ctx.config.subwordWeight : 0;
  const terms: [WeightedList[], number][] = [[slot.pieces ? adjacentLists(ctx, slot.pieces) : weightedLists(ctx, slot.whole), 1 - subwordWeight]];
  if (subwordWeight > 0) for (const sub of slot.subwords) terms.push([weightedLists(ctx, sub.term), subwordWeight * sub.share]);
  const from: unknown[] = [];
  // Loops, not a spread of the lists' map (see arrays.ts).
  for (const [lists, coefficient] of terms) {
    for (const { list } of lists) from.push(list);
    from.push(coefficient);
  }
  const key = slotKey(slot);
  let counted = maxima.slots.get(key, from);
  if (!counted) {
    const { blockCount } = maxima;
    const bits = new Uint32Array(blockCount);
    const upper = new Float64Array(blockCount);
    let wholeUpper: Float64Array | null = null;
    const blockTerms = mapped(terms, ([lists, coefficient], t) => {
      if (t === 1) wholeUpper = Float64Array.from(upper);
      return blockTerm(lists, coefficient, maxima, bits, upper);
    });
    const docFreq = countBits(bits);
    // A compound's pieces are often common words (数字 in 数字鸿沟): its rarity is that of the pieces side by side.
    const wholeDocFreq = slot.pieces ? countBits(blockTerms[0]!.bits) : 0;
    counted = { key, bytes: 0, terms: blockTerms, bits, upper, wholeUpper, docFreq, idfDocs: wholeDocFreq > 0 ? wholeDocFreq : docFreq };
    // Its own bounds, and what it keeps alive once BlockMaxima or AdjacentLists start again: rare terms' block bits, a
    // compound's occurrence lists (its own, not the index's) with their entries grouped by block.
    let pinned = 0;
    blockTerms.forEach((term, t) => {
      if (term.entries === undefined && term.lists.length > 0) pinned += 4 * blockCount;
      if (t > 0 || !slot.pieces) return;
      for (const list of term.lists) pinned += 8 * list.docs.length;
      if (term.entries) pinned += 9 * term.entries.docs.length + 4 * term.entries.starts.length;
    });
    counted.bytes = blockCount * (wholeUpper ? 20 : 12) + pinned;
    maxima.slots.set(key, from, counted, counted.bytes);
  }
  const pseudoTf = ctx.buffers.take();
  return { scores: { pseudoTf, docFreq: counted.docFreq, idf: idf(counted.idfDocs, pseudoTf.length), whole: subwordWeight > 0 ? ctx.buffers.take() : null }, counted };
}

/** A term's weighted lists (or a compound's), their documents set in `bits` and coefficient · their block maxima added to `upper`. */
function blockTerm(weighted: WeightedList[], coefficient: number, maxima: BlockMaxima, bits: Uint32Array, upper: Float64Array): BlockTerm {
  const blocks = maxima.term(weighted);
  for (let w = 0; w < bits.length; w++) {
    if (blocks.bits[w] === 0) continue;
    bits[w]! |= blocks.bits[w]!;
    upper[w]! += coefficient * blocks.maxima[w]!;
  }
  return {
    coefficient,
    bits: blocks.bits,
    entries: blocks.entries,
    lists: weighted.map(({ list }) => list),
    factors: weighted.map(({ factors }) => factors),
    occupied: blocks.entries ? [] : weighted.map(({ list }) => maxima.occupied(list)),
  };
}

/**
 * The slots' pseudo term frequencies in block `b` at the documents whose bits `mask` sets (those ranked: a filter's
 * or a phrase's are often a few of the words' documents), added as accumulatePseudoTf adds them (term after term,
 * field after field): a term's entries there read in a row (BlockEntries), a rare term's found in each of its lists
 * by a search from its start (seek). A term with many more entries in the block than documents ranked there (a
 * common word's, two of its 32 documents ranked) is searched for those documents instead of walked: each document
 * still gets its additions in the same order.
 */
function scoreBlock(slots: BlockSlot[], b: number, docCount: number, mask: number): void {
  const base = b << BLOCK_BITS;
  const end = Math.min(base + (1 << BLOCK_BITS), docCount);
  const ranked = bitCount(mask);
  for (let s = 0; s < slots.length; s++) {
    const { scores, terms } = slots[s]!;
    const { pseudoTf, whole } = scores;
    for (let t = 0; t < terms.length; t++) {
      const { coefficient, bits, entries, lists, factors, occupied } = terms[t]!;
      // Without the term here, its values (and the whole word's, when it is that) stay 0.
      if ((bits[b]! & mask) === 0) continue;
      if (entries) {
        const { docs, tfs } = entries;
        let e = entries.starts[b]!;
        const to = entries.starts[b + 1]!;
        if (to - e > SPARSE_RATIO * ranked) {
          for (let word = mask & bits[b]!; word !== 0; word &= word - 1) {
            const doc = base | (31 - Math.clz32(word & -word));
            for (e = seek(docs, doc, e, to); e < to && docs[e] === doc; e++) pseudoTf[doc] += coefficient * tfs[e]! * factors[entries.lists[e]!]![doc]!;
          }
        } else {
          for (; e < to; e++) {
            const doc = docs[e]!;
            if (((mask >>> (doc & 31)) & 1) !== 0) pseudoTf[doc] += coefficient * tfs[e]! * factors[entries.lists[e]!]![doc]!;
          }
        }
      } else {
        for (let l = 0; l < lists.length; l++) {
          if ((occupied[l]![b >>> 5]! & (1 << (b & 31))) === 0) continue;
          const { docs, tfs } = lists[l]!;
          const fieldFactors = factors[l]!;
          for (let i = seek(docs, base, 0); i < docs.length && docs[i]! < end; i++) {
            const doc = docs[i]!;
            if (((mask >>> (doc & 31)) & 1) !== 0) pseudoTf[doc] += coefficient * tfs[i]! * fieldFactors[doc]!;
          }
        }
      }
      // Before the sub-words are added, the values are the whole word's (only the ranked documents have any).
      if (t === 0 && whole) {
        for (let word = mask; word !== 0; word &= word - 1) {
          const doc = base | (31 - Math.clz32(word & -word));
          whole[doc] = pseudoTf[doc]!;
        }
      }
    }
  }
}

/** How many bits the words of `bits` set. */
function countBits(bits: Uint32Array): number {
  let count = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) count += bitCount(bits[w]!);
  return count;
}

/** A block's entries of a term above this many per document ranked there are searched for those documents, not walked. */
const SPARSE_RATIO = 4;

/** The documents of a bitset's words `from` to `to` − 1, ascending, into `into`; how many. */
export function listBits(bits: Uint32Array, from: number, to: number, into: Uint32Array): number {
  let n = 0;
  for (let w = from; w < to; w++) for (let word = bits[w]!; word !== 0; word &= word - 1) into[n++] = (w << BLOCK_BITS) | (31 - Math.clz32(word & -word));
  return n;
}

/**
 * Steps of bounds the blocks are ordered by: bounds over a phrase's documents alone are close together (a flat
 * ranking), and 64 steps scored 145 blocks of 国内联播快讯's for a top 100 that 98 hold, 1,024 the 98.
 */
const BUCKETS = 1024;

/**
 * A search's arrays, kept from search to search (a search runs to its end before the next starts): bitsets handed out
 * in turn (zeroed) and given back at the next search, the blocks' bounds and their order.
 */
class SearchScratch {
  bounds: Float64Array;
  private readonly bitsets: Uint32Array[] = [];
  private bitsetsTaken = 0;
  private readonly order: BlockOrder;
  private readonly bucketCounts = new Uint32Array(BUCKETS + 1);

  constructor(readonly blockCount: number) {
    this.bounds = new Float64Array(blockCount);
    this.order = { blocks: new Uint32Array(blockCount), bounds: new Float64Array(blockCount), bucketEnd: new Float64Array(blockCount), count: 0 };
  }

  reset(): this {
    this.bitsetsTaken = 0;
    return this;
  }

  bitset(): Uint32Array {
    if (this.bitsetsTaken === this.bitsets.length) this.bitsets.push(new Uint32Array(this.blockCount));
    return this.bitsets[this.bitsetsTaken++]!.fill(0);
  }

  /**
   * The `candidates` blocks (a flag per block), by bucket of their bound (BUCKETS equal steps up to `highest`), the
   * highest bucket first, in each bucket by number; with each block, its bound and the top of its bucket.
   */
  bucketed(candidates: Uint32Array, bounds: Float64Array, highest: number): BlockOrder {
    const counts = this.bucketCounts.fill(0);
    const step = highest / BUCKETS;
    const bucketOf = (b: number) => (step > 0 ? Math.min(BUCKETS - 1, Math.floor((highest - bounds[b]!) / step)) : 0);
    for (let b = 0; b < this.blockCount; b++) if (candidates[b] !== 0) counts[bucketOf(b) + 1]!++;
    for (let i = 1; i <= BUCKETS; i++) counts[i]! += counts[i - 1]!;
    const { order } = this;
    order.count = counts[BUCKETS]!;
    for (let b = 0; b < this.blockCount; b++) {
      if (candidates[b] === 0) continue;
      const bucket = bucketOf(b);
      const at = counts[bucket]!++;
      order.blocks[at] = b;
      order.bounds[at] = bounds[b]!;
      order.bucketEnd[at] = above(highest - bucket * step);
    }
    return order;
  }
}

let scratchInUse: SearchScratch | undefined;

function searchScratch(blockCount: number): SearchScratch {
  if (scratchInUse?.blockCount !== blockCount) scratchInUse = new SearchScratch(blockCount);
  return scratchInUse.reset();
}

const blockDocs = new Uint32Array(1 << BLOCK_BITS);
const blockKeys = new Float64Array(1 << BLOCK_BITS);
