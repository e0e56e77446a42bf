/**
 * A parsed, analysed query as SphinxQL for the engine backend: the MATCH expression (the engine's query syntax over
 * pre-analysed terms), filter conditions, ordering and the expression ranker (BM25F with the ranking config's field
 * weights). Pure functions of the plan: the engine backend only sends what these produce.
 */
import { ENGINE_FIELDS, engineTerm, facetAttribute, facetKey, fieldLengthAttribute, FILLER, SUBWORD_FIELDS, UNDATED, WHOLE_FIELDS } from '../index/index.js';
import type { FieldName } from '../index/types.js';
import type { RankingConfig } from './config.js';
import { filterValues } from './filters.js';
import type { AtomPlan, GroupPlan, QueryPlan, Slot } from './plan.js';
import { periodEnd, periodStart, type QueryFilters } from './query.js';
import type { SearchRequest } from './types.js';

/** WEIGHT() is an integer: the ranker's score times this. */
export const SCORE_SCALE = 10000;

const WHOLE_FIELD_LIMIT = `@(${WHOLE_FIELDS.join(',')})`;

/** The engine's MATCH text of a plan, or null when the query has no words to look for (list by date). */
export function matchExpression(plan: QueryPlan, config: RankingConfig): string | null {
  const preferred = plan.groups.filter((group) => !group.required);
  const required = plan.groups.filter((group) => group.required);
  const parts: string[] = [];
  // Plain words are preferred, not required: a document with any of them matches (ranked lower when some miss).
  const optional = preferred.flatMap((group) =>
    group.alternatives.flatMap((atom) => {
      // As the embedded index weighs them: a synonym's words below the word typed (its slots' mean, not their sum).
      const weight = atom.expansionOf === undefined ? 1 : config.synonymWeight / atom.slots.length;
      // A question's verb (如何**应对**) weighs questionVerbWeight of a word, as in the embedded index.
      return atom.slots.map((slot) => slotExpression(slot, slot.questionVerb ? weight * config.questionVerbWeight : weight));
    }),
  );
  if (optional.length > 0) parts.push(`(${[...new Set(optional)].join(' | ')})`);
  for (const group of required) parts.push(requiredGroup(group));
  if (parts.length === 0) return null;
  for (const atom of plan.excludes) parts.push(`-(${verbatim(atom)})`);
  return parts.join(' ');
}

/** The exclusions alone (a query of only -words lists every other article): their union, or null when none. */
export function exclusionExpression(plan: QueryPlan): string | null {
  return plan.excludes.length === 0 ? null : plan.excludes.map((atom) => `(${verbatim(atom)})`).join(' | ');
}

/**
 * A query word: its whole word or one of its sub-words, in any field (sub-words live in fields of their own). A
 * synonym's words carry their weight as the engine's idf boost (`term^w`), which the ranker's tf_idf and sum_idf
 * include: the expression cannot tell one query keyword from another.
 */
function slotExpression(slot: Slot, weight: number): string {
  const boosted = (term: string) => (weight === 1 ? engineTerm(term) : `${engineTerm(term)}^${Number(weight.toFixed(4))}`);
  const terms = [slot.whole, ...slot.subwords.map((sub) => sub.term)].map(boosted);
  return terms.length === 1 ? terms[0] : `(${[...new Set(terms)].join(' | ')})`;
}

function requiredGroup(group: GroupPlan): string {
  return `(${group.alternatives.map(verbatim).join(' | ')})`;
}

/**
 * The atom occurring verbatim, as the embedded index decides it: one word anywhere (also as another word's sub-word),
 * several words at their offsets in one field of whole words, with fillers where the query had stop words.
 */
function verbatim(atom: AtomPlan): string {
  if (atom.slots.length === 1) return engineTerm(atom.slots[0].whole);
  const words: string[] = [];
  for (const slot of atom.slots) {
    while (words.length < slot.offset) words.push(FILLER);
    words.push(engineTerm(slot.whole));
  }
  return `${WHOLE_FIELD_LIMIT} "${words.join(' ')}"`;
}

/** WHERE conditions (besides MATCH) for the request's and the query's filters; all must hold. */
export function filterConditions(filters: QueryFilters, request: SearchRequest, normalize: (s: string) => string): string[] {
  const conditions: string[] = [];
  const key = (value: string) => facetAttribute(facetKey(value, normalize));
  // Each query filter must hold; the request's values of one filter are alternatives (several categories ticked).
  for (const value of filters.category) conditions.push(`cat_keys IN (${key(value)})`);
  for (const value of filters.tag) conditions.push(`tag_keys IN (${key(value)})`);
  for (const value of filters.author) conditions.push(`author_key IN (${key(value)})`);
  const anyOf = (attribute: string, values: string[]) => {
    if (values.length > 0) conditions.push(`${attribute} IN (${values.map(key).join(', ')})`);
  };
  anyOf('cat_keys', filterValues(request.category));
  anyOf('tag_keys', filterValues(request.tag));
  anyOf('author_key', filterValues(request.author));
  for (const range of [...filters.dates, { from: request.from, to: request.to }]) {
    const from = range.from ? periodStart(range.from.trim()) : null;
    const to = range.to ? periodEnd(range.to.trim()) : null;
    if (from === null && to === null) continue;
    // Days and years of the site's calendar (the wall clock); undated articles (UNDATED) drop out of every
    // date-bounded search, as in the embedded index.
    conditions.push(`wall >= ${from ?? UNDATED + 1}`, `wall <= ${to ?? Number.MAX_SAFE_INTEGER}`);
  }
  return conditions;
}

/** Average token count of each field (fieldLengthAttribute), for BM25F's length normalisation. */
export type FieldAverages = Record<FieldName, number>;

/** SQL computing FieldAverages from the engine (one row: a column per field) and the article count (`docs`). */
export function fieldAveragesQuery(table: string): string {
  return `SELECT ${WHOLE_FIELDS.map((field) => `AVG(${fieldLengthAttribute(field)}) AS ${field}`).join(', ')}, COUNT(*) AS docs FROM ${table}`;
}

/**
 * Per-field user weights that only identify the field inside the ranker's per-field sums (the real weights and
 * length normalisation are in the expression): `OPTION field_weights=(…)`.
 */
export function fieldIdentities(): string {
  return `field_weights=(${ENGINE_FIELDS.map((name, i) => `${name}=${i + 1}`).join(', ')})`;
}

/**
 * What the ranker needs to know of a query beyond the engine's own counts (Sphinx's query_word_count counts every
 * keyword of every alternative, so an OR group or a synonym would count as missing words in every article):
 * `expected`, the keywords an article matching the query's own words has (per group, its first alternative's whole
 * words and sub-words, a question's verb left out); `slots`, the query's word positions (per group, the most of any alternative); `phrase`, the
 * fewest words of a multi-word atom or of a word the segmenter cut (数字鸿沟 → 数字 鸿沟), 0 when none.
 */
export interface RankerShape {
  expected: number;
  slots: number;
  phrase: number;
}

export function rankerShape(plan: QueryPlan): RankerShape {
  const slotTerms = (slot: Slot) => [slot.whole, ...slot.subwords.map((sub) => sub.term)].map(engineTerm);
  const atomTerms = (atom: AtomPlan) => atom.slots.flatMap(slotTerms);
  const all = new Set<string>();
  // A question's verb is never a missing word (CombinedScorer): an article without it is not penalised for it.
  let extra = new Set(plan.groups.flatMap((group) => group.alternatives[0].slots.filter((slot) => slot.questionVerb).flatMap(slotTerms))).size;
  let slots = 0;
  let phrase = Infinity;
  for (const group of plan.groups) {
    const own = new Set(atomTerms(group.alternatives[0]));
    const inGroup = new Set(group.alternatives.flatMap(atomTerms));
    for (const term of inGroup) all.add(term);
    extra += inGroup.size - own.size;
    slots += Math.max(...group.alternatives.map((atom) => atom.slots.length));
    for (const atom of group.alternatives) {
      if (atom.slots.length > 1) phrase = Math.min(phrase, atom.slots.length);
      for (const slot of atom.slots) if (slot.pieces) phrase = Math.min(phrase, slot.pieces.length);
    }
  }
  return { expected: Math.max(1, all.size - extra), slots, phrase: Number.isFinite(phrase) ? phrase : 0 };
}

/** Fields of whole words where the phrase and proximity bonuses are looked for, with how much each counts (as embedded). */
const BONUS_FIELDS: { field: FieldName; factor: number }[] = [
  { field: 'title', factor: 2 },
  { field: 'body', factor: 1 },
];

/**
 * The expression ranker, BM25F as the embedded index computes it, from what Sphinx 2.2 gives per field: its
 * weighted, length-normalised term frequency F = Σ_fields hit_count · weight / (1 − b + b · length / average)
 * (Sphinx's own bm25f() gets no average field length from real-time tables), and the same with each hit counted
 * at its keyword's idf, S. With n matched query words of similar frequency, Σ idf · tf / (k1 + tf) ≈ n · S / (n · k1 + F).
 * A sub-word occurrence weighs subwordWeight of its field's weight; each expected keyword the document lacks
 * multiplies the score by missingPenalty. Then the embedded index's positional bonuses, from the per-field factors
 * of the title and the body, times the mean idf of the matched keywords: a phrase (a run of `phrase` query keywords
 * in query order: lcs) adds phraseBonus · c / (c + 1), c counting a title 2 and a body 1; the matched words close
 * together (min_gaps within proximityWindow) add proximityBonus · (share of the query's words) · closeness.
 */
export function rankerExpression(config: RankingConfig, averages: FieldAverages, shape: RankerShape): string {
  const bonus = positionalBonus(config, shape);
  return `${SCORE_SCALE} * (${baseExpression(config, averages, shape)}${bonus === null ? '' : ` + ${bonus}`})`;
}

const byField = (values: { name: string; value: string }[]) =>
  values.reduceRight((rest, { name, value }) => `IF(user_weight == ${ENGINE_FIELDS.indexOf(name) + 1}, ${value}, ${rest})`, '0');

function baseExpression(config: RankingConfig, averages: FieldAverages, shape: RankerShape): string {
  const factor = (field: FieldName, weight: number) => {
    const b = config.b[field];
    const average = averages[field] > 0 ? averages[field] : 1;
    return b === 0 ? `${weight}` : `${weight} / (${1 - b} + ${b} * ${fieldLengthAttribute(field)} / ${average.toFixed(4)})`;
  };
  const perField = [
    ...WHOLE_FIELDS.map((field) => ({ name: field, value: factor(field, config.weights[field]) })),
    ...SUBWORD_FIELDS.map(({ field, name }) => ({ name, value: factor(field, config.weights[field] * config.subwordWeight) })),
  ];
  const weighted = byField(perField);
  const pseudoTf = `sum(hit_count * ${weighted})`;
  const idfWeighted = `sum(tf_idf * ${weighted})`;
  const missing = `pow(${config.missingPenalty}, max(0, ${shape.expected} - doc_word_count))`;
  // n: the matched query words, at most the query's word positions (sub-words and other alternatives of a word
  // are not more words: with them counted, an article with both sides of an OR would saturate twice as late).
  const words = `min(doc_word_count, ${shape.slots})`;
  return `${words} * ${idfWeighted} / (${words} * ${config.k1} + ${pseudoTf}) * ${missing}`;
}

function positionalBonus(config: RankingConfig, shape: RankerShape): string | null {
  const bonuses: string[] = [];
  if (shape.phrase > 1 && config.phraseBonus > 0) {
    const count = `sum(${byField(BONUS_FIELDS.map(({ field, factor }) => ({ name: field, value: `${factor} * IF(lcs >= ${shape.phrase}, 1, 0)` })))})`;
    bonuses.push(`${config.phraseBonus} * ${count} / (${count} + 1)`);
  }
  if (shape.slots > 1 && config.proximityBonus > 0) {
    const closeness = `IF(word_count >= 2, min(1, word_count / ${shape.slots}) * max(0, 1 - min_gaps / ${config.proximityWindow}), 0)`;
    const best = `top(${byField(BONUS_FIELDS.map(({ field, factor }) => ({ name: field, value: `${factor} * ${closeness}` })))})`;
    bonuses.push(`${config.proximityBonus} * ${best}`);
  }
  const meanIdf = `sum(sum_idf) / max(1, sum(word_count))`;
  return bonuses.length === 0 ? null : `${meanIdf} * (${bonuses.join(' + ')})`;
}
