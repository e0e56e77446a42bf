/**
 * The engine's candidates ranked again as the embedded index ranks its matches, by the same code: the engine's
 * expression ranker sees only per-field sums over all the query's keywords and no positions, so it cannot saturate
 * each query word apart, tell a word from its sub-words, cap a synonym's idf, weigh a question's verb, or tell where
 * the query's topics meet. The candidates' positions of the query's terms (their `pos` attribute, read with the
 * ranking) become postings over those articles (positionPostings), and score.ts (BM25F per slot, synonym cap,
 * CombinedScorer) and proximity.ts (phrases, proximity, topic meetings) rank them; only each slot's rarity comes from
 * the whole engine (its article count, SHOW META or COUNT statements). Pure: SQL out, scores from the rows back.
 */
import { engineTerm, fieldLengthAttribute, positionPostings, WHOLE_FIELDS } from '../index/index.js';
import type { FieldName, IndexReader } from '../index/types.js';
import { idf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { FieldAverages } from './engine-query.js';
import type { QueryPlan, Slot } from './plan.js';
import { PostingsCache } from './postings.js';
import { PositionalScorer, rerankHead } from './proximity.js';
import { atomScoresOf, CombinedScorer, fieldFactors, MatchedDocuments, ScoreBuffers, scoreSlot, slotKey, type ScoringContext, type SlotScores } from './score.js';
import { plannedTerms } from './search-core.js';
import { byRank, type Scored } from './top-k.js';

type Row = Record<string, unknown>;

/** What the rescoring needs of the whole engine: its article count and average field lengths. */
export interface EngineStatistics {
  docCount: number;
  averages: FieldAverages;
}

/** Articles having a slot's words over the whole engine, by slotKey. */
export type SlotRarities = Map<string, { docFreq: number; wholeDocFreq?: number }>;

export interface RarityStatements {
  /** Statements to run (with the ranking: they do not depend on its head), in this order. */
  statements: string[];
  /** The rarities from the statements' results (in order) and the ranking's SHOW META keyword counts. */
  read(results: Row[][], keywordDocs: ReadonlyMap<string, number>): SlotRarities;
}

const WHOLE_FIELD_LIMIT = `@(${WHOLE_FIELDS.join(',')})`;

/**
 * How many articles of the whole engine have each slot (any of its words; for a compound the segmenter cut, also its
 * pieces side by side), as the embedded index counts them from its postings. A slot of one word is read from SHOW
 * META (docs[i]); the others are counted.
 */
export function rarityStatements(table: string, plan: QueryPlan, quote: (text: string) => string): RarityStatements {
  const statements: string[] = [];
  const countOf = (match: string) => statements.push(`SELECT COUNT(*) AS n FROM ${table} WHERE MATCH(${quote(match)})`) - 1;
  const slots: { key: string; single?: string; any: number; phrase: number }[] = [];
  const seen = new Set<string>();
  for (const group of plan.groups) {
    for (const atom of group.alternatives) {
      for (const slot of atom.slots) {
        const key = slotKey(slot);
        if (seen.has(key)) continue;
        seen.add(key);
        const words = [...(slot.pieces ? [] : [slot.whole]), ...slot.subwords.map((sub) => sub.term)].map(engineTerm);
        const single = words.length === 1 ? words[0] : undefined;
        const any = words.length > 1 ? countOf(`(${words.join(' | ')})`) : -1;
        const phrase = slot.pieces ? countOf(`${WHOLE_FIELD_LIMIT} "${slot.pieces.map(engineTerm).join(' ')}"`) : -1;
        slots.push({ key, single, any, phrase });
      }
    }
  }
  return {
    statements,
    read(results, keywordDocs) {
      const count = (at: number) => Number(results[at]?.[0]?.n ?? 0);
      return new Map(
        slots.map(({ key, single, any, phrase }) => [
          key,
          {
            docFreq: single !== undefined ? (keywordDocs.get(single) ?? 0) : any >= 0 ? count(any) : 0,
            ...(phrase >= 0 ? { wholeDocFreq: count(phrase) } : {}),
          },
        ]),
      );
    },
  };
}

/**
 * What the candidates of a search are read with (by id, after the ranking): each field's length and each planned
 * term's positions (`pos['term']`: only those terms of the article, a few bytes). `terms[i]`'s come back as `p<i>`.
 */
export function candidateColumns(plan: QueryPlan): { select: string[]; terms: string[] } {
  const terms = plannedTerms(plan);
  return { select: [...WHOLE_FIELDS.map(fieldLengthAttribute), ...terms.map((term, i) => `pos['${engineTerm(term)}'] AS p${i}`)], terms };
}

/** Postings of `terms` over some rows (document i = rows[i]) read with candidateColumns. */
export function rowPostings(rows: readonly Row[], terms: readonly string[]): PostingsCache {
  return new PostingsCache({ postings: positionPostings(new Map(terms.map((term, i) => [term, rows.map((row) => row[`p${i}`] as string | null | undefined)]))) });
}

/**
 * The candidate rows (read with candidateColumns, in the engine's order) ranked as the embedded index ranks its
 * matches, as {doc: index in rows, score}: BM25F over the slots with their rarity over the whole engine, the
 * missing-word penalty and question verbs (CombinedScorer); then its first rescoreDepth by rerankHead (phrase and
 * proximity bonuses, the topics' meeting, the passage score), the others after them in BM25F order. Candidates
 * deeper than the head let the embedded index's head be found where the engine's expression orders it otherwise.
 * Also gives the postings read (for the page's hits).
 */
export function rankedCandidates(
  plan: QueryPlan,
  rows: readonly Row[],
  terms: readonly string[],
  rarities: SlotRarities,
  config: RankingConfig,
  stats: EngineStatistics,
): { ranked: Scored[]; postings: PostingsCache } {
  const n = rows.length;
  const lengths = new Map<FieldName, Float64Array>(WHOLE_FIELDS.map((field) => [field, Float64Array.from(rows, (row) => Number(row[fieldLengthAttribute(field)] ?? 0))]));
  const postings = rowPostings(rows, terms);
  const reader: Pick<IndexReader, 'docCount' | 'averageFieldLength' | 'fieldLength'> = {
    docCount: n,
    averageFieldLength: (field) => stats.averages[field] ?? 0,
    fieldLength: (field, doc) => lengths.get(field)?.[doc] ?? 0,
  };
  const ctx: ScoringContext = { reader, postings, config, fieldFactors: fieldFactors(reader, config), buffers: new ScoreBuffers(n) };
  const matched = new MatchedDocuments(n);
  const atomScores = atomScoresOf(plan.groups, (slot) => withRarity(scoreSlot(ctx, slot, matched), slot, rarities, stats.docCount));
  const scorer = new CombinedScorer(plan.groups, atomScores, config);
  const byScore = rows.map((_, doc) => ({ doc, score: scorer.scoreOf(doc) })).sort(byRank);
  const head = rerankHead(new PositionalScorer(ctx, plan.groups, atomScores), byScore.slice(0, config.rescoreDepth), config.passageDepth);
  return { ranked: [...head, ...byScore.slice(config.rescoreDepth)], postings };
}

/** A slot's scores over the candidates with its document frequency and idf over the whole engine (as scoreSlot's over the index). */
function withRarity(scores: SlotScores, slot: Slot, rarities: SlotRarities, docCount: number): SlotScores {
  const { docFreq = 0, wholeDocFreq = 0 } = rarities.get(slotKey(slot)) ?? {};
  // A compound's rarity is that of its pieces side by side (scoreSlot).
  const idfDocs = slot.pieces && wholeDocFreq > 0 ? wholeDocFreq : Math.max(docFreq, wholeDocFreq);
  return { ...scores, docFreq: Math.max(docFreq, wholeDocFreq), idf: idf(idfDocs, docCount) };
}
