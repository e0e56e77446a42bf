/**
 * Snippets: the passage (~120 characters) with the most distinct query terms, terms wrapped in
 * <mark>, everything else HTML-escaped. The passage is found by plain string search; the marks come
 * from re-analysing just that passage, so their offsets are the analyzer's exact UTF-16 offsets.
 */
import { PLAIN_TERM } from '../analysis/portable.js';
import type { Analyzer, Token } from '../analysis/types.js';

export interface SnippetTerms {
  /** Whole query words (normalised). */
  wholes: string[];
  /** Search-mode sub-words, marked only where no whole word is. */
  subwords: string[];
}

export const SNIPPET_LENGTH = 120;
/** Characters of context kept before the first match (less if a sentence starts there). */
export const SNIPPET_LEAD = 20;
const LEAD = SNIPPET_LEAD;
/** Occurrences of one term considered when choosing the passage. */
const MAX_OCCURRENCES = 400;
const SENTENCE_END = /[。！？!?；;\n]/;

export interface Occurrence {
  start: number;
  end: number;
  term: number;
  weight: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function makeSnippet(text: string, terms: SnippetTerms, analyzer: Analyzer, length = SNIPPET_LENGTH): string {
  return makeSnippets([{ text, terms }], analyzer, length)[0]!;
}

/** A text to cut a snippet from, and the terms to mark in it. */
export interface SnippetSource {
  text: string;
  terms: SnippetTerms;
  /**
   * Only for a text that is the whole text the index analysed and whose normalisation keeps term characters in place
   * (Analyzer.keepsTermCharacters): how many tokens of a term the index counted in it. Marks of a term with as many
   * tokens as occurrences need no segmenting.
   */
  tokens?: (term: string) => number;
}

/**
 * makeSnippet of several texts (a result page's hits), their passages' marks found with one analyzer call: a call
 * costs more than the few clauses it segments.
 */
export function makeSnippets(items: readonly SnippetSource[], analyzer: Analyzer, length = SNIPPET_LENGTH): string[] {
  const windows = items.map(({ text, terms }) => snippetWindow(text, terms, analyzer, length));
  const passages = items.map(({ text, terms, tokens }, i): Passage => {
    const [start, end] = windows[i]!;
    const passage = text.slice(start, end);
    if (!tokens) return { passage, terms };
    // A clause the window cuts may segment otherwise than in the whole text.
    const cuts = (at: number) => at > 0 && at < text.length && !CLAUSE_ENDS.has(text.charCodeAt(at - 1)) && !CLAUSE_ENDS.has(text.charCodeAt(at));
    return { passage, terms, counted: { tokenEverywhere: termsTokenEverywhere(text, terms, tokens), cutStart: cuts(start), cutEnd: cuts(end) } };
  });
  const marks = markRangesOfAll(passages, analyzer);
  return items.map(({ text }, i) => render(text, windows[i]![0], windows[i]![1], passages[i]!.passage, marks[i]!));
}

/** [start, end) of the passage makeSnippet shows. */
export function snippetWindow(text: string, terms: SnippetTerms, analyzer: Analyzer, length = SNIPPET_LENGTH): [number, number] {
  if (text.length <= length) return [0, text.length];
  const anchor = findAnchor(text, terms, analyzer, length);
  let start = anchor === null ? 0 : Math.max(0, anchor - LEAD);
  if (anchor !== null && start > 0) {
    for (let i = anchor - 1; i >= start; i--) {
      if (SENTENCE_END.test(text[i])) {
        start = i + 1;
        break;
      }
    }
  }
  let end = Math.min(text.length, start + length);
  if (end === text.length) start = Math.max(0, end - length);
  // Never cut a surrogate pair (emoji, rare CJK) in half.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  return [start, end];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The occurrences findAnchor collects, reused from one call to the next: a result page's long texts hold thousands of
 * occurrences of common words, and new objects for them were a good part of what a full answer allocates.
 */
const scratch: Occurrence[] = [];
const occurrenceList: Occurrence[] = [];

/** Start offset of the best passage, or null if no term is found. */
function findAnchor(text: string, terms: SnippetTerms, analyzer: Analyzer, length: number): number | null {
  const all = [...terms.wholes, ...terms.subwords];
  // Terms are lowercase; only Latin-like terms need a lowercased copy of the (possibly long) text.
  const cased = all.some((term) => term !== term.toUpperCase());
  const lower = cased ? text.toLowerCase() : text;
  const haystack = lower.length === text.length ? lower : text;
  let count = 0;
  all.forEach((term, index) => {
    if (!term) return;
    const weight = index < terms.wholes.length ? 1 : 0.3;
    for (let at = haystack.indexOf(term), n = 0; at >= 0 && n < MAX_OCCURRENCES; at = haystack.indexOf(term, at + term.length), n++) {
      const occurrence = (scratch[count] ??= { start: 0, end: 0, term: 0, weight: 0 });
      occurrence.start = at;
      occurrence.end = at + term.length;
      occurrence.term = index;
      occurrence.weight = weight;
      occurrenceList[count++] = occurrence;
    }
  });
  if (count === 0) return findNormalizedParagraph(text, all, analyzer);
  occurrenceList.length = count;
  occurrenceList.sort((a, b) => a.start - b.start || b.end - a.end);
  return bestWindowStart(occurrenceList, length - LEAD);
}

/**
 * Start of the best passage over occurrences sorted by start: the window [start, start + span] whose distinct terms
 * weigh most, then the one with more occurrences (up to 10); the earlier wins ties. Offsets may be characters or
 * word positions (a static export's runtime chooses the text block to fetch with it).
 */
export function bestWindowStart(occurrences: readonly Occurrence[], span: number): number {
  let best = occurrences[0]!.start;
  let bestValue = -1;
  const inWindow = new Map<number, number>();
  let value = 0;
  let right = 0;
  for (let left = 0; left < occurrences.length; left++) {
    const limit = occurrences[left]!.start + span;
    while (right < occurrences.length && occurrences[right]!.end <= limit) {
      const o = occurrences[right++]!;
      const count = inWindow.get(o.term) ?? 0;
      if (count === 0) value += o.weight;
      inWindow.set(o.term, count + 1);
    }
    const current = value + Math.min(right - left, 10) * 0.01;
    if (current > bestValue) {
      bestValue = current;
      best = occurrences[left]!.start;
    }
    const o = occurrences[left]!;
    const count = inWindow.get(o.term) ?? 0;
    if (count === 1) value -= o.weight;
    if (count > 0) inWindow.set(o.term, count - 1);
  }
  return best;
}

/**
 * Fallback when the text's own spelling differs from the normalised terms (Traditional, full-width): first paragraph
 * that matches once normalised. None when normalising cannot make a term appear (terms of PLAIN_TERM characters,
 * none in the lowercased text, which normalising keeps): the usual case, known without normalising the whole text.
 */
function findNormalizedParagraph(text: string, terms: string[], analyzer: Analyzer): number | null {
  if (terms.every((term) => !term || PLAIN_TERM.test(term)) && analyzer.keepsTermCharacters(text)) return null;
  let offset = 0;
  for (const paragraph of text.split('\n')) {
    const normalized = analyzer.normalize(paragraph);
    if (terms.some((term) => term && normalized.includes(term))) return offset;
    offset += paragraph.length + 1;
  }
  return null;
}

/** Escapes text[start, end) (`passage`) with <mark> around `marks` (its ranges of query terms); whitespace runs collapse to one space. */
function render(text: string, start: number, end: number, passage: string, marks: readonly [number, number][]): string {
  let html = '';
  let at = 0;
  for (const [from, to] of marks) {
    html += plain(passage.slice(at, from)) + '<mark>' + plain(passage.slice(from, to)) + '</mark>';
    at = to;
  }
  html += plain(passage.slice(at));
  return (start > 0 ? '…' : '') + html.trim() + (end < text.length ? '…' : '');
}

function plain(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' '));
}

/**
 * Chinese punctuation and line breaks: never inside a word, and the analyzer segments the text between them on its
 * own, so a clause analysed alone gives the same tokens as within its passage.
 */
const CLAUSE_ENDS = new Set(Array.from('，。！？；：、\n', (char) => char.charCodeAt(0)));
/** Between clauses analysed together: a line break, itself a clause end. */
const CLAUSE_JOINER = '\n';

/** A passage to mark and, when its text keeps term characters in place and the index's token counts are known, what they tell. */
export interface Passage {
  passage: string;
  terms: SnippetTerms;
  counted?: {
    /** Terms of PLAIN_TERM characters that are a token wherever they occur in the whole text. */
    tokenEverywhere: ReadonlySet<string>;
    /** Whether the passage starts (ends) inside a clause of the text. */
    cutStart: boolean;
    cutEnd: boolean;
  };
}

/**
 * The terms of PLAIN_TERM characters that are a token at every occurrence in `text` (a text whose normalisation keeps
 * them in place): as many tokens of them (`tokens`) as occurrences, overlapping ones included. Each token is an
 * occurrence of its term in the normalised text, where the lowercased text has the same ones.
 */
function termsTokenEverywhere(text: string, { wholes, subwords }: SnippetTerms, tokens: (term: string) => number): Set<string> {
  const candidates = [...wholes, ...subwords].filter((term) => term !== '' && PLAIN_TERM.test(term));
  const lower = candidates.some((term) => term !== term.toUpperCase()) ? text.toLowerCase() : text;
  return new Set(candidates.filter((term) => occurrenceCount(lower, term) === tokens(term)));
}

/** Occurrences of `term` in `text`, overlapping ones included. */
function occurrenceCount(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) count++;
  return count;
}

/** Whether `term` occurs in text[from, to). */
function occursIn(text: string, term: string, from: number, to: number): boolean {
  const at = text.indexOf(term, from);
  return at >= 0 && at + term.length <= to;
}

/**
 * The marks of the clause lower[from, to) (a lowercased passage) whose present terms are a token at each occurrence:
 * the occurrences of whole words, then those of sub-words no whole word covers. Null when sub-word occurrences overlap
 * (which of them segmenting marks then depends on the order of its tokens).
 */
function occurrenceRanges(lower: string, from: number, to: number, { wholes, subwords }: SnippetTerms, present: readonly string[]): [number, number][] | null {
  const rangesOf = (terms: readonly string[]) => {
    const ranges: [number, number][] = [];
    for (const term of terms) {
      if (!present.includes(term)) continue;
      for (let at = lower.indexOf(term, from); at >= 0 && at + term.length <= to; at = lower.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
    }
    return ranges;
  };
  const ranges = rangesOf(wholes);
  const parts = rangesOf(subwords).sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < parts.length; k++) if (parts[k]![0] < parts[k - 1]![1]) return null;
  const wholeCount = ranges.length;
  for (const [s, e] of parts) if (!ranges.slice(0, wholeCount).some(([from, to]) => s < to && e > from)) ranges.push([s, e]);
  return ranges;
}

/** Sorted, non-overlapping [start, end) ranges of query terms in `passage`. */
export function markRanges(passage: string, terms: SnippetTerms, analyzer: Analyzer): [number, number][] {
  return markRangesOfAll([{ passage, terms }], analyzer)[0]!;
}

/**
 * markRanges of several passages. Segmenting is the costly step: only clauses that contain a term once normalised
 * are analysed, all of them in one analyzer call, joined by a line break (a clause boundary itself, so each clause
 * gets the tokens it gets alone, those it has within the whole text). A clause the passage does not cut, whose terms
 * are a token wherever they occur (Passage.counted), is marked at their occurrences instead.
 */
export function markRangesOfAll(passages: readonly Passage[], analyzer: Analyzer): [number, number][][] {
  const pending: { item: number; start: number; end: number; at: number }[] = [];
  const joined: string[] = [];
  const ranges = passages.map((): [number, number][] => []);
  let length = 0;
  passages.forEach(({ passage, terms, counted }, item) => {
    const all = [...terms.wholes, ...terms.subwords];
    if (all.length === 0) return;
    // Kept in place, terms of PLAIN_TERM characters are in a clause's normalised form where they are in its lowercase one.
    const lower = counted ? passage.toLowerCase() : undefined;
    const plainTerms = lower !== undefined && all.every((term) => PLAIN_TERM.test(term));
    forEachClause(passage, (start, end) => {
      let present: string[];
      if (plainTerms) {
        present = all.filter((term) => occursIn(lower, term, start, end));
      } else {
        const normalized = analyzer.normalize(passage.slice(start, end));
        present = all.filter((term) => normalized.includes(term));
      }
      if (present.length === 0) return;
      const whole = counted && !(counted.cutStart && start === 0) && !(counted.cutEnd && end === passage.length);
      const known = whole && present.every((term) => counted.tokenEverywhere.has(term)) ? occurrenceRanges(lower!, start, end, terms, present) : null;
      if (known) {
        ranges[item]!.push(...known);
        return;
      }
      pending.push({ item, start, end, at: length });
      joined.push(passage.slice(start, end));
      length += end - start + 1;
    });
  });
  const tokens = pending.length === 0 ? [] : analyzer.analyze(joined.join(CLAUSE_JOINER));
  let t = 0;
  for (const { item, start, end, at } of pending) {
    const { wholes, subwords } = passages[item]!.terms;
    const clauseTokens: Token[] = [];
    while (t < tokens.length && tokens[t]!.start < at + (end - start)) clauseTokens.push(tokens[t++]!);
    const clauseRanges: [number, number][] = [];
    const offset = start - at;
    for (const token of clauseTokens) if (wholes.includes(token.term)) clauseRanges.push([offset + token.start, offset + token.end]);
    const covered = (s: number, e: number) => clauseRanges.some(([from, to]) => s < to && e > from);
    for (const token of clauseTokens) {
      if (subwords.includes(token.term) && !covered(offset + token.start, offset + token.end)) clauseRanges.push([offset + token.start, offset + token.end]);
    }
    ranges[item]!.push(...clauseRanges);
  }
  return ranges.map(mergeRanges);
}

/** Sorted and merged: touching words merge, <mark>新基础设施</mark> rather than <mark>新</mark><mark>基础设施</mark>. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Calls `visit(start, end)` for each clause of `text`, the delimiter left out. */
function forEachClause(text: string, visit: (start: number, end: number) => void): void {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!CLAUSE_ENDS.has(text.charCodeAt(i))) continue;
    if (i > start) visit(start, i);
    start = i + 1;
  }
  if (start < text.length) visit(start, text.length);
}
