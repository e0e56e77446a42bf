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
/**
 * A class (0: none) per UTF-16 code unit, looked up per character where a Set or a regex cost more: a table of the
 * units below the CJK ideographs (up to the ideographic full stop) and one of the half- and full-width forms. The
 * units between, most of a Chinese text, are class 0 by a comparison, so the lookups stay in a few cache lines.
 */
interface CodeClasses {
  low: Uint8Array;
  high: Uint8Array;
}

const LOW_END = 0x3003;
const HIGH_START = 0xfe00;

/** Class `kind` for each character of `chars` (added to `classes` when given). */
function codeClasses(chars: string, kind = 1, classes: CodeClasses = { low: new Uint8Array(LOW_END), high: new Uint8Array(0x10000 - HIGH_START) }): CodeClasses {
  for (let i = 0; i < chars.length; i++) {
    const code = chars.charCodeAt(i);
    if (code < LOW_END) classes.low[code] = kind;
    else if (code >= HIGH_START) classes.high[code - HIGH_START] = kind;
    else throw new RangeError(`U+${code.toString(16)} is between the tables`);
  }
  return classes;
}

function classOf({ low, high }: CodeClasses, code: number): number {
  return code < LOW_END ? low[code]! : code >= HIGH_START ? high[code - HIGH_START]! : 0;
}

/** Where a sentence ends: a passage starts after the last such character before its anchor. */
const SENTENCE_END = codeClasses('。！？!?；;\n');
/** Occurrences of one term considered when choosing the passage. */
const MAX_OCCURRENCES = 400;

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
  const windows: [number, number][] = [];
  const passages: Passage[] = [];
  for (const { text, terms, tokens } of items) {
    const scan = scanTerms(text, terms, length, tokens);
    const [start, end] = windowOf(text, terms, analyzer, length, scan.anchors, tokens !== undefined);
    windows.push([start, end]);
    const passage = text.slice(start, end);
    if (!scan.tokenEverywhere) {
      passages.push({ passage, terms });
      continue;
    }
    // A clause the window cuts may segment otherwise than in the whole text.
    const cuts = (at: number) => at > 0 && at < text.length && classOf(CLAUSE_ENDS, text.charCodeAt(at - 1)) === 0 && classOf(CLAUSE_ENDS, text.charCodeAt(at)) === 0;
    passages.push({ passage, terms, counted: { tokenEverywhere: scan.tokenEverywhere, cutStart: cuts(start), cutEnd: cuts(end) } });
  }
  const marks = markRangesOfAll(passages, analyzer);
  return items.map(({ text }, i) => render(text, windows[i]![0], windows[i]![1], passages[i]!.passage, marks[i]!));
}

/** [start, end) of the passage makeSnippet shows. */
export function snippetWindow(text: string, terms: SnippetTerms, analyzer: Analyzer, length = SNIPPET_LENGTH): [number, number] {
  return windowOf(text, terms, analyzer, length, scanTerms(text, terms, length).anchors, false);
}

/**
 * snippetWindow over the occurrences scanTerms collected (`anchors` of them, in occurrenceList); `keepsTerms`: the text
 * is known to keep term characters in place (SnippetSource.tokens is given).
 */
function windowOf(text: string, terms: SnippetTerms, analyzer: Analyzer, length: number, anchors: number, keepsTerms: boolean): [number, number] {
  if (text.length <= length) return [0, text.length];
  const anchor = anchors > 0 ? bestWindowStart(sortedOccurrences(anchors), length - LEAD, anchors) : findNormalizedParagraph(text, terms, analyzer, keepsTerms);
  let start = anchor === null ? 0 : Math.max(0, anchor - LEAD);
  if (anchor !== null && start > 0) {
    for (let i = anchor - 1; i >= start; i--) {
      if (classOf(SENTENCE_END, text.charCodeAt(i)) === 1) {
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
 * The occurrences scanTerms collects (the first `collected` of occurrenceList), reused from one call to the next: a
 * result page's long texts hold thousands of occurrences of common words, and new objects for them were a good part of
 * what a full answer allocates.
 */
const scratch: Occurrence[] = [];
const occurrenceList: Occurrence[] = [];
let collected = 0;
/** Where each term's occurrences start in occurrenceList (each term's in order of start), and a merge's cursors and output. */
const runStarts: number[] = [];
const cursors: number[] = [];
const merged: Occurrence[] = [];

/** Whether a (lowercase) term has letters that a text's uppercase could spell: only those need a lowercased text. */
function isCased(term: string): boolean {
  return term !== term.toUpperCase();
}

/**
 * What a snippet needs of the whole text, in one pass over it per term: the occurrences that choose its passage (in a
 * text longer than `length`; `anchors` of them, collected in occurrenceList) and, given the index's token counts
 * (SnippetSource.tokens), the terms of PLAIN_TERM characters that are a token at every occurrence: as many tokens of
 * them as occurrences, overlapping ones included (each token is an occurrence of its term in the normalised text,
 * where the lowercased text has the same ones). The text is lowercased at most once, and only for Latin-like terms.
 */
function scanTerms(text: string, { wholes, subwords }: SnippetTerms, length: number, tokens?: (term: string) => number): { anchors: number; tokenEverywhere?: Set<string> } {
  const all = [...wholes, ...subwords];
  let lowered: string | undefined;
  const lower = () => (lowered ??= text.toLowerCase());
  // Occurrences are looked for in the lowercased text when a term is cased, unless lowercasing moved characters.
  const anchorText = text.length <= length ? undefined : all.some(isCased) && lower().length === text.length ? lower() : text;
  const counted = (term: string) => tokens !== undefined && term !== '' && PLAIN_TERM.test(term);
  const countText = all.some((term) => counted(term) && isCased(term)) ? lower() : text;
  const tokenEverywhere = tokens ? new Set<string>() : undefined;
  collected = 0;
  runStarts.length = 0;
  all.forEach((term, index) => {
    const record = anchorText !== undefined && term !== '';
    const weight = index < wholes.length ? 1 : 0.3;
    if (!counted(term)) {
      if (record) scanTerm(anchorText, term, index, weight, true, -1);
      return;
    }
    const expected = tokens!(term);
    let count: number;
    if (anchorText === countText) {
      count = scanTerm(countText, term, index, weight, record, expected);
    } else {
      if (record) scanTerm(anchorText, term, index, weight, true, -1);
      count = scanTerm(countText, term, index, weight, false, expected);
    }
    if (count === expected) tokenEverywhere!.add(term);
  });
  return tokenEverywhere ? { anchors: collected, tokenEverywhere } : { anchors: collected };
}

/**
 * The occurrences of `term` in `haystack`: with `record`, those that choose the passage are collected (not overlapping
 * one another, at most MAX_OCCURRENCES, as term `index` of `weight`); returned is the count of all of them,
 * overlapping ones included, up to one past `expected` (not counted when -1).
 */
function scanTerm(haystack: string, term: string, index: number, weight: number, record: boolean, expected: number): number {
  if (record) runStarts.push(collected);
  let recorded = 0;
  let free = 0;
  let count = 0;
  let counting = expected >= 0;
  for (let at = haystack.indexOf(term); at >= 0; ) {
    if (record && at >= free && recorded < MAX_OCCURRENCES) {
      const occurrence = (scratch[collected] ??= { start: 0, end: 0, term: 0, weight: 0 });
      occurrence.start = at;
      occurrence.end = at + term.length;
      occurrence.term = index;
      occurrence.weight = weight;
      occurrenceList[collected++] = occurrence;
      recorded++;
      free = at + term.length;
    }
    if (counting && ++count > expected) counting = false;
    if (!counting && !(record && recorded < MAX_OCCURRENCES)) break;
    at = haystack.indexOf(term, counting ? at + 1 : free);
  }
  return count;
}

/**
 * The `count` occurrences collected, sorted by start, the longer first, ties in the order collected: each term's runs
 * merged (Array.prototype.sort copied the list, most of what choosing passages allocated). Only the first `count`
 * entries of the list returned are these: cutting the list to them let the next text grow it again.
 */
function sortedOccurrences(count: number): Occurrence[] {
  const runs = runStarts.length;
  if (runs <= 1) return occurrenceList;
  runStarts.push(count);
  for (let r = 0; r < runs; r++) cursors[r] = runStarts[r]!;
  for (let out = 0; out < count; out++) {
    let best = -1;
    let next: Occurrence | undefined;
    for (let r = 0; r < runs; r++) {
      if (cursors[r]! === runStarts[r + 1]!) continue;
      const candidate = occurrenceList[cursors[r]!]!;
      if (next === undefined || candidate.start < next.start || (candidate.start === next.start && candidate.end > next.end)) {
        best = r;
        next = candidate;
      }
    }
    merged[out] = next!;
    cursors[best]!++;
  }
  return merged;
}

/**
 * Start of the best passage over the first `count` occurrences, sorted by start: the window [start, start + span]
 * whose distinct terms weigh most, then the one with more occurrences (up to 10); the earlier wins ties. Offsets may
 * be characters or word positions (a static export's runtime chooses the text block to fetch with it).
 */
export function bestWindowStart(occurrences: readonly Occurrence[], span: number, count = occurrences.length): number {
  let best = occurrences[0]!.start;
  let bestValue = -1;
  // Occurrences in the window per term (terms are a query's indexes: a few small numbers).
  const inWindow: number[] = [];
  let value = 0;
  let right = 0;
  for (let left = 0; left < count; left++) {
    const limit = occurrences[left]!.start + span;
    while (right < count && occurrences[right]!.end <= limit) {
      const o = occurrences[right++]!;
      const inside = inWindow[o.term] ?? 0;
      if (inside === 0) value += o.weight;
      inWindow[o.term] = inside + 1;
    }
    const current = value + Math.min(right - left, 10) * 0.01;
    if (current > bestValue) {
      bestValue = current;
      best = occurrences[left]!.start;
    }
    const o = occurrences[left]!;
    const inside = inWindow[o.term] ?? 0;
    if (inside === 1) value -= o.weight;
    if (inside > 0) inWindow[o.term] = inside - 1;
  }
  return best;
}

/**
 * Fallback when the text's own spelling differs from the normalised terms (Traditional, full-width): first paragraph
 * that matches once normalised. None when normalising cannot make a term appear (terms of PLAIN_TERM characters,
 * none in the lowercased text, which normalising keeps): the usual case, known without normalising the whole text,
 * and without looking at it when it is known to keep term characters (`keepsTerms`).
 */
function findNormalizedParagraph(text: string, { wholes, subwords }: SnippetTerms, analyzer: Analyzer, keepsTerms: boolean): number | null {
  const terms = [...wholes, ...subwords];
  if (terms.every((term) => !term || PLAIN_TERM.test(term)) && (keepsTerms || analyzer.keepsTermCharacters(text))) return null;
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
    html += plain(passage, at, from) + '<mark>' + plain(passage, from, to) + '</mark>';
    at = to;
  }
  html += plain(passage, at, passage.length);
  return (start > 0 ? '…' : '') + html.trim() + (end < text.length ? '…' : '');
}

/** What plain() changes, per UTF-16 code unit: whitespace (what a regex's \s matches) and what HTML escapes. */
const SPACE = 1;
const ESCAPED = 2;
const UNPLAIN = codeClasses(Object.keys(ESCAPES).join(''), ESCAPED, codeClasses('\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff', SPACE));

/**
 * text[from, to) escaped, each whitespace run one space, in one pass: a piece of Chinese text mostly has nothing to
 * change and is returned as it is.
 */
function plain(text: string, from: number, to: number): string {
  let html = '';
  let kept = from;
  for (let i = from; i < to; ) {
    const kind = classOf(UNPLAIN, text.charCodeAt(i));
    if (kind === 0) {
      i++;
      continue;
    }
    html += text.slice(kept, i);
    if (kind === SPACE) {
      html += ' ';
      while (++i < to && classOf(UNPLAIN, text.charCodeAt(i)) === SPACE);
    } else {
      html += ESCAPES[text[i]!];
      i++;
    }
    kept = i;
  }
  return kept === from ? text.slice(from, to) : html + text.slice(kept, to);
}

/**
 * Chinese punctuation and line breaks: never inside a word, and the analyzer segments the text between them on its
 * own, so a clause analysed alone gives the same tokens as within its passage.
 */
const CLAUSE_ENDS = codeClasses('，。！？；：、\n');
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
 * Per term of the passage being marked, its first occurrence at or after the clause last looked at (-1: none after
 * it, -2: not looked for yet): clauses come in order, so each term is looked for once per passage, not from each
 * clause on.
 */
const nextAt: number[] = [];

/** Sub-word occurrences of a clause, as start, end pairs (reused). */
const parts: number[] = [];

/**
 * Pushes onto `ranges` the marks of the clause lower[from, to) (a lowercased passage) whose present terms are a token at
 * each occurrence: the occurrences of whole words, then those of sub-words no whole word covers. Pushes none and
 * answers false when sub-word occurrences overlap (which of them segmenting marks then depends on the order of its
 * tokens).
 */
function pushOccurrenceRanges(lower: string, from: number, to: number, { wholes, subwords }: SnippetTerms, present: readonly string[], ranges: [number, number][]): boolean {
  parts.length = 0;
  for (const term of subwords) {
    if (!present.includes(term)) continue;
    for (let at = lower.indexOf(term, from); at >= 0 && at + term.length <= to; at = lower.indexOf(term, at + 1)) parts.push(at, at + term.length);
  }
  // Sorted by start (insertion: a clause holds few), each must end before the next starts.
  for (let k = 2; k < parts.length; k += 2) {
    const start = parts[k]!;
    const end = parts[k + 1]!;
    let j = k;
    for (; j > 0 && parts[j - 2]! > start; j -= 2) {
      parts[j] = parts[j - 2]!;
      parts[j + 1] = parts[j - 1]!;
    }
    parts[j] = start;
    parts[j + 1] = end;
  }
  for (let k = 2; k < parts.length; k += 2) if (parts[k]! < parts[k - 1]!) return false;
  const wholeStart = ranges.length;
  for (const term of wholes) {
    if (!present.includes(term)) continue;
    for (let at = lower.indexOf(term, from); at >= 0 && at + term.length <= to; at = lower.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
  }
  const wholeEnd = ranges.length;
  for (let k = 0; k < parts.length; k += 2) {
    const start = parts[k]!;
    const end = parts[k + 1]!;
    let covered = false;
    for (let w = wholeStart; w < wholeEnd && !covered; w++) covered = start < ranges[w]![1] && end > ranges[w]![0];
    if (!covered) ranges.push([start, end]);
  }
  return true;
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
  const present: string[] = [];
  let length = 0;
  passages.forEach(({ passage, terms, counted }, item) => {
    const all = [...terms.wholes, ...terms.subwords];
    if (all.length === 0) return;
    // Kept in place, terms of PLAIN_TERM characters are in a clause's normalised form where they are in its lowercase one.
    const lower = counted ? passage.toLowerCase() : undefined;
    const plainTerms = lower !== undefined && all.every((term) => PLAIN_TERM.test(term));
    for (let k = 0; k < all.length; k++) nextAt[k] = -2;
    forEachClause(passage, (start, end) => {
      present.length = 0;
      if (plainTerms) {
        for (let k = 0; k < all.length; k++) {
          const term = all[k]!;
          let at = nextAt[k]!;
          if (at !== -1 && at < start) nextAt[k] = at = lower.indexOf(term, start);
          if (at >= 0 && at + term.length <= end) present.push(term);
        }
      } else {
        const normalized = analyzer.normalize(passage.slice(start, end));
        for (const term of all) if (normalized.includes(term)) present.push(term);
      }
      if (present.length === 0) return;
      const whole = counted && !(counted.cutStart && start === 0) && !(counted.cutEnd && end === passage.length);
      if (whole && present.every((term) => counted.tokenEverywhere.has(term)) && pushOccurrenceRanges(lower!, start, end, terms, present, ranges[item]!)) return;
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
  // By start, the longer first, ties in order: an insertion sort (a passage has a few marks; Array.prototype.sort,
  // as stable, copied the array each time).
  for (let i = 1; i < ranges.length; i++) {
    const range = ranges[i]!;
    let j = i;
    for (; j > 0 && (ranges[j - 1]![0] > range[0] || (ranges[j - 1]![0] === range[0] && ranges[j - 1]![1] < range[1])); j--) ranges[j] = ranges[j - 1]!;
    ranges[j] = range;
  }
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/** Calls `visit(start, end)` for each clause of `text`, the delimiter left out. */
function forEachClause(text: string, visit: (start: number, end: number) => void): void {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (classOf(CLAUSE_ENDS, text.charCodeAt(i)) === 0) continue;
    if (i > start) visit(start, i);
    start = i + 1;
  }
  if (start < text.length) visit(start, text.length);
}
