/**
 * On-disk form of one field's terms and postings (file `<field>.postings`), all numbers LEB128 varints:
 *   magic "ZSP1", termCount, postingCount, positionCount, termBytes, terms (UTF-8, '\n'-separated, sorted),
 *   then per term: df, df document gaps (first absolute), then per posting: tf and tf position gaps.
 * Field lengths of all fields go to `lengths.bin`: docCount, then docCount lengths per field in FIELD_NAMES order.
 * tfs are not stored: a posting's tf is its number of positions.
 */
import { FIELD_NAMES, type FieldIndex } from './memory-index.js';
import type { FieldName, PostingList } from './types.js';
import { ByteReader, ByteWriter } from './varint.js';

const MAGIC = 'ZSP1';
const TERM_SEPARATOR = '\n';

/** What encodePostings needs: the sorted terms of a field and a way to get each one's postings. */
export interface FieldSource {
  terms: readonly string[];
  postings(term: string): PostingList;
}

export function encodePostings(source: FieldSource): Uint8Array {
  let postingCount = 0;
  let positionCount = 0;
  for (const term of source.terms) {
    if (term.includes(TERM_SEPARATOR)) throw new Error(`term contains a line break: ${JSON.stringify(term)}`);
    const list = source.postings(term);
    postingCount += list.docs.length;
    positionCount += list.positions.length;
  }
  const termBytes = new TextEncoder().encode(source.terms.join(TERM_SEPARATOR));
  const out = new ByteWriter();
  out.writeBytes(new TextEncoder().encode(MAGIC));
  out.writeVarint(source.terms.length);
  out.writeVarint(postingCount);
  out.writeVarint(positionCount);
  out.writeVarint(termBytes.length);
  out.writeBytes(termBytes);
  for (const term of source.terms) {
    const { docs, posStart, positions } = source.postings(term);
    out.writeVarint(docs.length);
    let previousDoc = 0;
    for (let i = 0; i < docs.length; i++) {
      out.writeVarint(docs[i] - previousDoc);
      previousDoc = docs[i];
    }
    for (let i = 0; i < docs.length; i++) {
      out.writeVarint(posStart[i + 1] - posStart[i]);
      let previous = 0;
      for (let p = posStart[i]; p < posStart[i + 1]; p++) {
        out.writeVarint(positions[p] - previous);
        previous = positions[p];
      }
    }
  }
  return out.bytes().slice();
}

/** Decodes a `<field>.postings` file; throws Error with a reason when the bytes are not a valid file. */
export function decodePostings(bytes: Uint8Array, lengths: Uint32Array): FieldIndex {
  const reader = new ByteReader(bytes);
  const magic = new TextDecoder().decode(reader.readBytes(MAGIC.length));
  if (magic !== MAGIC) throw new Error(`not a postings file (magic ${JSON.stringify(magic)})`);
  const termCount = reader.readVarint();
  const postingCount = reader.readVarint();
  const positionCount = reader.readVarint();
  const termText = new TextDecoder('utf-8', { fatal: true }).decode(reader.readBytes(reader.readVarint()));
  const terms = termCount === 0 ? [] : termText.split(TERM_SEPARATOR);
  if (terms.length !== termCount) throw new Error(`expected ${termCount} terms, found ${terms.length}`);
  const termIndex = new Map<string, number>();
  for (let t = 0; t < termCount; t++) termIndex.set(terms[t], t);

  const postingStart = new Uint32Array(termCount + 1);
  const positionStart = new Uint32Array(termCount + 1);
  const docs = new Uint32Array(postingCount);
  const tfs = new Uint32Array(postingCount);
  const posStart = new Uint32Array(postingCount + termCount);
  const positions = new Uint32Array(positionCount);
  // Hot loop: varints decoded inline (a method call per number doubles load time).
  let offset = reader.offset;
  let slot = 0;
  let position = 0;
  const end = bytes.length;
  const read = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= end) throw new Error('unexpected end of data');
      const byte = bytes[offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  for (let t = 0; t < termCount; t++) {
    const df = read();
    if (slot + df > postingCount) throw new Error('more postings than announced');
    let doc = 0;
    for (let i = 0; i < df; i++) {
      doc += read();
      docs[slot + i] = doc;
    }
    const base = position;
    for (let i = 0; i < df; i++) {
      const tf = read();
      if (position + tf > positionCount) throw new Error('more positions than announced');
      tfs[slot + i] = tf;
      posStart[slot + i + t] = position - base;
      let value = 0;
      for (let p = 0; p < tf; p++) {
        value += read();
        positions[position++] = value;
      }
    }
    slot += df;
    posStart[slot + t] = position - base;
    postingStart[t + 1] = slot;
    positionStart[t + 1] = position;
  }
  if (slot !== postingCount || position !== positionCount || offset !== end) {
    throw new Error('postings do not match their announced counts');
  }
  return { terms, termIndex, postingStart, docs, tfs, posStart, positionStart, positions, lengths };
}

export function encodeLengths(docCount: number, lengthOf: (field: FieldName, doc: number) => number): Uint8Array {
  const out = new ByteWriter();
  out.writeVarint(docCount);
  for (const field of FIELD_NAMES) for (let doc = 0; doc < docCount; doc++) out.writeVarint(lengthOf(field, doc));
  return out.bytes().slice();
}

export function decodeLengths(bytes: Uint8Array): { docCount: number; lengths: Record<FieldName, Uint32Array> } {
  const reader = new ByteReader(bytes);
  const docCount = reader.readVarint();
  const lengths = {} as Record<FieldName, Uint32Array>;
  for (const field of FIELD_NAMES) {
    const values = new Uint32Array(docCount);
    for (let doc = 0; doc < docCount; doc++) values[doc] = reader.readVarint();
    lengths[field] = values;
  }
  if (!reader.done) throw new Error('trailing bytes after the field lengths');
  return { docCount, lengths };
}
