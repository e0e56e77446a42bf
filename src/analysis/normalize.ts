/**
 * Text normalisation that remembers where every output character came from.
 *
 * Steps: NFKC (full-width → half-width, compatibility forms), lowercase, Traditional → Simplified Chinese.
 * Each step can change lengths (NFKC of `ﬁ` is `fi`, some Traditional characters map to astral Simplified
 * ones), so every UTF-16 unit of the output carries the span of ORIGINAL text it came from.
 */
import { toSimplified, toSimplifiedText } from './traditional.js';

export interface NormalizedText {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: start of the original span it came from. */
  sourceStart: number[];
  /** For each UTF-16 unit of `text`: end (exclusive) of the original span it came from. */
  sourceEnd: number[];
}

const COMBINING_MARK = /\p{M}/u;
const SYMBOL = /\p{S}/u;

/** NFKC + lowercase, applied per cluster (a code point plus its combining marks), so the mapping stays exact. */
function foldWidthAndCase(text: string): NormalizedText {
  const out: string[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    // Fast paths: ASCII and the main CJK block are stable under NFKC.
    if (code < 0x80 && !isCombiningAt(text, i + 1)) {
      out.push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i]!);
      sourceStart.push(i);
      sourceEnd.push(i + 1);
      i += 1;
      continue;
    }
    if (code >= 0x4e00 && code <= 0x9fff && !isCombiningAt(text, i + 1)) {
      out.push(text[i]!);
      sourceStart.push(i);
      sourceEnd.push(i + 1);
      i += 1;
      continue;
    }
    const start = i;
    i += codePointLength(text, i);
    while (i < n && isCombiningAt(text, i)) i += codePointLength(text, i);
    const cluster = text.slice(start, i);
    // Symbols stay as they are: NFKC would turn `™` into `TM` and glue it to the word before it.
    const folded = SYMBOL.test(cluster) ? cluster : cluster.normalize('NFKC').toLowerCase();
    out.push(folded);
    for (let k = 0; k < folded.length; k++) {
      sourceStart.push(start);
      sourceEnd.push(i);
    }
  }
  return { text: out.join(''), sourceStart, sourceEnd };
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
  if (code < 0x300) return false;
  return COMBINING_MARK.test(String.fromCodePoint(text.codePointAt(i)!));
}

/** Normalise `text` and keep, per output unit, the span of original text it came from. */
export function normalizeWithOffsets(text: string): NormalizedText {
  const folded = foldWidthAndCase(text);
  const simplified = toSimplified(folded.text);
  if (simplified.text === folded.text) return folded;
  const sourceStart = simplified.sourceStart.map((k) => folded.sourceStart[k]!);
  const sourceEnd = simplified.sourceEnd.map((k) => folded.sourceEnd[k - 1]!);
  return { text: simplified.text, sourceStart, sourceEnd };
}

/** Normalise a string the way terms are normalised. */
export function normalizeText(text: string): string {
  return toSimplifiedText(foldWidthAndCase(text).text);
}
