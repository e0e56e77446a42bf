/**
 * A parsed, analysed query as SphinxQL for the engine backend: the MATCH expression (the engine's query syntax over
 * pre-analysed terms), filter conditions, ordering and the expression ranker (BM25F with the ranking config's field
 * weights). Pure functions of the plan: the engine backend only sends what these produce.
 */
import { ENGINE_FIELDS, engineTerm, facetAttribute, facetKey, FILLER, SUBWORD_FIELDS, UNDATED, WHOLE_FIELDS } from '../index/index.js';
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
export function matchExpression(plan: QueryPlan): string | null {
  const preferred = plan.groups.filter((group) => !group.required);
  const required = plan.groups.filter((group) => group.required);
  const parts: string[] = [];
  // Plain words are preferred, not required: a document with any of them matches (ranked lower when some miss).
  const optional = preferred.flatMap((group) => group.alternatives.flatMap((atom) => atom.slots.map(slotExpression)));
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

/** A query word: its whole word or one of its sub-words, in any field (sub-words live in fields of their own). */
function slotExpression(slot: Slot): string {
  const terms = [slot.whole, ...slot.subwords.map((sub) => sub.term)].map(engineTerm);
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

/** Average token count of each field of whole words (`<field>_len`), for BM25F's length normalisation. */
export type FieldAverages = Record<FieldName, number>;

/** SQL computing FieldAverages from the engine (one row: a column per field). */
export function fieldAveragesQuery(table: string): string {
  return `SELECT ${WHOLE_FIELDS.map((field) => `AVG(${field}_len) AS ${field}`).join(', ')} FROM ${table}`;
}

/**
 * Per-field user weights that only identify the field inside the ranker's per-field sums (the real weights and
 * length normalisation are in the expression): `OPTION field_weights=(…)`.
 */
export function fieldIdentities(): string {
  return `field_weights=(${ENGINE_FIELDS.map((name, i) => `${name}=${i + 1}`).join(', ')})`;
}

/**
 * The expression ranker, BM25F as the embedded index computes it, from what Sphinx 2.2 gives per field: its
 * weighted, length-normalised term frequency F = Σ_fields hit_count · weight / (1 − b + b · length / average)
 * (Sphinx's own bm25f() gets no average field length from real-time tables), and the same with each hit counted
 * at its keyword's idf, S. With n matched query words of similar frequency, Σ idf · tf / (k1 + tf) ≈ n · S / (n · k1 + F).
 * A sub-word occurrence weighs subwordWeight of its field's weight; each query keyword the document lacks multiplies
 * the score by missingPenalty.
 */
export function rankerExpression(config: RankingConfig, averages: FieldAverages): string {
  const factor = (field: FieldName, weight: number) => {
    const b = config.b[field];
    const average = averages[field] > 0 ? averages[field] : 1;
    return b === 0 ? `${weight}` : `${weight} / (${1 - b} + ${b} * ${field}_len / ${average.toFixed(4)})`;
  };
  const perField = [
    ...WHOLE_FIELDS.map((field) => ({ name: field, value: factor(field, config.weights[field]) })),
    ...SUBWORD_FIELDS.map(({ field, name }) => ({ name, value: factor(field, config.weights[field] * config.subwordWeight) })),
  ];
  const byField = perField.reduceRight((rest, { name, value }) => `IF(user_weight == ${ENGINE_FIELDS.indexOf(name) + 1}, ${value}, ${rest})`, '0');
  const pseudoTf = `sum(hit_count * ${byField})`;
  const idfWeighted = `sum(tf_idf * ${byField})`;
  const missing = `pow(${config.missingPenalty}, query_word_count - doc_word_count)`;
  return `${SCORE_SCALE} * doc_word_count * ${idfWeighted} / (doc_word_count * ${config.k1} + ${pseudoTf}) * ${missing}`;
}
