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
 * The `limit` terms of a document with the highest tf × idf, best first (ties by term, for stable output).
 * idf = ln(1 + (N − df + 0.5) / (df + 0.5)), the BM25 form: positive even for terms in most documents.
 * `docFreq(term)` counts the corpus documents containing the term; `docCount` is N.
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
  for (const [term, freq] of termFreqs) {
    if (freq <= 0 || !isKeywordCandidate(term)) continue;
    const df = Math.min(Math.max(docFreq(term), 0), docCount);
    const idf = Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
    scored.push({ term, score: freq * idf });
  }
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored.slice(0, limit).map((entry) => entry.term);
}
