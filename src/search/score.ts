/**
 * Term-at-a-time scoring into dense per-document arrays: each query slot's BM25F scores are accumulated
 * posting by posting, then documents are combined in one pass in document order.
 */
import type { FieldName, IndexReader } from '../index/types.js';
import { FIELDS, idf, saturate, weightedFieldTf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { AtomPlan, GroupPlan, Slot } from './plan.js';
import type { PostingsCache } from './postings.js';

export interface ScoringContext {
  reader: IndexReader;
  postings: PostingsCache;
  config: RankingConfig;
  /** Per field and document: weight / length normalisation, the factor a term frequency there is multiplied by. */
  fieldFactors: FieldFactors;
  buffers: ScoreBuffers;
}

export type FieldFactors = Record<FieldName, Float64Array>;

/** A slot's score per document (0 = absent). */
export interface SlotScores {
  scores: Float64Array;
  /** Documents having the slot's whole word or a sub-word in any field. */
  docFreq: number;
  /** idf over those documents. */
  idf: number;
}

/** BM25F's per-field length normalisation with the field weight folded in, computed once per index and config. */
export function fieldFactors(reader: IndexReader, config: RankingConfig): FieldFactors {
  const factors = {} as FieldFactors;
  for (const field of FIELDS) {
    const average = reader.averageFieldLength(field);
    const values = new Float64Array(reader.docCount);
    for (let doc = 0; doc < reader.docCount; doc++) {
      values[doc] = weightedFieldTf(1, reader.fieldLength(field, doc), average, config.weights[field], config.b[field]);
    }
    factors[field] = values;
  }
  return factors;
}

/**
 * Zeroed per-document score arrays reused from query to query (search is synchronous, so one set per service):
 * allocating them per query made garbage collection a third of the query time.
 */
export class ScoreBuffers {
  private readonly free: Float64Array[] = [];
  private readonly taken: Float64Array[] = [];

  constructor(private readonly docCount: number) {}

  take(): Float64Array {
    const buffer = this.free.pop() ?? new Float64Array(this.docCount);
    this.taken.push(buffer);
    return buffer;
  }

  /** Zeroes and returns every taken buffer; the scores handed out must not be used afterwards. */
  releaseAll(): void {
    for (const buffer of this.taken) this.free.push(buffer.fill(0));
    this.taken.length = 0;
  }
}

/**
 * Adds coefficient · `term`'s weighted, length-normalised field frequencies into `pseudoTf` (every addend is
 * positive); returns how many documents it made non-zero.
 */
function accumulatePseudoTf(ctx: ScoringContext, term: string, coefficient: number, pseudoTf: Float64Array): number {
  let added = 0;
  for (const field of FIELDS) {
    const list = ctx.config.weights[field] === 0 ? undefined : ctx.postings.get(field, term);
    if (!list) continue;
    const factors = ctx.fieldFactors[field];
    const { docs, tfs } = list;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (pseudoTf[doc] === 0) added++;
      pseudoTf[doc] += coefficient * tfs[i] * factors[doc];
    }
  }
  return added;
}

/**
 * A slot is scored as one BM25F pseudo-term over its whole word and sub-words (like a synonym set):
 * tf = (1 − s) · tf(whole) + s · Σ share · tf(sub-word), s = subwordWeight. The index puts sub-words at
 * every occurrence of their whole word too, so an occurrence of the whole word counts 1 and an occurrence
 * of only a sub-word (基础设施 without 新) counts s. The idf is that of the documents having any of them.
 */
export function scoreSlot(ctx: ScoringContext, slot: Slot): SlotScores {
  const { k1 } = ctx.config;
  const subwordWeight = slot.subwords.length > 0 ? ctx.config.subwordWeight : 0;
  const scores = ctx.buffers.take();
  let docFreq = accumulatePseudoTf(ctx, slot.whole, 1 - subwordWeight, scores);
  if (subwordWeight > 0) for (const sub of slot.subwords) docFreq += accumulatePseudoTf(ctx, sub.term, subwordWeight * sub.share, scores);
  const slotIdf = idf(docFreq, scores.length);
  for (let doc = 0; doc < scores.length; doc++) if (scores[doc] > 0) scores[doc] = saturate(scores[doc], slotIdf, k1);
  return { scores, docFreq, idf: slotIdf };
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

/**
 * The plan's slot scores laid out for the per-document pass: per group, per alternative, the slots' arrays.
 * Combines them: each group takes its best alternative; every missing slot (of the chosen alternative, or of
 * the shortest one when none matched) multiplies the sum by missingPenalty.
 */
export class CombinedScorer {
  private readonly groups: Float64Array[][][];
  /** Every distinct slot array, to find the documents matching anything. */
  private readonly arrays: Float64Array[];
  private readonly penalties: Float64Array;

  constructor(groups: GroupPlan[], atomScores: AtomScores, missingPenalty: number) {
    this.groups = groups.map((group) => group.alternatives.map((atom) => atomScores.get(atom)!.map((slot) => slot.scores)));
    this.arrays = [...new Set(this.groups.flat(2))];
    const slotCount = this.groups.reduce((sum, group) => sum + Math.max(...group.map((slots) => slots.length)), 0);
    this.penalties = Float64Array.from({ length: slotCount + 1 }, (_, missing) => missingPenalty ** missing);
  }

  /**
   * Every document's combined score (0 = none), in a buffer taken from `buffers`. Without OR groups the sum is
   * built slot by slot over whole arrays (each group then has one alternative: its raw sum and missing count).
   */
  scoreAll(buffers: ScoreBuffers): Float64Array {
    const combined = buffers.take();
    if (this.groups.some((alternatives) => alternatives.length > 1)) {
      for (let doc = 0; doc < combined.length; doc++) if (this.matches(doc)) combined[doc] = this.score(doc);
      return combined;
    }
    const missing = buffers.take();
    for (const [slots] of this.groups) {
      for (const scores of slots) {
        // Branch-free: which documents have a word is close to random, and mispredicted branches cost more than the adds.
        for (let doc = 0; doc < combined.length; doc++) {
          const s = scores[doc];
          combined[doc] += s;
          missing[doc] += s > 0 ? 0 : 1;
        }
      }
    }
    const penalties = this.penalties;
    for (let doc = 0; doc < combined.length; doc++) if (combined[doc] > 0) combined[doc] *= penalties[missing[doc]];
    return combined;
  }

  /** True if the document has at least one slot. */
  matches(doc: number): boolean {
    for (const scores of this.arrays) if (scores[doc] > 0) return true;
    return false;
  }

  score(doc: number): number {
    let total = 0;
    let missing = 0;
    for (const alternatives of this.groups) {
      let bestValue = -Infinity;
      let bestRaw = 0;
      let bestMissing = 0;
      for (const slots of alternatives) {
        let raw = 0;
        let absent = 0;
        for (const scores of slots) {
          const s = scores[doc];
          if (s > 0) raw += s;
          else absent++;
        }
        const value = raw > 0 ? raw * this.penalties[absent] : -absent;
        if (value > bestValue) {
          bestValue = value;
          bestRaw = raw;
          bestMissing = absent;
        }
      }
      total += bestRaw;
      missing += bestMissing;
    }
    return total * this.penalties[missing];
  }
}
