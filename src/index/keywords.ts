/**
 * Per-document keywords: TF-IDF over title + body, with IDF from the documents being indexed.
 *
 * The same keywords as analysis' topKeywords(termCounts, docFreq, N, KEYWORDS_PER_DOC) (a test holds them equal on
 * the real corpus), computed on term ids: whether a term can be a keyword and which shorter terms lie inside it are
 * worked out once per term of the dictionary instead of once per document it occurs in, and counts live in typed
 * arrays instead of Maps. Every keyword depends on the corpus-wide IDF, so every build recomputes all of them.
 */
import { isKeywordCandidate } from '../analysis/index.js';

/** Keywords kept per document. */
export const KEYWORDS_PER_DOC = 10;

interface TermCounts {
  termIds: Uint32Array;
  freqs: Uint32Array;
}

/** Facts about one dictionary term, found on first use. */
interface TermFacts {
  candidate: boolean;
  /** Length in code points. */
  chars: number;
  /**
   * Ids of the shorter terms inside this one, once per place they occur (see ownWordCounts in analysis): a count of
   * this term as a word of its own was also emitted once per place as a sub-word. Empty below 3 code points.
   */
  inner: Uint32Array;
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
  const dictionarySize = termStrings.length;
  const docFreq = new Uint32Array(dictionarySize);
  // Which document last touched a term: counts and df are reset lazily instead of per document.
  const lastDoc = new Int32Array(dictionarySize).fill(-1);
  docs.forEach((fields, doc) => {
    for (const { termIds: ids } of fields) {
      for (let i = 0; i < ids.length; i++) {
        if (lastDoc[ids[i]] !== doc) {
          lastDoc[ids[i]] = doc;
          docFreq[ids[i]]++;
        }
      }
    }
  });

  const facts: (TermFacts | undefined)[] = new Array(dictionarySize);
  const factsOf = (id: number): TermFacts => (facts[id] ??= termFacts(termStrings[id], termIds));
  const docCount = docs.length;
  const idf = (id: number): number => {
    const df = Math.min(docFreq[id], docCount);
    return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  };

  const own = new Float64Array(dictionarySize);
  lastDoc.fill(-1);
  return docs.map((fields, doc) => {
    const touched: number[] = [];
    for (const { termIds: ids, freqs } of fields) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          own[id] = 0;
          touched.push(id);
        }
        own[id] += freqs[i];
      }
    }
    // Longest first: a word's own count is final once every longer word containing it has been subtracted.
    const long = touched.filter((id) => factsOf(id).chars >= 3).sort((a, b) => facts[b]!.chars - facts[a]!.chars);
    for (const id of long) {
      const count = own[id];
      if (count <= 0) continue;
      for (const inner of facts[id]!.inner) if (lastDoc[inner] === doc) own[inner] -= count;
    }
    const best: { term: string; score: number }[] = [];
    for (const id of touched) {
      const count = own[id];
      if (count <= 0 || !factsOf(id).candidate) continue;
      insertBest(best, { term: termStrings[id], score: count * idf(id) }, KEYWORDS_PER_DOC);
    }
    return best.map((entry) => entry.term);
  });
}

function termFacts(term: string, termIds: ReadonlyMap<string, number>): TermFacts {
  const bounds = [0];
  for (let i = 0; i < term.length; ) {
    i += term.codePointAt(i)! > 0xffff ? 2 : 1;
    bounds.push(i);
  }
  const chars = bounds.length - 1;
  const inner: number[] = [];
  if (chars >= 3) {
    for (let start = 0; start < chars; start++) {
      for (let end = start + 1; end <= chars; end++) {
        if (end - start === chars) continue;
        const id = termIds.get(term.slice(bounds[start], bounds[end]));
        if (id !== undefined) inner.push(id);
      }
    }
  }
  return { candidate: isKeywordCandidate(term), chars, inner: Uint32Array.from(inner) };
}

/** Keeps `best` as the top `limit` entries, best first: higher score, then the smaller term. */
function insertBest(best: { term: string; score: number }[], entry: { term: string; score: number }, limit: number): void {
  const before = (a: { term: string; score: number }, b: { term: string; score: number }): boolean =>
    a.score > b.score || (a.score === b.score && a.term < b.term);
  if (best.length === limit && !before(entry, best[limit - 1])) return;
  let i = best.length < limit ? best.length : limit - 1;
  while (i > 0 && before(entry, best[i - 1])) {
    best[i] = best[i - 1];
    i--;
  }
  best[i] = entry;
}
