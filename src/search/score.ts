/** Document-at-a-time-free scoring: each query slot's BM25F scores are accumulated into a dense array. */
import type { FieldName, IndexReader } from '../index/types.js';
import { FIELDS, idf, saturate, weightedFieldTf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { AtomPlan, GroupPlan, Slot } from './plan.js';
import type { PostingsCache } from './postings.js';

export interface ScoringContext {
  reader: IndexReader;
  postings: PostingsCache;
  config: RankingConfig;
  averageLength: Record<FieldName, number>;
}

/** A slot's score per document (0 = absent) and the documents that have it. */
export interface SlotScores {
  scores: Float64Array;
  docs: number[];
  /** idf of the whole word (over documents having it in any field). */
  idf: number;
}

export function averageLengths(reader: IndexReader): Record<FieldName, number> {
  const result = {} as Record<FieldName, number>;
  for (const field of FIELDS) result[field] = reader.averageFieldLength(field);
  return result;
}

/** Adds coefficient · `term`'s weighted, length-normalised field frequencies into `pseudoTf`; marks new documents in `touched`. */
function accumulatePseudoTf(ctx: ScoringContext, term: string, coefficient: number, pseudoTf: Float64Array, seen: Uint8Array, touched: number[]): void {
  const { config, reader } = ctx;
  for (const field of FIELDS) {
    const weight = config.weights[field] * coefficient;
    const list = weight === 0 ? undefined : ctx.postings.get(field, term);
    if (!list) continue;
    const b = config.b[field];
    const average = ctx.averageLength[field];
    for (let i = 0; i < list.docs.length; i++) {
      const doc = list.docs[i];
      if (seen[doc] === 0) {
        seen[doc] = 1;
        touched.push(doc);
      }
      pseudoTf[doc] += weightedFieldTf(list.tfs[i], reader.fieldLength(field, doc), average, weight, b);
    }
  }
}

/**
 * A slot is scored as one BM25F pseudo-term over its whole word and sub-words (like a synonym set):
 * tf = (1 − s) · tf(whole) + s · Σ share · tf(sub-word), s = subwordWeight. The index puts sub-words at
 * every occurrence of their whole word too, so an occurrence of the whole word counts 1 and an occurrence
 * of only a sub-word (基础设施 without 新) counts s. The idf is that of the documents having any of them.
 */
export function scoreSlot(ctx: ScoringContext, slot: Slot): SlotScores {
  const docCount = ctx.reader.docCount;
  const { k1 } = ctx.config;
  const subwordWeight = slot.subwords.length > 0 ? ctx.config.subwordWeight : 0;
  const scores = new Float64Array(docCount);
  const seen = new Uint8Array(docCount);
  const docs: number[] = [];
  accumulatePseudoTf(ctx, slot.whole, 1 - subwordWeight, scores, seen, docs);
  if (subwordWeight > 0) for (const sub of slot.subwords) accumulatePseudoTf(ctx, sub.term, subwordWeight * sub.share, scores, seen, docs);
  const slotIdf = idf(docs.length, docCount);
  for (const doc of docs) scores[doc] = saturate(scores[doc], slotIdf, k1);
  return { scores, docs, idf: slotIdf };
}

/** Scores of every slot of every atom in the plan's groups, keyed by atom. */
export type AtomScores = Map<AtomPlan, SlotScores[]>;

export function scoreAtoms(ctx: ScoringContext, groups: GroupPlan[]): AtomScores {
  const result: AtomScores = new Map();
  const bySlotKey = new Map<string, SlotScores>();
  for (const group of groups) {
    for (const atom of group.alternatives) {
      result.set(
        atom,
        atom.slots.map((slot) => {
          const key = slot.whole + '\u0000' + slot.subwords.map((s) => s.term).join('\u0000');
          let scores = bySlotKey.get(key);
          if (!scores) bySlotKey.set(key, (scores = scoreSlot(ctx, slot)));
          return scores;
        }),
      );
    }
  }
  return result;
}

/** Documents matching at least one slot, ascending. */
export function candidateDocs(atomScores: AtomScores, docCount: number): Uint32Array {
  const seen = new Uint8Array(docCount);
  let count = 0;
  for (const slots of atomScores.values()) {
    for (const slot of slots) {
      for (const doc of slot.docs) {
        if (seen[doc] === 0) {
          seen[doc] = 1;
          count++;
        }
      }
    }
  }
  const docs = new Uint32Array(count);
  let n = 0;
  for (let doc = 0; doc < docCount; doc++) if (seen[doc] === 1) docs[n++] = doc;
  return docs;
}

/**
 * Combines slot scores: each group takes its best alternative; every missing slot (of the chosen
 * alternative, or of the shortest one when none matched) multiplies the sum by missingPenalty.
 */
export function combinedScore(doc: number, groups: GroupPlan[], atomScores: AtomScores, missingPenalty: number): number {
  let total = 0;
  let missing = 0;
  for (const group of groups) {
    let bestValue = -Infinity;
    let bestRaw = 0;
    let bestMissing = 0;
    for (const atom of group.alternatives) {
      const slots = atomScores.get(atom)!;
      let raw = 0;
      let absent = 0;
      for (const slot of slots) {
        const s = slot.scores[doc];
        if (s > 0) raw += s;
        else absent++;
      }
      const value = raw > 0 ? raw * missingPenalty ** absent : -absent;
      if (value > bestValue) {
        bestValue = value;
        bestRaw = raw;
        bestMissing = absent;
      }
    }
    total += bestRaw;
    missing += bestMissing;
  }
  return total * missingPenalty ** missing;
}
