/** Position-based evidence: verbatim phrases (required or bonus) and query words occurring close together. */
import type { FieldName, PostingList } from '../index/types.js';
import { FIELDS } from './bm25f.js';
import type { AtomPlan, GroupPlan, Slot } from './plan.js';
import { entryIndex, forEachAligned, PositionArena, positionsIn, seek, unionPositions, unionPositionsIn, type PostingsCache } from './postings.js';
import type { AtomScores, ScoringContext, SlotScores } from './score.js';
import { ranksBefore, type Scored } from './top-k.js';

/** Fields in which proximity and phrase bonuses are looked for, with how much an occurrence there counts. */
const BONUS_FIELDS: { field: FieldName; factor: number }[] = [
  { field: 'title', factor: 2 },
  { field: 'body', factor: 1 },
];

/** Number of places where the atom's whole words occur at their query offsets in `field` of `doc`. */
export function phraseCount(postings: PostingsCache, field: FieldName, slots: Slot[], doc: number): number {
  const lists = slots.map((slot) => postings.positions(field, slot.whole, doc));
  if (lists.some((list) => list.length === 0)) return 0;
  let count = 0;
  for (const start of lists[0]) {
    let all = true;
    for (let i = 1; i < slots.length && all; i++) all = entryIndex(lists[i], start + slots[i].offset) >= 0;
    if (all) count++;
  }
  return count;
}

/** Documents as 1s (`has`), and the same documents listed in the order found (`docs`). */
export interface DocumentSet {
  has: Uint8Array;
  docs: number[];
}

/**
 * Adds to `found` (made empty when not given) the documents in which the atom's whole words occur at their query
 * offsets (verbatim) in some field. Per field the slots' document lists are intersected from the rarest
 * (forEachAligned), positions compared only in the documents they share.
 */
export function phraseDocuments(postings: PostingsCache, slots: Slot[], docCount: number, found: DocumentSet = { has: new Uint8Array(docCount), docs: [] }): DocumentSet {
  const offsets = slots.map((slot) => slot.offset);
  const add = (doc: number) => {
    if (found.has[doc] === 1) return;
    found.has[doc] = 1;
    found.docs.push(doc);
  };
  for (const field of FIELDS) {
    const lists: PostingList[] = [];
    for (const slot of slots) {
      const list = postings.get(field, slot.whole);
      if (!list) break;
      lists.push(list);
    }
    if (lists.length === slots.length) forEachAligned(lists, offsets, add);
  }
  return found;
}

/** Smallest max−min over choices of one position from each (non-empty, sorted) list. */
export function minimalSpan(lists: Uint32Array[]): number {
  const pointers = new Array<number>(lists.length).fill(0);
  let best = Infinity;
  for (;;) {
    let minList = 0;
    let max = -Infinity;
    for (let i = 0; i < lists.length; i++) {
      const value = lists[i][pointers[i]];
      if (value < lists[minList][pointers[minList]]) minList = i;
      if (value > max) max = value;
    }
    const span = max - lists[minList][pointers[minList]];
    if (span < best) best = span;
    if (++pointers[minList] >= lists[minList].length) return best;
  }
}

/**
 * Smallest last−first over choices of one position from each (non-empty, sorted) list, each position after the
 * previous list's: the words in the order of the lists. Infinity when they never occur in that order.
 */
export function orderedSpan(lists: Uint32Array[]): number {
  let best = Infinity;
  for (const first of lists[0]) {
    let at = first;
    for (let i = 1; i < lists.length; i++) {
      const list = lists[i];
      // First position after `at` (binary search).
      let low = 0;
      let high = list.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (list[mid] <= at) low = mid + 1;
        else high = mid;
      }
      if (low === list.length) return best;
      at = list[low];
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
 * The head of a BM25F ranking (in its order) ranked again, as every backend that has its head's positions does (the
 * embedded index; the engine, from its rows' term positions): phrase and proximity bonuses and where the query's
 * topics meet, then the passage score, the costliest, for the first passageDepth of that order only.
 */
export function rerankHead(positional: PositionalScorer, ranked: readonly Scored[], passageDepth: number): Scored[] {
  const head = ranked.map(({ doc, score }) => ({ doc, score: (score + positional.bonus(doc)) * positional.meeting(doc) }));
  head.sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
  const passages = Math.min(passageDepth, head.length);
  for (let i = 0; i < passages; i++) head[i]!.score += positional.passage(head[i]!.doc);
  if (passages > 0) head.sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
  return head;
}

/**
 * Bonus for a document in the top of the BM25F ranking: each multi-word atom found verbatim adds
 * phraseBonus · idf (saturating with its count); all slots within proximityWindow add proximityBonus · idf.
 * Made once per search: posting lists are looked up here, not once per document.
 */
export class PositionalScorer {
  private readonly atoms: { atom: AtomPlan; slots: BonusSlot[]; meanIdf: number }[] = [];
  private readonly totalSlots: number;
  /** Per topic (query group, alternatives together): its words in the title and tags (see topicLists), and in the body. */
  private readonly topics: { named: PostingList[][]; body: PostingList[] }[];
  /** Per topic: the mean idf of the words typed (their synonyms not counted), its weight in a passage. */
  private readonly topicIdfs: Float64Array;
  /** The topics' words in the body, each with what an occurrence counts in a passage. */
  private readonly passageTerms: PassageTerm[];
  // Reused per document.
  private readonly present: BonusSlot[] = [];
  private readonly positionLists: Uint32Array[] = [];
  private readonly topicRuns: number[] = [];
  private readonly named: Float64Array;

  constructor(
    private readonly ctx: ScoringContext,
    groups: GroupPlan[],
    atomScores: AtomScores,
  ) {
    for (const [g, group] of groups.entries()) {
      for (const atom of group.alternatives) {
        const scores = atomScores.get(atom)!;
        const slots = atom.slots.map((slot, i) => ({
          scores: scores[i],
          lists: BONUS_FIELDS.map(({ field }) =>
            [slot.whole, ...slot.subwords.map((s) => s.term)].flatMap((term) => ctx.postings.get(field, term) ?? []),
          ),
          group: g,
        }));
        this.atoms.push({ atom, slots, meanIdf: scores.reduce((sum, s) => sum + s.idf, 0) / scores.length });
      }
    }
    this.totalSlots = groups.reduce((sum, group) => sum + Math.max(...group.alternatives.map((atom) => atom.slots.length)), 0);
    // A one-topic query looks only for its word in the post's opening (openingWeight 0: not at all).
    const positional = groups.length >= 2 || (groups.length === 1 && ctx.config.openingWeight > 0) ? groups : [];
    this.topics = positional.map((group) => topicLists(ctx.postings, group, positional.length > 1));
    this.named = new Float64Array(this.topics.length);
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
    if (this.passageTerms.length === 0) return 0;
    const named = this.namedIn(doc);
    if (this.topics.length === 1) {
      return openingWeight * bestPassage(this.passageTerms, this.topicIdfs, named, doc, topicWindow, passageSaturation, sharedPassageBuffers, openingLength);
    }
    const best = bestPassage(this.passageTerms, this.topicIdfs, named, doc, passageWindow, passageSaturation, sharedPassageBuffers);
    // A sentence holding every topic lies in some passage: without a passage there is no lead to look for.
    if (best === 0 || leadWeight === 0) return passageWeight * best;
    const lead = bestPassage(this.passageTerms, this.topicIdfs, named, doc, topicWindow, passageSaturation, sharedPassageBuffers, leadLength);
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
    const inBody: Uint32Array[] = [];
    arena.reset();
    for (const topic of this.topics) {
      if (namesTopic(topic.named, doc)) continue;
      const positions = slotPositions(topic.body, doc);
      if (positions.length === 0) return topicsApart;
      inBody.push(positions);
    }
    if (inBody.length < 2) return 1;
    const meetings = countMeetings(inBody, topicWindow);
    return topicsApart + ((1 - topicsApart) * meetings) / (meetings + 1);
  }

  bonus(doc: number): number {
    const { phraseBonus, proximityBonus, proximityWindow, unorderedProximity, synonymWeight } = this.ctx.config;
    let bonus = 0;
    const present = this.present;
    present.length = 0;
    let idfSum = 0;
    for (const { atom, slots, meanIdf } of this.atoms) {
      for (const slot of slots) {
        if (slot.scores.pseudoTf[doc] > 0) {
          present.push(slot);
          idfSum += slot.scores.idf;
        }
      }
      if (slots.length > 1 && phraseBonus > 0) bonus += (atom.expansionOf === undefined ? 1 : synonymWeight) * phraseBonus * meanIdf * phraseEvidence(this.ctx.postings, atom, doc);
    }
    if (present.length < 2 || proximityBonus === 0) return bonus;
    arena.reset();
    let closeness = 0;
    const lists = this.positionLists;
    const runs = this.topicRuns;
    for (let f = 0; f < BONUS_FIELDS.length; f++) {
      lists.length = 0;
      runs.length = 0;
      // Per group (topic typed apart), in the order typed, the positions of all its words: `present` holds a group's
      // slots one after another, so a topic's lists are a run of `lists` (`runs`: where each starts).
      let runGroup = -1;
      for (const slot of present) {
        const positions = slotPositions(slot.lists[f], doc);
        if (positions.length === 0) continue;
        if (slot.group !== runGroup) {
          runs.push(lists.length);
          runGroup = slot.group;
        }
        lists.push(positions);
      }
      if (lists.length < 2) continue;
      const span = minimalSpan(lists);
      let value = BONUS_FIELDS[f].factor * (lists.length / this.totalSlots) * near(span, lists.length, proximityWindow);
      // Topics close in the order typed (二叉树 … 遍历) say what was asked; the other way round (遍历 … 二叉树) often
      // something else: closeness only in another order counts unorderedProximity as much. Merged only when used: a
      // one-topic query (a phrase's words) has nothing to order.
      if (runs.length >= 2 && value > 0) {
        const topics = runs.map((start, r) => {
          const end = r + 1 < runs.length ? runs[r + 1]! : lists.length;
          return end - start === 1 ? lists[start]! : unionPositions(lists.slice(start, end), arena);
        });
        // One word per topic: the topics are the lists (the span does not depend on their order).
        const anyOrder = near(topics.length === lists.length ? span : minimalSpan(topics), topics.length, proximityWindow);
        const inOrder = near(orderedSpan(topics), topics.length, proximityWindow);
        if (anyOrder > 0) value *= unorderedProximity + ((1 - unorderedProximity) * inOrder) / anyOrder;
      }
      if (value > closeness) closeness = value;
    }
    return bonus + proximityBonus * (idfSum / present.length) * closeness;
  }
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
  const lists = (field: FieldName) => [...terms].flatMap((term) => postings.get(field, term) ?? []);
  const named = (field: FieldName) => [
    ...lists(field).map((list) => [list]),
    ...compounds.map((pieces) => pieces.map((piece) => postings.get(field, piece))).filter((pieces): pieces is PostingList[] => !pieces.includes(undefined)),
  ];
  return { named: [...named('title'), ...named('tags')], body: lists('body') };
}

/** A topic's alternatives: all of them, or without its synonyms (the words typed only). */
function alternatives(group: GroupPlan, withExpansions: boolean): GroupPlan['alternatives'] {
  return withExpansions ? group.alternatives : group.alternatives.filter((atom) => atom.expansionOf === undefined);
}

/** Whether `doc` has one of the words (a word's pieces side by side) of a topic's `named` lists. */
function namesTopic(named: PostingList[][], doc: number): boolean {
  for (const pieces of named) {
    // A word of its own is looked up in its documents: no view of its positions is made (one per topic and document).
    if (pieces.length === 1) {
      if (entryIndex(pieces[0]!.docs, doc) >= 0) return true;
      continue;
    }
    const first = positionsIn(pieces[0]!, doc);
    if (first.length === 0) continue;
    const rest = pieces.slice(1).map((list) => positionsIn(list, doc));
    if (first.some((position) => rest.every((positions, j) => entryIndex(positions, position + j + 1) >= 0))) return true;
  }
  return false;
}

/**
 * Positions of the first list (the rarest) at which every other list has a position within `window` (each list
 * sorted ascending, non-empty). Pointers only move forward, so this is linear in the lists' lengths.
 */
export function countMeetings(lists: Uint32Array[], window: number): number {
  let rarest = 0;
  for (let i = 1; i < lists.length; i++) if (lists[i].length < lists[rarest].length) rarest = i;
  const pointers = new Array<number>(lists.length).fill(0);
  let meetings = 0;
  for (const position of lists[rarest]) {
    let all = true;
    for (let i = 0; i < lists.length && all; i++) {
      if (i === rarest) continue;
      const list = lists[i];
      let p = pointers[i];
      while (p < list.length && list[p] + window < position) p++;
      pointers[i] = p;
      all = p < list.length && list[p] <= position + window;
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
  const body = (term: string) => ctx.postings.get('body', term);
  const terms: PassageTerm[] = [];
  for (const [topic, group] of groups.entries()) {
    for (const atom of alternatives(group, withSubwords)) {
      const scale = atom.expansionOf === undefined ? 1 : synonymWeight / atom.slots.length;
      for (const slot of atom.slots) {
        const lists = (slot.pieces ?? [slot.whole]).map(body);
        if (lists.every((list) => list !== undefined)) terms.push({ topic, lists: lists as PostingList[], weight: scale });
        if (!withSubwords) continue;
        for (const sub of slot.subwords) {
          const list = body(sub.term);
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
  firsts.length = 0;
  let missing = 0;
  const counts = buffers.counts(topicCount);
  for (let t = 0; t < topicCount; t++) {
    counts[t] = named[t]!;
    if (counts[t] === 0) missing++;
  }
  // No window starting before startsBefore reaches a position at or past startsBefore + window: a long post's later
  // occurrences are not merged for its opening.
  const reach = startsBefore + window;
  for (const term of terms) {
    const all = positionsIn(term.lists[0]!, doc);
    const first = reach === Infinity || all.length === 0 || all[all.length - 1]! < reach ? all : all.subarray(0, seek(all, reach, 0));
    firsts.push(first);
    if (first.length > 0) {
      total += first.length;
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
  for (let i = 0; i < termCount; i++) {
    const lists = terms[i]!.lists;
    const first = firsts[i]!;
    if (lists.length === 1 || first.length === 0) continue;
    const rest = lists.slice(1).map((list) => positionsIn(list, doc));
    firsts[i] = first.filter((position) => rest.every((positions, j) => entryIndex(positions, position + j + 1) >= 0));
  }
  // Merged in position order (at one position the heaviest term first, as terms are sorted so), a position
  // counted once per topic.
  const { positions, topics, weights } = buffers.occurrences(total);
  const heads = buffers.heads(termCount);
  let m = 0;
  for (;;) {
    let next = -1;
    let nextPosition = Infinity;
    for (let i = 0; i < termCount; i++) {
      const list = firsts[i]!;
      if (heads[i]! < list.length && list[heads[i]!]! < nextPosition) {
        next = i;
        nextPosition = list[heads[i]!]!;
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
  const score = () => {
    if (present < topicCount) return 0;
    let value = 0;
    for (let t = 0; t < topicCount; t++) value += (topicIdfs[t]! * counts[t]! * (k + 1)) / (counts[t]! + k);
    return value;
  };
  // Topics all named in the title or tags: every passage has them.
  let best = score();
  let end = 0;
  for (let start = 0; start < m && positions[start]! < startsBefore; start++) {
    const limit = positions[start]! + window;
    for (; end < m && positions[end]! < limit; end++) {
      if (counts[topics[end]!] === 0) present++;
      counts[topics[end]!] += weights[end]!;
    }
    best = Math.max(best, score());
    const t = topics[start]!;
    counts[t] -= weights[start]!;
    if (counts[t] <= 1e-9) {
      counts[t] = 0;
      present--;
    }
  }
  return best;
}

/** bestPassage's arrays, kept from document to document (grown when too small) so a search allocates few. */
export class PassageBuffers {
  readonly firsts: Uint32Array[] = [];
  private topicCounts = new Float64Array(4);
  private headArray = new Uint32Array(16);
  private positionArray = new Float64Array(256);
  private topicArray = new Uint32Array(256);
  private weightArray = new Float64Array(256);

  counts(topicCount: number): Float64Array {
    if (this.topicCounts.length < topicCount) this.topicCounts = new Float64Array(topicCount);
    return this.topicCounts;
  }

  /** Per term, how far its positions have been merged (zeroed). */
  heads(termCount: number): Uint32Array {
    if (this.headArray.length < termCount) this.headArray = new Uint32Array(termCount);
    return this.headArray.fill(0, 0, termCount);
  }

  occurrences(size: number): { positions: Float64Array; topics: Uint32Array; weights: Float64Array } {
    if (this.positionArray.length < size) {
      this.positionArray = new Float64Array(size * 2);
      this.topicArray = new Uint32Array(size * 2);
      this.weightArray = new Float64Array(size * 2);
    }
    return { positions: this.positionArray, topics: this.topicArray, weights: this.weightArray };
  }
}

/**
 * bestPassage's buffers and the position unions of the document being looked at, shared by every scorer (a search
 * runs to its end before the next starts): made per search, they were a good part of its garbage.
 */
const sharedPassageBuffers = new PassageBuffers();
const arena = new PositionArena();

/** Positions in `doc` of any of a slot's words (one field's lists), ascending; a union lives until `arena` is reset. */
function slotPositions(lists: PostingList[], doc: number): Uint32Array {
  return lists.length === 1 ? positionsIn(lists[0]!, doc) : unionPositionsIn(lists, doc, arena);
}

function phraseEvidence(postings: PostingsCache, atom: AtomPlan, doc: number): number {
  let count = 0;
  for (const { field, factor } of BONUS_FIELDS) count += factor * phraseCount(postings, field, atom.slots, doc);
  return count / (count + 1);
}
