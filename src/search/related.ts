/**
 * Related articles and topics from the index's keyword and title fields: each article is a TF-IDF
 * vector (keyword terms at full idf, title terms at half), similarity is the cosine.
 */
import type { FieldName, IndexReader } from '../index/types.js';
import { idf } from './bm25f.js';
import type { Topic } from './types.js';

const VECTOR_FIELDS: { field: FieldName; factor: number }[] = [
  { field: 'keywords', factor: 1 },
  { field: 'title', factor: 0.5 },
];

interface WeightedTerm {
  term: string;
  weight: number;
}

export interface RelatedMatch {
  doc: number;
  score: number;
  /** Shared terms, heaviest first. */
  shared: string[];
}

export class TermVectors {
  private readonly vectors: WeightedTerm[][];
  private readonly norms: Float64Array;

  constructor(private readonly reader: IndexReader) {
    const docCount = reader.docCount;
    const byDoc = Array.from({ length: docCount }, () => new Map<string, number>());
    for (const { field, factor } of VECTOR_FIELDS) {
      for (const term of reader.terms(field)) {
        const list = reader.postings(field, term);
        if (!list || list.docs.length < 2) continue; // a term in one article relates nothing
        const weight = factor * idf(list.docs.length, docCount);
        for (const doc of list.docs) byDoc[doc].set(term, (byDoc[doc].get(term) ?? 0) + weight);
      }
    }
    this.vectors = byDoc.map((terms) => [...terms].map(([term, weight]) => ({ term, weight })));
    this.norms = Float64Array.from(this.vectors, (vector) => Math.sqrt(vector.reduce((sum, t) => sum + t.weight * t.weight, 0)));
  }

  /** Most similar other documents by cosine, best first (ties: lower doc number). */
  related(doc: number, limit: number): RelatedMatch[] {
    const vector = this.vectors[doc];
    if (!vector || vector.length === 0 || limit <= 0) return [];
    const dot = new Map<number, number>();
    const own = new Map(vector.map((t) => [t.term, t.weight]));
    for (const { term } of vector) {
      for (const { field } of VECTOR_FIELDS) {
        const list = this.reader.postings(field, term);
        if (!list) continue;
        for (const other of list.docs) if (other !== doc) dot.set(other, 0);
      }
    }
    for (const other of dot.keys()) {
      let sum = 0;
      for (const t of this.vectors[other]) {
        const w = own.get(t.term);
        if (w !== undefined) sum += w * t.weight;
      }
      dot.set(other, sum / (this.norms[doc] * this.norms[other]));
    }
    const ranked = [...dot].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
    return ranked.map(([other, score]) => ({
      doc: other,
      score,
      shared: this.vectors[other]
        .filter((t) => own.has(t.term))
        .sort((a, b) => own.get(b.term)! * b.weight - own.get(a.term)! * a.weight)
        .map((t) => t.term),
    }));
  }
}

/** Keywords shared by the most articles. */
export function corpusTopics(reader: IndexReader, limit: number): Topic[] {
  const topics: Topic[] = [];
  for (const keyword of reader.terms('keywords')) topics.push({ keyword, count: reader.docFreq('keywords', keyword) });
  topics.sort((a, b) => b.count - a.count || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0));
  return topics.slice(0, limit);
}
