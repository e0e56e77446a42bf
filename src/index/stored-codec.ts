/**
 * On-disk form of the stored fields.
 * `catalog.bin`: the ids and content hashes (encodeCatalog) — all an incremental reindex reads to plan its work.
 * `columns.bin`: what a load needs of every document (categories, tags, authors, dates, text sizes; encodeColumns).
 * `docs.bin` and `text.bin`: block files (encodeBlocks) of consecutive documents, each block brotli-compressed on
 * its own so one document is found by decompressing one block: `docs.bin` the rest of the stored fields, a JSON list
 * of rows per block (MetaRow), read when a hit shows them; `text.bin` the body texts concatenated, in blocks of about
 * TEXT_BLOCK_BYTES. A block ends where the documents since its start reach the size, so after an edit the text blocks
 * of later documents soon fall on the same boundaries again: an incremental rewrite reuses every text block whose
 * documents (ids, content hashes, text sizes) are unchanged, without decompressing it.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import { wallClockOf } from '../ingest/portable.js';
import type { DocumentTable, StoredMeta } from './memory-index.js';
import { parseDateMs } from './memory-index.js';
import { IndexLoadError, type StoredColumns, type ValueColumn } from './types.js';
import { ScratchFile } from './text-spill.js';
import { ByteReader, ByteWriter } from './varint.js';

const TEXT_MAGIC = 'ZST1';
const DOCS_MAGIC = 'ZSD1';
const TEXT_BLOCK_BYTES = 16 * 1024; // measured: 0.2 ms to decompress a block, text at 34% of its UTF-8 size
/** Rows of ~13 documents at scale: a hit's row is read by inflating and parsing its block (tens of µs). */
const ROW_BLOCK_BYTES = 8 * 1024;
/**
 * Characters of documents' texts kept, most recently used first (16 MB of strings): a result page reads ~10 texts, and
 * inflating their blocks was most of the cost of its snippets. Texts rather than whole blocks (~5 documents each at
 * scale): a block's other documents are rarely asked for, and decoding them from UTF-8 cost as much as inflating it.
 */
const CACHED_CHARS = 8 * 1024 * 1024;

const brotliCompress = promisify(zlib.brotliCompress);
/** Text blocks compressed at once when writing: libuv's thread pool has 4 threads by default. */
const COMPRESSING_BLOCKS = 4;
/** Output piece of a block's inflation: one piece holds a whole block (≥ TEXT_BLOCK_BYTES, rarely over 64 KiB). */
const TEXT_CHUNK_BYTES = 64 * 1024;

/**
 * A text block's window: 64 KiB, the most brotli's quality 5 compresses with its lighter match finder (a larger one
 * takes a hash table of ~1 MB, allocated and freed for every block). A block is 16 KiB to rarely over 64 KiB: its
 * matches are the same. Measured over the scale corpus's 5,174 text blocks, four at a time on libuv's pool: 2.9–3.4 →
 * 2.6–2.7 CPU s, system time most of the difference, the blocks 0.1 % smaller.
 */
const TEXT_WINDOW_BITS = 16;

function brotliOptions(size: number, windowBits?: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
      ...(windowBits !== undefined && { [zlib.constants.BROTLI_PARAM_LGWIN]: windowBits }),
    },
  };
}

/** Ids and content hashes of the documents, in document order. */
export interface Catalog {
  ids: readonly string[];
  contentHashes: readonly string[];
}

const CATALOG_MAGIC = 'ZSK1';
/** Between ids and between hashes: no file path holds it. */
const CATALOG_SEPARATOR = '\0';

/**
 * catalog.bin, brotli-compressed: magic "ZSK1", the document count and the UTF-8 length of the ids (varints), the ids,
 * then the content hashes, each list joined by NUL. A load splits the ids (a JSON list of both took ~35 ms of every
 * load at scale) and leaves the hashes as bytes until a reindex or a shown document asks for one. Written straight
 * into the one buffer compressed: the joined strings, their bytes and those joined again were ~40 MB more at the end of
 * a build of 10× the scale corpus.
 */
export async function encodeCatalog({ ids, contentHashes }: Catalog): Promise<Uint8Array> {
  const idBytes = joinedBytes(ids, 'id');
  const out = new ByteWriter();
  out.writeMagic(CATALOG_MAGIC);
  out.writeVarint(ids.length);
  out.writeVarint(idBytes);
  const head = out.bytes();
  const raw = Buffer.allocUnsafe(head.length + idBytes + joinedBytes(contentHashes, 'content hash'));
  raw.set(head);
  writeJoined(contentHashes, raw, writeJoined(ids, raw, head.length));
  return brotliCompress(raw, brotliOptions(raw.length));
}

/** The UTF-8 bytes of `list` joined by NUL (writeJoined). */
function joinedBytes(list: readonly string[], what: string): number {
  let bytes = Math.max(0, list.length - 1);
  for (const value of list) {
    if (value.includes(CATALOG_SEPARATOR)) throw new Error(`a document's ${what} contains NUL`);
    bytes += Buffer.byteLength(value);
  }
  return bytes;
}

/** Writes `list` joined by NUL into `into` from `at`, the bytes of Buffer.from(list.join(NUL)); returns where it ends. */
function writeJoined(list: readonly string[], into: Buffer, at: number): number {
  list.forEach((value, i) => {
    if (i > 0) into[at++] = 0;
    at += into.write(value, at);
  });
  return at;
}

/** Decodes catalog.bin's inflated bytes (inflated when read: see generation-files.ts). */
export function decodeCatalog(inflated: Uint8Array): Catalog {
  const input = new ByteReader(inflated);
  input.expectMagic(CATALOG_MAGIC, 'catalog file');
  const count = input.readVarint();
  const split = (bytes: Uint8Array, what: string): string[] => {
    const list = count === 0 ? [] : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split(CATALOG_SEPARATOR);
    if (list.length !== count) throw new Error(`the catalog has ${count} documents but ${list.length} ${what}`);
    return list;
  };
  const ids = split(input.readBytes(input.readVarint()), 'ids');
  // A copy: the rest of the inflated file can go.
  let hashBytes: Uint8Array | undefined = inflated.slice(input.offset);
  let contentHashes: string[] | undefined;
  return {
    ids,
    get contentHashes() {
      if (contentHashes === undefined) {
        contentHashes = split(hashBytes!, 'content hashes');
        hashBytes = undefined;
      }
      return contentHashes;
    },
  };
}

/** A stored document's fields but its id, content hash, text and the values kept in columns (columns.bin). */
type MetaRow = [
  title: string,
  date: string | null,
  url: string,
  headings: string[],
  summary: string,
  updated: string | null,
  description: string,
  encoding: StoredMeta['encoding'],
  bytes: number,
  keywords: string[],
];

const COLUMNS_MAGIC = 'ZSC1';

/**
 * Categories, tags and authors as written, each distinct value once in order of first appearance, and dates, of `count`
 * documents given one at a time (`metaAt(doc)`, called once per document in order).
 */
export function storedColumns(count: number, metaAt: (doc: number) => Pick<StoredMeta, 'categories' | 'tags' | 'author' | 'date'>): StoredColumns {
  const [categories, tags, authors] = [valueColumn(count), valueColumn(count), valueColumn(count)];
  const dateMs = new Float64Array(count);
  const wallMs = new Float64Array(count);
  for (let doc = 0; doc < count; doc++) {
    const meta = metaAt(doc);
    categories.add(doc, meta.categories);
    tags.add(doc, meta.tags);
    authors.add(doc, meta.author === null ? [] : [meta.author]);
    dateMs[doc] = parseDateMs(meta.date);
    wallMs[doc] = wallClockOf(meta.date);
  }
  return { categories: categories.done(), tags: tags.done(), authors: authors.done(), dateMs, wallMs };
}

/** A ValueColumn made a document at a time, in document order. */
function valueColumn(count: number): { add(doc: number, values: readonly string[]): void; done(): ValueColumn } {
  const ids = new Map<string, number>();
  const values: string[] = [];
  const docIds: number[] = [];
  const start = new Uint32Array(count + 1);
  return {
    add(doc, docValues) {
      for (const value of docValues) {
        let id = ids.get(value);
        if (id === undefined) {
          id = values.push(value) - 1;
          ids.set(value, id);
        }
        docIds.push(id);
      }
      start[doc + 1] = docIds.length;
    },
    done: () => ({ values, start, ids: Uint32Array.from(docIds) }),
  };
}

/**
 * columns.bin: magic "ZSC1", the document count, the distinct values of categories, tags and authors (one JSON
 * list of three lists, after its UTF-8 length), then per document the value ids of each (a count, then the ids;
 * varints), its date and wall-clock date (float64, little-endian; NaN when unknown) and its text's length in UTF-16
 * units and UTF-8 bytes (varints). What a load reads of the stored fields: everything else waits until a hit shows it.
 */
export function encodeColumns(table: Pick<DocumentTable, 'count' | 'columns' | 'textLength' | 'textBytes'>): Uint8Array {
  const { count, columns } = table;
  const valueColumns = [columns.categories, columns.tags, columns.authors];
  const out = new ByteWriter();
  out.writeMagic(COLUMNS_MAGIC);
  out.writeVarint(count);
  const values = Buffer.from(JSON.stringify(valueColumns.map((column) => column.values)));
  out.writeVarint(values.length);
  out.writeBytes(values);
  for (const column of valueColumns) {
    for (let doc = 0; doc < count; doc++) {
      out.writeVarint(column.start[doc + 1] - column.start[doc]);
      for (let i = column.start[doc]; i < column.start[doc + 1]; i++) out.writeVarint(column.ids[i]);
    }
  }
  const dates = new DataView(new ArrayBuffer(16 * count));
  for (let doc = 0; doc < count; doc++) {
    dates.setFloat64(8 * doc, columns.dateMs[doc], true);
    dates.setFloat64(8 * (count + doc), columns.wallMs[doc], true);
  }
  out.writeBytes(new Uint8Array(dates.buffer));
  for (let doc = 0; doc < count; doc++) out.writeVarint(table.textLength(doc));
  for (let doc = 0; doc < count; doc++) out.writeVarint(table.textBytes(doc));
  return out.bytes().slice();
}

export interface DecodedColumns {
  columns: StoredColumns;
  textLengths: Uint32Array;
  textBytes: Uint32Array;
}

export function decodeColumns(bytes: Uint8Array, count: number): DecodedColumns {
  const input = new ByteReader(bytes);
  input.expectMagic(COLUMNS_MAGIC, 'columns file');
  const stored = input.readVarint();
  if (stored !== count) throw new Error(`${stored} stored documents, but ${count} in the catalog`);
  const valueBytes = input.readBytes(input.readVarint());
  const values = JSON.parse(Buffer.from(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength).toString('utf8')) as unknown;
  if (!Array.isArray(values) || values.length !== 3 || !values.every((list) => Array.isArray(list) && list.every((value) => typeof value === 'string'))) {
    throw new Error('the column values are not three lists of strings');
  }
  const column = (list: string[]): ValueColumn => {
    const start = new Uint32Array(count + 1);
    const ids: number[] = [];
    for (let doc = 0; doc < count; doc++) {
      for (let n = input.readVarint(); n > 0; n--) {
        const id = input.readVarint();
        if (id >= list.length) throw new Error(`value ${id} of document ${doc} is not among the ${list.length} values`);
        ids.push(id);
      }
      start[doc + 1] = ids.length;
    }
    return { values: list, start, ids: Uint32Array.from(ids) };
  };
  const [categories, tags, authors] = (values as string[][]).map(column);
  const dates = input.readBytes(16 * count);
  const view = new DataView(dates.buffer, dates.byteOffset, dates.byteLength);
  const dateMs = new Float64Array(count);
  const wallMs = new Float64Array(count);
  for (let doc = 0; doc < count; doc++) {
    dateMs[doc] = view.getFloat64(8 * doc, true);
    wallMs[doc] = view.getFloat64(8 * (count + doc), true);
  }
  const textLengths = input.readVarints(count);
  const textBytes = input.readVarints(count);
  if (!input.done) throw new Error('trailing bytes after the columns');
  return { columns: { categories, tags, authors, dateMs, wallMs }, textLengths, textBytes };
}

/** Consecutive documents [firstDoc, endDoc) stored as one compressed block. */
interface Block {
  firstDoc: number;
  endDoc: number;
}

/** Blocks ending where the sizes of their documents reach `blockBytes` (the last one wherever the documents end). */
function* blocksBySize(count: number, size: (doc: number) => number, blockBytes: number): Generator<Block> {
  let firstDoc = 0;
  let bytes = 0;
  for (let doc = 0; doc < count; doc++) {
    bytes += size(doc);
    if (bytes >= blockBytes || doc === count - 1) {
      yield { firstDoc, endDoc: doc + 1 };
      firstDoc = doc + 1;
      bytes = 0;
    }
  }
}

/** A block to be written: its first document and its compressed bytes, made when asked for. */
interface BlockJob {
  firstDoc: number;
  compress(): Uint8Array | Promise<Uint8Array>;
}

/** A block file whose blocks are compressed, waiting in a scratch file until it is written or discarded. */
export interface BlockFile {
  /** Hands its bytes to `write` piece after piece (each valid until `write`'s promise settles), then closes the scratch file. */
  writeTo(write: (piece: Uint8Array) => Promise<void>): Promise<void>;
  /** Closes the scratch file unwritten (the generation failed first). */
  discard(): void;
}

/**
 * A block file: magic, blockCount, per block its first document and compressed size (varints), then the blocks. New
 * blocks are compressed concurrently on libuv's thread pool, a few at a time: queuing them all at once held the whole
 * corpus's text as raw UTF-8 besides its strings (~150 MB at 27,855 posts). The compressed blocks wait for the block
 * table (which needs their sizes) in a scratch file in `scratchDir`, in memory only as far as its write batch: held
 * until the end they grew with the corpus (text.bin is ~400 MB at 10× the scale corpus).
 */
/** `stop`: aborted, the compressors take no more blocks and the encoding fails with its reason. */
async function encodeBlocks(magic: string, jobs: Iterable<BlockJob>, scratchDir: string, stop?: AbortSignal): Promise<BlockFile> {
  const file = new ScratchFile(scratchDir);
  try {
    const firstDocs: number[] = [];
    const sizes: number[] = [];
    const waiting: (Uint8Array | undefined)[] = [];
    const iterator = jobs[Symbol.iterator]();
    // Once one compressor fails the others stop taking blocks (reading texts of a builder being cleared).
    let failed = false;
    const compressor = async (): Promise<void> => {
      try {
        while (!failed && !stop?.aborted) {
          const next = iterator.next();
          if (next.done) return;
          const i = firstDocs.push(next.value.firstDoc) - 1;
          waiting[i] = await next.value.compress();
          // In block order: a block done before those ahead of it waits for them.
          for (let b = sizes.length; waiting[b] !== undefined; b++) {
            sizes.push(waiting[b]!.length);
            file.append(waiting[b]!);
            waiting[b] = undefined;
          }
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    await Promise.all(Array.from({ length: COMPRESSING_BLOCKS }, compressor));
    stop?.throwIfAborted();
    const out = new ByteWriter();
    out.writeMagic(magic);
    out.writeVarint(firstDocs.length);
    firstDocs.forEach((firstDoc, b) => {
      out.writeVarint(firstDoc);
      out.writeVarint(sizes[b]);
    });
    const table = out.bytes();
    return {
      writeTo: async (write) => {
        try {
          await write(table);
          await file.copy(0, file.size, write);
        } finally {
          file.close();
        }
      },
      discard: () => file.close(),
    };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** Where a block file's blocks are: only its block table is read (≤ 5 bytes per varint bound its length). */
export interface BlockTable {
  count: number;
  /** count + 1 entries: block b holds documents firstDoc[b]..firstDoc[b + 1]. */
  firstDoc: Uint32Array;
  /** count + 1 entries: block b is bytes offset[b]..offset[b + 1] of the file. */
  offset: Float64Array;
  /** The block of each document. */
  blockOf: Uint32Array;
  /** Block b's bytes, still compressed. */
  read(b: number): Uint8Array;
}

function readBlockTable(file: ByteSource, magic: string, docCount: number): BlockTable {
  let reader = new ByteReader(file.read(0, Math.min(file.size, magic.length + 5)));
  reader.expectMagic(magic, `${magic} block file`);
  const count = reader.readVarint();
  const tableStart = reader.offset;
  reader = new ByteReader(file.read(0, Math.min(file.size, tableStart + 10 * count)));
  reader.offset = tableStart;
  const firstDoc = new Uint32Array(count + 1);
  const offset = new Float64Array(count + 1);
  const sizes: number[] = [];
  for (let b = 0; b < count; b++) {
    firstDoc[b] = reader.readVarint();
    sizes.push(reader.readVarint());
  }
  firstDoc[count] = docCount;
  offset[0] = reader.offset;
  for (let b = 0; b < count; b++) offset[b + 1] = offset[b] + sizes[b];
  if (offset[count] !== file.size) throw new Error('the blocks do not fill the file');
  if (count === 0 ? docCount !== 0 : firstDoc[0] !== 0) throw new Error('the blocks do not cover the documents');
  const blockOf = new Uint32Array(docCount);
  for (let b = 0; b < count; b++) {
    if (firstDoc[b + 1] < firstDoc[b]) throw new Error('the blocks are not in document order');
    blockOf.fill(b, firstDoc[b], firstDoc[b + 1]);
  }
  return { count, firstDoc, offset, blockOf, read: (b) => file.read(offset[b], offset[b + 1]) };
}

export const docsBlocks = (file: ByteSource, docCount: number): BlockTable => readBlockTable(file, DOCS_MAGIC, docCount);
export const textBlocks = (file: ByteSource, docCount: number): BlockTable => readBlockTable(file, TEXT_MAGIC, docCount);

/** What identifies a text block's content: its documents' ids, content hashes and text sizes. */
function textBlockKey(table: Pick<DocumentTable, 'ids' | 'contentHashes' | 'textBytes'>, { firstDoc, endDoc }: Block): string {
  const parts: string[] = [];
  for (let doc = firstDoc; doc < endDoc; doc++) parts.push(table.ids[doc], table.contentHashes[doc], String(table.textBytes(doc)));
  return parts.join('\0');
}

export async function encodeText(
  table: Pick<DocumentTable, 'count' | 'ids' | 'contentHashes' | 'text' | 'textBytes' | 'compressedBlocks'>,
  scratchDir: string,
  stop?: AbortSignal,
): Promise<BlockFile> {
  const reusable = table.compressedBlocks?.();
  const jobs = map(blocksBySize(table.count, table.textBytes, TEXT_BLOCK_BYTES), (block) => ({
    firstDoc: block.firstDoc,
    compress: () => {
      const reused = reusable?.get(textBlockKey(table, block));
      if (reused) return reused();
      const texts: string[] = [];
      for (let doc = block.firstDoc; doc < block.endDoc; doc++) texts.push(table.text(doc));
      return compress(Buffer.from(texts.join('')), TEXT_WINDOW_BITS);
    },
  }));
  return encodeBlocks(TEXT_MAGIC, jobs, scratchDir, stop);
}

function* map<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

function compress(raw: Buffer, windowBits?: number): Promise<Uint8Array> {
  return brotliCompress(raw, brotliOptions(raw.length, windowBits));
}

/**
 * docs.bin: the rows (MetaRow) of about ROW_BLOCK_BYTES of documents, as one JSON list per block. The rows of a block
 * are made as it is reached (blocksBySize's cut, as text.bin's): every row at once was a string per document till the
 * end.
 */
export async function encodeDocs(table: Pick<DocumentTable, 'count' | 'meta'>, scratchDir: string): Promise<BlockFile> {
  return encodeBlocks(DOCS_MAGIC, rowBlocks(table), scratchDir);
}

function* rowBlocks(table: Pick<DocumentTable, 'count' | 'meta'>): Generator<BlockJob> {
  // blocksBySize asks for each document's size in order and yields a block before the next: `rows` are its rows then.
  let rows: string[] = [];
  const rowBytes = (doc: number): number => {
    const m = table.meta(doc);
    const row: MetaRow = [m.title, m.date, m.url, m.headings, m.summary, m.updated, m.description, m.encoding, m.bytes, m.keywords];
    return rows[rows.push(JSON.stringify(row)) - 1].length;
  };
  for (const { firstDoc } of blocksBySize(table.count, rowBytes, ROW_BLOCK_BYTES)) {
    const raw = Buffer.from(`[${rows.join(',')}]`);
    rows = [];
    yield { firstDoc, compress: () => compress(raw) };
  }
}

/**
 * A loaded generation's stored documents: ids and content hashes (catalog.bin) and the columns (columns.bin) decoded,
 * the blocks of docs.bin (`rows`) and text.bin (`texts`) read when one of their documents is first asked for.
 * `damaged(table, detail)`: the error for a block that no longer decodes then (its file changed in place after the
 * load's check), naming the file.
 */
export function storedTable(
  catalog: Catalog,
  { columns, textLengths, textBytes }: DecodedColumns,
  rows: BlockTable,
  texts: BlockTable,
  damaged: (table: 'rows' | 'texts', detail: string) => Error,
): DocumentTable {
  const count = catalog.ids.length;
  // Where each document's text starts in its block, in characters and in UTF-8 bytes; each block's UTF-8 size.
  const startInBlock = new Uint32Array(count);
  const byteStartInBlock = new Uint32Array(count);
  const blockBytes = new Float64Array(texts.count);
  for (let b = 0; b < texts.count; b++) {
    let start = 0;
    let byteStart = 0;
    for (let doc = texts.firstDoc[b]; doc < texts.firstDoc[b + 1]; doc++) {
      startInBlock[doc] = start;
      byteStartInBlock[doc] = byteStart;
      start += textLengths[doc];
      byteStart += textBytes[doc];
    }
    blockBytes[b] = byteStart;
  }
  const inflateBytes = (blocks: BlockTable, b: number): Buffer => zlib.brotliDecompressSync(blocks.read(b), { chunkSize: TEXT_CHUNK_BYTES });
  const inflate = (blocks: BlockTable, b: number): string => inflateBytes(blocks, b).toString('utf8');
  const decoded = <T>(table: 'rows' | 'texts', b: number, decode: () => T): T => {
    try {
      return decode();
    } catch (error) {
      // A file cut short is already named by its byte source.
      if (error instanceof IndexLoadError) throw error;
      throw damaged(table, `第 ${b} 块无法解开：${(error as Error).message}`);
    }
  };
  // The text block inflated last: documents read in order (a rewrite, a scan of every text) inflate each block once.
  let lastBlock = -1;
  let lastBytes: Buffer = Buffer.alloc(0);
  const readText = (doc: number): string => {
    const b = texts.blockOf[doc];
    if (b !== lastBlock) {
      lastBytes = decoded('texts', b, () => inflateBytes(texts, b));
      lastBlock = b;
    }
    if (lastBytes.length === blockBytes[b]) return lastBytes.toString('utf8', byteStartInBlock[doc], byteStartInBlock[doc] + textBytes[doc]);
    // A block is shorter than its documents' texts when lone surrogates ending one text and starting the next were
    // written as one character: its text is then cut by characters, as it was joined.
    return lastBytes.toString('utf8').slice(startInBlock[doc], startInBlock[doc] + textLengths[doc]);
  };
  const cache = new Map<number, string>();
  let cachedChars = 0;
  const cachedText = (doc: number): string => {
    let text = cache.get(doc);
    if (text === undefined) {
      text = readText(doc);
      cachedChars += text.length;
      for (const [oldest, old] of cache) {
        if (cachedChars <= CACHED_CHARS) break;
        cache.delete(oldest);
        cachedChars -= old.length;
      }
    } else {
      cache.delete(doc); // re-inserted below: most recently used last
    }
    cache.set(doc, text);
    return text;
  };
  // Rows stay parsed once read: at most what a load of the whole docs.bin held.
  const meta: StoredMeta[] = new Array(count);
  const valuesOf = (column: ValueColumn, doc: number) => Array.from(column.ids.subarray(column.start[doc], column.start[doc + 1]), (id) => column.values[id]);
  const readRows = (b: number): void => {
    const parsed = decoded('rows', b, () => JSON.parse(inflate(rows, b)) as MetaRow[]);
    const firstDoc = rows.firstDoc[b];
    if (!Array.isArray(parsed) || parsed.length !== rows.firstDoc[b + 1] - firstDoc) throw damaged('rows', `第 ${b} 块应有 ${rows.firstDoc[b + 1] - firstDoc} 行`);
    parsed.forEach(([title, date, url, headings, summary, updated, description, encoding, bytes, keywords], i) => {
      const doc = firstDoc + i;
      const authors = valuesOf(columns.authors, doc);
      meta[doc] = {
        id: catalog.ids[doc],
        title,
        date,
        updated,
        author: authors.length === 0 ? null : authors[0],
        categories: valuesOf(columns.categories, doc),
        tags: valuesOf(columns.tags, doc),
        url,
        description,
        headings,
        summary,
        contentHash: catalog.contentHashes[doc],
        encoding,
        bytes,
        keywords,
      };
    });
  };
  const table: DocumentTable = {
    count,
    ids: catalog.ids,
    get contentHashes() {
      return catalog.contentHashes;
    },
    columns,
    meta(doc: number): StoredMeta {
      if (!(doc >= 0 && doc < count)) throw new RangeError(`no document ${doc}`);
      if (meta[doc] === undefined) readRows(rows.blockOf[doc]);
      return meta[doc];
    },
    text(doc: number): string {
      if (!(doc >= 0 && doc < count)) throw new RangeError(`no document ${doc}`);
      return cachedText(doc);
    },
    textLength: (doc) => textLengths[doc],
    textBytes: (doc) => textBytes[doc],
    compressedBlocks() {
      // Each read when its block is reached: the write starts compressing at its start, and the whole old text.bin
      // (~37 MB at scale) held from then on would sit beside the postings the write makes first.
      const blocks = new Map<string, () => Uint8Array>();
      for (let b = 0; b < texts.count; b++) {
        const block = { firstDoc: texts.firstDoc[b], endDoc: texts.firstDoc[b + 1] };
        blocks.set(textBlockKey(table, block), () => texts.read(b));
      }
      return blocks;
    },
  };
  return table;
}
