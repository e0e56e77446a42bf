/** Article → AnalyzedArticle: runs the analyzer over each indexed field and groups positions by term. */
import type { Analyzer } from '../analysis/types.js';
import type { Article } from '../ingest/types.js';
import { CATEGORY_SEPARATOR } from '../ingest/index.js';
import { edgeClauses } from './boilerplate.js';
import type { AnalyzedArticle, AnalyzedField } from './types.js';

/**
 * Positions skipped between two values of a multi-valued field (headings, tags), so that
 * a phrase never matches across the end of one heading and the start of the next.
 */
export const VALUE_POSITION_GAP = 16;

export function analyzeArticle(analyzer: Analyzer, article: Article): AnalyzedArticle {
  const { frontMatter: _frontMatter, warnings: _warnings, ...stored } = article;
  return {
    article: stored,
    fields: {
      title: analyzeValues(analyzer, [article.title]),
      headings: analyzeValues(analyzer, article.headings),
      description: analyzeValues(analyzer, [article.description]),
      // Each level of a category path is a value of its own (编程 › 运维: 编程, 运维).
      tags: analyzeValues(analyzer, [...article.categories.flatMap((path) => path.split(CATEGORY_SEPARATOR)), ...article.tags]),
      body: analyzeValues(analyzer, [article.text]),
    },
    edges: edgeClauses({ title: article.title, body: article.text }),
  };
}

/** Analyses the values of one field one after another, as if they were one text with gaps between them. */
export function analyzeValues(analyzer: Analyzer, values: readonly string[]): AnalyzedField {
  let terms: string[] = [];
  let positions: number[] = [];
  let length = 0;
  let base = 0;
  for (const value of values) {
    const analyzed = analyzer.terms(value);
    if (analyzed.terms.length === 0) continue;
    let last = 0;
    for (const position of analyzed.positions) if (position > last) last = position;
    if (terms.length === 0) {
      // The first value with tokens starts at position 0 (base is still 0): its arrays are taken as they are.
      ({ terms, positions } = analyzed);
    } else {
      for (let k = 0; k < analyzed.terms.length; k++) {
        terms.push(analyzed.terms[k]!);
        positions.push(base + analyzed.positions[k]!);
      }
    }
    // Stop words are dropped but consume positions, so the last position + 1 counts them (except trailing ones).
    length += last + 1;
    base += last + 1 + VALUE_POSITION_GAP;
  }
  return groupByTerm(terms, positions, length);
}

/** Tokens (parallel terms and positions, in text order) grouped by term: distinct terms, counts, positions per term. */
function groupByTerm(tokenTerms: readonly string[], tokenPositions: readonly number[], length: number): AnalyzedField {
  const termIndex = new Map<string, number>();
  const terms: string[] = [];
  const counts: number[] = [];
  // Each token's term number, so the second pass needs no lookup.
  const tokenTerm = new Uint32Array(tokenTerms.length);
  for (let k = 0; k < tokenTerms.length; k++) {
    const term = tokenTerms[k]!;
    let i = termIndex.get(term);
    if (i === undefined) {
      i = terms.length;
      termIndex.set(term, i);
      terms.push(term);
      counts.push(1);
    } else {
      counts[i]++;
    }
    tokenTerm[k] = i;
  }
  const freqs = Uint32Array.from(counts);
  const next = new Uint32Array(terms.length);
  for (let i = 1; i < terms.length; i++) next[i] = next[i - 1] + freqs[i - 1];
  const positions = new Uint32Array(tokenTerms.length);
  for (let k = 0; k < tokenTerms.length; k++) positions[next[tokenTerm[k]!]++] = tokenPositions[k]!;
  // Tokens come in text order, but sub-words share a position with their covering word; a group out of order is
  // sorted (checking first spares a subarray and a sort call for each of the many terms that occur once or twice).
  let start = 0;
  for (let i = 0; i < terms.length; i++) {
    const end = start + freqs[i]!;
    for (let k = start + 1; k < end; k++) {
      if (positions[k - 1]! > positions[k]!) {
        positions.subarray(start, end).sort();
        break;
      }
    }
    start = end;
  }
  return { terms, freqs, positions, length };
}
