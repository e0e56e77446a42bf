/** Keywords of one document: its nouns and names ranked by TF-IDF, with IDF from the corpus and from general Chinese. */
import type { Lexicon } from './lexicon.js';
import { occurrencesIn } from './occurrences.js';
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
 * How much general Chinese writing weighs in a keyword's idf, in documents: with N documents the corpus's own idf
 * counts N / (N + BACKGROUND_DOCUMENTS), the background idf the rest. A small collection says little about which
 * words are common (增长 in 7 of 313 posts looks rare); a large one knows its own vocabulary (数组 in code posts).
 */
export const BACKGROUND_DOCUMENTS = 1000;

/**
 * idf of a keyword: the corpus's idf (the BM25 form ln(1 + (N − df + 0.5) / (df + 0.5)), positive for every df)
 * blended with its idf in general writing (see BACKGROUND_DOCUMENTS), so words common in all Chinese writing (增长,
 * 全国, 举办) sink even in a small collection.
 */
export function keywordIdf(docFreq: number, docCount: number, backgroundIdf: number): number {
  const df = Math.min(Math.max(docFreq, 0), docCount);
  const corpusIdf = Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  const share = BACKGROUND_DOCUMENTS / (docCount + BACKGROUND_DOCUMENTS);
  return (1 - share) * corpusIdf + share * backgroundIdf;
}

/** What keywords need to know about words beyond the corpus (see Lexicon). */
export type KeywordLexicon = Pick<Lexicon, 'tag' | 'keywordWeights' | 'backgroundIdf'>;

/**
 * The `limit` best keywords of a document, best first (ties by term, for stable output).
 *
 * `termFreqs`: the document's term counts as the analyzer emitted them (sub-words included; see ownWordCounts), plus
 * any collocations (加沙地带 for 加沙 + 地带) with the times they occur. `docFreq(term)`: how many corpus documents
 * contain the term; `docCount`: the number of documents N.
 * Score = own count × keywordIdf × the term's weight by part of speech (lexicon.keywordWeights: nouns and names 1,
 * verbs and amounts 0). Stop words, single Chinese characters, numbers and punctuation are never keywords.
 * `boilerplate`: the document's text that says where it comes from rather than what it is about (bylines, series
 * labels, disclaimers; normalised as terms are): a term's occurrences there are taken off its own count.
 */
export function topKeywords(
  termFreqs: Map<string, number>,
  docFreq: (term: string) => number,
  docCount: number,
  limit: number,
  lexicon: KeywordLexicon,
  boilerplate = '',
): string[] {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`topKeywords: limit must be a whole number ≥ 0, got ${limit}`);
  if (!(docCount >= 0)) throw new RangeError(`topKeywords: docCount must be ≥ 0, got ${docCount}`);
  const candidates = [...ownWordCounts(termFreqs)]
    .map(([term, count]): [string, number] => [term, boilerplate === '' ? count : count - occurrencesIn(boilerplate, term)])
    .filter(([term, count]) => count > 0 && isKeywordCandidate(term));
  const weights = lexicon.keywordWeights(candidates.map(([term]) => term));
  const scored: { term: string; score: number }[] = [];
  candidates.forEach(([term, count], i) => {
    if (weights[i] <= 0) return;
    scored.push({ term, score: count * keywordIdf(docFreq(term), docCount, lexicon.backgroundIdf(term)) * weights[i] });
  });
  scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return scored.slice(0, limit).map((entry) => entry.term);
}
