/**
 * The bytes of a search answer's JSON, exactly JSON.stringify's, with what repeats from answer to answer encoded once:
 * a hit's stored fields (id to tags: fixed per article) and a facet value's label. Serialising and encoding those was
 * most of what writing a full answer cost; its snippet, score and counts are encoded per answer.
 */
import type { SearchHit } from '../search/index.js';

/** A hit's keys in the order hits are made (search/hit.ts): its head, the stored fields, then what the query gives it. */
const HEAD_KEYS = ['id', 'title', 'url', 'date', 'updated', 'author', 'categories', 'tags'] as const;
const HIT_KEYS = [...HEAD_KEYS, 'score', 'snippet', 'matched_terms'] as const;
const FACET_VALUE_KEYS = ['value', 'count'] as const;

/** Encoded heads kept (about 300 bytes each); when full, the cache starts again. */
const MAX_HEADS = 20_000;
const MAX_LABELS = 20_000;

interface Head {
  hit: Pick<SearchHit, (typeof HEAD_KEYS)[number]>;
  /** `{"id":…,…,"tags":[…]` without the closing brace. */
  bytes: Buffer;
}

export class AnswerEncoder {
  private readonly heads = new Map<string, Head>();
  /** `{"value":<label>,"count":` by label. */
  private readonly labels = new Map<string, Buffer>();

  /** JSON.stringify(answer) as UTF-8 bytes; `hits` and `facets` read through the caches when they have the usual shape. */
  encode(answer: unknown): Buffer {
    if (!isPlainObject(answer)) return Buffer.from(JSON.stringify(answer) ?? '');
    const out = new Chunks();
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

  private hit(hit: unknown, out: Chunks): void {
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
      head = { hit: part, bytes: keptBytes(JSON.stringify(part).slice(0, -1)) };
      this.heads.set(fields.id, head);
    }
    out.buffer(head.bytes);
    out.text(member('score', fields.score) + member('snippet', fields.snippet) + member('matched_terms', fields.matched_terms) + '}');
  }

  private facets(facets: object, out: Chunks): void {
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

  private facetValues(values: readonly unknown[], out: Chunks): void {
    out.text('[');
    values.forEach((value, i) => {
      if (i > 0) out.text(',');
      if (!hasKeys(value, FACET_VALUE_KEYS) || typeof value.value !== 'string' || typeof value.count !== 'number') {
        return out.text(JSON.stringify(value) ?? 'null');
      }
      let label = this.labels.get(value.value);
      if (label === undefined) {
        if (this.labels.size >= MAX_LABELS) this.labels.clear();
        label = keptBytes(`{"value":${JSON.stringify(value.value)},"count":`);
        this.labels.set(value.value, label);
      }
      out.buffer(label);
      out.text(numberJson(value.count) + '}');
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

/** Text and encoded parts, written once into one buffer (text encoded straight into it, in one pass). */
class Chunks {
  private readonly parts: (string | Buffer)[] = [];
  private pending = '';
  /** The most bytes the parts can take: 3 per UTF-16 unit of text. */
  private most = 0;

  text(text: string): void {
    this.pending += text;
  }

  buffer(bytes: Buffer): void {
    this.flush();
    this.parts.push(bytes);
    this.most += bytes.length;
  }

  bytes(): Buffer {
    this.flush();
    if (scratch.length < this.most) scratch = Buffer.allocUnsafe(this.most);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === 'string') {
        at += scratch.write(part, at);
      } else {
        scratch.set(part, at);
        at += part.length;
      }
    }
    const out = Buffer.allocUnsafe(at);
    scratch.copy(out, 0, 0, at);
    return out;
  }

  private flush(): void {
    if (this.pending === '') return;
    this.parts.push(this.pending);
    this.most += this.pending.length * 3;
    this.pending = '';
  }
}

/**
 * `text` as UTF-8 in memory of its own, for bytes kept across answers: a small Buffer.from is cut from a shared 8 KB
 * block, which one kept slice holds alive whole (with the answers cut from it meanwhile).
 */
function keptBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}
