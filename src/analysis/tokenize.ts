/**
 * The analysis pipeline: normalise → script runs → words with positions → sub-words → stop words.
 *
 * Positions come from the precise segmentation: one per word. Sub-words share the position of the word
 * that covers them and follow it in the output, ordered by start offset, so at each position the first token
 * is the word itself. Stop words are left out but still take their position, so phrase distances stay true.
 */
import { normalizeWithOffsets, type NormalizedText } from './normalize.js';
import { splitScriptRuns, type ScriptRun } from './scriptRuns.js';
import type { Segmenter } from './segmenter.js';
import type { Token } from './types.js';
import { wordParts } from './wordParts.js';

export interface TokenizerConfig {
  segmenter: Segmenter;
  stopWords: ReadonlySet<string>;
  /** Dictionary words made of one Latin letter and Chinese characters (`b端`, `a股`), normalised. */
  letterWords: ReadonlySet<string>;
}

/** A span [start, end) of the normalised text. */
interface Span {
  start: number;
  end: number;
}

const SINGLE_LATIN_LETTER = /^[a-z]$/;
/** Longest Chinese part of a letter word that is looked up (`b端`, `c位`, `x光片`). */
const MAX_LETTER_WORD_HAN = 4;

export function tokenize(text: string, config: TokenizerConfig): Token[] {
  const normalized = normalizeWithOffsets(text);
  const norm = normalized.text;
  const runs = splitScriptRuns(norm);
  const tokens: Token[] = [];
  let position = 0;

  const addWord = (word: Span, subWords: Span[]): void => {
    const term = norm.slice(word.start, word.end);
    if (!config.stopWords.has(term)) {
      tokens.push(makeToken(normalized, word, position));
      for (const sub of subWords) {
        if (!config.stopWords.has(norm.slice(sub.start, sub.end))) tokens.push(makeToken(normalized, sub, position));
      }
    }
    position += 1;
  };

  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (run.kind === 'word') {
      const next = runs[r + 1];
      const letterWordEnd = next ? matchLetterWord(norm, run, next, config.letterWords) : undefined;
      if (letterWordEnd !== undefined) {
        addWord({ start: run.start, end: letterWordEnd }, []);
        next!.start = letterWordEnd;
        if (next!.start === next!.end) r += 1;
        continue;
      }
      const parts = wordParts(norm.slice(run.start, run.end));
      addWord(run, parts.map((part) => ({ start: run.start + part.start, end: run.start + part.end })));
      continue;
    }
    for (const word of segmentHanRun(norm, run, config.segmenter)) {
      addWord(word, hanSubWords(norm, word, config.segmenter));
    }
  }
  return tokens;
}

function makeToken(normalized: NormalizedText, span: Span, position: number): Token {
  return {
    term: normalized.text.slice(span.start, span.end),
    position,
    start: normalized.sourceStart[span.start]!,
    end: normalized.sourceEnd[span.end - 1]!,
  };
}

/** End of the letter word starting at a one-letter word run directly followed by Chinese (`b端` in `b端产品`). */
function matchLetterWord(norm: string, run: ScriptRun, next: ScriptRun, letterWords: ReadonlySet<string>): number | undefined {
  if (letterWords.size === 0 || next.kind !== 'han' || next.start !== run.end) return undefined;
  if (!SINGLE_LATIN_LETTER.test(norm.slice(run.start, run.end))) return undefined;
  const hanEnds = codePointEnds(norm, next.start, next.end, MAX_LETTER_WORD_HAN);
  for (let k = hanEnds.length - 1; k >= 0; k--) {
    if (letterWords.has(norm.slice(run.start, hanEnds[k]))) return hanEnds[k];
  }
  return undefined;
}

/** The ends of the first `limit` code points of text[start, end). */
function codePointEnds(text: string, start: number, end: number, limit: number): number[] {
  const ends: number[] = [];
  let i = start;
  while (i < end && ends.length < limit) {
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    ends.push(i);
  }
  return ends;
}

/** Precise-mode words of a Chinese run, as spans of the normalised text. */
function segmentHanRun(norm: string, run: ScriptRun, segmenter: Segmenter): Span[] {
  const runText = norm.slice(run.start, run.end);
  const pieces = segmenter.cut(runText);
  if (pieces.join('') !== runText) {
    throw new Error(`${segmenter.name}: segmentation of "${runText}" does not add up to the input: ${pieces.join('/')}`);
  }
  const words: Span[] = [];
  let offset = run.start;
  for (const piece of pieces) {
    words.push({ start: offset, end: offset + piece.length });
    offset += piece.length;
  }
  return words;
}

/**
 * Search-mode sub-words of a Chinese word of three or more characters: every dictionary word strictly inside it
 * (jieba's cutForSearch adds only the 2- and 3-character ones; we take all lengths so 新基础设施 yields
 * 基础设施 too), plus each character no such word covers (the 新 of 新基础设施), so the sub-words cover the word.
 * A word with no dictionary word inside gets no sub-words.
 */
function hanSubWords(norm: string, word: Span, segmenter: Segmenter): Span[] {
  const text = norm.slice(word.start, word.end);
  const charEnds = codePointEnds(text, 0, text.length, Infinity);
  if (charEnds.length < 3) return [];
  const found = new Map<string, Span>();
  let cursor = 0;
  for (const candidate of segmenter.cutAll(text)) {
    if (candidate === text || [...candidate].length < 2) continue;
    const start = text.indexOf(candidate, cursor);
    if (start < 0) continue;
    cursor = start;
    found.set(`${start}:${start + candidate.length}`, { start, end: start + candidate.length });
  }
  // A word with no dictionary word inside (a name found by the HMM, 马斯克) is not split into characters.
  if (found.size === 0) return [];
  const covered = new Array<boolean>(text.length).fill(false);
  for (const span of found.values()) covered.fill(true, span.start, span.end);
  let charStart = 0;
  for (const charEnd of charEnds) {
    if (!covered[charStart]) found.set(`${charStart}:${charEnd}`, { start: charStart, end: charEnd });
    charStart = charEnd;
  }
  return [...found.values()]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((span) => ({ start: word.start + span.start, end: word.start + span.end }));
}
