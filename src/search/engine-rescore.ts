/**
 * The head of the engine's ranking re-ranked with zhsearch's own BM25F: the engine's expression ranker sees only
 * per-field sums over all the query's keywords, so it cannot saturate each query word apart, tell a word from its
 * sub-words, or cap a synonym's idf as the embedded index does. For the head documents, each query term's
 * per-field frequency is read from the engine (one statement per term, restricted to the head, from its packed
 * ranking factors), each slot's document frequency is counted over the whole engine, and the embedded index's own
 * SlotScores, synonym cap and CombinedScorer (score.ts) rank them. Phrase and proximity bonuses stay the engine's
 * (bonusExpression), added as the embedded index adds its own. Pure: SQL out, scores from the rows that come back.
 */
import { ENGINE_FIELDS, engineTerm, SUBWORD_FIELDS, WHOLE_FIELDS } from '../index/index.js';
import type { FieldName } from '../index/types.js';
import { idf, weightedFieldTf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { FieldAverages } from './engine-query.js';
import type { QueryPlan, Slot } from './plan.js';
import { atomScoresOf, CombinedScorer, slotKey, type SlotScores } from './score.js';

type Row = Record<string, unknown>;

/** What the rescoring needs of the whole engine: its article count and average field lengths (whole-word fields). */
export interface EngineStatistics {
  docCount: number;
  averages: FieldAverages;
}

export interface HeadRescoring {
  /** Statements to run in one batch, in this order. */
  statements: string[];
  /** Each head document's score (in `ids` order) from the statements' results. */
  scores(results: Row[][]): Float64Array;
}

/** Per whole-word field: its engine field index and its sub-word field's (sub-words are kept apart in the engine). */
const FIELD_COLUMNS = WHOLE_FIELDS.map((field) => {
  const sub = SUBWORD_FIELDS.find((f) => f.field === field)?.name;
  return { field, whole: ENGINE_FIELDS.indexOf(field), sub: sub === undefined ? -1 : ENGINE_FIELDS.indexOf(sub) };
});
const WHOLE_FIELD_LIMIT = `@(${WHOLE_FIELDS.join(',')})`;

/** What is read for one slot: its terms' frequencies, and how many articles have it. */
interface SlotQuery {
  slot: Slot;
  /** Index of the statement counting the articles with any of its words (whole or sub-words); negative: known, or none (-1). */
  anyCount: number;
  /** For a compound the segmenter cut: the statements of its pieces side by side (their hits, their articles). */
  phraseHits?: number;
  phraseCount?: number;
}

/**
 * `ids`: the head's document ids, in ranking order; `bonus`: a statement giving each head document's positional
 * bonus as WEIGHT() (restricted to the same ids), or null.
 */
export function headRescoring(
  table: string,
  plan: QueryPlan,
  ids: string[],
  config: RankingConfig,
  stats: EngineStatistics,
  bonus: string | null,
  quote: (text: string) => string,
  scale: number,
  /** Articles per engine term, as the ranking's SHOW META gave them (docs[i]): a one-term slot needs no count. */
  keywordDocs: ReadonlyMap<string, number>,
): HeadRescoring {
  const n = ids.length;
  const idList = ids.join(',');
  const statements: string[] = [
    `SELECT id, ${WHOLE_FIELDS.map((field) => `${field}_len`).join(', ')} FROM ${table} WHERE id IN (${idList}) LIMIT ${n} OPTION max_matches=${n}`,
  ];
  const add = (sql: string) => statements.push(sql) - 1;
  const factorsOf = (match: string) =>
    add(`SELECT id, PACKEDFACTORS() AS f FROM ${table} WHERE MATCH(${quote(match)}) AND id IN (${idList}) LIMIT ${n} OPTION max_matches=${n}, ranker=expr('1')`);
  const countOf = (match: string) => add(`SELECT COUNT(*) AS n FROM ${table} WHERE MATCH(${quote(match)})`);
  const known = new Map<number, number>();
  /** A statement index whose count is known already (negative, read from `known`). */
  const knownCount = (docs: number) => {
    const at = -2 - known.size;
    known.set(at, docs);
    return at;
  };

  const termStatement = new Map<string, number>();
  const termFactors = (term: string) => {
    let at = termStatement.get(term);
    if (at === undefined) termStatement.set(term, (at = factorsOf(engineTerm(term))));
    return at;
  };
  const slots = new Map<string, SlotQuery>();
  for (const group of plan.groups) {
    for (const atom of group.alternatives) {
      for (const slot of atom.slots) {
        const key = slotKey(slot);
        if (slots.has(key)) continue;
        const words = [...(slot.pieces ? [] : [slot.whole]), ...slot.subwords.map((sub) => sub.term)];
        if (!slot.pieces) termFactors(slot.whole);
        for (const sub of slot.subwords) termFactors(sub.term);
        const single = words.length === 1 ? keywordDocs.get(engineTerm(words[0])) : undefined;
        const anyCount = words.length === 0 ? -1 : single !== undefined ? knownCount(single) : countOf(`(${words.map(engineTerm).join(' | ')})`);
        const query: SlotQuery = { slot, anyCount };
        if (slot.pieces) {
          const phrase = `${WHOLE_FIELD_LIMIT} "${slot.pieces.map(engineTerm).join(' ')}"`;
          query.phraseHits = factorsOf(phrase);
          query.phraseCount = countOf(phrase);
        }
        slots.set(key, query);
      }
    }
  }
  const bonusAt = bonus === null ? -1 : add(bonus);

  return {
    statements,
    scores(results) {
      const position = new Map(ids.map((id, i) => [id, i]));
      // Per whole-word field and head document: the field's weight over its length normalisation.
      const factor = new Map<FieldName, Float64Array>(WHOLE_FIELDS.map((field) => [field, new Float64Array(n)]));
      for (const row of results[0]) {
        const i = position.get(String(row.id));
        if (i === undefined) continue;
        for (const field of WHOLE_FIELDS) {
          factor.get(field)![i] = weightedFieldTf(1, Number(row[`${field}_len`] ?? 0), stats.averages[field] ?? 0, config.weights[field], config.b[field]);
        }
      }
      /** Σ over fields of hits · factor, per head document, from a statement of packed factors (hits / perHit). */
      const weightedHits = (statement: number, perHit = 1): Float64Array => {
        const values = new Float64Array(n);
        for (const row of results[statement]) {
          const i = position.get(String(row.id));
          if (i === undefined) continue;
          const hits = new Map<number, number>();
          for (const m of String(row.f ?? '').matchAll(/field(\d+)=\(lcs=\d+, hit_count=(\d+)/g)) hits.set(Number(m[1]), Number(m[2]));
          for (const { field, whole, sub } of FIELD_COLUMNS) {
            // As in the embedded index, a word counts in a field both as a word and inside longer words (its sub-words field here).
            const count = (hits.get(whole) ?? 0) + (sub < 0 ? 0 : (hits.get(sub) ?? 0));
            values[i] += (count / perHit) * factor.get(field)![i];
          }
        }
        return values;
      };
      const count = (statement: number) => (statement >= 0 ? Number(results[statement][0]?.n ?? 0) : (known.get(statement) ?? 0));
      const termTf = new Map<string, Float64Array>();
      const tfOf = (term: string) => {
        let values = termTf.get(term);
        if (!values) termTf.set(term, (values = weightedHits(termStatement.get(term)!)));
        return values;
      };
      const scored = new Map<string, SlotScores>();
      for (const [key, query] of slots) scored.set(key, slotScores(query, config, stats.docCount, n, tfOf, weightedHits, count));
      const scorer = new CombinedScorer(plan.groups, atomScoresOf(plan.groups, (slot) => scored.get(slotKey(slot))!), config);
      const bonuses = new Float64Array(n);
      if (bonusAt >= 0) {
        for (const row of results[bonusAt]) {
          const i = position.get(String(row.id));
          if (i !== undefined) bonuses[i] = Number(row.w) / scale;
        }
      }
      return Float64Array.from({ length: n }, (_, i) => scorer.scoreOf(i) + bonuses[i]);
    },
  };
}

/** A slot's SlotScores over the head documents, as scoreSlot computes them over the whole index (score.ts). */
function slotScores(
  query: SlotQuery,
  config: RankingConfig,
  docCount: number,
  n: number,
  tfOf: (term: string) => Float64Array,
  weightedHits: (statement: number, perHit?: number) => Float64Array,
  count: (statement: number) => number,
): SlotScores {
  const { slot } = query;
  const subwordWeight = slot.subwords.length > 0 ? config.subwordWeight : 0;
  // A compound's pieces side by side: the phrase's hits in a field count each piece, so a whole occurrence is their number.
  const wholeTf = slot.pieces ? weightedHits(query.phraseHits!, slot.pieces.length) : tfOf(slot.whole);
  const pseudoTf = new Float64Array(n);
  for (let i = 0; i < n; i++) pseudoTf[i] = (1 - subwordWeight) * wholeTf[i];
  let whole: Float64Array | null = null;
  if (subwordWeight > 0) {
    whole = Float64Array.from(pseudoTf);
    for (const sub of slot.subwords) {
      const tf = tfOf(sub.term);
      for (let i = 0; i < n; i++) pseudoTf[i] += subwordWeight * sub.share * tf[i];
    }
  }
  const docFreq = count(query.anyCount);
  const wholeDocFreq = query.phraseCount === undefined ? 0 : count(query.phraseCount);
  // A compound's rarity is that of its pieces side by side (score.ts).
  const idfDocs = slot.pieces && wholeDocFreq > 0 ? wholeDocFreq : Math.max(docFreq, wholeDocFreq);
  return { pseudoTf, docFreq, idf: idf(idfDocs, docCount), whole };
}
