/** Per-document keywords: TF-IDF over title + body, with IDF from the documents being indexed. */
import { topKeywords } from '../analysis/index.js';

/** Keywords kept per document. */
export const KEYWORDS_PER_DOC = 10;

interface TermCounts {
  termIds: Uint32Array;
  freqs: Uint32Array;
}

/**
 * Keywords of each document, given its title and body fields as term ids into `termStrings`.
 * A term's document frequency counts documents with the term in the title or the body.
 */
export function articleKeywords(
  docs: readonly (readonly TermCounts[])[],
  termStrings: readonly string[],
  termIds: ReadonlyMap<string, number>,
): string[][] {
  const docFreq = new Uint32Array(termStrings.length);
  const lastDoc = new Int32Array(termStrings.length).fill(-1);
  docs.forEach((fields, doc) => {
    for (const { termIds } of fields) {
      for (const id of termIds) {
        if (lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          docFreq[id]++;
        }
      }
    }
  });
  const docFreqOf = (term: string): number => {
    const id = termIds.get(term);
    return id === undefined ? 0 : docFreq[id];
  };
  // Title and body counts are summed by term id, then handed over as the Map topKeywords takes.
  const tally = new Uint32Array(termStrings.length);
  return docs.map((fields) => {
    const touched: number[] = [];
    for (const { termIds, freqs } of fields) {
      for (let i = 0; i < termIds.length; i++) {
        if (tally[termIds[i]] === 0) touched.push(termIds[i]);
        tally[termIds[i]] += freqs[i];
      }
    }
    const counts = new Map<string, number>();
    for (const id of touched) {
      counts.set(termStrings[id], tally[id]);
      tally[id] = 0;
    }
    return topKeywords(counts, docFreqOf, docs.length, KEYWORDS_PER_DOC);
  });
}
