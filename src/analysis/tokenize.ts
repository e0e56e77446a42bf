/**
 * The analysis pipeline: normalise → script runs → words with positions → sub-words → stop words.
 *
 * Positions come from the precise segmentation: one per word. Sub-words share the position of the word
 * that covers them and follow it in the output, ordered by start offset, so at each position the first token
 * is the word itself (and the longest). Stop words are left out but still take their position, so phrase
 * distances stay true; a stop word's sub-words are left out with it.
 */
import type { HanSubWordFinder } from './hanSubWords.js';
import { keepsTermCharacters, normalizeText, normalizeWithOffsets, type NormalizedText } from './normalize.js';
import { splitScriptRuns, type ScriptRun } from './scriptRuns.js';
import type { Segmenter } from './segmenter.js';
import type { SimplifiedTable } from './traditional.js';
import type { Analyzer, AnalyzerIdentity, TermPositions, Token } from './types.js';
import { wordParts, type WordPart } from './wordParts.js';

export interface TokenizerConfig {
  segmenter: Segmenter;
  /** Traditional → Simplified conversion of normalisation. */
  simplified: SimplifiedTable;
  hanSubWords: HanSubWordFinder;
  stopWords: ReadonlySet<string>;
  /** Dictionary words made of one Latin letter and Chinese characters (`b端`, `a股`), normalised. */
  letterWords: ReadonlySet<string>;
}

/** A span [start, end) of the normalised text. */
interface Span {
  start: number;
  end: number;
}

/** A word of the precise segmentation, in text order, with its sub-words relative to its start. */
interface Word extends Span {
  parts: readonly WordPart[];
}

const SINGLE_LATIN_LETTER = /^[a-z]$/;
/** Longest Chinese part of a letter word that is looked up (`b端`, `c位`, `x光片`). */
const MAX_LETTER_WORD_HAN = 4;
/** Joins the Chinese runs of one text for a single segmenter call; jieba never puts it inside a word. */
const RUN_SEPARATOR = '\n';

/** The analyzer over a tokenizer configuration: queries go through exactly the indexing pipeline. */
export function analyzerFromConfig(identity: AnalyzerIdentity, config: TokenizerConfig): Analyzer {
  const checked = (text: string): string => {
    if (typeof text !== 'string') throw new TypeError(`analyze: text must be a string, got ${typeof text}`);
    return text;
  };
  const analyze = (text: string): Token[] => tokenize(checked(text), config);
  return {
    identity,
    analyze,
    analyzeQuery: analyze,
    terms: (text) => tokenTerms(checked(text), config),
    normalize: (text) => normalizeText(text, config.simplified),
    keepsTermCharacters: (text) => keepsTermCharacters(text, config.simplified),
  };
}

export function tokenize(text: string, config: TokenizerConfig): Token[] {
  const normalized = normalizeWithOffsets(text, config.simplified);
  const tokens: Token[] = [];
  eachToken(normalized.text, config, (term, start, end, position) => tokens.push(makeToken(normalized, term, start, end, position)));
  return tokens;
}

/** tokenize()'s terms and positions, from the normalised text alone (no offset maps, no token objects). */
export function tokenTerms(text: string, config: TokenizerConfig): TermPositions {
  const terms: string[] = [];
  const positions: number[] = [];
  eachToken(normalizeText(text, config.simplified), config, (term, _start, _end, position) => {
    terms.push(term);
    positions.push(position);
  });
  return { terms, positions };
}

/** Calls `emit` for every token of the normalised text, in order: each word, then its sub-words; stop words skipped. */
function eachToken(norm: string, config: TokenizerConfig, emit: (term: string, start: number, end: number, position: number) => void): void {
  const words = segmentWords(norm, config);
  let position = 0;
  for (const word of words) {
    const term = norm.slice(word.start, word.end);
    if (!config.stopWords.has(term)) {
      emit(term, word.start, word.end, position);
      for (const part of word.parts) {
        const start = word.start + part.start;
        const end = word.start + part.end;
        const subTerm = norm.slice(start, end);
        if (!config.stopWords.has(subTerm)) emit(subTerm, start, end, position);
      }
    }
    position += 1;
  }
}

function makeToken(normalized: NormalizedText, term: string, start: number, end: number, position: number): Token {
  return {
    term,
    position,
    start: normalized.sourceStart[start]!,
    end: normalized.sourceEnd[end - 1]!,
  };
}

/** All words of the normalised text in order: whole words of word runs, letter words, jieba's words of Chinese runs. */
function segmentWords(norm: string, config: TokenizerConfig): Word[] {
  const runs = splitScriptRuns(norm);
  // Letter words take the start of the Chinese run after them (b端 out of b端产品).
  const items: (Word | ScriptRun)[] = [];
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const next = runs[r + 1];
    const letterWordEnd = run.kind === 'word' && next ? matchLetterWord(norm, run, next, config.letterWords) : undefined;
    if (letterWordEnd !== undefined) {
      items.push({ start: run.start, end: letterWordEnd, parts: [] });
      next!.start = letterWordEnd;
      if (next!.start === next!.end) r += 1;
    } else if (run.kind === 'word') {
      items.push({ start: run.start, end: run.end, parts: wordParts(norm.slice(run.start, run.end)) });
    } else {
      items.push(run);
    }
  }
  const hanWords = segmentHanRuns(norm, items.filter(isHanRun), config);
  const words: Word[] = [];
  let h = 0;
  for (const item of items) {
    if (!isHanRun(item)) {
      words.push(item as Word);
      continue;
    }
    while (h < hanWords.length && hanWords[h]!.start < item.end) words.push(hanWords[h++]!);
  }
  return words;
}

function isHanRun(item: Word | ScriptRun): item is ScriptRun {
  return 'kind' in item && item.kind === 'han';
}

/** End of the letter word starting at a one-letter word run directly followed by Chinese (`b端` in `b端产品`). */
function matchLetterWord(norm: string, run: ScriptRun, next: ScriptRun, letterWords: ReadonlySet<string>): number | undefined {
  if (letterWords.size === 0 || next.kind !== 'han' || next.start !== run.end) return undefined;
  if (!SINGLE_LATIN_LETTER.test(norm.slice(run.start, run.end))) return undefined;
  let end = next.start;
  let best: number | undefined;
  for (let k = 0; k < MAX_LETTER_WORD_HAN && end < next.end; k++) {
    end += norm.codePointAt(end)! > 0xffff ? 2 : 1;
    if (letterWords.has(norm.slice(run.start, end))) best = end;
  }
  return best;
}

/**
 * Precise-mode words of all Chinese runs of a text, with one segmenter call (runs joined by a newline, which
 * jieba treats as a boundary, so the result equals segmenting each run on its own).
 */
function segmentHanRuns(norm: string, runs: readonly ScriptRun[], config: TokenizerConfig): Word[] {
  if (runs.length === 0) return [];
  const joined = runs.map((run) => norm.slice(run.start, run.end)).join(RUN_SEPARATOR);
  const pieces = config.segmenter.cut(joined);
  const words: Word[] = [];
  let run = 0;
  let offset = runs[0]!.start;
  let consumed = 0;
  for (const piece of pieces) {
    if (piece === RUN_SEPARATOR) {
      run += 1;
      offset = runs[run]?.start ?? offset;
      consumed += piece.length;
      continue;
    }
    const end = offset + piece.length;
    // startsWith compares in place: no slice allocated per word.
    if (run >= runs.length || end > runs[run]!.end || !norm.startsWith(piece, offset)) {
      throw new Error(`${config.segmenter.name}: segmentation does not add up to its input at "${piece}" in "${joined.slice(0, 80)}"`);
    }
    words.push({ start: offset, end, parts: config.hanSubWords(piece) });
    offset = end;
    consumed += piece.length;
  }
  if (consumed !== joined.length) {
    throw new Error(`${config.segmenter.name}: segmentation of "${joined.slice(0, 80)}" lost characters`);
  }
  return words;
}
