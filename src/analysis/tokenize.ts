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

/**
 * What the tokenizer makes of a word from its text alone: whether it is a stop word, and its sub-words that are none
 * (a stop word's sub-words are left out with it).
 */
interface WordFacts {
  stop: boolean;
  parts: readonly WordPart[];
}

const NO_PARTS: readonly WordPart[] = [];
const STOP_WORD: WordFacts = { stop: true, parts: NO_PARTS };
const WHOLE_WORD: WordFacts = { stop: false, parts: NO_PARTS };

/** Distinct Chinese words of three or more characters whose facts an analyzer remembers; cleared when full. */
const FACTS_LIMIT = 200_000;

/** The facts of words of each configuration, remembered: jieba's output repeats words heavily, sub-words need cutAll. */
const factsCaches = new WeakMap<TokenizerConfig, Map<string, WordFacts>>();

function factsOf(word: string, parts: readonly WordPart[], stopWords: ReadonlySet<string>): WordFacts {
  if (stopWords.has(word)) return STOP_WORD;
  if (parts.length === 0) return WHOLE_WORD;
  const kept = parts.some((part) => stopWords.has(part.term)) ? parts.filter((part) => !stopWords.has(part.term)) : parts;
  return { stop: false, parts: kept };
}

/** The facts of a word jieba cut out of a Chinese run. */
function hanWordFacts(word: string, config: TokenizerConfig, cache: Map<string, WordFacts>): WordFacts {
  // Words of one or two characters (most of them) have no sub-words: a stop-word lookup alone.
  if (word.length < 3) return config.stopWords.has(word) ? STOP_WORD : WHOLE_WORD;
  let facts = cache.get(word);
  if (facts === undefined) {
    facts = factsOf(word, config.hanSubWords(word), config.stopWords);
    if (cache.size >= FACTS_LIMIT) cache.clear();
    cache.set(word, facts);
  }
  return facts;
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
  let position = 0;
  eachWord(norm, config, (word, start, { stop, parts }) => {
    if (!stop) {
      emit(word, start, start + word.length, position);
      for (const part of parts) emit(part.term, start + part.start, start + part.end, position);
    }
    position += 1;
  });
}

function makeToken(normalized: NormalizedText, term: string, start: number, end: number, position: number): Token {
  return {
    term,
    position,
    start: normalized.sourceStart[start]!,
    end: normalized.sourceEnd[end - 1]!,
  };
}

/**
 * Visits every word of the normalised text in order, with its start and sub-words: whole words of word runs, letter
 * words, jieba's words of Chinese runs. The Chinese runs go to the segmenter in one call (joined by a newline, which
 * jieba treats as a boundary, so the result equals segmenting each run on its own).
 */
function eachWord(norm: string, config: TokenizerConfig, visit: (word: string, start: number, facts: WordFacts) => void): void {
  let cache = factsCaches.get(config);
  if (cache === undefined) factsCaches.set(config, (cache = new Map()));
  const runs = splitScriptRuns(norm);
  // Letter words take the start of the Chinese run after them (b端 out of b端产品): such a word run is extended over
  // them, and the Chinese run starts after them (left empty when they took all of it).
  let letterWordRuns: Set<ScriptRun> | undefined;
  for (let r = 0; r + 1 < runs.length; r++) {
    const run = runs[r]!;
    const next = runs[r + 1]!;
    const letterWordEnd = run.kind === 'word' ? matchLetterWord(norm, run, next, config.letterWords) : undefined;
    if (letterWordEnd === undefined) continue;
    (letterWordRuns ??= new Set()).add(run);
    run.end = letterWordEnd;
    next.start = letterWordEnd;
  }
  const hanRuns = runs.filter((run) => run.kind === 'han' && run.start < run.end);
  const joined = hanRuns.map((run) => norm.slice(run.start, run.end)).join(RUN_SEPARATOR);
  const pieces = hanRuns.length === 0 ? [] : config.segmenter.cut(joined);
  let p = 0;
  for (const run of runs) {
    if (run.kind === 'word') {
      const word = norm.slice(run.start, run.end);
      visit(word, run.start, factsOf(word, letterWordRuns?.has(run) ? NO_PARTS : wordParts(word), config.stopWords));
      continue;
    }
    if (run.start === run.end) continue;
    let offset = run.start;
    for (; p < pieces.length && pieces[p] !== RUN_SEPARATOR; p++) {
      const piece = pieces[p]!;
      const end = offset + piece.length;
      // startsWith compares in place: no slice allocated per word.
      if (end > run.end || !norm.startsWith(piece, offset)) {
        throw new Error(`${config.segmenter.name}: segmentation does not add up to its input at "${piece}" in "${joined.slice(0, 80)}"`);
      }
      visit(piece, offset, hanWordFacts(piece, config, cache));
      offset = end;
    }
    if (offset !== run.end) throw new Error(`${config.segmenter.name}: segmentation of "${joined.slice(0, 80)}" lost characters`);
    p += 1; // the separator after the run
  }
  if (p < pieces.length) throw new Error(`${config.segmenter.name}: segmentation of "${joined.slice(0, 80)}" added characters`);
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
