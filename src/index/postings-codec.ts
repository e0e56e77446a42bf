/**
 * On-disk form of one field's terms and postings (file `<field>.postings`), numbers as LEB128 varints:
 *   magic "ZSP2", termCount, termBytes, the terms (UTF-8, '\n'-separated, sorted by UTF-16 code units),
 *   termCount document frequencies, termCount block sizes in bytes, then one block per term:
 *   its df document gaps (first absolute), then per posting tf and tf position gaps (first absolute).
 * tfs are implicit in the position lists. Blocks are read and decoded on first use of a term, so loading reads only
 * the term table (a process serving queries touches a small part of the vocabulary).
 * Field lengths of all fields go to `lengths.bin`: docCount, then docCount lengths per field in FIELD_NAMES order.
 */
import type { ByteSource } from './byte-source.js';
import { FIELD_NAMES, type FieldIndex } from './memory-index.js';
import type { FieldName, PostingList } from './types.js';
import type { Steps } from './slices.js';
import { ByteReader, ByteWriter, decodeVarints } from './varint.js';

const MAGIC = 'ZSP2';
const TERM_SEPARATOR = '\n';

/** What encodePostings needs: the sorted terms of a field and a way to get each one's postings. */
export interface FieldSource {
  terms: readonly string[];
  postings(term: string): PostingList;
}

export function encodePostings(source: FieldSource): Uint8Array {
  const blocks = new ByteWriter();
  const docFreqs: number[] = [];
  const blockSizes: number[] = [];
  for (const term of source.terms) {
    if (term.includes(TERM_SEPARATOR)) throw new Error(`term contains a line break: ${JSON.stringify(term)}`);
    const { docs, posStart, positions } = source.postings(term);
    const blockStart = blocks.length;
    let previousDoc = 0;
    for (let i = 0; i < docs.length; i++) {
      blocks.writeVarint(docs[i] - previousDoc);
      previousDoc = docs[i];
    }
    for (let i = 0; i < docs.length; i++) {
      blocks.writeVarint(posStart[i + 1] - posStart[i]);
      let previous = 0;
      for (let p = posStart[i]; p < posStart[i + 1]; p++) {
        blocks.writeVarint(positions[p] - previous);
        previous = positions[p];
      }
    }
    docFreqs.push(docs.length);
    blockSizes.push(blocks.length - blockStart);
  }
  const termBytes = new TextEncoder().encode(source.terms.join(TERM_SEPARATOR));
  const out = new ByteWriter();
  out.writeBytes(new TextEncoder().encode(MAGIC));
  out.writeVarint(source.terms.length);
  out.writeVarint(termBytes.length);
  out.writeBytes(termBytes);
  for (const df of docFreqs) out.writeVarint(df);
  for (const size of blockSizes) out.writeVarint(size);
  out.writeBytes(blocks.bytes());
  return out.bytes().slice();
}

/** Bytes of the file's start that hold its magic, then term count and term bytes' length (two varints of ≤ 5 bytes). */
const PREFIX_BYTES = MAGIC.length + 10;

/**
 * A FieldIndex over a `<field>.postings` file; throws Error with a reason when the term table is invalid.
 * Steps: the terms of a large field (a million) are found a slice at a time; they are looked up by binary search.
 * Only the term table is read here (its length bounded by the counts at the start: ≤ 5 bytes per varint).
 */
export function* decodePostings(file: ByteSource, lengths: Uint32Array): Steps<FieldIndex> {
  let reader = new ByteReader(file.read(0, Math.min(file.size, PREFIX_BYTES)));
  const magic = new TextDecoder().decode(reader.readBytes(MAGIC.length));
  if (magic !== MAGIC) throw new Error(`not a postings file (magic ${JSON.stringify(magic)})`);
  const termCount = reader.readVarint();
  const termBytes = reader.readVarint();
  const termStart = reader.offset;
  reader = new ByteReader(file.read(0, Math.min(file.size, termStart + termBytes + 10 * termCount)));
  reader.offset = termStart;
  const termText = new TextDecoder('utf-8', { fatal: true }).decode(reader.readBytes(termBytes));
  // Where each term starts in the text (one more entry: the end of the last plus its separator). The terms are looked
  // up in the text itself; the list of strings is made only when something walks the vocabulary (suggestions).
  // Scanned a slice at a time (a large field has a million terms).
  const termAt = new Uint32Array(termCount + 1);
  let found = 0;
  for (let start = 0; termCount > 0; ) {
    const end = termText.indexOf(TERM_SEPARATOR, start);
    found++;
    if (end === -1 || found > termCount) break;
    termAt[found] = end + 1;
    start = end + 1;
    if ((found & 16383) === 0) yield;
  }
  if (found !== termCount) throw new Error(`expected ${termCount} terms, found ${found}`);
  termAt[termCount] = termText.length + 1;
  const docFreqs = reader.readVarints(termCount);
  const blockSizes = reader.readVarints(termCount);
  const blockStart = new Float64Array(termCount + 1);
  blockStart[0] = reader.offset;
  for (let t = 0; t < termCount; t++) blockStart[t + 1] = blockStart[t] + blockSizes[t];
  if (blockStart[termCount] !== file.size) throw new Error('posting blocks do not fill the file');

  const decoded: (PostingList | undefined)[] = new Array(termCount);
  let terms: string[] | undefined;
  return {
    get terms() {
      terms ??= Array.from({ length: termCount }, (_, t) => termText.slice(termAt[t], termAt[t + 1] - 1));
      return terms;
    },
    rank: (term) => sortedIndexOf(termText, termAt, term),
    lengths,
    docFreq: (t) => docFreqs[t],
    postings: (t) => (decoded[t] ??= decodeBlock(file.read(blockStart[t], blockStart[t + 1]), docFreqs[t])),
  };
}

/**
 * Rank of `term` among the terms of `text` (sorted by UTF-16 code units, as the file stores them; term t is
 * text[start[t], start[t + 1] - 1)), or undefined: a binary search comparing in place, so loading builds neither a
 * map nor a string per term of a field (up to a million).
 */
function sortedIndexOf(text: string, start: Uint32Array, term: string): number | undefined {
  let low = 0;
  let high = start.length - 2;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const order = compareAt(text, start[mid], start[mid + 1] - 1, term);
    if (order === 0) return mid;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** text[from, to) against `term` in UTF-16 code unit order (as `<` orders strings): negative, 0 or positive. */
function compareAt(text: string, from: number, to: number, term: string): number {
  const length = Math.min(to - from, term.length);
  for (let i = 0; i < length; i++) {
    const difference = text.charCodeAt(from + i) - term.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return to - from - term.length;
}

/** Reused buffer for positions of a term while their count is not yet known. */
let scratch = new Uint32Array(1 << 16);

function decodeBlock(bytes: Uint8Array, df: number): PostingList {
  const end = bytes.length;
  const docs = new Uint32Array(df);
  const tfs = new Uint32Array(df);
  const posStart = new Uint32Array(df + 1);
  let offset = decodeVarints(bytes, 0, end, df, docs, 0);
  for (let i = 1; i < df; i++) docs[i] += docs[i - 1];
  // Each position takes at least one byte, so the block size bounds their number.
  if (scratch.length < end - offset) scratch = new Uint32Array(Math.max(end - offset, scratch.length * 2));
  let count = 0;
  for (let i = 0; i < df; i++) {
    offset = decodeVarints(bytes, offset, end, 1, tfs, i);
    const tf = tfs[i];
    offset = decodeVarints(bytes, offset, end, tf, scratch, count);
    for (let p = count + 1; p < count + tf; p++) scratch[p] += scratch[p - 1];
    count += tf;
    posStart[i + 1] = count;
  }
  if (offset !== end) throw new Error('posting block longer than its postings');
  return { docs, tfs, posStart, positions: scratch.slice(0, count) };
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
  for (const field of FIELD_NAMES) lengths[field] = reader.readVarints(docCount);
  if (!reader.done) throw new Error('trailing bytes after the field lengths');
  return { docCount, lengths };
}
