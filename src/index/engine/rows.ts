/**
 * Articles of an index as engine rows: each field's whole words at their positions (fillers where stop words were
 * and between values), its sub-words in a field of their own, and the stored fields as attributes. Read back from
 * the index's postings, so the engine receives exactly the analysis the embedded index holds, without segmenting
 * again.
 */
import { wallClockOf } from '../../ingest/index.js';
import { categoryAncestors, facetKey } from '../facet-key.js';
import { aboutKeywords } from '../keywords.js';
import type { FieldName, IndexReader, StoredArticle } from '../types.js';
import { termPositions } from './positions.js';
import { engineDocId, engineTerm, facetAttribute, FILLER, SUBWORD_FIELDS, UNDATED, WHOLE_FIELDS } from './schema.js';

export interface EngineRow {
  id: bigint;
  articleId: string;
  /** Full-text field name → space-separated engine terms. */
  fields: Record<string, string>;
  /** The `pos` attribute: each term's positions in each field (positions.ts). */
  positions: string;
  /** Each field's length (tokens, stop words included), in WHOLE_FIELDS order. */
  fieldLengths: number[];
  article: StoredArticle;
  dateMs: number;
  /** The date's wall clock in the site's time zone (wallClockOf; NaN: unknown): date filters and the year facet. */
  wallMs: number;
  /** Comparison keys of the facet values. */
  categoryKeys: number[];
  tagKeys: number[];
  authorKey: number;
  /** Keys of the keywords the article is about (aboutKeywords). */
  topicKeys: number[];
}

/** Documents analysed per batch (term positions are rebuilt for one batch at a time, to bound memory). */
const BATCH_DOCUMENTS = 2000;

/**
 * The rows of documents `docs` (ascending document numbers), in batches. Each field's postings are walked once over
 * all batches: a cursor per term moves forward as the batches do.
 */
export function* engineRows(reader: IndexReader, docs: readonly number[], normalize: (s: string) => string): Generator<EngineRow[]> {
  const cursors = new Map<FieldName, { term: string; cursor: number }[]>();
  for (const field of WHOLE_FIELDS) cursors.set(field, [...reader.terms(field)].map((term) => ({ term, cursor: 0 })));
  for (let start = 0; start < docs.length; start += BATCH_DOCUMENTS) {
    const batch = docs.slice(start, start + BATCH_DOCUMENTS);
    const first = batch[0];
    const last = batch[batch.length - 1];
    const slot = new Map<number, number>(batch.map((doc, i) => [doc, i]));
    // Per field, per document of the batch: the terms at each position.
    const tokens = new Map<FieldName, Map<number, string[]>[]>();
    for (const field of WHOLE_FIELDS) {
      const perDoc = batch.map(() => new Map<number, string[]>());
      for (const entry of cursors.get(field)!) {
        const list = reader.postings(field, entry.term)!;
        let i = entry.cursor;
        while (i < list.docs.length && list.docs[i] < first) i++;
        entry.cursor = i;
        for (; i < list.docs.length && list.docs[i] <= last; i++) {
          const at = slot.get(list.docs[i]);
          if (at === undefined) continue;
          const byPosition = perDoc[at];
          for (let p = list.posStart[i]; p < list.posStart[i + 1]; p++) {
            const terms = byPosition.get(list.positions[p]);
            if (terms) terms.push(entry.term);
            else byPosition.set(list.positions[p], [entry.term]);
          }
        }
      }
      tokens.set(field, perDoc);
    }
    yield batch.map((doc, i) => toRow(reader, doc, (field) => tokens.get(field)![i], normalize));
  }
}

function toRow(reader: IndexReader, doc: number, tokensOf: (field: FieldName) => Map<number, string[]>, normalize: (s: string) => string): EngineRow {
  const article = reader.stored(doc);
  const fields: Record<string, string> = {};
  for (const field of WHOLE_FIELDS) {
    const { wholes, subwords } = splitPositions(tokensOf(field));
    fields[field] = wholes;
    const subField = SUBWORD_FIELDS.find((f) => f.field === field);
    if (subField) fields[subField.name] = subwords;
  }
  const keys = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean).map((v) => facetAttribute(facetKey(v, normalize))))];
  const author = article.author?.trim();
  return {
    id: engineDocId(article.id),
    articleId: article.id,
    fields,
    positions: termPositions(tokensOf),
    fieldLengths: WHOLE_FIELDS.map((field) => reader.fieldLength(field, doc)),
    article,
    dateMs: reader.dateMs(doc),
    wallMs: wallClockOf(article.date),
    categoryKeys: keys(article.categories.flatMap(categoryAncestors)),
    tagKeys: keys(article.tags),
    authorKey: author ? facetAttribute(facetKey(author, normalize)) : 0,
    topicKeys: aboutKeywords(article, normalize).map(facetAttribute),
  };
}

/**
 * The longest term at a position is the word (the analyzer puts its sub-words at the same position); positions with
 * no term get the filler, so the engine counts the same positions as the index.
 */
function splitPositions(byPosition: Map<number, string[]>): { wholes: string; subwords: string } {
  if (byPosition.size === 0) return { wholes: '', subwords: '' };
  let last = 0;
  for (const position of byPosition.keys()) if (position > last) last = position;
  const wholes: string[] = new Array(last + 1).fill(FILLER);
  const subwords: string[] = [];
  for (const [position, terms] of byPosition) {
    let whole = terms[0];
    for (const term of terms) if ([...term].length > [...whole].length) whole = term;
    wholes[position] = engineTerm(whole);
    for (const term of terms) if (term !== whole) subwords.push(engineTerm(term));
  }
  return { wholes: wholes.join(' '), subwords: subwords.join(' ') };
}

/** `dt` or `wall` attribute of a date in ms (NaN: unknown). */
export function dateAttribute(dateMs: number): number {
  return Number.isNaN(dateMs) ? UNDATED : dateMs;
}
