/**
 * How zhsearch's analysed articles live in a SphinxQL engine (Sphinx 2.2 / Manticore): the table schema, the term
 * spelling the engine's tokenizer keeps whole, document ids and the shard each article belongs to. Shared by the
 * writer (this stage), `engine init` and the search backend, so the three cannot disagree.
 */
import { createHash } from 'node:crypto';
import type { FieldName } from '../types.js';

/** Full-text fields holding whole words at their positions (phrases line up): the embedded index's fields, in its order. */
export const WHOLE_FIELDS: readonly FieldName[] = ['title', 'headings', 'description', 'tags', 'keywords', 'body'];
/**
 * Fields holding the search-mode sub-words of each field (基础设施 → 基础 设施): apart from the whole words, so a
 * sub-word never takes a position of its own between two whole words.
 */
export const SUBWORD_FIELDS: readonly { field: FieldName; name: string }[] = [
  { field: 'title', name: 'sub_title' },
  { field: 'headings', name: 'sub_headings' },
  { field: 'description', name: 'sub_description' },
  { field: 'tags', name: 'sub_tags' },
  { field: 'body', name: 'sub_body' },
];
export const ENGINE_FIELDS: readonly string[] = [...WHOLE_FIELDS, ...SUBWORD_FIELDS.map((f) => f.name)];

/**
 * The attribute holding a field's length as the embedded index counts it (its tokens, stop words included), which
 * BM25F's length normalisation reads: the engine's own field lengths leave out the fillers and trailing stop words.
 */
export function fieldLengthAttribute(field: FieldName): string {
  return `${field}_tokens`;
}

/**
 * Attributes: `aid` article id, `hash` content hash, `analyzer` the analyzer identity the row was written with (JSON),
 * `dt` date in ms (UNDATED when unknown: the order of dates), `wall` the date's wall clock in the site's time zone as
 * UTC ms of the same calendar fields (UNDATED when unknown: what date filters compare, as the embedded index does),
 * `year` the year of the site's calendar (0 when unknown), facet keys as 32-bit hashes
 * (`cat_keys`, `tag_keys`, `author_key`), `topic_keys` the keywords the article is about (also in its title or
 * tags, as topics count them), `doc` the stored fields but the text (JSON), `txt` the text (JSON), `pos` each term's
 * positions in each field (JSON, positions.ts: what re-ranking a search's candidates reads), `src_bytes` the source file's
 * size, `written` when the row was written (Unix seconds), `<field>_tokens` each field's length (fieldLengthAttribute).
 */
export const ENGINE_ATTRIBUTES = {
  string: ['aid', 'hash', 'analyzer', 'doc', 'txt'],
  json: ['pos'],
  bigint: ['dt', 'wall'],
  uint: ['year', 'author_key', 'src_bytes', 'written', ...WHOLE_FIELDS.map(fieldLengthAttribute)],
  multi: ['cat_keys', 'tag_keys', 'topic_keys'],
} as const;

/** `dt` of an undated article: sorts after every dated one in date order. */
export const UNDATED = -(2 ** 53);

/**
 * The position filler: written where the analyzer dropped a stop word and between the values of a multi-valued
 * field. It is a stop word of the engine (stopwords.txt), so it keeps its position but is not indexed.
 */
export const FILLER = '_';

/** Characters the engine's charset_table keeps inside a word; everything else separates words. */
const KEPT = /^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/u;
export const CHARSET_TABLE = '0..9, A..Z->a..z, _, a..z, U+3400..U+4DBF, U+4E00..U+9FFF, U+F900..U+FAFF';

/**
 * A term as the engine stores it: unchanged when the tokenizer keeps it whole (Chinese words, plain Latin words and
 * numbers), else `_x` + its UTF-8 bytes in hex (`v1.2.3`, `c++`, `covid-19`), which the tokenizer keeps whole and
 * no plain term can equal (plain terms have no `_`).
 */
export function engineTerm(term: string): string {
  return KEPT.test(term) ? term : `_x${Buffer.from(term, 'utf8').toString('hex')}`;
}

/** The engine's document id of an article: 63 bits of the sha256 of its id (stable across runs and machines). */
export function engineDocId(articleId: string): bigint {
  const id = createHash('sha256').update(articleId, 'utf8').digest().readBigUInt64BE(0) & ((1n << 63n) - 1n);
  return id === 0n ? 1n : id;
}

/** The shard (0-based) holding an article, by its document id. */
export function shardOf(docId: bigint, shardCount: number): number {
  return Number(docId % BigInt(shardCount));
}

/** A facet value's key as an attribute: 32 bits of the sha256 of its comparison form (see facetKey). */
export function facetAttribute(key: string): number {
  return createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0);
}
