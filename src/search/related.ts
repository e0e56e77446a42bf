/**
 * Related articles from the index's keyword and title fields: each article is a binary
 * vector over (field, term) dimensions weighted by idf (title terms at half), similarity is the cosine.
 */
import type { FieldName, IndexReader } from '../index/types.js';
import { idf } from './bm25f.js';

const VECTOR_FIELDS: { field: FieldName; factor: number }[] = [
  { field: 'keywords', factor: 1 },
  { field: 'title', factor: 0.5 },
];

/** A (field, term) dimension of the vector space. */
interface Dimension {
  field: FieldName;
  term: string;
  weight: number;
}

export interface RelatedMatch {
  doc: number;
  score: number;
  /** Shared terms, heaviest first. */
  shared: string[];
}

/** Terms in more than this share of the articles say nothing about similarity (and cost the most). */
const MAX_DOC_SHARE = 0.1;
/**
 * Below ~30 articles that share allows no term at all (2 of 8 articles is 25 %): a term in up to this many
 * articles (and at most half of them) still relates them, so a small blog has related articles too.
 */
const SMALL_CORPUS_MAX_DOCS = 3;

export class TermVectors {
  private readonly dimensions: Dimension[] = [];
  /** Dimensions of each document (its keyword and title terms). */
  private readonly docDimensions: number[][];
  private readonly norms: Float64Array;

  constructor(private readonly reader: IndexReader) {
    const docCount = reader.docCount;
    this.docDimensions = Array.from({ length: docCount }, () => []);
    const squares = new Float64Array(docCount);
    const maxDocFreq = Math.max(MAX_DOC_SHARE * docCount, Math.min(SMALL_CORPUS_MAX_DOCS, docCount / 2));
    for (const { field, factor } of VECTOR_FIELDS) {
      for (const term of reader.terms(field)) {
        const docFreq = reader.docFreq(field, term);
        // A term in one article relates nothing; one in most relates everything.
        if (docFreq < 2 || docFreq > maxDocFreq) continue;
        const weight = factor * idf(docFreq, docCount);
        const id = this.dimensions.push({ field, term, weight }) - 1;
        for (const doc of reader.postings(field, term)!.docs) {
          this.docDimensions[doc].push(id);
          squares[doc] += weight * weight;
        }
      }
    }
    this.norms = squares.map(Math.sqrt);
  }

  /** Most similar other documents by cosine, best first (ties: lower document number). */
  related(doc: number, limit: number): RelatedMatch[] {
    const own = this.docDimensions[doc];
    if (!own || own.length === 0 || limit <= 0) return [];
    const dot = new Map<number, number>();
    for (const id of own) {
      const { field, term, weight } = this.dimensions[id];
      for (const other of this.reader.postings(field, term)!.docs) {
        if (other !== doc) dot.set(other, (dot.get(other) ?? 0) + weight * weight);
      }
    }
    const ranked = [...dot]
      .map(([other, product]) => [other, product / (this.norms[doc] * this.norms[other])] as const)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit);
    const ownIds = new Set(own);
    return ranked.map(([other, score]) => ({
      doc: other,
      score,
      shared: [...new Set(this.docDimensions[other].filter((id) => ownIds.has(id)).sort((a, b) => this.dimensions[b].weight - this.dimensions[a].weight).map((id) => this.dimensions[id].term))],
    }));
  }
}
