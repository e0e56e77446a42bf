/** Position-based evidence: verbatim phrases (required or bonus) and query words occurring close together. */
import type { FieldName, PostingList } from '../index/types.js';
import { FIELDS } from './bm25f.js';
import type { RankingConfig } from './config.js';
import { slotWords, type AtomPlan, type GroupPlan, type Slot } from './plan.js';
import { appendPositionsIn, appendUnionIn, appendUnionOfRuns, cursorsFor, entryIndex, forEachAligned, KeptByLists, PositionArena, PositionRuns, someFieldHasAll, type PostingsCache } from './postings.js';
import { above, type AtomScores, type ScoreBuffers, type ScoringContext, type SlotScores } from './score.js';
import { listBits, type KeptWithin } from './blocks.js';
import { hasBit } from './filters.js';
import { byRank, scoredBefore, type Scored } from './top-k.js';
import { mapped } from './arrays.js';

/** Fields in which proximity and phrase bonuses are looked for, with how much an occurrence there counts. */
const BONUS_FIELDS: { field: FieldName; factor: number }[] = [
  { field: 'title', factor: 2 },
  { field: 'body', factor: 1 },
];

/**
 * Number of places where the atom's whole words occur at their query offsets in a field of `doc`: `lists`, per slot,
 * the field's list of its whole word.
 */
export function phraseCount(lists: readonly (PostingList | undefined)[], slots: readonly Slot[], doc: number): number {
  const runs = phraseRuns;
  runs.clear();
  for (const list of lists) if (!list || !appendPositionsIn(list, doc, runs)) return 0;
  const { values, starts, ends } = runs;
  const firsts = values[0]!;
  let count = 0;
  for (let p = starts[0]!; p < ends[0]!; p++) {
    const start = firsts[p]!;
    let all = true;
    for (let i = 1; i < slots.length && all; i++) all = entryIndex(values[i]!, start + slots[i]!.offset, starts[i], ends[i]) >= 0;
    if (all) count++;
  }
  return count;
}

/**
 * Documents as bits (`bits`: bit d % 32 of word d / 32, the blocks of a ranking by blocks) and their number (`count`).
 * Not listed: a list pushed to as they are found was most of a common phrase's garbage (100 KB a search for 3,489
 * documents), and a ranking reads them in ascending order from the bits. Nor a byte each: zeroing those for every
 * search (83 KB at 83,565 documents) cost as much as the phrase's documents did.
 */
export interface DocumentSet {
  bits: Uint32Array;
  count: number;
  /** While the documents are one phrase's as KeptPhrases keeps them: its key, its list (read only) and `bits`. */
  kept?: KeptWithin;
}

/**
 * Adds to `found` the documents in which the atom's whole words occur at their query offsets (verbatim) in some field.
 * Per field the slots' document lists are intersected from the rarest (forEachAligned), positions compared only in
 * the documents they share and not found yet.
 */
export function phraseDocuments(postings: PostingsCache, slots: Slot[], found: DocumentSet): DocumentSet {
  const offsets = slots.map((slot) => slot.offset);
  const add = (doc: number) => addDocument(found, doc);
  const wholes = mapped(slots, (slot) => slot.whole);
  for (const field of FIELDS) {
    const lists = postings.found(field, wholes);
    // A document found in an earlier field is not looked at again.
    if (lists.length === slots.length) forEachAligned(lists, offsets, add, found.bits);
  }
  return found;
}

/** Bytes a search core's KeptPhrases keeps before it starts again, a document counted as 4 (see KeptByLists). */
export const MAX_KEPT_PHRASE_BYTES = 8 << 20;

/**
 * The documents where phrases occur (phraseDocuments), kept once found: finding them intersects the words' lists and
 * compares positions, a cost that grows with the corpus at every search of the phrase (as AdjacentLists keeps a
 * compound's occurrences). Each is kept with the words' lists it was found in and found again should those change.
 */
export class KeptPhrases {
  private readonly kept = new KeptByLists<KeptPhrase>(MAX_KEPT_PHRASE_BYTES);

  get keptBytes(): number {
    return this.kept.keptBytes;
  }

  /** phraseDocuments of the atom's words at their offsets, added to `found`; `buffers` lends the sets to find them in. */
  add(postings: PostingsCache, buffers: ScoreBuffers, slots: Slot[], found: DocumentSet): DocumentSet {
    const { key, from } = keptKey(postings, slots);
    let phrase = this.kept.get(key, from);
    if (!phrase) {
      // Words no field holds all of never make the phrase: nothing to find, and nothing kept for made-up phrases.
      if (!someFieldHasAll(from, slots.length)) return found;
      const own = phraseDocuments(postings, slots, { bits: buffers.takeBits(), count: 0, kept: undefined });
      phrase = { docs: new Uint32Array(own.count) };
      listBits(own.bits, 0, own.bits.length, phrase.docs);
      this.kept.set(key, from, phrase, phrase.docs.byteLength);
    }
    const { docs } = phrase;
    found.kept = found.count === 0 ? { key, docs, bits: found.bits } : undefined;
    for (let i = 0; i < docs.length; i++) addDocument(found, docs[i]!);
    return found;
  }

  /**
   * A kept phrase's documents with, per bonus field, its count in each (that of docs[i] at i), worked out when first
   * asked (a walk of the words' lists per field, as finding it): the head's re-ranking reads them instead of comparing
   * positions in each document. Undefined when the phrase is not kept.
   */
  counted(postings: PostingsCache, slots: Slot[]): Required<KeptPhrase> | undefined {
    const { key, from } = keptKey(postings, slots);
    const phrase = this.kept.get(key, from);
    if (!phrase || phrase.counts) return phrase as Required<KeptPhrase> | undefined;
    const offsets = slots.map((slot) => slot.offset);
    const wholes = mapped(slots, (slot) => slot.whole);
    phrase.counts = BONUS_FIELDS.map(({ field }) => {
      const counts = new Uint32Array(phrase.docs.length);
      const lists = postings.found(field, wholes);
      let i = 0;
      // Documents of a field's lists holding the phrase are among the kept ones (in every field), both ascending.
      if (lists.length === slots.length) forEachAligned(lists, offsets, (doc, count) => {
        while (phrase.docs[i]! < doc) i++;
        counts[i] = count;
      });
      return counts;
    });
    this.kept.set(key, from, phrase, 3 * phrase.docs.byteLength);
    return phrase as Required<KeptPhrase>;
  }
}

/** A phrase's documents (ascending) and, once asked, its counts in them per bonus field (KeptPhrases.counted). */
interface KeptPhrase {
  docs: Uint32Array;
  counts?: Uint32Array[];
}

/** A phrase's key among those kept, and the lists it is found in (field after field). */
function keptKey(postings: PostingsCache, slots: Slot[]): { key: string; from: (PostingList | undefined)[] } {
  const from: (PostingList | undefined)[] = [];
  for (const field of FIELDS) for (const slot of slots) from.push(postings.get(field, slot.whole));
  return { key: slots.map((slot) => `${slot.offset}\u0001${slot.whole}`).join('\u0000'), from };
}

function addDocument(found: DocumentSet, doc: number): void {
  if (hasBit(found.bits, doc)) return;
  found.bits[doc >>> 5]! |= 1 << (doc & 31);
  found.count++;
}

/** Smallest max−min over choices of one position from each (non-empty) run. */
export function minimalSpan(runs: PositionRuns): number {
  const { values, starts, ends, count } = runs;
  const at = cursorsFor(count);
  for (let i = 0; i < count; i++) at[i] = starts[i]!;
  let best = Infinity;
  for (;;) {
    let minRun = 0;
    let min = values[0]![at[0]!]!;
    let max = min;
    for (let i = 1; i < count; i++) {
      const value = values[i]![at[i]!]!;
      if (value < min) {
        min = value;
        minRun = i;
      }
      if (value > max) max = value;
    }
    if (max - min < best) best = max - min;
    if (++at[minRun]! >= ends[minRun]!) return best;
  }
}

/**
 * Smallest last−first over choices of one position from each (non-empty) run, each position after the previous
 * run's: the words in the order of the runs. Infinity when they never occur in that order.
 */
export function orderedSpan(runs: PositionRuns): number {
  const { values, starts, ends, count } = runs;
  const firsts = values[0]!;
  let best = Infinity;
  for (let p = starts[0]!; p < ends[0]!; p++) {
    const first = firsts[p]!;
    let at = first;
    for (let i = 1; i < count; i++) {
      const list = values[i]!;
      // First position after `at` (binary search).
      let low = starts[i]!;
      let high = ends[i]!;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (list[mid]! <= at) low = mid + 1;
        else high = mid;
      }
      if (low === ends[i]) return best;
      at = list[low]!;
    }
    if (at - first < best) best = at - first;
  }
  return best;
}

/** A query slot as the positional bonus reads it: its scores, per bonus field the lists of its whole word and sub-words, its group. */
interface BonusSlot {
  scores: SlotScores;
  lists: PostingList[][];
  group: number;
}

/**
 * Whether the ranking's parameters lie where bonusBound and passageBound bound what bonus and passage give, and a
 * passage score is never negative (rerankTop relies on both): no weight, length normalisation outside [0, 1], window,
 * sub-word or synonym weight below 0 (a topic's passage count could go negative, a pseudo-tf vanish where a phrase
 * stands); a weight on the title and the body (a phrase found there has a pseudo-tf for bonusBound to see); closeness
 * in another order at most closeness in order; topics apart not below 0 (the bounds' order would turn round); no
 * passage weight or saturation below 0. Written as x >= … so that NaN fails too.
 */
function boundsHold(config: RankingConfig): boolean {
  const { topicsApart, unorderedProximity, proximityWindow, subwordWeight, synonymWeight, weights, b } = config;
  const { passageWeight, passageSaturation, leadWeight, openingWeight } = config;
  // Math.min is NaN when one of them is.
  return (
    Math.min(topicsApart, unorderedProximity, proximityWindow, subwordWeight, synonymWeight, passageWeight, passageSaturation, leadWeight, openingWeight) >= 0 &&
    unorderedProximity <= 1 &&
    FIELDS.every((field) => weights[field] >= 0 && b[field] >= 0 && b[field] <= 1) &&
    BONUS_FIELDS.every(({ field }) => weights[field] > 0)
  );
}

/**
 * The head of a BM25F ranking (in its order) ranked again, as every backend that has its head's positions does (the
 * embedded index; the engine, from its rows' term positions): phrase and proximity bonuses and where the query's
 * topics meet, then the passage score, the costliest, for the first passageDepth of that order only. With `wanted`
 * below the head's length, only the first `wanted` of that ranking are returned (see rerankTop).
 */
export function rerankHead(positional: PositionalScorer, ranked: readonly Scored[], passageDepth: number, wanted = ranked.length): Scored[] {
  const passages = Math.min(passageDepth, ranked.length);
  const passageBound = positional.passageBound();
  if (wanted >= 1 && wanted < ranked.length && wanted <= passages && passageBound !== undefined) return rerankTop(positional, ranked, passages, wanted, passageBound);
  const head = mapped(ranked, ({ doc, score }) => ({ doc, score: (score + positional.bonus(doc)) * positional.meeting(doc) }));
  head.sort(byRank);
  for (let i = 0; i < passages; i++) head[i]!.score += positional.passage(head[i]!.doc);
  if (passages > 0) head.sort(byRank);
  return head;
}

/**
 * The first `wanted` (at most `passages`) of rerankHead's ranking, the same documents and scores, without the exact
 * bonus of documents that cannot be among the first `passages` after it, nor the passage score of those that cannot
 * be among the first `wanted` after theirs. The passages go to the first `passages` by bonus and meeting, and a
 * passage score is never negative, so those documents rank before all others and hold the first `wanted`. Documents
 * are scored in the order of a bound of their score (meeting × (BM25F + bonusBound), then score + passageBound),
 * until the `passages`-th (then the `wanted`-th) best exact score is above the next one's bound.
 */
function rerankTop(positional: PositionalScorer, ranked: readonly Scored[], passages: number, wanted: number, passageBound: number): Scored[] {
  const n = ranked.length;
  if (topBounds.length < n) {
    topMeetings = new Float64Array(n);
    topBounds = new Float64Array(n);
    topOrder = new Uint32Array(n);
  }
  const meetings = topMeetings;
  const bounds = topBounds;
  for (let i = 0; i < n; i++) {
    const { doc, score } = ranked[i]!;
    meetings[i] = positional.meeting(doc);
    bounds[i] = above((score + positional.bonusBound(doc)) * meetings[i]!);
    topOrder[i] = i;
  }
  const order = topOrder.subarray(0, n).sort(byBound);
  // Only the first `passages` of the head are read, and only the first `wanted` of the page.
  const head = topHead.reset(passages);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (head.count >= passages && head.scores[passages - 1]! > bounds[i]!) break;
    const { doc, score } = ranked[i]!;
    head.insert(doc, (score + positional.bonus(doc)) * meetings[i]!);
  }
  const top = topPage.reset(wanted);
  for (let i = 0; i < passages; i++) {
    const doc = head.docs[i]!;
    const score = head.scores[i]!;
    if (top.count >= wanted && top.scores[wanted - 1]! > above(score + passageBound)) break;
    top.insert(doc, score + positional.passage(doc));
  }
  return Array.from({ length: Math.min(wanted, top.count) }, (_, i) => ({ doc: top.docs[i]!, score: top.scores[i]! }));
}

/**
 * The best `capacity` (doc, score) entries in rank order (best first) in typed arrays, for rerankTop: inserted one by
 * one, without an object each; an entry ranked past the capacity is never read, so it is not kept.
 */
class RankedEntries {
  docs = new Uint32Array(128);
  scores = new Float64Array(128);
  count = 0;
  private capacity = 0;

  /** Emptied, keeping the best `capacity` entries from now on. */
  reset(capacity: number): this {
    if (this.docs.length < capacity) {
      this.docs = new Uint32Array(capacity);
      this.scores = new Float64Array(capacity);
    }
    this.capacity = capacity;
    this.count = 0;
    return this;
  }

  insert(doc: number, score: number): void {
    const { docs, scores } = this;
    let low = 0;
    let high = this.count;
    // After every entry that ranks before it.
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (scoredBefore(scores[mid]!, docs[mid]!, score, doc)) low = mid + 1;
      else high = mid;
    }
    if (low >= this.capacity) return;
    const kept = Math.min(this.count, this.capacity - 1);
    docs.copyWithin(low + 1, low, kept);
    scores.copyWithin(low + 1, low, kept);
    docs[low] = doc;
    scores[low] = score;
    this.count = kept + 1;
  }
}

/** rerankTop's arrays, kept from search to search (a search runs to its end before the next starts). */
let topMeetings = new Float64Array(128);
let topBounds = new Float64Array(128);
let topOrder = new Uint32Array(128);
const topHead = new RankedEntries();
const topPage = new RankedEntries();
/**
 * Head positions by their bound, highest first. Answers -1, 0 or 1: a difference of the bounds was a heap number at
 * each comparison (~5 KB a search).
 */
const byBound = (a: number, b: number): number => (topBounds[b]! > topBounds[a]! ? 1 : topBounds[b]! < topBounds[a]! ? -1 : 0);

/**
 * Bonus for a document in the top of the BM25F ranking: each multi-word atom found verbatim adds
 * phraseBonus · idf (saturating with its count); all slots within proximityWindow add proximityBonus · idf.
 * Made once per search: posting lists are looked up here, not once per document.
 */
export class PositionalScorer {
  /**
   * Per atom, its slots and, per bonus field, the lists of their whole words (the phrase's); its counts per bonus field
   * when the search core keeps it (KeptPhrases.counted).
   */
  private readonly atoms: { atom: AtomPlan; slots: BonusSlot[]; meanIdf: number; phraseLists: (PostingList | undefined)[][]; kept: Required<KeptPhrase> | undefined }[] = [];
  private readonly totalSlots: number;
  /** Per topic (query group, alternatives together): its words in the title and tags (see topicLists), and in the body. */
  private readonly topics: { named: PostingList[][]; body: PostingList[] }[];
  /** Of two topics, the one whose positions are all the other's, −1 for none (see meeting). */
  private readonly covered: number;
  /** Per topic: the mean idf of the words typed (their synonyms not counted), its weight in a passage. */
  private readonly topicIdfs: Float64Array;
  /** The topics' words in the body, each with what an occurrence counts in a passage. */
  private readonly passageTerms: PassageTerm[];
  // Reused per document: the slots it has, their count and idf sum, per atom 1 when it has them all (gather).
  private readonly present: BonusSlot[] = [];
  private presentCount = 0;
  private idfSum = 0;
  private readonly complete: Uint8Array;
  private readonly positionRuns = new PositionRuns();
  private readonly topicRuns = new PositionRuns();
  /** Per topic of a bonus field, where its slots' runs start in positionRuns. */
  private readonly topicStarts: Uint32Array;
  private readonly named: Float64Array;
  /**
   * Whether the query is one atom of words side by side (a phrase, or a word cut in several) and so, where it occurs
   * verbatim, its words as close as words can be: per bonus field, 1 where the document being looked at has it so.
   */
  private readonly sideBySide: boolean;
  private readonly verbatim = new Uint8Array(BONUS_FIELDS.length);

  constructor(
    private readonly ctx: ScoringContext,
    groups: GroupPlan[],
    atomScores: AtomScores,
    phrases?: KeptPhrases,
  ) {
    for (const [g, group] of groups.entries()) {
      for (const atom of group.alternatives) {
        const scores = atomScores.get(atom)!;
        const slots = mapped(atom.slots, (slot, i) => ({
          scores: scores[i]!,
          lists: mapped(BONUS_FIELDS, ({ field }) => ctx.postings.found(field, slotWords(slot))),
          group: g,
        }));
        const phraseLists = mapped(BONUS_FIELDS, ({ field }) => mapped(atom.slots, (slot) => ctx.postings.get(field, slot.whole)));
        const kept = atom.slots.length > 1 ? phrases?.counted(ctx.postings, atom.slots) : undefined;
        this.atoms.push({ atom, slots, meanIdf: scores.reduce((sum, s) => sum + s.idf, 0) / scores.length, phraseLists, kept });
      }
    }
    this.topicStarts = new Uint32Array(this.atoms.reduce((sum, { slots }) => sum + slots.length, 0));
    this.complete = new Uint8Array(this.atoms.length);
    this.sideBySide = this.atoms.length === 1 && this.atoms[0]!.atom.slots.every((slot, i) => slot.offset === i);
    this.totalSlots = groups.reduce((sum, group) => sum + Math.max(...group.alternatives.map((atom) => atom.slots.length)), 0);
    // A one-topic query looks only for its word in the post's opening (openingWeight 0: not at all).
    const positional = groups.length >= 2 || (groups.length === 1 && ctx.config.openingWeight > 0) ? groups : [];
    this.topics = mapped(positional, (group) => topicLists(ctx.postings, group, positional.length > 1));
    this.named = new Float64Array(this.topics.length);
    // Of two topics, one whose body lists are all among the other's (全国 两会: 两会's synonyms 全国人大 and 全国政协 have
    // the sub-word 全国): its positions in a document are all the other's (see meeting).
    this.covered = this.topics.length !== 2 ? -1 : this.topics.findIndex((topic, t) => topic.body.every((list) => this.topics[1 - t]!.body.includes(list)));
    // Its sub-words, pieces and synonyms are left out there: 计算 in an opening does not make a post about 云计算.
    this.passageTerms = positional.length === 0 ? [] : passageTerms(ctx, positional, positional.length > 1);
    this.topicIdfs = Float64Array.from(positional, (group) => {
      const own = group.alternatives.filter((atom) => atom.expansionOf === undefined).flatMap((atom) => atomScores.get(atom)!);
      return own.reduce((sum, s) => sum + s.idf, 0) / own.length;
    });
  }

  /**
   * The score of the body window of passageWindow positions where the query's topics are densest: a paragraph about
   * them scores as a short document would, whatever the length of the post around it. Plus the lead's: the best
   * sentence-long window (topicWindow) holding every topic and starting in the post's opening. For a one-topic query
   * only its word in the opening sentences counts (openingLength, openingWeight).
   */
  passage(doc: number): number {
    const { passageWindow, passageSaturation, passageWeight, topicWindow, leadLength, leadWeight, openingLength, openingWeight } = this.ctx.config;
    const { passageTerms: terms, topicIdfs } = this;
    if (terms.length === 0) return 0;
    const named = this.namedIn(doc);
    if (this.topics.length === 1) {
      return openingWeight * bestPassage(terms, topicIdfs, named, doc, topicWindow, passageSaturation, sharedPassageBuffers, openingLength);
    }
    const best = bestPassage(terms, topicIdfs, named, doc, passageWindow, passageSaturation, sharedPassageBuffers);
    // A sentence holding every topic lies in some passage: without a passage there is no lead to look for.
    if (best === 0 || leadWeight === 0) return passageWeight * best;
    const lead = bestPassage(terms, topicIdfs, named, doc, topicWindow, passageSaturation, sharedPassageBuffers, leadLength);
    return passageWeight * best + leadWeight * lead;
  }

  /** Per topic, 1 when `doc` names it in its title or tags: it is what the whole post is about, present in every passage. */
  private namedIn(doc: number): Float64Array {
    for (let t = 0; t < this.topics.length; t++) this.named[t] = namesTopic(this.topics[t]!.named, doc) ? 1 : 0;
    return this.named;
  }

  /**
   * Multiplier for how closely the query's topics meet in `doc` (1 for a one-topic query): topics named in the title or
   * tags are what the whole post is about; the others must meet in the body, an occurrence of each within topicWindow
   * positions of the others'. Each such meeting counts (a post that keeps bringing them together is about both).
   */
  meeting(doc: number): number {
    if (this.topics.length < 2) return 1;
    const { topicWindow, topicsApart } = this.ctx.config;
    const inBody = this.positionRuns;
    inBody.clear();
    arena.reset();
    const covered = this.covered;
    let meetings = -1;
    for (let i = 0; i < this.topics.length; i++) {
      // The covered topic first: each of its positions is the other's too, so each meets the other where it stands, and
      // countMeetings counts the rarer run's positions (its own, or the same ones when as many); the other's union,
      // often of many common words (全国 两会: 两会's synonyms' sub-words 人民, 代表, 会议 …), is not merged.
      const topic = this.topics[covered > 0 ? 1 - i : i]!;
      if (namesTopic(topic.named, doc)) continue;
      if (i > 0 && covered >= 0 && inBody.count > 0 && topicWindow >= 0) {
        meetings = inBody.length(0);
        break;
      }
      if (!appendUnionIn(topic.body, doc, arena, inBody)) return topicsApart;
    }
    if (meetings < 0) {
      if (inBody.count < 2) return 1;
      meetings = countMeetings(inBody, topicWindow);
    }
    return topicsApart + ((1 - topicsApart) * meetings) / (meetings + 1);
  }

  /** The slots `doc` has (a pseudo term frequency above 0), atom after atom: into present, presentCount, idfSum and complete. */
  private gather(doc: number): void {
    let count = 0;
    let idfSum = 0;
    for (let a = 0; a < this.atoms.length; a++) {
      const { slots } = this.atoms[a]!;
      let all = 1;
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        if (slot.scores.pseudoTf[doc] > 0) {
          this.present[count++] = slot;
          idfSum += slot.scores.idf;
        } else {
          all = 0;
        }
      }
      this.complete[a] = all;
    }
    this.presentCount = count;
    this.idfSum = idfSum;
  }

  /**
   * A bound of bonus(doc) from the slots `doc` has (no positions read): a multi-word atom whose words it all has found
   * verbatim as often as can be, and its words side by side in the field that counts most.
   */
  bonusBound(doc: number): number {
    const { phraseBonus, proximityBonus, synonymWeight } = this.ctx.config;
    let bound = 0;
    this.gather(doc);
    const { presentCount, idfSum, complete } = this;
    for (let a = 0; a < this.atoms.length; a++) {
      const { atom, slots, meanIdf } = this.atoms[a]!;
      // phraseEvidence is below 1, and 0 without one of the words.
      if (slots.length > 1 && complete[a] === 1) bound += Math.max(0, (atom.expansionOf === undefined ? 1 : synonymWeight) * phraseBonus * meanIdf);
    }
    if (presentCount < 2 || proximityBonus === 0) return bound;
    // Closeness is at most a field's factor times the share of the slots there (near and the order's weight are at
    // most 1), in a field where two of them occur. Where the document has them is looked up in its title (short
    // lists), not in the body: there all the slots it has may occur. Most documents of a head have one slot or none in
    // the title, and a bound of twice the body's closeness for them had their bonus worked out nearly to the last one.
    let closeness = 0;
    for (let f = 0; f < BONUS_FIELDS.length; f++) {
      const { field, factor } = BONUS_FIELDS[f]!;
      let there = presentCount;
      if (field === 'title') {
        there = 0;
        for (let i = 0; i < presentCount; i++) if (occursIn(this.present[i]!.lists[f]!, doc)) there++;
      }
      if (there >= 2) closeness = Math.max(closeness, factor * (there / this.totalSlots));
    }
    return bound + Math.max(0, proximityBonus * (idfSum / presentCount)) * closeness;
  }

  /** A bound of passage(doc) for every document: every topic's passage saturated, in the passage and the lead (or the opening); undefined when the ranking's parameters leave the ranges the bounds rely on (boundsHold). */
  passageBound(): number | undefined {
    const { passageWeight, passageSaturation, leadWeight, openingWeight } = this.ctx.config;
    if (!boundsHold(this.ctx.config)) return undefined;
    if (this.passageTerms.length === 0) return 0;
    let idfs = 0;
    for (let t = 0; t < this.topicIdfs.length; t++) idfs += this.topicIdfs[t]!;
    // idf · c(k + 1) / (c + k) is below idf · (k + 1).
    const saturated = idfs * (passageSaturation + 1);
    return this.topics.length === 1 ? openingWeight * saturated : (passageWeight + leadWeight) * saturated;
  }

  bonus(doc: number): number {
    const { phraseBonus, proximityBonus, proximityWindow, unorderedProximity, synonymWeight } = this.ctx.config;
    let bonus = 0;
    this.gather(doc);
    const { present, presentCount, idfSum } = this;
    const verbatim = this.verbatim;
    verbatim.fill(0);
    for (let a = 0; a < this.atoms.length; a++) {
      const { atom, slots, meanIdf, phraseLists, kept } = this.atoms[a]!;
      if (slots.length > 1 && phraseBonus > 0) bonus += (atom.expansionOf === undefined ? 1 : synonymWeight) * phraseBonus * meanIdf * phraseEvidence(phraseLists, atom.slots, doc, verbatim, kept);
    }
    if (presentCount < 2 || proximityBonus === 0) return bonus;
    arena.reset();
    let closeness = 0;
    const lists = this.positionRuns;
    const topics = this.topicRuns;
    const topicStarts = this.topicStarts;
    // The one atom's words all present, and side by side where it occurs verbatim: there the closest choice of their
    // positions spans the words (near gives its most), and one topic has nothing to order: no position is merged.
    const allSideBySide = this.sideBySide && presentCount === this.atoms[0]!.slots.length;
    // Near and the order's weight are at most 1 where another order counts at most as much and the window is not
    // negative (written so that NaN fails): a field's closeness is then at most its factor times the share of the
    // slots present.
    const capped = unorderedProximity <= 1 && proximityWindow >= 0;
    for (let f = 0; f < BONUS_FIELDS.length; f++) {
      // A field whose closeness cannot pass the one found (the body after a title holding them) is not read.
      if (capped && BONUS_FIELDS[f]!.factor * (presentCount / this.totalSlots) <= closeness) continue;
      if (allSideBySide && verbatim[f] === 1) {
        const value = BONUS_FIELDS[f]!.factor * (presentCount / this.totalSlots) * near(presentCount - 1, presentCount, proximityWindow);
        if (value > closeness) closeness = value;
        continue;
      }
      lists.clear();
      // Per group (topic typed apart), in the order typed, the positions of all its words: `present` holds a group's
      // slots one after another, so a topic's runs follow one another in `lists` (topicStarts: where each starts).
      let topicCount = 0;
      let runGroup = -1;
      for (let i = 0; i < presentCount; i++) {
        const slot = present[i]!;
        if (!appendUnionIn(slot.lists[f]!, doc, arena, lists)) continue;
        if (slot.group !== runGroup) {
          topicStarts[topicCount++] = lists.count - 1;
          runGroup = slot.group;
        }
      }
      if (lists.count < 2) continue;
      const span = minimalSpan(lists);
      let value = BONUS_FIELDS[f]!.factor * (lists.count / this.totalSlots) * near(span, lists.count, proximityWindow);
      // Topics close in the order typed (二叉树 … 遍历) say what was asked; the other way round (遍历 … 二叉树) often
      // something else: closeness only in another order counts unorderedProximity as much. Merged only when used: a
      // one-topic query (a phrase's words) has nothing to order.
      if (topicCount >= 2 && value > 0) {
        topics.clear();
        for (let t = 0; t < topicCount; t++) {
          const start = topicStarts[t]!;
          const end = t + 1 < topicCount ? topicStarts[t + 1]! : lists.count;
          if (end - start === 1) topics.copy(lists, start);
          else appendUnionOfRuns(lists, start, end, arena, topics);
        }
        // One word per topic: the topics are the lists (the span does not depend on their order).
        const anyOrder = near(topics.count === lists.count ? span : minimalSpan(topics), topics.count, proximityWindow);
        const inOrder = near(orderedSpan(topics), topics.count, proximityWindow);
        if (anyOrder > 0) value *= unorderedProximity + ((1 - unorderedProximity) * inOrder) / anyOrder;
      }
      if (value > closeness) closeness = value;
    }
    return bonus + proximityBonus * (idfSum / presentCount) * closeness;
  }
}

/** Whether one of the lists has positions of `doc` (what appendUnionIn appends). */
function occursIn(lists: readonly PostingList[], doc: number): boolean {
  for (let i = 0; i < lists.length; i++) {
    const { docs, posStart } = lists[i]!;
    const e = entryIndex(docs, doc);
    if (e >= 0 && posStart[e + 1]! > posStart[e]!) return true;
  }
  return false;
}

/** How near words `span` positions apart are (1: side by side, 0: `window` or more positions between). */
function near(span: number, words: number, window: number): number {
  return Math.max(0, 1 - Math.max(0, span - (words - 1)) / window);
}

/**
 * A topic's posting lists: every word, sub-word and piece of every alternative (synonyms included), in the fields
 * naming what a whole post is about (title, tags) and in the body. Sub-words count: on the judged queries, posts
 * about elderly people and digital services (老年人 … 数字 …) are about 老年人 数字鸿沟 without the word. Without the
 * parts (a one-topic query's opening), a compound the segmenter cut (稳就业 → 稳 就业) is named where its pieces stand
 * side by side: `named` holds per word the lists of its pieces, one list for a word of its own.
 */
function topicLists(postings: PostingsCache, group: GroupPlan, withParts: boolean): { named: PostingList[][]; body: PostingList[] } {
  const terms = new Set<string>();
  const compounds: string[][] = [];
  for (const atom of alternatives(group, withParts)) {
    for (const slot of atom.slots) {
      terms.add(slot.whole);
      if (!withParts) {
        if (slot.pieces) compounds.push(slot.pieces);
        continue;
      }
      for (const piece of slot.pieces ?? []) terms.add(piece);
      for (const sub of slot.subwords) terms.add(sub.term);
    }
  }
  // Built by loops (see arrays.ts).
  const named: PostingList[][] = [];
  for (const field of ['title', 'tags'] as const) {
    for (const list of postings.found(field, terms)) named.push([list]);
    for (const pieces of compounds) {
      const lists = postings.found(field, pieces);
      if (lists.length === pieces.length) named.push(lists);
    }
  }
  return { named, body: postings.found('body', terms) };
}

/** A topic's alternatives: all of them, or without its synonyms (the words typed only). */
function alternatives(group: GroupPlan, withExpansions: boolean): GroupPlan['alternatives'] {
  return withExpansions ? group.alternatives : group.alternatives.filter((atom) => atom.expansionOf === undefined);
}

/** Whether `doc` has one of the words (a word's pieces side by side) of a topic's `named` lists. */
function namesTopic(named: PostingList[][], doc: number): boolean {
  for (const pieces of named) {
    // A word of its own is looked up in its documents: its positions are not read.
    if (pieces.length === 1) {
      if (entryIndex(pieces[0]!.docs, doc) >= 0) return true;
      continue;
    }
    const firsts = pieces[0]!;
    const e = entryIndex(firsts.docs, doc);
    if (e < 0 || !followingRuns(pieces, doc, pieceRuns)) continue;
    for (let p = firsts.posStart[e]!; p < firsts.posStart[e + 1]!; p++) if (piecesFollow(pieceRuns, firsts.positions[p]!)) return true;
  }
  return false;
}

/** The positions in `doc` of pieces[1..] (a compound's pieces after the first), as `runs`; false when one lacks `doc`. */
function followingRuns(pieces: readonly PostingList[], doc: number, runs: PositionRuns): boolean {
  runs.clear();
  for (let j = 1; j < pieces.length; j++) if (!appendPositionsIn(pieces[j]!, doc, runs)) return false;
  return true;
}

/** Whether the first piece at `position` has the others (followingRuns) right after it: run j at position + j + 1. */
function piecesFollow(runs: PositionRuns, position: number): boolean {
  for (let j = 0; j < runs.count; j++) if (entryIndex(runs.values[j]!, position + j + 1, runs.starts[j], runs.ends[j]) < 0) return false;
  return true;
}

/**
 * Positions of the rarest run at which every other run has a position within `window` (each run non-empty). Pointers
 * only move forward, so this is linear in the runs' lengths.
 */
export function countMeetings(runs: PositionRuns, window: number): number {
  const { values, starts, ends, count } = runs;
  let rarest = 0;
  for (let i = 1; i < count; i++) if (runs.length(i) < runs.length(rarest)) rarest = i;
  const pointers = cursorsFor(count);
  for (let i = 0; i < count; i++) pointers[i] = starts[i]!;
  const rare = values[rarest]!;
  let meetings = 0;
  for (let q = starts[rarest]!; q < ends[rarest]!; q++) {
    const position = rare[q]!;
    let all = true;
    for (let i = 0; i < count && all; i++) {
      if (i === rarest) continue;
      const list = values[i]!;
      const end = ends[i]!;
      let p = pointers[i]!;
      while (p < end && list[p]! + window < position) p++;
      pointers[i] = p;
      all = p < end && list[p]! <= position + window;
    }
    if (all) meetings++;
  }
  return meetings;
}

/**
 * A topic's word in the body and what an occurrence counts in a passage, as in its BM25F pseudo term frequency: the
 * word typed 1, a sub-word alone subwordWeight · its share, a synonym's word synonymWeight / its word count. A
 * compound the segmenter cut (Slot.pieces) counts 1 where its pieces stand side by side.
 */
export interface PassageTerm {
  topic: number;
  lists: PostingList[];
  weight: number;
}

/** Every topic's passage terms, the heaviest first (at a position holding several words of a topic, the first counts). */
function passageTerms(ctx: ScoringContext, groups: GroupPlan[], withSubwords: boolean): PassageTerm[] {
  const { subwordWeight, synonymWeight } = ctx.config;
  const terms: PassageTerm[] = [];
  for (const [topic, group] of groups.entries()) {
    for (const atom of alternatives(group, withSubwords)) {
      const scale = atom.expansionOf === undefined ? 1 : synonymWeight / atom.slots.length;
      for (const slot of atom.slots) {
        const words = slot.pieces ?? [slot.whole];
        const lists = ctx.postings.found('body', words);
        if (lists.length === words.length) terms.push({ topic, lists, weight: scale });
        if (!withSubwords) continue;
        for (const sub of slot.subwords) {
          const list = ctx.postings.get('body', sub.term);
          if (list) terms.push({ topic, lists: [list], weight: scale * subwordWeight * sub.share });
        }
      }
    }
  }
  return terms.sort((a, b) => b.weight - a.weight);
}

/**
 * Best Σ over topics of idf · c(k + 1) / (c + k), c the topic's weighted occurrences in `doc`'s body within a window of
 * `window` positions (windows start at an occurrence, before position `startsBefore`), over the windows holding every
 * topic; 0 when there is none. The terms' position lists are merged, then one pass slides the window over them.
 */
export function bestPassage(
  terms: PassageTerm[],
  topicIdfs: Float64Array,
  named: Float64Array,
  doc: number,
  window: number,
  k: number,
  buffers: PassageBuffers = new PassageBuffers(),
  startsBefore = Infinity,
): number {
  const topicCount = topicIdfs.length;
  const termCount = terms.length;
  let total = 0;
  // Each term's first word's positions: a topic found nowhere (nor named) ends the look here.
  const firsts = buffers.firsts;
  firsts.clear();
  let missing = 0;
  const counts = buffers.counts(topicCount);
  for (let t = 0; t < topicCount; t++) {
    counts[t] = named[t]!;
    if (counts[t] === 0) missing++;
  }
  // No window starting before startsBefore reaches a position at or past startsBefore + window: a long post's later
  // occurrences are not merged for its opening.
  const reach = startsBefore + window;
  for (let i = 0; i < termCount; i++) {
    const term = terms[i]!;
    const { docs, posStart, positions } = term.lists[0]!;
    const e = entryIndex(docs, doc);
    const start = e < 0 ? 0 : posStart[e]!;
    let end = e < 0 ? 0 : posStart[e + 1]!;
    if (end > start && positions[end - 1]! >= reach) end = lowerBound(positions, reach, start, end);
    firsts.push(positions, start, end);
    if (end > start) {
      total += end - start;
      // Marked as seen with a negative count until the window pass (restored below).
      if (counts[term.topic] === 0) {
        counts[term.topic] = -1;
        missing--;
      }
    }
  }
  if (missing > 0) return 0;
  for (let t = 0; t < topicCount; t++) if (counts[t]! < 0) counts[t] = 0;
  // A compound's pieces: keep the positions where the other pieces follow.
  const arena = buffers.arena;
  arena.reset();
  for (let i = 0; i < termCount; i++) {
    const lists = terms[i]!.lists;
    if (lists.length === 1 || firsts.length(i) === 0) continue;
    const values = firsts.values[i]!;
    const from = firsts.starts[i]!;
    const to = firsts.ends[i]!;
    const kept = arena.take(to - from);
    let n = kept;
    if (followingRuns(lists, doc, buffers.pieces)) for (let p = from; p < to; p++) if (piecesFollow(buffers.pieces, values[p]!)) arena.buffer[n++] = values[p]!;
    firsts.values[i] = arena.buffer;
    firsts.starts[i] = kept;
    firsts.ends[i] = n;
  }
  // Merged in position order (at one position the heaviest term first, as terms are sorted so), a position
  // counted once per topic.
  buffers.reserve(total);
  const { positions, topics, weights } = buffers;
  const heads = buffers.heads(termCount);
  for (let i = 0; i < termCount; i++) heads[i] = firsts.starts[i]!;
  let m = 0;
  for (;;) {
    let next = -1;
    let nextPosition = Infinity;
    for (let i = 0; i < termCount; i++) {
      const head = heads[i]!;
      if (head < firsts.ends[i]! && firsts.values[i]![head]! < nextPosition) {
        next = i;
        nextPosition = firsts.values[i]![head]!;
      }
    }
    if (next < 0) break;
    heads[next]!++;
    const topic = terms[next]!.topic;
    let duplicate = false;
    for (let j = m - 1; j >= 0 && positions[j] === nextPosition && !duplicate; j--) duplicate = topics[j] === topic;
    if (duplicate) continue;
    positions[m] = nextPosition;
    topics[m] = topic;
    weights[m++] = terms[next]!.weight;
  }
  let present = 0;
  for (let t = 0; t < topicCount; t++) if (counts[t]! > 0) present++;
  // Topics all named in the title or tags: every passage has them.
  let best = present < topicCount ? 0 : passageScore(counts, topicIdfs, k);
  let end = 0;
  for (let start = 0; start < m && positions[start]! < startsBefore; start++) {
    const limit = positions[start]! + window;
    for (; end < m && positions[end]! < limit; end++) {
      if (counts[topics[end]!] === 0) present++;
      counts[topics[end]!] += weights[end]!;
    }
    if (present === topicCount) best = Math.max(best, passageScore(counts, topicIdfs, k));
    const t = topics[start]!;
    counts[t] -= weights[start]!;
    if (counts[t] <= 1e-9) {
      counts[t] = 0;
      present--;
    }
  }
  return best;
}

/** Σ over topics of idf · c(k + 1) / (c + k), c the topic's count. */
function passageScore(counts: Float64Array, topicIdfs: Float64Array, k: number): number {
  let value = 0;
  for (let t = 0; t < topicIdfs.length; t++) value += (topicIdfs[t]! * counts[t]! * (k + 1)) / (counts[t]! + k);
  return value;
}

/** The first index in [from, to) of the ascending `values` whose value is ≥ `target` (`to` if none). */
function lowerBound(values: Uint32Array, target: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** bestPassage's arrays, kept from document to document (grown when too small) so a search allocates few. */
export class PassageBuffers {
  /** Per term, its first word's positions in the document. */
  readonly firsts = new PositionRuns();
  /** A compound's other pieces' positions, and the first piece's positions they follow. */
  readonly pieces = new PositionRuns();
  readonly arena = new PositionArena();
  private topicCounts = new Float64Array(4);
  private headArray = new Uint32Array(16);
  /** The merged occurrences (at least `reserve`d entries). */
  positions = new Float64Array(256);
  topics = new Uint32Array(256);
  weights = new Float64Array(256);

  counts(topicCount: number): Float64Array {
    if (this.topicCounts.length < topicCount) this.topicCounts = new Float64Array(topicCount);
    return this.topicCounts;
  }

  /** Per term, how far its positions have been merged. */
  heads(termCount: number): Uint32Array {
    if (this.headArray.length < termCount) this.headArray = new Uint32Array(termCount);
    return this.headArray;
  }

  reserve(size: number): void {
    if (this.positions.length < size) {
      this.positions = new Float64Array(size * 2);
      this.topics = new Uint32Array(size * 2);
      this.weights = new Float64Array(size * 2);
    }
  }
}

/**
 * bestPassage's buffers and the position unions of the document being looked at, shared by every scorer (a search
 * runs to its end before the next starts): made per search, they were a good part of its garbage.
 */
const sharedPassageBuffers = new PassageBuffers();
const arena = new PositionArena();

/** The runs of phraseCount and namesTopic, reused (a search runs to its end before the next starts). */
const phraseRuns = new PositionRuns();
const pieceRuns = new PositionRuns();

/**
 * `lists`: per bonus field, per slot, the list of its whole word there; `kept`: the phrase's counts, when kept. Sets
 * `verbatim[f]` to 1 for the fields where the phrase occurs.
 */
function phraseEvidence(lists: readonly (PostingList | undefined)[][], slots: readonly Slot[], doc: number, verbatim: Uint8Array, kept?: Required<KeptPhrase>): number {
  let count = 0;
  // A document not kept has the phrase in no field.
  const at = kept ? entryIndex(kept.docs, doc) : -1;
  for (let f = 0; f < BONUS_FIELDS.length; f++) {
    const found = !kept ? phraseCount(lists[f]!, slots, doc) : at < 0 ? 0 : kept.counts[f]![at]!;
    if (found > 0) verbatim[f] = 1;
    count += BONUS_FIELDS[f]!.factor * found;
  }
  return count / (count + 1);
}
