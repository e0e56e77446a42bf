/** Keywords of one document: its terms ranked by TF-IDF, with IDF from the indexed corpus. */
import { isStopWord } from './stopWords.js';

const SINGLE_HAN = /^\p{Script=Han}$/u;
const NUMBER = /^[\p{N}.,:%+\-_]+$/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether a term can be a keyword: not a stop word, single character, number or punctuation. */
export function isKeywordCandidate(term: string): boolean {
  if (isStopWord(term) || SINGLE_HAN.test(term) || NUMBER.test(term)) return false;
  if (!HAS_LETTER_OR_DIGIT.test(term)) return false;
  return [...term].length >= 2;
}

/**
 * How often each term stood as a word of its own, from counts that include search-mode sub-words.
 * Every sub-word occurrence comes from an occurrence of a longer word containing it, so going from the
 * longest term down, each word's own count is removed from the terms inside it (米波 inside 毫米波 counts 0
 * unless 米波 also stands alone). Terms that happen to lie inside a longer word without being its sub-word
 * are undercounted; counts never go below 0.
 */
export function ownWordCounts(termFreqs: ReadonlyMap<string, number>): Map<string, number> {
  const own = new Map(termFreqs);
  const longestFirst = [...termFreqs.keys()]
    .map((term) => ({ term, bounds: codePointBounds(term) }))
    .filter((entry) => entry.bounds.length >= 4)
    .sort((a, b) => b.bounds.length - a.bounds.length);
  for (const { term, bounds } of longestFirst) {
    const count = own.get(term)!;
    if (count <= 0) continue;
    const chars = bounds.length - 1;
    // Each occurrence (start, end) of a term inside the word was emitted once as a sub-word.
    for (let start = 0; start < chars; start++) {
      for (let end = start + 1; end <= chars; end++) {
        if (end - start === chars) continue;
        const inner = term.slice(bounds[start], bounds[end]);
        const innerCount = own.get(inner);
        if (innerCount !== undefined) own.set(inner, innerCount - count);
      }
    }
  }
  for (const [term, count] of own) if (count < 0) own.set(term, 0);
  return own;
}

/** UTF-16 offsets of the code point boundaries of `term`, 0 and term.length included. */
function codePointBounds(term: string): number[] {
  const bounds = [0];
  for (let i = 0; i < term.length; ) {
    i += term.codePointAt(i)! > 0xffff ? 2 : 1;
    bounds.push(i);
  }
  return bounds;
}

/**
 * The `limit` best keywords of a document, best first (ties by term, for stable output).
 *
 * `termFreqs`: the document's term counts as the analyzer emitted them (sub-words included; see ownWordCounts).
 * `docFreq(term)`: how many corpus documents contain the term; `docCount`: the number of documents N.
 * Score = own count × idf, idf = ln(1 + (N − df + 0.5) / (df + 0.5)) (the BM25 form, positive for every df).
 * Stop words, single Chinese characters, numbers and punctuation are never keywords.
 */
export function topKeywords(
  termFreqs: Map<string, number>,
  docFreq: (term: string) => number,
  docCount: number,
  limit: number,
): string[] {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`topKeywords: limit must be a whole number ≥ 0, got ${limit}`);
  if (!(docCount >= 0)) throw new RangeError(`topKeywords: docCount must be ≥ 0, got ${docCount}`);
  const scored: { term: string; score: number }[] = [];
  for (const [term, count] of ownWordCounts(termFreqs)) {
    if (count <= 0 || !isKeywordCandidate(term)) continue;
    const df = Math.min(Math.max(docFreq(term), 0), docCount);
    const idf = Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
    scored.push({ term, score: count * idf });
  }
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored.slice(0, limit).map((entry) => entry.term);
}
