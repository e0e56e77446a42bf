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
import type { DocumentList } from './forward.js';
import { FIELD_NAMES, type FieldIndex } from './memory-index.js';
import type { FieldName, PostingList } from './types.js';
import type { Steps } from './slices.js';
import { ByteReader, ByteWriter, decodeVarints, putVarint, varintBytes } from './varint.js';

const MAGIC = 'ZSP2';
const TERM_SEPARATOR = '\n';

/** What encodePostings needs: the sorted terms of a field and a way to get each one's postings. */
export interface FieldSource {
  terms: readonly string[];
  postings(term: string): PostingList;
}

export function encodePostings(source: FieldSource): Uint8Array {
  const blocks = new ByteWriter();
  const docFreqs = new Uint32Array(source.terms.length);
  const blockSizes = new Uint32Array(source.terms.length);
  source.terms.forEach((term, t) => {
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
    docFreqs[t] = docs.length;
    blockSizes[t] = blocks.length - blockStart;
  });
  const out = new ByteWriter();
  out.writeBytes(postingsHeader(source.terms, docFreqs, blockSizes));
  out.writeBytes(blocks.bytes());
  return out.bytes().slice();
}

/** The file up to its first block: magic, the terms, their document frequencies and block sizes. */
function postingsHeader(terms: readonly string[], docFreqs: Uint32Array, blockSizes: Uint32Array): Uint8Array {
  for (const term of terms) if (term.includes(TERM_SEPARATOR)) throw new Error(`term contains a line break: ${JSON.stringify(term)}`);
  const termBytes = new TextEncoder().encode(terms.join(TERM_SEPARATOR));
  const out = new ByteWriter();
  out.writeMagic(MAGIC);
  out.writeVarint(terms.length);
  out.writeVarint(termBytes.length);
  out.writeBytes(termBytes);
  for (const df of docFreqs) out.writeVarint(df);
  for (const size of blockSizes) out.writeVarint(size);
  return out.bytes();
}

/** One document's field in forward form: distinct terms (ids), their counts, their positions grouped by term. */
export interface ForwardPostings {
  termIds: Uint32Array;
  freqs: Uint32Array | Uint16Array;
  positions: Uint32Array | Uint16Array;
}

/**
 * The terms documents use in one field (`termStrings[id]` for each id they use), sorted by UTF-16 code units, and each
 * used id's rank among them: what writeForwardPostings is given.
 */
export function sortedTerms(docs: DocumentList<Pick<ForwardPostings, 'termIds'>>, termStrings: readonly string[]): { terms: string[]; rankOf: Uint32Array } {
  const used = new Uint8Array(termStrings.length);
  for (let doc = 0; doc < docs.count; doc++) for (const id of docs.at(doc).termIds) used[id] = 1;
  const ids: number[] = [];
  for (let id = 0; id < used.length; id++) if (used[id] === 1) ids.push(id);
  // A dictionary's terms are distinct: no two compare equal.
  ids.sort((a, b) => (termStrings[a] < termStrings[b] ? -1 : 1));
  const rankOf = new Uint32Array(termStrings.length);
  const terms = ids.map((id, rank) => {
    rankOf[id] = rank;
    return termStrings[id];
  });
  return { terms, rankOf };
}

/** Block bytes filled at once when a field is encoded from its documents (writeForwardPostings). */
const WINDOW_BYTES = 32 << 20;

/**
 * The same bytes as encodePostings of the inverted documents, written straight from their forward form (document
 * `doc` is docs.at(doc); `rankOf[id]` is the rank in `terms` of a term id they use) in pieces handed to `write`. A first
 * pass over the documents sizes every term's block; then the blocks are filled a window of terms at a time
 * (`windowBytes`), one pass per window: the field's inverted postings are never in memory as a whole, at any corpus size.
 */
export async function writeForwardPostings(
  docs: DocumentList<ForwardPostings>,
  terms: readonly string[],
  rankOf: Uint32Array,
  write: (piece: Uint8Array) => Promise<void>,
  windowBytes = WINDOW_BYTES,
): Promise<void> {
  const termCount = terms.length;
  const docFreqs = new Uint32Array(termCount);
  const blockSizes = new Uint32Array(termCount);
  /** Bytes of a block's document gaps (its positions follow them). */
  const gapBytes = new Uint32Array(termCount);
  const lastDoc = new Uint32Array(termCount);
  for (let doc = 0; doc < docs.count; doc++) {
    const { termIds, freqs, positions } = docs.at(doc);
    let p = 0;
    for (let i = 0; i < termIds.length; i++) {
      const rank = rankOf[termIds[i]];
      const tf = freqs[i];
      const gap = varintBytes(doc - lastDoc[rank]);
      lastDoc[rank] = doc;
      docFreqs[rank]++;
      gapBytes[rank] += gap;
      let bytes = gap + varintBytes(tf);
      let previous = 0;
      for (const end = p + tf; p < end; p++) {
        bytes += varintBytes(positions[p] - previous);
        previous = positions[p];
      }
      blockSizes[rank] += bytes;
    }
  }
  await write(postingsHeader(terms, docFreqs, blockSizes));

  let window = new Uint8Array(0);
  const gapAt = new Uint32Array(termCount);
  const positionAt = new Uint32Array(termCount);
  for (let from = 0; from < termCount; ) {
    let to = from;
    let bytes = 0;
    for (; to < termCount && (to === from || bytes + blockSizes[to] <= windowBytes); to++) {
      gapAt[to] = bytes;
      positionAt[to] = bytes + gapBytes[to];
      lastDoc[to] = 0;
      bytes += blockSizes[to];
    }
    if (window.length < bytes) window = new Uint8Array(Math.max(bytes, Math.min(2 * window.length, windowBytes)));
    for (let doc = 0; doc < docs.count; doc++) {
      const { termIds, freqs, positions } = docs.at(doc);
      let p = 0;
      for (let i = 0; i < termIds.length; i++) {
        const rank = rankOf[termIds[i]];
        const tf = freqs[i];
        if (rank < from || rank >= to) {
          p += tf;
          continue;
        }
        gapAt[rank] = putVarint(window, gapAt[rank], doc - lastDoc[rank]);
        lastDoc[rank] = doc;
        let at = putVarint(window, positionAt[rank], tf);
        let previous = 0;
        for (const end = p + tf; p < end; p++) {
          at = putVarint(window, at, positions[p] - previous);
          previous = positions[p];
        }
        positionAt[rank] = at;
      }
    }
    await write(window.subarray(0, bytes));
    from = to;
  }
}

/** Bytes of the file's start that hold its magic, then term count and term bytes' length (two varints of ≤ 5 bytes). */
const PREFIX_BYTES = MAGIC.length + 10;

/**
 * A FieldIndex over a `<field>.postings` file; throws Error with a reason when the term table is invalid.
 * Steps: the terms of a large field (a million) are found a slice at a time; they are looked up by binary search.
 * Only the term table is read here (its length bounded by the counts at the start: ≤ 5 bytes per varint).
 * `keep`: whether a term's postings, once decoded, are kept for the next time they are asked for (a searcher's); a
 * reader read once through (an incremental reindex's, see IndexBuilder.from) keeps none: kept, they held every field's
 * postings decoded (~350 MB at the scale corpus) to the end of the build.
 */
export function* decodePostings(file: ByteSource, lengths: Uint32Array, keep = true): Steps<FieldIndex> {
  let reader = new ByteReader(file.read(0, Math.min(file.size, PREFIX_BYTES)));
  reader.expectMagic(MAGIC, 'postings file');
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
  const read = (t: number): PostingList => decoded[t] ?? decodeBlock(file.read(blockStart[t], blockStart[t + 1]), docFreqs[t]);
  let terms: string[] | undefined;
  return {
    get terms() {
      terms ??= Array.from({ length: termCount }, (_, t) => termText.slice(termAt[t], termAt[t + 1] - 1));
      return terms;
    },
    rank: (term) => sortedIndexOf(termText, termAt, term),
    lengths,
    docFreq: (t) => docFreqs[t],
    postings: (t) => {
      const list = read(t);
      if (keep) decoded[t] = list;
      return list;
    },
    read,
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
