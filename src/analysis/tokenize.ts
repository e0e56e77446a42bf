/**
 * The analysis pipeline: normalise → script runs → words with positions → sub-words → stop words.
 *
 * Positions come from the precise segmentation: one per word. Sub-words share the position of the word
 * that covers them and follow it in the output, ordered by start offset, so at each position the first token
 * is the word itself (and the longest). Stop words are left out but still take their position, so phrase
 * distances stay true; a stop word's sub-words are left out with it.
 */
import type { HanSubWordFinder } from './hanSubWords.js';
import { keepsTermCharacters, normalizeForTerms, normalizeText, normalizeWithOffsets } from './normalize.js';
import { HAN_RUN, LETTER_RUN, ScriptRunList, scriptRunsOf, WORD_RUN } from './scriptRuns.js';
import type { Segmenter } from './segmenter.js';
import type { SimplifiedTable } from './traditional.js';
import type { Analyzer, AnalyzerIdentity, TermPositions, Token, Vocabulary } from './types.js';
import { KNOWN_ENDS, MAX_SHORT_RUN, type ShortRuns } from './shortRuns.js';
import { hashEnd, hashUnit, termHash, WordTable } from './wordTable.js';
import { wordParts, type WordPart } from './wordParts.js';

export interface TokenizerConfig {
  segmenter: Segmenter;
  /** Traditional → Simplified conversion of normalisation. */
  simplified: SimplifiedTable;
  hanSubWords: HanSubWordFinder;
  stopWords: ReadonlySet<string>;
  /** Dictionary words made of one Latin letter and Chinese characters (`b端`, `a股`), normalised. */
  letterWords: ReadonlySet<string>;
  /**
   * Short runs' word ends kept across texts, so a run met again is not sent to the segmenter; the Node analyzer's
   * (articles by the thousand). The static runtime has none: its segmenter learns words as buckets load and makes a
   * new configuration each time, and a page analyses a few queries (and its script stays smaller).
   */
  shortRuns?: ShortRuns;
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
    vocabulary: () => vocabularyOf(config, new WordTable(false)),
    normalize: (text) => normalizeText(text, config.simplified),
    keepsTermCharacters: (text) => keepsTermCharacters(text, config.simplified),
  };
}

function vocabularyOf(config: TokenizerConfig, table: WordTable): Vocabulary {
  return {
    get size() {
      return table.size;
    },
    get generation() {
      return table.generation;
    },
    termIds: (text) => {
      if (typeof text !== 'string') throw new TypeError(`termIds: text must be a string, got ${typeof text}`);
      writeTokens(normalizeForTerms(text, config.simplified), config, table);
      return { count: table.count, ids: table.ids.subarray(0, table.count), positions: table.positions.subarray(0, table.count) };
    },
    term: (id) => table.term(id),
    trim: () => table.trim(),
  };
}

/** writeTokens' scratch: the text's script runs, and per run its known word ends. */
const runs = new ScriptRunList();
let knownEnds = new Int32Array(256);

/** The table of each configuration that terms() and analyze() use, trimmed before each text (they hold no number after). */
const tables = new WeakMap<TokenizerConfig, WordTable>();

function ownTable(config: TokenizerConfig): WordTable {
  let table = tables.get(config);
  if (table === undefined) tables.set(config, (table = new WordTable(true)));
  else table.trim();
  return table;
}

export function tokenize(text: string, config: TokenizerConfig): Token[] {
  const normalized = normalizeWithOffsets(text, config.simplified);
  const table = ownTable(config);
  writeTokens(normalized.text, config, table);
  const tokens = new Array<Token>(table.count);
  for (let k = 0; k < table.count; k++) {
    tokens[k] = {
      term: table.term(table.ids[k]!),
      position: table.positions[k]!,
      start: normalized.sourceStart[table.starts[k]!]!,
      end: normalized.sourceEnd[table.ends[k]! - 1]!,
    };
  }
  return tokens;
}

/** tokenize()'s terms and positions, from the normalised text alone (no offset maps, no token objects). */
export function tokenTerms(text: string, config: TokenizerConfig): TermPositions {
  const table = ownTable(config);
  writeTokens(normalizeForTerms(text, config.simplified), config, table);
  const terms = new Array<string>(table.count);
  const positions = new Array<number>(table.count);
  for (let k = 0; k < table.count; k++) {
    terms[k] = table.term(table.ids[k]!);
    positions[k] = table.positions[k]!;
  }
  return { terms, positions };
}

/** How a word was found: jieba cut it out of a Chinese run, it is a word run, or a letter word (b端). */
type WordSource = 'han' | 'word' | 'letter';

/**
 * The slot of a word in `table`, its facts worked out when first visited as a word: whether it is a stop word, and
 * its sub-words that are none (a stop word's are left out with it). The sources never give the same text (Chinese
 * runs hold only Chinese characters, word runs none, letter words a Latin letter and Chinese), so the facts of a text
 * are one.
 */
function wordSlot(word: string, hash: number, source: WordSource, config: TokenizerConfig, table: WordTable): number {
  const known = table.slotOf(word, hash);
  if (known >= 0 && table.hasFacts(known)) return known;
  table.add(word, hash);
  if (config.stopWords.has(word)) return table.setFacts(word, hash, true, NO_NUMBERS);
  // Chinese words of one or two characters (most of them) have no sub-words.
  const parts = source === 'han' ? (word.length < 3 ? NO_PARTS : config.hanSubWords(word)) : source === 'word' ? wordParts(word) : NO_PARTS;
  const kept: number[] = [];
  for (const part of parts) if (!config.stopWords.has(part.term)) kept.push(table.add(part.term), part.start, part.end);
  // Numbering the sub-words may have moved the word's slot.
  return table.setFacts(word, hash, false, kept);
}

const NO_PARTS: readonly WordPart[] = [];
const NO_NUMBERS: readonly number[] = [];

/**
 * Writes the tokens of the normalised text to `table`, in order: each word, then its sub-words; stop words left out
 * but counted in positions. Whole words of word runs, letter words, jieba's words of Chinese runs: the Chinese runs go
 * to the segmenter in one call (joined by a newline, which jieba treats as a boundary, so the result equals segmenting
 * each run on its own), but for those of one unit.
 */
function writeTokens(norm: string, config: TokenizerConfig, table: WordTable): void {
  table.count = 0;
  scriptRunsOf(norm, runs);
  const { count, kinds, starts, ends } = runs;
  // Letter words take the start of the Chinese run after them (b端 out of b端产品): such a word run is extended over
  // them (and marked LETTER_RUN), and the Chinese run starts after them (left empty when they took all of it).
  for (let r = 0; r + 1 < count; r++) {
    const letterWordEnd = kinds[r] === WORD_RUN ? matchLetterWord(norm, runs, r, config.letterWords) : undefined;
    if (letterWordEnd === undefined) continue;
    kinds[r] = LETTER_RUN;
    ends[r] = letterWordEnd;
    starts[r + 1] = letterWordEnd;
  }
  const short = config.shortRuns;
  // Per run: its known word ends (ShortRuns) if it is a short Chinese run met before, else 0. The Chinese runs to cut
  // are concatenated (flattened once, where the segmenter reads it) rather than an array of their texts joined.
  if (knownEnds.length < count) knownEnds = new Int32Array(2 * count);
  let joined = '';
  for (let r = 0; r < count; r++) {
    const length = ends[r]! - starts[r]!;
    const han = kinds[r] === HAN_RUN;
    knownEnds[r] = short && han && length >= 2 && length <= MAX_SHORT_RUN ? short.wordEnds(norm, starts[r]!, ends[r]!) : 0;
    // A run of one unit is that word whatever the segmenter: not sent, it saves the segmenter a piece and a separator
    // (8 % of the Chinese runs of a 10 % scale sample).
    if (!han || length <= 1 || knownEnds[r] !== 0) continue;
    const text = norm.slice(starts[r]!, ends[r]!);
    joined = joined === '' ? text : joined + RUN_SEPARATOR + text;
  }
  const pieces = joined === '' ? [] : config.segmenter.cut(joined);
  let position = 0;
  let p = 0;
  for (let r = 0; r < count; r++) {
    const start = starts[r]!;
    const runEnd = ends[r]!;
    const length = runEnd - start;
    if (kinds[r] !== HAN_RUN || length === 1) {
      const word = norm.slice(start, runEnd);
      const source = kinds[r] === HAN_RUN ? 'han' : kinds[r] === LETTER_RUN ? 'letter' : 'word';
      table.pushWord(wordSlot(word, termHash(word), source, config, table), start, runEnd, position++);
      continue;
    }
    if (length === 0) continue;
    const known = knownEnds[r]!;
    if (known !== 0) {
      for (let wordStart = start, k = 1; k <= length; k++) {
        if (k < length && (known & (1 << (k - 1))) === 0) continue;
        const end = start + k;
        const word = norm.slice(wordStart, end);
        table.pushWord(wordSlot(word, termHash(word), 'han', config, table), wordStart, end, position++);
        wordStart = end;
      }
      continue;
    }
    let offset = start;
    let wordEnds = KNOWN_ENDS;
    for (; p < pieces.length && pieces[p] !== RUN_SEPARATOR; p++) {
      const piece = pieces[p]!;
      const end = offset + piece.length;
      // The word is checked against the text unit by unit, and hashed on the way.
      let hash = 0;
      let same = end <= runEnd;
      for (let i = 0; same && i < piece.length; i++) {
        const unit = piece.charCodeAt(i);
        same = unit === norm.charCodeAt(offset + i);
        hash = hashUnit(hash, unit);
      }
      if (!same) throw new Error(`${config.segmenter.name}: segmentation does not add up to its input at "${piece}" in "${joined.slice(0, 80)}"`);
      table.pushWord(wordSlot(piece, hashEnd(hash), 'han', config, table), offset, end, position++);
      offset = end;
      if (end < runEnd) wordEnds |= 1 << (end - start - 1);
    }
    if (offset !== runEnd) throw new Error(`${config.segmenter.name}: segmentation of "${joined.slice(0, 80)}" lost characters`);
    if (short && length <= MAX_SHORT_RUN) short.remember(norm, start, runEnd, wordEnds);
    p += 1; // the separator after the run
  }
  if (p < pieces.length) throw new Error(`${config.segmenter.name}: segmentation of "${joined.slice(0, 80)}" added characters`);
}

/** End of the letter word at run r of `runs`, a one-letter word run directly followed by Chinese (`b端` in `b端产品`). */
function matchLetterWord(norm: string, runs: ScriptRunList, r: number, letterWords: ReadonlySet<string>): number | undefined {
  const { kinds, starts, ends } = runs;
  if (letterWords.size === 0 || kinds[r + 1] !== HAN_RUN || starts[r + 1] !== ends[r]) return undefined;
  if (!SINGLE_LATIN_LETTER.test(norm.slice(starts[r]!, ends[r]!))) return undefined;
  let end = starts[r + 1]!;
  let best: number | undefined;
  for (let k = 0; k < MAX_LETTER_WORD_HAN && end < ends[r + 1]!; k++) {
    end += norm.codePointAt(end)! > 0xffff ? 2 : 1;
    if (letterWords.has(norm.slice(starts[r]!, end))) best = end;
  }
  return best;
}
