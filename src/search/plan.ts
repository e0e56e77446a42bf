/** Turns the parsed query into analysed term slots, with the same analyzer that built the index. */
import type { Analyzer, Token } from '../analysis/types.js';
import type { QueryAst, QueryAtom } from './query.js';

/** A search-mode sub-word standing in for its whole word; shares sum to 1 (by character length). */
export interface Subword {
  term: string;
  share: number;
}

/** One query word position: the whole word and the sub-words jieba's search mode put at the same position. */
export interface Slot {
  whole: string;
  subwords: Subword[];
  /** Position relative to the atom's first slot (stop words in between keep their gap). */
  offset: number;
}

export interface AtomPlan {
  kind: 'term' | 'phrase';
  text: string;
  slots: Slot[];
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

export function planQuery(ast: QueryAst, analyzer: Analyzer): QueryPlan {
  const groups: GroupPlan[] = [];
  for (const group of ast.groups) {
    const alternatives = group.alternatives.map((atom) => planAtom(atom, analyzer)).filter((atom) => atom.slots.length > 0);
    if (alternatives.length === 0) continue;
    groups.push({ alternatives, required: alternatives.every((atom) => atom.kind === 'phrase') });
  }
  const excludes = ast.excludes.map((atom) => planAtom(atom, analyzer)).filter((atom) => atom.slots.length > 0);
  return { groups, excludes };
}

export function planAtom(atom: QueryAtom, analyzer: Analyzer): AtomPlan {
  return { kind: atom.kind, text: atom.text, slots: slotsFromTokens(analyzer.analyzeQuery(atom.text)) };
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
    for (const atom of group.alternatives) {
      for (const slot of atom.slots) {
        if (has(slot.whole)) found.add(slot.whole);
        else for (const sub of slot.subwords) if (has(sub.term)) found.add(sub.term);
      }
    }
  }
  return [...found];
}
