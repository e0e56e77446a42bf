/**
 * The bytes of a search answer's JSON, exactly JSON.stringify's, with what repeats from answer to answer serialised
 * once: a hit's stored fields (id to tags: fixed per article) and a facet value's label. Serialising those was most of
 * what writing a full answer cost; its snippet, score and counts are serialised per answer, and the whole text is
 * encoded as UTF-8 in one pass (the kept parts kept as bytes instead cost more in copies, one per part, than encoding
 * them again).
 */
import type { SearchHit } from '../search/index.js';

/** A hit's keys in the order hits are made (search/hit.ts): its head, the stored fields, then what the query gives it. */
const HEAD_KEYS = ['id', 'title', 'url', 'date', 'updated', 'author', 'categories', 'tags'] as const;
const HIT_KEYS = [...HEAD_KEYS, 'score', 'snippet', 'matched_terms'] as const;
const FACET_VALUE_KEYS = ['value', 'count'] as const;

/** Serialised heads kept (about 300 bytes each); when full, the cache starts again. */
const MAX_HEADS = 20_000;
const MAX_LABELS = 20_000;

interface Head {
  hit: Pick<SearchHit, (typeof HEAD_KEYS)[number]>;
  /** `{"id":…,…,"tags":[…]` without the closing brace. */
  json: string;
}

export class AnswerEncoder {
  private readonly heads = new Map<string, Head>();
  /** `{"value":<label>,"count":` by label. */
  private readonly labels = new Map<string, string>();

  /** JSON.stringify(answer) as UTF-8 bytes; `hits` and `facets` read through the caches when they have the usual shape. */
  encode(answer: unknown): Buffer {
    if (!isPlainObject(answer)) return Buffer.from(JSON.stringify(answer) ?? '');
    const out = new JsonText();
    out.text('{');
    let first = true;
    for (const [key, value] of Object.entries(answer)) {
      if (key === 'hits' && Array.isArray(value)) {
        out.text(`${first ? '' : ','}"hits":[`);
        value.forEach((hit: unknown, i) => {
          if (i > 0) out.text(',');
          this.hit(hit, out);
        });
        out.text(']');
      } else if (key === 'facets' && isPlainObject(value)) {
        out.text(`${first ? '' : ','}"facets":`);
        this.facets(value, out);
      } else {
        const json = JSON.stringify(value);
        if (json === undefined) continue;
        out.text(`${first ? '' : ','}${JSON.stringify(key)}:${json}`);
      }
      first = false;
    }
    out.text('}');
    return out.bytes();
  }

  private hit(hit: unknown, out: JsonText): void {
    if (!hasKeys(hit, HIT_KEYS) || typeof hit.id !== 'string') return out.text(JSON.stringify(hit) ?? 'null');
    const fields = hit as unknown as SearchHit;
    let head = this.heads.get(fields.id);
    if (head === undefined || !sameHead(head.hit, fields)) {
      if (this.heads.size >= MAX_HEADS) this.heads.clear();
      const part: Head['hit'] = {
        id: fields.id,
        title: fields.title,
        url: fields.url,
        date: fields.date,
        updated: fields.updated,
        author: fields.author,
        categories: fields.categories,
        tags: fields.tags,
      };
      head = { hit: part, json: JSON.stringify(part).slice(0, -1) };
      this.heads.set(fields.id, head);
    }
    out.text(head.json + member('score', fields.score) + member('snippet', fields.snippet) + member('matched_terms', fields.matched_terms) + '}');
  }

  private facets(facets: object, out: JsonText): void {
    out.text('{');
    let first = true;
    for (const [key, values] of Object.entries(facets)) {
      const json = Array.isArray(values) ? '' : JSON.stringify(values);
      if (json === undefined) continue;
      out.text(`${first ? '' : ','}${JSON.stringify(key)}:${json}`);
      first = false;
      if (Array.isArray(values)) this.facetValues(values, out);
    }
    out.text('}');
  }

  private facetValues(values: readonly unknown[], out: JsonText): void {
    out.text('[');
    values.forEach((value, i) => {
      if (i > 0) out.text(',');
      if (!hasKeys(value, FACET_VALUE_KEYS) || typeof value.value !== 'string' || typeof value.count !== 'number') {
        return out.text(JSON.stringify(value) ?? 'null');
      }
      let label = this.labels.get(value.value);
      if (label === undefined) {
        if (this.labels.size >= MAX_LABELS) this.labels.clear();
        label = `{"value":${JSON.stringify(value.value)},"count":`;
        this.labels.set(value.value, label);
      }
      out.text(label + numberJson(value.count) + '}');
    });
    out.text(']');
  }
}

/** `,"key":value` as JSON.stringify writes a member after the first; nothing for a value it leaves out (undefined). */
function member(key: string, value: unknown): string {
  const json = typeof value === 'number' ? numberJson(value) : JSON.stringify(value);
  return json === undefined ? '' : ',"' + key + '":' + json;
}

/** JSON.stringify of a number, without its general path. */
function numberJson(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether `value` is a plain object with exactly these own enumerable keys, in this order (no toJSON to call). */
function hasKeys<K extends string>(value: unknown, keys: readonly K[]): value is Record<K, unknown> {
  if (!isPlainObject(value)) return false;
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

function sameHead(cached: Head['hit'], hit: SearchHit): boolean {
  return (
    cached.id === hit.id &&
    cached.title === hit.title &&
    cached.url === hit.url &&
    cached.date === hit.date &&
    cached.updated === hit.updated &&
    cached.author === hit.author &&
    sameList(cached.categories, hit.categories) &&
    sameList(cached.tags, hit.tags)
  );
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Where answers are written before they are copied out at their exact size: a buffer per answer as large as its text
 * could take (3 bytes per UTF-16 unit) would be 2-3 times the bytes, memory outside the heap that GC counts.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** An answer's JSON text, encoded into the scratch buffer once complete, then copied out at its size. */
class JsonText {
  private pending = '';

  text(text: string): void {
    this.pending += text;
  }

  bytes(): Buffer {
    // 3 bytes per UTF-16 unit at most.
    if (scratch.length < 3 * this.pending.length) scratch = Buffer.allocUnsafe(3 * this.pending.length);
    const length = scratch.write(this.pending, 0);
    const out = Buffer.allocUnsafe(length);
    scratch.copy(out, 0, 0, length);
    return out;
  }
}
