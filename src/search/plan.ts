/** Turns the parsed query into analysed term slots, with the same analyzer that built the index. */
import { asksHow } from '../analysis/portable.js';
import type { Analyzer, Token } from '../analysis/types.js';
import { mapped } from './arrays.js';
import type { QueryAst, QueryAtom } from './query.js';
import type { QueryExpansion } from './types.js';

/** A search-mode sub-word standing in for its whole word; shares sum to 1 (by character length). */
export interface Subword {
  term: string;
  share: number;
}

/** One query word position: the whole word and the sub-words jieba's search mode put at the same position. */
export interface Slot {
  whole: string;
  subwords: Subword[];
  /**
   * Set when the whole word is a short query word the segmenter cut in several words (数字鸿沟 → 数字 鸿沟): these
   * words next to each other in a document are the whole word, which has no posting list of its own.
   */
  pieces?: string[];
  /** Position relative to the atom's first slot (stop words in between keep their gap). */
  offset: number;
  /**
   * The verb of a manner question (如何**应对**人口老龄化, 怎样**防范**诈骗, how to **install**): how the user asks, not
   * what about. It scores questionVerbWeight times as much and a document without it is not missing a word.
   */
  questionVerb?: boolean;
}

export interface AtomPlan {
  kind: 'term' | 'phrase';
  text: string;
  slots: Slot[];
  /** Set on an alternative added by a synonym: the query word it stands for. Scores `synonymWeight` times as much. */
  expansionOf?: string;
}

export interface GroupPlan {
  alternatives: AtomPlan[];
  /** Only phrases: at least one must occur verbatim. */
  required: boolean;
}

export interface QueryPlan {
  groups: GroupPlan[];
  excludes: AtomPlan[];
}

/** Synonyms of a query word typed on its own (normalised), as query texts; none when absent. */
export type Expand = (normalizedWord: string) => readonly string[] | undefined;

export interface PlanOptions {
  /** Synonyms to add as alternatives (default none). */
  expand?: Expand;
  /** Read short Chinese words the segmenter cuts as one slot (Slot.pieces); needs positional postings to score. */
  compounds?: boolean;
  /** Longer index terms a Latin query word is part of (chatgpt for gpt), added as its sub-words. */
  latinParts?: (word: string) => string[];
  /**
   * Synonym texts planned so far, by text, kept from query to query by a caller whose analyzer does not change (and
   * with the same `compounds`): analysing them again was over half of planning a query with synonyms. Their plans are
   * read, never changed.
   */
  expansionPlans?: Map<string, AtomPlan>;
}

export function planQuery(ast: QueryAst, analyzer: Analyzer, options: PlanOptions = {}): QueryPlan {
  const { expand = () => undefined, compounds = false, latinParts, expansionPlans } = options;
  const groups: GroupPlan[] = [];
  // Set by a group of stop words only that asks how (如何 typed apart): the next word is the question's verb.
  let afterHow = false;
  for (const group of ast.groups) {
    const planned = group.alternatives.map((atom) => planAtom(atom, analyzer, compounds && atom.kind === 'term', afterHow));
    const own = planned.filter((atom) => atom.slots.length > 0);
    afterHow = own.length === 0 && group.alternatives.some((atom) => asksHow(analyzer.normalize(atom.text)));
    if (own.length === 0) continue;
    const alternatives = [...own];
    for (const atom of own) {
      if (atom.kind !== 'term') continue;
      for (const text of expand(analyzer.normalize(atom.text).trim()) ?? []) {
        let expansion = expansionPlans?.get(text);
        if (!expansion) {
          expansion = planAtom({ kind: 'term', text }, analyzer, compounds);
          expansionPlans?.set(text, expansion);
        }
        if (expansion.slots.length > 0 && !alternatives.some((other) => other.text === text)) alternatives.push({ ...expansion, expansionOf: atom.text });
      }
    }
    if (latinParts) for (const atom of own) if (atom.kind === 'term') atom.slots = atom.slots.map((slot) => withLatinParts(slot, latinParts));
    groups.push({ alternatives, required: own.every((atom) => atom.kind === 'phrase') });
  }
  const excludes = ast.excludes.map((atom) => planAtom(atom, analyzer)).filter((atom) => atom.slots.length > 0);
  return { groups: groups.some((group) => group.alternatives.some((atom) => atom.slots.some((slot) => !slot.questionVerb))) ? groups : withoutQuestionVerbs(groups), excludes };
}

/**
 * `compounds`: a short Chinese word the segmenter cut in several is one slot (see Slot.pieces); for plain terms.
 * `afterHow`: the query word before this atom asked how (如何 typed apart), so its first word is a question verb.
 */
export function planAtom(atom: QueryAtom, analyzer: Analyzer, compounds = false, afterHow = false): AtomPlan {
  const tokens = analyzer.analyzeQuery(atom.text);
  const slots = slotsFromTokens(tokens);
  const joined = compounds ? joinCompounds(slots, tokens, atom.text) : slots;
  return { kind: atom.kind, text: atom.text, slots: atom.kind === 'term' ? markQuestionVerbs(joined, tokens, atom.text, analyzer.normalize, afterHow) : joined };
}

/**
 * Marks the words right after a manner question word (如何, 怎样, how to: stop words, so only the text between two
 * query words shows them) as question verbs. A compound (Slot.pieces) is a topic, never the verb.
 */
function markQuestionVerbs(slots: Slot[], tokens: Token[], text: string, normalize: (text: string) => string, afterHow: boolean): Slot[] {
  if (slots.length === 0) return slots;
  const firstPosition = Math.min(...tokens.map((token) => token.position));
  const startOf = new Map<number, number>();
  const endOf = new Map<number, number>();
  for (const token of tokens) {
    startOf.set(token.position, Math.min(startOf.get(token.position) ?? token.start, token.start));
    endOf.set(token.position, Math.max(endOf.get(token.position) ?? token.end, token.end));
  }
  let previousEnd = 0;
  return slots.map((slot, i) => {
    const start = startOf.get(firstPosition + slot.offset)!;
    const asked = (i === 0 && afterHow) || asksHow(normalize(text.slice(previousEnd, start)));
    previousEnd = endOf.get(firstPosition + slot.offset + (slot.pieces ? slot.pieces.length - 1 : 0)) ?? previousEnd;
    return asked && !slot.pieces ? { ...slot, questionVerb: true } : slot;
  });
}

/** A question of its verb alone (如何学习) keeps the verb as its topic. */
function withoutQuestionVerbs(groups: GroupPlan[]): GroupPlan[] {
  return groups.map((group) => ({
    ...group,
    alternatives: group.alternatives.map((atom) => ({ ...atom, slots: atom.slots.map(({ questionVerb: _, ...slot }) => slot) })),
  }));
}

/** A Latin slot with the longer terms it is part of as extra sub-words (each as much as a piece of it would be). */
function withLatinParts(slot: Slot, latinParts: (word: string) => string[]): Slot {
  const extra = latinParts(slot.whole).filter((term) => !slot.subwords.some((sub) => sub.term === term));
  if (extra.length === 0) return slot;
  const subwords = [...slot.subwords.map((sub) => ({ term: sub.term, share: sub.share / 2 })), ...extra.map((term) => ({ term, share: 1 }))];
  return { ...slot, subwords };
}

/** The slot's whole word, then its sub-words (see arrays.ts). */
export function slotWords(slot: Slot): string[] {
  return [slot.whole, ...mapped(slot.subwords, (sub) => sub.term)];
}

/** Longest query word, in characters, read as one word when the segmenter cuts it (数字鸿沟, 稳就业, 云计算). */
const MAX_COMPOUND_CHARS = 4;
const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * Joins the slots of a short run of Chinese words typed without a break (adjacent in the query, consecutive
 * positions, no stop word between, 2–4 characters in all, the whole run of Chinese there) into one slot whose
 * whole word is the run: a user who types 数字鸿沟 means the word, not 数字 and 鸿沟 anywhere.
 */
function joinCompounds(slots: Slot[], tokens: Token[], text: string): Slot[] {
  if (slots.length < 2) return slots;
  const span = new Map<number, { start: number; end: number }>();
  for (const token of tokens) {
    const known = span.get(token.position);
    if (!known || token.end - token.start > known.end - known.start) span.set(token.position, { start: token.start, end: token.end });
  }
  const firstPosition = Math.min(...span.keys());
  const spanOf = (slot: Slot) => span.get(firstPosition + slot.offset)!;
  const result: Slot[] = [];
  let i = 0;
  while (i < slots.length) {
    let j = i + 1;
    while (
      j < slots.length &&
      slots[j]!.offset === slots[j - 1]!.offset + 1 &&
      spanOf(slots[j]!).start === spanOf(slots[j - 1]!).end
    ) {
      j++;
    }
    const start = spanOf(slots[i]!).start;
    const end = spanOf(slots[j - 1]!).end;
    const run = text.slice(start, end);
    const isolated = !HAN_ONLY.test(text.slice(start - 1, start)) && !HAN_ONLY.test(text.slice(end, end + 1));
    if (j - i >= 2 && isolated && HAN_ONLY.test(run) && [...run].length <= MAX_COMPOUND_CHARS) {
      const pieces = slots.slice(i, j).map((slot) => slot.whole);
      const parts = representativeSubwords(pieces);
      const total = parts.reduce((sum, term) => sum + [...term].length, 0);
      result.push({
        whole: pieces.join(''),
        subwords: parts.map((term) => ({ term, share: [...term].length / total })),
        pieces,
        offset: slots[i]!.offset,
      });
    } else {
      result.push(...slots.slice(i, j));
    }
    i = j;
  }
  return result;
}

/** Groups tokens by position; the longest token at a position is the whole word, the others its sub-words. */
export function slotsFromTokens(tokens: Token[]): Slot[] {
  const byPosition = new Map<number, Token[]>();
  for (const token of tokens) {
    const list = byPosition.get(token.position);
    if (list) list.push(token);
    else byPosition.set(token.position, [token]);
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  return positions.map((position) => {
    const list = byPosition.get(position)!;
    let whole = list[0];
    for (const token of list) if (token.end - token.start > whole.end - whole.start) whole = token;
    const subTerms = representativeSubwords(list.map((token) => token.term).filter((term) => term !== whole.term));
    const totalLength = subTerms.reduce((sum, term) => sum + [...term].length, 0);
    return {
      whole: whole.term,
      subwords: subTerms.map((term) => ({ term, share: [...term].length / totalLength })),
      offset: position - positions[0],
    };
  });
}

/**
 * The sub-words that carry the whole word's meaning: those not inside a longer sub-word, and no single
 * characters when longer ones exist (新基础设施 → 基础设施, not 新/基础/设施).
 */
export function representativeSubwords(terms: string[]): string[] {
  const distinct = [...new Set(terms)];
  const maximal = distinct.filter((term) => !distinct.some((other) => other !== term && other.includes(term)));
  const long = maximal.filter((term) => [...term].length > 1);
  return long.length > 0 ? long : maximal;
}

/** Every distinct term of the plan's groups (whole words first), for highlighting and matched_terms. */
export function planTerms(plan: QueryPlan): { wholes: string[]; subwords: string[] } {
  const wholes = new Set<string>();
  const subwords = new Set<string>();
  for (const group of plan.groups) {
    for (const atom of group.alternatives) {
      for (const slot of atom.slots) {
        wholes.add(slot.whole);
        for (const sub of slot.subwords) subwords.add(sub.term);
      }
    }
  }
  for (const term of wholes) subwords.delete(term);
  return { wholes: [...wholes], subwords: [...subwords] };
}

/** Query terms a document has (`has`): whole words, or the sub-words standing in for a missing whole word. */
export function presentQueryTerms(plan: QueryPlan, has: (term: string) => boolean): string[] {
  const found = new Set<string>();
  for (const group of plan.groups) {
    let ownWholeFound = false;
    for (const atom of group.alternatives) {
      for (const slot of atom.slots) {
        const whole = slot.pieces ? slot.pieces.every(has) : has(slot.whole);
        if (whole) {
          for (const term of slot.pieces ?? [slot.whole]) found.add(term);
          if (atom.expansionOf === undefined) ownWholeFound = true;
        } else if (atom.expansionOf === undefined || !ownWholeFound) {
          for (const sub of slot.subwords) if (has(sub.term)) found.add(sub.term);
        }
      }
    }
  }
  return [...found];
}

/** What each query word was expanded to (synonyms), in query order. */
export function expansions(plan: QueryPlan): QueryExpansion[] {
  const byWord = new Map<string, string[]>();
  for (const group of plan.groups) {
    for (const atom of group.alternatives) {
      if (atom.expansionOf === undefined) continue;
      const list = byWord.get(atom.expansionOf);
      if (list) list.push(atom.text);
      else byWord.set(atom.expansionOf, [atom.text]);
    }
  }
  return [...byWord].map(([word, to]) => ({ word, to }));
}
