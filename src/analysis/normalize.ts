/**
 * Text normalisation that remembers where every output character came from.
 *
 * Steps: NFKC (full-width → half-width, compatibility forms), lowercase, Traditional → Simplified Chinese.
 * Each step can change lengths (NFKC of `ﬁ` is `fi`, some Traditional characters map to astral Simplified
 * ones), so every UTF-16 unit of the output carries the span of ORIGINAL text it came from.
 */
import { OffsetMapBuilder } from './offsetMap.js';
import { FIRST_CJK, toSimplified, toSimplifiedText, type ChangingEntries, type SimplifiedTable } from './traditional.js';

export interface NormalizedText {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: start of the original span it came from. */
  sourceStart: Int32Array;
  /** For each UTF-16 unit of `text`: end (exclusive) of the original span it came from. */
  sourceEnd: Int32Array;
}

const COMBINING_MARK = /\p{M}/u;
const SYMBOL = /\p{S}/u;
const ALL_HAN = /^\p{Script=Han}+$/u;

/**
 * Characters NFKC and lowercasing leave at the same length: ASCII, the main CJK block and every other BMP character
 * folding leaves as it is (CJK punctuation, quotes), when no combining mark follows. Runs of them are copied in one
 * piece (lowercased, which changes only ASCII capitals among them). `simpleRunEnd(text, i, forTerms)`: the end of
 * such a run from i (i when there is none; `forTerms`: TERM_NEUTRAL units count as simple); `runHasCapital` then says
 * whether it holds an ASCII capital, found on the same scan (a second look at every unit cost ~2 % of the analysis).
 */
let runHasCapital = false;

function simpleRunEnd(text: string, i: number, forTerms: boolean): number {
  let end = i;
  let capital = false;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code < 0x80) capital ||= code >= 65 && code <= 90;
    else if (!((code >= 0x4e00 && code <= 0x9fff) || isUnchangedUnit(code) || (forTerms && isTermNeutral(code)))) break;
  }
  runHasCapital = capital;
  // No combining mark is a simple unit: one can only follow the run, and then it belongs with the run's last character.
  return end > i && isCombiningAt(text, end) ? end - 1 : end;
}

/**
 * The full-width punctuation of Chinese text that folds to ASCII (，：（）！？；→ ,:()!?;), left as it is where only the
 * terms matter (normalizeForTerms): both forms separate script runs (neither joins a word, nor follows one as + or #)
 * and no Traditional → Simplified entry holds either, so the terms are the same, and a Chinese text folds as one run
 * instead of a slice and a join per comma.
 */
const TERM_NEUTRAL = '，：（）！？；';

/** TERM_NEUTRAL as bits: bit k for U+FF00 + k (all of them are in U+FF01–U+FF1F). */
const TERM_NEUTRAL_BITS = [...TERM_NEUTRAL].reduce((bits, mark) => bits | (1 << (mark.charCodeAt(0) - 0xff00)), 0);

function isTermNeutral(code: number): boolean {
  return code > 0xff00 && code < 0xff20 && ((TERM_NEUTRAL_BITS >>> (code - 0xff00)) & 1) === 1;
}

/** Per BMP unit: 0 not yet known, 1 folding and lowercasing leave it as it is, 2 they change it (or it is no character alone). */
const unchangedUnits = new Uint8Array(0x10000);

function isUnchangedUnit(code: number): boolean {
  let known = unchangedUnits[code];
  if (known === 0) {
    const char = String.fromCharCode(code);
    const unchanged = (code < 0xd800 || code > 0xdfff) && !COMBINING_MARK.test(char) && foldCluster(char) === char && char.toLowerCase() === char;
    unchangedUnits[code] = known = unchanged ? 1 : 2;
  }
  return known === 1;
}

/** foldCluster of clusters that are one BMP unit alone, which are most of those folding changes (full-width forms). */
const foldedUnits = new Map<number, string>();

function foldUnit(code: number): string {
  let folded = foldedUnits.get(code);
  if (folded === undefined) foldedUnits.set(code, (folded = foldCluster(String.fromCharCode(code))));
  return folded;
}

/** NFKC + lowercase, applied per cluster (a code point plus its combining marks), so the mapping stays exact. */
function foldWidthAndCase(text: string): NormalizedText {
  const offsets = new OffsetMapBuilder(text.length);
  const folded = fold(text, offsets, false);
  return { text: folded, ...offsets.build() };
}

/** The folded text; `offsets`, when given, records where each output unit came from (terms alone need none). */
function fold(text: string, offsets: OffsetMapBuilder | null, forTerms: boolean): string {
  const chunks: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const runEnd = simpleRunEnd(text, i, forTerms);
    if (runEnd > i) {
      const start = i;
      i = runEnd;
      // The usual clause or word: one run, no pieces to join.
      if (start === 0 && i === n) {
        offsets?.pushIdentity(0, n);
        return runHasCapital ? text.toLowerCase() : text;
      }
      const run = text.slice(start, i);
      chunks.push(runHasCapital ? run.toLowerCase() : run);
      offsets?.pushIdentity(start, i - start);
      continue;
    }
    const start = i;
    i += codePointLength(text, i);
    while (i < n && isCombiningAt(text, i)) i += codePointLength(text, i);
    // A unit alone (a full-width comma) is folded by its code: no string of it.
    const folded = i - start === 1 ? foldUnit(text.charCodeAt(start)) : foldCluster(text.slice(start, i));
    chunks.push(folded);
    if (!offsets) continue;
    if (folded.length === 1 && i - start === 1) offsets.pushIdentity(start, 1);
    else offsets.pushSpan(start, i, folded.length);
  }
  return chunks.join('');
}

/**
 * NFKC + lowercase of one cluster. Symbols stay as they are (NFKC would turn `™` into `TM` and glue it to the
 * word before it), except those whose NFKC form is a Chinese character (Kangxi radicals: ⽶ → 米).
 */
function foldCluster(cluster: string): string {
  const nfkc = cluster.normalize('NFKC');
  if (SYMBOL.test(cluster) && !ALL_HAN.test(nfkc)) return cluster;
  return nfkc.toLowerCase();
}

function codePointLength(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 2;
  }
  return 1;
}

function isCombiningAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const code = text.charCodeAt(i);
  // Below U+0300 and in the main CJK block there are no combining marks: the usual case needs no regex.
  if (code < 0x300 || (code >= 0x4e00 && code <= 0x9fff)) return false;
  return COMBINING_MARK.test(String.fromCodePoint(text.codePointAt(i)!));
}

/** Normalise `text` and keep, per output unit, the span of original text it came from. */
export function normalizeWithOffsets(text: string, conversion: SimplifiedTable): NormalizedText {
  const folded = foldWidthAndCase(text);
  const simplified = toSimplified(folded.text, conversion);
  if (!simplified) return folded;
  const count = simplified.text.length;
  const sourceStart = new Int32Array(count);
  const sourceEnd = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    sourceStart[k] = folded.sourceStart[simplified.sourceStart[k]!]!;
    sourceEnd[k] = folded.sourceEnd[simplified.sourceEnd[k]! - 1]!;
  }
  return { text: simplified.text, sourceStart, sourceEnd };
}

/** Normalise a string the way terms are normalised. */
export function normalizeText(text: string, conversion: SimplifiedTable): string {
  return toSimplifiedText(fold(text, null, false), conversion);
}

/** normalizeText but for TERM_NEUTRAL punctuation, left as it is: the text the tokenizer finds terms in. */
export function normalizeForTerms(text: string, conversion: SimplifiedTable): string {
  return toSimplifiedText(fold(text, null, true), conversion);
}

/** The characters `keepsTermCharacters` vouches for: CJK ideographs of the main block, ASCII lowercase letters, digits. */
export const PLAIN_TERM = /^[a-z0-9\u4e00-\u9fff]+$/;

/**
 * Per BMP unit: 0 not yet known; 1 alone it folds to its lowercase form, or to one unit that is no PLAIN_TERM
 * character when its lowercase form is none either (，→ ,); 2 anything else. foldedUnitCodes: what a unit folds to.
 */
const plainUnits = new Uint8Array(0x10000);
const foldedUnitCodes = new Uint16Array(0x10000);

function classifyUnit(code: number): number {
  const char = String.fromCharCode(code);
  const lower = char.toLowerCase();
  const folded = foldCluster(char);
  const plain =
    (code < 0xd800 || code > 0xdfff) &&
    !COMBINING_MARK.test(char) &&
    lower.length === 1 &&
    folded.length === 1 &&
    (folded === lower || (!PLAIN_TERM.test(folded) && !PLAIN_TERM.test(lower)));
  foldedUnitCodes[code] = folded.charCodeAt(0);
  return (plainUnits[code] = plain ? 1 : 2);
}

/** Whether the folded form of `text` has `source` at `at` (a unit of kind 2 there fails the text anyway). */
function foldedStartsWith(text: string, source: string, at: number): boolean {
  if (at + source.length > text.length) return false;
  for (let j = 0; j < source.length; j++) {
    const code = text.charCodeAt(at + j);
    if (plainUnits[code] === 0) classifyUnit(code);
    if (foldedUnitCodes[code] !== source.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * Whether normalising `text` leaves every PLAIN_TERM character where text.toLowerCase() has it, and makes none
 * elsewhere: each unit folds alone to one unit (no surrogate pair, no combining mark), a unit folds to a PLAIN_TERM
 * character only when it lowercases to the same one, and no Traditional → Simplified entry that changes its source
 * occurs in the folded text. Then a term of PLAIN_TERM characters occurs in the normalised text, and in that of each
 * part of the text, exactly where it occurs in the lowercased text. False also when the table cannot tell.
 */
export function keepsTermCharacters(text: string, conversion: SimplifiedTable): boolean {
  const changing = conversion.changingEntries?.();
  if (!changing) return false;
  let attention = attentionOf.get(changing);
  if (!attention) attentionOf.set(changing, (attention = new Uint8Array(0x10000).fill(UNKNOWN)));
  for (let i = nextNotPlain(text, attention, 0); i < text.length; i = nextNotPlain(text, attention, i + 1)) {
    const code = text.charCodeAt(i);
    let kind = attention[code];
    if (kind === UNKNOWN) {
      const plain = (plainUnits[code] || classifyUnit(code)) === 1;
      const folded = foldedUnitCodes[code]!;
      const starting = folded >= FIRST_CJK && changing.starts[folded] === 1 ? changing.sources.get(folded)! : [];
      // A unit that changes alone changes the text wherever it is.
      kind = attention[code] = !plain || starting.some((source) => source.length === 1) ? CHANGED : starting.length > 0 ? ENTRY_START : PLAIN;
    }
    if (kind === PLAIN) continue;
    if (kind === CHANGED) return false;
    // Most units that start a changing entry (一, 以, 不 …) are not followed by one that can be its second.
    if (i + 1 === text.length) continue;
    const next = text.charCodeAt(i + 1);
    if (plainUnits[next] === 0) classifyUnit(next);
    if (changing.seconds[foldedUnitCodes[next]!] === 0) continue;
    if (changing.sources.get(foldedUnitCodes[code]!)!.some((source) => foldedStartsWith(text, source, i))) return false;
  }
  return true;
}

/** The first offset from `from` on whose unit is not known PLAIN (text.length if none): the loop most texts are. */
function nextNotPlain(text: string, attention: Uint8Array, from: number): number {
  let i = from;
  while (i < text.length && attention[text.charCodeAt(i)] === PLAIN) i++;
  return i;
}

/** Per table's changing entries, per BMP unit: what keepsTermCharacters does with it (one lookup for most units). */
const attentionOf = new WeakMap<ChangingEntries, Uint8Array>();
const PLAIN = 0;
/** Plain, but folds to a unit a changing entry starts with. */
const ENTRY_START = 1;
/** Not plain. */
const CHANGED = 2;
const UNKNOWN = 3;

/** NFKC + lowercase only: what comes before Traditional → Simplified (a browser picks its table entries from it). */
export function foldText(text: string): string {
  return fold(text, null, false);
}
