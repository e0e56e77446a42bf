/** BM25F: field term frequencies are weighted and length-normalised per field, summed, then saturated once. */
import type { FieldName } from '../index/types.js';
import type { RankingConfig } from './config.js';

export const FIELDS: readonly FieldName[] = ['title', 'headings', 'description', 'tags', 'keywords', 'body'];

/** One field's evidence for a term in a document. */
export interface FieldTf {
  field: FieldName;
  tf: number;
  length: number;
  averageLength: number;
}

/** Robertson–Spärck Jones idf with the +1 that keeps it positive for very common terms. */
export function idf(docFreq: number, docCount: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** A field's contribution to the pseudo term frequency: weight · tf / (1 − b + b · length / averageLength). */
export function weightedFieldTf(tf: number, length: number, averageLength: number, weight: number, b: number): number {
  const norm = averageLength > 0 ? 1 - b + (b * length) / averageLength : 1;
  return (weight * tf) / norm;
}

/** Saturates a pseudo term frequency: idf · tf / (k1 + tf). */
export function saturate(pseudoTf: number, termIdf: number, k1: number): number {
  return pseudoTf > 0 ? (termIdf * pseudoTf) / (k1 + pseudoTf) : 0;
}

/** BM25F score of one term in one document from its per-field frequencies. */
export function bm25fScore(fields: FieldTf[], termIdf: number, config: Pick<RankingConfig, 'weights' | 'b' | 'k1'>): number {
  let pseudoTf = 0;
  for (const f of fields) pseudoTf += weightedFieldTf(f.tf, f.length, f.averageLength, config.weights[f.field], config.b[f.field]);
  return saturate(pseudoTf, termIdf, config.k1);
}
