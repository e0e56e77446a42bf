/**
 * On-disk form of the stored fields.
 * `catalog.bin`: brotli-compressed JSON `[ids, contentHashes]` — all an incremental reindex reads to plan its work.
 * `docs.bin`: brotli-compressed JSON array of one tuple per document (every other stored field but the text, plus
 * the text's length in UTF-16 units and in UTF-8 bytes) — small, read once at load.
 * `text.bin`: body texts concatenated into blocks of about TEXT_BLOCK_BYTES, each brotli-compressed on its own so
 * one text is found by decompressing one block: magic "ZST1", blockCount, per block its first document and
 * compressed size (varints), then the blocks. A block ends where the documents since its start reach the size, so
 * after an edit the blocks of later documents soon fall on the same boundaries again: an incremental rewrite reuses
 * every block whose documents (ids, content hashes, text sizes) are unchanged, without decompressing it.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import type { DocumentTable, StoredMeta } from './memory-index.js';
import { parseDateMs } from './memory-index.js';
import type { Steps } from './slices.js';
import { ByteReader, ByteWriter } from './varint.js';

const MAGIC = 'ZST1';
const TEXT_BLOCK_BYTES = 16 * 1024; // measured: 0.2 ms to decompress a block, text at 34% of its UTF-8 size
/**
 * Characters of decompressed text blocks kept, most recently used first (16 MB of strings, ~1,500 blocks of Chinese):
 * a result page touches ~10 blocks, and decompressing them was most of the cost of its snippets.
 */
const CACHED_CHARS = 8 * 1024 * 1024;

const brotliCompress = promisify(zlib.brotliCompress);
/** Text blocks compressed at once when writing: libuv's thread pool has 4 threads by default. */
const COMPRESSING_BLOCKS = 4;
/** Output piece of a text block's inflation: one piece holds a whole block (≥ TEXT_BLOCK_BYTES, rarely over 64 KiB). */
const TEXT_CHUNK_BYTES = 64 * 1024;

function brotliOptions(size: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

/** Ids and content hashes of the documents, in document order. */
export interface Catalog {
  ids: string[];
  contentHashes: string[];
}

export async function encodeCatalog(meta: readonly StoredMeta[]): Promise<Uint8Array> {
  const json = Buffer.from(JSON.stringify([meta.map((m) => m.id), meta.map((m) => m.contentHash)]));
  return brotliCompress(json, brotliOptions(json.length));
}

/** Decodes catalog.bin's inflated bytes (catalog.bin and docs.bin are brotli-compressed JSON, see generation-files.ts). */
export function decodeCatalog(inflated: Uint8Array): Catalog {
  const value = JSON.parse(Buffer.from(inflated.buffer, inflated.byteOffset, inflated.byteLength).toString('utf8')) as unknown;
  if (!Array.isArray(value) || value.length !== 2 || !Array.isArray(value[0]) || !Array.isArray(value[1])) {
    throw new Error('the catalog is not [ids, contentHashes]');
  }
  const [ids, contentHashes] = value as [string[], string[]];
  if (ids.length !== contentHashes.length) throw new Error(`the catalog has ${ids.length} ids but ${contentHashes.length} content hashes`);
  return { ids, contentHashes };
}

type MetaRow = [
  title: string,
  date: string | null,
  author: string | null,
  categories: string[],
  tags: string[],
  url: string,
  headings: string[],
  summary: string,
  updated: string | null,
  description: string,
  encoding: StoredMeta['encoding'],
  bytes: number,
  keywords: string[],
  textLength: number,
  textBytes: number,
];

export async function encodeDocs(table: Pick<DocumentTable, 'meta' | 'textLength' | 'textBytes'>): Promise<Uint8Array> {
  const { meta } = table;
  const rows: MetaRow[] = meta.map((m, doc) => [
    m.title,
    m.date,
    m.author,
    m.categories,
    m.tags,
    m.url,
    m.headings,
    m.summary,
    m.updated,
    m.description,
    m.encoding,
    m.bytes,
    m.keywords,
    table.textLength(doc),
    table.textBytes(doc),
  ]);
  const json = Buffer.from(JSON.stringify(rows));
  return brotliCompress(json, brotliOptions(json.length));
}

export interface DecodedDocs {
  meta: StoredMeta[];
  textLengths: Uint32Array;
  textBytes: Uint32Array;
  /** docs.bin inflated: a server's next load compares its rows with these and decodes only those that changed. */
  rows: Uint8Array;
}

/** A loaded generation's stored documents, whose rows a load of the next one reuses where their bytes are equal. */
export interface PreviousDocs {
  rows: Uint8Array;
  meta: readonly StoredMeta[];
  textLength(doc: number): number;
  textBytes(doc: number): number;
  docNumber(id: string): number | undefined;
}

/**
 * Decodes docs.bin's inflated bytes. `sliced` false: the JSON in one parse (the fastest, but it holds the thread for
 * its whole length). `sliced`: row by row, yielding between groups of rows, and a row whose bytes equal the
 * `previous` generation's row of the same document is taken from it without decoding (an incremental reindex
 * changes few: at scale this spares most of the 17 MB of JSON a server would parse while answering requests).
 */
export function* decodeDocs(inflated: Uint8Array, catalog: Catalog, sliced: boolean, previous?: PreviousDocs): Steps<DecodedDocs> {
  const count = catalog.ids.length;
  const textLengths = new Uint32Array(count);
  const textBytes = new Uint32Array(count);
  const meta: StoredMeta[] = new Array(count);
  const bytes = Buffer.from(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  const set = (doc: number, row: MetaRow) => {
    const [title, date, author, categories, tags, url, headings, summary, updated, description, encoding, size, keywords] = row;
    textLengths[doc] = row[13];
    textBytes[doc] = row[14];
    const id = catalog.ids[doc];
    const contentHash = catalog.contentHashes[doc];
    meta[doc] = { id, title, date, updated, author, categories, tags, url, description, headings, summary, contentHash, encoding, bytes: size, keywords };
  };
  if (!sliced) {
    const rows = JSON.parse(bytes.toString('utf8')) as MetaRow[];
    if (!Array.isArray(rows)) throw new Error('stored documents are not a list');
    if (rows.length !== count) throw new Error(`${rows.length} stored documents, but ${count} in the catalog`);
    rows.forEach((row, doc) => set(doc, row));
    return { meta, textLengths, textBytes, rows: inflated };
  }
  const starts = yield* rowStarts(inflated);
  if (starts.length - 1 !== count) throw new Error(`${starts.length - 1} stored documents, but ${count} in the catalog`);
  const previousStarts = previous ? yield* rowStarts(previous.rows) : undefined;
  for (let doc = 0; doc < count; doc++) {
    const start = starts[doc];
    const end = starts[doc + 1] - 1;
    const old = previous?.docNumber(catalog.ids[doc]);
    if (old !== undefined && bytes.compare(previous!.rows, previousStarts![old], previousStarts![old + 1] - 1, start, end) === 0) {
      meta[doc] = { ...previous!.meta[old], id: catalog.ids[doc], contentHash: catalog.contentHashes[doc] };
      textLengths[doc] = previous!.textLength(old);
      textBytes[doc] = previous!.textBytes(old);
    } else {
      set(doc, JSON.parse(bytes.toString('utf8', start, end)) as MetaRow);
    }
    if ((doc & 255) === 255) yield;
  }
  return { meta, textLengths, textBytes, rows: inflated };
}

/**
 * Where each element of the top-level JSON array in `bytes` starts, and one past the end of the last plus one:
 * element k is bytes[starts[k], starts[k + 1] - 1) (the byte before the next start is a comma or the closing
 * bracket). Bytes, not characters: UTF-8 encodes no character but ASCII with bytes below 0x80, so quotes,
 * backslashes, brackets and commas are found byte by byte.
 */
function* rowStarts(bytes: Uint8Array): Steps<Uint32Array> {
  const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  let i = 0;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] !== 0x5b) throw new Error('stored documents are not a list');
  i++;
  const starts: number[] = [i];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let depth = 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      // A string: its closing quote found by indexOf (native; strings are most of the bytes), skipping escaped ones.
      for (;;) {
        i = buffer.indexOf(0x22, i + 1);
        if (i === -1) throw new Error('stored documents end inside a string');
        let backslashes = 0;
        while (bytes[i - 1 - backslashes] === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      if (depth === 0) break; // the array's closing bracket
      depth--;
    } else if (c === 0x2c && depth === 0) {
      starts.push(i + 1);
      if ((starts.length & 1023) === 0) yield;
    }
  }
  if (i >= bytes.length) throw new Error('stored documents end before the list does');
  const empty = starts.length === 1 && bytes.subarray(starts[0], i).every(isSpace);
  for (let after = i + 1; after < bytes.length; after++) if (!isSpace(bytes[after])) throw new Error('trailing text after the stored documents');
  return empty ? new Uint32Array(1) : Uint32Array.from([...starts, i + 1]);
}

/** What identifies a block's content: its documents' ids, content hashes and text sizes. */
function textBlockKey(table: Pick<DocumentTable, 'meta' | 'textBytes'>, firstDoc: number, endDoc: number): string {
  const parts: string[] = [];
  for (let doc = firstDoc; doc < endDoc; doc++) parts.push(table.meta[doc].id, table.meta[doc].contentHash, String(table.textBytes(doc)));
  return parts.join('\0');
}

export async function encodeText(table: Pick<DocumentTable, 'meta' | 'text' | 'textBytes' | 'compressedBlocks'>): Promise<Uint8Array> {
  const count = table.meta.length;
  const reusable = table.compressedBlocks?.();
  const blocks: { firstDoc: number; endDoc: number; reused: Uint8Array | undefined }[] = [];
  let firstDoc = 0;
  let size = 0;
  for (let doc = 0; doc < count; doc++) {
    size += table.textBytes(doc);
    if (size >= TEXT_BLOCK_BYTES || doc === count - 1) {
      blocks.push({ firstDoc, endDoc: doc + 1, reused: reusable?.get(textBlockKey(table, firstDoc, doc + 1)) });
      firstDoc = doc + 1;
      size = 0;
    }
  }
  // New blocks are compressed concurrently on libuv's thread pool, a few at a time: queuing them all at once held
  // the whole corpus's text as raw UTF-8 besides its strings (~150 MB at 27,855 posts).
  const compressed: Uint8Array[] = new Array(blocks.length);
  let next = 0;
  const compressor = async (): Promise<void> => {
    for (let i = next++; i < blocks.length; i = next++) compressed[i] = blocks[i].reused ?? (await compressBlock(table, blocks[i].firstDoc, blocks[i].endDoc));
  };
  await Promise.all(Array.from({ length: COMPRESSING_BLOCKS }, compressor));
  const out = new ByteWriter();
  out.writeBytes(new TextEncoder().encode(MAGIC));
  out.writeVarint(blocks.length);
  blocks.forEach((block, i) => {
    out.writeVarint(block.firstDoc);
    out.writeVarint(compressed[i].length);
  });
  for (const block of compressed) out.writeBytes(block);
  return out.bytes().slice();
}

function compressBlock(table: Pick<DocumentTable, 'text'>, firstDoc: number, endDoc: number): Promise<Uint8Array> {
  const texts: string[] = [];
  for (let doc = firstDoc; doc < endDoc; doc++) texts.push(table.text(doc));
  const raw = Buffer.from(texts.join(''));
  return brotliCompress(raw, brotliOptions(raw.length));
}

/**
 * A DocumentTable over decoded metadata and the still-compressed blocks of `text.bin` (`file`), each read when one of
 * its texts is first asked for: only the block table is read here (≤ 5 bytes per varint bound its length).
 */
export function textTable({ meta, textLengths, textBytes, rows }: DecodedDocs, file: ByteSource): DocumentTable {
  let reader = new ByteReader(file.read(0, Math.min(file.size, MAGIC.length + 5)));
  const magic = new TextDecoder().decode(reader.readBytes(MAGIC.length));
  if (magic !== MAGIC) throw new Error(`not a text file (magic ${JSON.stringify(magic)})`);
  const blockCount = reader.readVarint();
  const tableStart = reader.offset;
  reader = new ByteReader(file.read(0, Math.min(file.size, tableStart + 10 * blockCount)));
  reader.offset = tableStart;
  const blockFirstDoc = new Uint32Array(blockCount + 1);
  const blockOffset = new Float64Array(blockCount + 1);
  const sizes: number[] = [];
  for (let b = 0; b < blockCount; b++) {
    blockFirstDoc[b] = reader.readVarint();
    sizes.push(reader.readVarint());
  }
  blockFirstDoc[blockCount] = meta.length;
  blockOffset[0] = reader.offset;
  for (let b = 0; b < blockCount; b++) blockOffset[b + 1] = blockOffset[b] + sizes[b];
  if (blockOffset[blockCount] !== file.size) throw new Error('text blocks do not fill the file');
  if (blockCount === 0 ? meta.length !== 0 : blockFirstDoc[0] !== 0) throw new Error('text blocks do not cover the documents');

  const blockOf = new Uint32Array(meta.length);
  const startInBlock = new Uint32Array(meta.length);
  for (let b = 0; b < blockCount; b++) {
    let start = 0;
    for (let doc = blockFirstDoc[b]; doc < blockFirstDoc[b + 1]; doc++) {
      blockOf[doc] = b;
      startInBlock[doc] = start;
      start += textLengths[doc];
    }
  }
  const cache = new Map<number, string>();
  let cachedChars = 0;
  const block = (b: number): string => {
    let text = cache.get(b);
    if (text === undefined) {
      text = zlib.brotliDecompressSync(file.read(blockOffset[b], blockOffset[b + 1]), { chunkSize: TEXT_CHUNK_BYTES }).toString('utf8');
      cachedChars += text.length;
      for (const [oldest, old] of cache) {
        if (cachedChars <= CACHED_CHARS) break;
        cache.delete(oldest);
        cachedChars -= old.length;
      }
    } else {
      cache.delete(b); // re-inserted below: most recently used last
    }
    cache.set(b, text);
    return text;
  };
  const table: DocumentTable = {
    meta,
    dateMs: Float64Array.from(meta, (m) => parseDateMs(m.date)),
    text(doc: number): string {
      if (doc < 0 || doc >= meta.length) throw new RangeError(`no document ${doc}`);
      return block(blockOf[doc]).slice(startInBlock[doc], startInBlock[doc] + textLengths[doc]);
    },
    textLength: (doc) => textLengths[doc],
    textBytes: (doc) => textBytes[doc],
    storedRows: rows,
    compressedBlocks() {
      const blocks = new Map<string, Uint8Array>();
      const all = file.read(blockOffset[0], blockOffset[blockCount]); // one read of the file, not one per block
      for (let b = 0; b < blockCount; b++) {
        blocks.set(textBlockKey(table, blockFirstDoc[b], blockFirstDoc[b + 1]), all.subarray(blockOffset[b] - blockOffset[0], blockOffset[b + 1] - blockOffset[0]));
      }
      return blocks;
    },
  };
  return table;
}
