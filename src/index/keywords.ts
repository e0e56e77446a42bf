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
  return docs.map((fields) => {
    const counts = new Map<string, number>();
    for (const { termIds, freqs } of fields) {
      termIds.forEach((id, i) => counts.set(termStrings[id], (counts.get(termStrings[id]) ?? 0) + freqs[i]));
    }
    return topKeywords(counts, docFreqOf, docs.length, KEYWORDS_PER_DOC);
  });
}
