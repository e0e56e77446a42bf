/**
 * index-data/ on disk: one folder per generation (`000001`, `000002`, …) holding the files and manifest.json;
 * `CURRENT` names the live generation and is replaced atomically (write CURRENT.tmp, fsync, rename).
 * Only the holder of the index's writer lock (lock.ts) writes a generation or deletes old ones; it keeps the live
 * and the previous generation and any generation a reader is loading (a lease file `readers/<generation>.<pid>.<n>`
 * while it reads the files; once loaded, a reader holds the small files in memory and the large ones open, which keeps
 * their data readable after the folder is deleted).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import zlib from 'node:zlib';
import { describeAnalyzer, sameAnalyzer } from '../analysis/index.js';
import type { AnalyzerIdentity } from '../analysis/types.js';
import { FORMAT_VERSION } from './builder.js';
import { acquireIndexLock, processAlive, type IndexLock } from './lock.js';
import { FIELD_NAMES, MemoryIndex, type DocumentTable, type FieldIndex } from './memory-index.js';
import { decodeLengths, decodePostings, encodeLengths, encodePostings } from './postings-codec.js';
import { runAtOnce, runInSlices, type Steps } from './slices.js';
import { rebuildCommand, readIndexSource } from './source.js';
import { decodeCatalog, decodeColumns, docsBlocks, encodeCatalog, encodeColumns, encodeDocs, encodeText, storedTable, textBlocks } from './stored-codec.js';
import { readGenerationFilesBeside, readGenerationFilesInWorker, type FileProblem } from './generation-files.js';
import { fileSource, memorySource, type ByteSource } from './byte-source.js';
import { encodeSummaries, SUMMARIES_FILE, type SummarySource } from './summaries.js';
import { encodeStamps, STAMPS_FILE, type ListingStamps } from './file-stamps.js';
import {
  IndexLoadError,
  type FieldName,
  type IndexCatalog,
  type IndexManifest,
  type IndexReader,
  type IndexSource,
  type NewWord,
  type Abbreviation,
} from './types.js';

const CURRENT = 'CURRENT';
const MANIFEST = 'manifest.json';
const LENGTHS = 'lengths.bin';
const CATALOG = 'catalog.bin';
const COLUMNS = 'columns.bin';
const DOCS = 'docs.bin';
const TEXT = 'text.bin';
const READERS = 'readers';
const postingsFile = (field: FieldName): string => `${field}.postings`;
/** Files stored brotli-compressed as a whole, inflated when read; the block files, checked streaming and read by block. */
const READ_PLAN = { inflated: [CATALOG], streamed: [postingsFile('body'), DOCS, TEXT] };
const NEW_WORDS = 'new-words.json';
const ABBREVIATIONS = 'abbreviations.json';
const GENERATION_NAME = /^\d{6,}$/;
/** Loads retried when the generation CURRENT named was replaced and removed while being read. */
const LOAD_ATTEMPTS = 3;

/** What to run when the index cannot be used: a full rebuild of this index from the corpus it was built from. */
function reindexHint(indexDir: string): string {
  return `请运行 ${rebuildCommand(indexDir, readIndexSource(indexDir), { full: true })}`;
}

/** A file the load checked that no longer reads as it did when a request reads it (changed in place since). */
function changedAfterLoadError(indexDir: string, file: string, detail: string): IndexLoadError {
  return new IndexLoadError(`索引文件 ${file} 加载后被改动（${detail}）：${reindexHint(indexDir)}`, file);
}

/**
 * Name of the live generation, or null when there is none. Cheap: meant for hot-reload polling.
 * CURRENT must name a generation folder (digits only): anything else is refused without echoing it.
 */
export function readCurrentGeneration(indexDir: string): string | null {
  const file = path.join(indexDir, CURRENT);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const name = bytes.toString('latin1').trim();
  if (name === '') return null;
  if (!GENERATION_NAME.test(name)) {
    throw new IndexLoadError(
      `索引文件 ${file} 已损坏：内容（${bytes.length} 字节）不是索引版本号（6 位以上数字）：请运行 ${rebuildCommand(indexDir, readIndexSource(indexDir), { full: true })}`,
      file,
    );
  }
  return name;
}

/**
 * Writes `reader` as a new generation and makes it the live one. The caller's writer lock is used when given
 * (a reindex holds it for its whole run); otherwise the lock is taken for this write only, refusing if it is held.
 * `source` (where the articles came from) is recorded in the manifest; by default the reader's is kept. `summaries`
 * and the articles' files' `stamps` are written beside the generation's files for the next incremental build
 * (summaries.ts, file-stamps.ts).
 */
export async function writeIndex(
  indexDir: string,
  reader: IndexReader | GenerationContent,
  options: { lock?: IndexLock; source?: IndexSource; summaries?: SummarySource; stamps?: ListingStamps } = {},
): Promise<IndexManifest> {
  if (options.lock === undefined) {
    const lock = await acquireIndexLock(indexDir, { command: 'writeIndex' });
    try {
      return await writeIndex(indexDir, reader, { ...options, lock });
    } finally {
      await lock.release();
    }
  }
  if (path.resolve(options.lock.indexDir) !== path.resolve(indexDir) || !options.lock.held()) {
    throw new Error(`writeIndex: the writer lock of ${indexDir} is not held`);
  }
  // A damaged CURRENT is what this write repairs: it names no generation to keep.
  const previous = liveGenerationOrNull(indexDir);
  const content = 'writePostings' in reader ? reader : contentOf(reader);
  const source = options.source ?? content.manifest.source;
  const { generation, dir } = await createGenerationDir(indexDir);
  const tmp = path.join(indexDir, `${CURRENT}.tmp`);
  // Encoded and written while the generation's files are (its JSON on this thread between their writes, while
  // text.bin's blocks compress on libuv's threads; its gzip there too): after them, the write waited for it alone. A
  // failure is only a file the next build does without (writeSummaries); settled however the write ends.
  const summaries = options.summaries && writeSummaries(dir, options.summaries);
  let manifest: IndexManifest;
  try {
    manifest = await writeGeneration(dir, generation, content, source);
    await summaries;
    if (options.stamps) await writeBeside(dir, STAMPS_FILE, encodeStamps(content.table.ids, options.stamps));
    await writeDurably(tmp, Buffer.from(generation + '\n'));
  } catch (error) {
    // A failed write (a full disk) gives back the space it took; the live generation was never touched. The summaries'
    // encoding is over before the failure is told (the caller may clear what it reads: a builder's spills), and before
    // the folder is removed (it writes there).
    await summaries;
    // allSettled: a CURRENT.tmp that cannot be removed must not report the failure before the folder is gone.
    await Promise.allSettled([fs.rm(dir, { recursive: true, force: true }), fs.rm(tmp, { force: true })]);
    throw error;
  }
  await fs.rename(tmp, path.join(indexDir, CURRENT));
  await syncDir(indexDir);
  await removeOldGenerations(indexDir, [generation, previous]);
  return manifest;
}

/**
 * What a generation is written from: an index in memory (contentOf), or a builder's documents, whose postings are
 * encoded straight from their forward form while they are written (IndexBuilder.content).
 */
export interface GenerationContent {
  manifest: Pick<IndexManifest, 'analyzer' | 'site' | 'source' | 'docCount' | 'termCount' | 'sourceBytes'>;
  /** Hands the bytes of `<field>.postings` to `write`, piece after piece; a piece is only valid until `write`'s promise settles (its buffer may be reused). */
  writePostings(field: FieldName, write: (piece: Uint8Array) => Promise<void>): Promise<void>;
  fieldLength(field: FieldName, doc: number): number;
  /** Called once every postings file is written: what they were encoded from may go (a builder's forward fields). */
  postingsWritten?(): void;
  table: DocumentTable;
  newWords: readonly NewWord[];
  abbreviations: readonly Abbreviation[];
}

function contentOf(reader: IndexReader): GenerationContent {
  return {
    manifest: reader.manifest,
    writePostings: (field, write) => write(encodePostings({ terms: sortedTerms(reader, field), postings: (term) => reader.postings(field, term)! })),
    fieldLength: (field, doc) => reader.fieldLength(field, doc),
    table: documentTableOf(reader),
    newWords: reader.newWords(),
    abbreviations: reader.abbreviations(),
  };
}

/** The files and manifest of a new generation, written and synced in its folder. */
async function writeGeneration(dir: string, generation: string, content: GenerationContent, source: IndexSource | undefined): Promise<IndexManifest> {
  const files: IndexManifest['files'] = [];
  const save = (name: string, ...pieces: Uint8Array[]): Promise<void> =>
    saveInPieces(name, async (write) => {
      for (const piece of pieces) await write(piece);
    });
  // A file written piece by piece is checksummed as it goes: its whole bytes are never in memory at once.
  const saveInPieces = async (name: string, produce: (write: (piece: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> => {
    const handle = await fs.open(path.join(dir, name), 'w');
    let bytes = 0;
    let crc32 = 0;
    try {
      await produce(async (piece) => {
        await writeAll(handle, piece);
        bytes += piece.length;
        crc32 = zlib.crc32(piece, crc32);
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    files.push({ name, bytes, crc32 });
  };
  const { manifest: described, table } = content;
  // text.bin's blocks are compressed on libuv's threads from the start, while this thread writes the files before it:
  // compressed after them (~3.5 s of CPU at scale), they were most of the write, with this thread idle meanwhile.
  const stopText = new AbortController();
  const text = encodeText(table, dir, stopText.signal);
  // Awaited where text.bin is written; a failure before that stops it (below).
  text.catch(() => {});
  try {
    for (const field of FIELD_NAMES) await saveInPieces(postingsFile(field), (write) => content.writePostings(field, write));
    content.postingsWritten?.();
    await save(LENGTHS, encodeLengths(described.docCount, (field, doc) => content.fieldLength(field, doc)));
    await save(CATALOG, await encodeCatalog(table));
    await save(COLUMNS, encodeColumns(table));
    // Encoded once the file is open: a scratch file of blocks is never left behind by a file that cannot be made.
    await saveInPieces(DOCS, async (write) => (await encodeDocs(table, dir)).writeTo(write));
    await saveInPieces(TEXT, async (write) => (await text).writeTo(write));
  } catch (error) {
    // Settled before the failure is told: the caller removes the generation folder, and its scratch file is closed by
    // then (the compressors finish the blocks they hold, take no more, and close it; a finished one is discarded).
    stopText.abort(error);
    await text.then((file) => file.discard(), () => {});
    throw error;
  }
  await save(NEW_WORDS, Buffer.from(JSON.stringify(content.newWords) + '\n'));
  await save(ABBREVIATIONS, Buffer.from(JSON.stringify(content.abbreviations) + '\n'));

  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    generation,
    analyzer: described.analyzer,
    site: described.site,
    ...(source === undefined ? {} : { source }),
    docCount: described.docCount,
    termCount: described.termCount,
    builtAt: new Date().toISOString(),
    sourceBytes: described.sourceBytes,
    files,
  };
  await writeDurably(path.join(dir, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  await syncDir(dir);
  return manifest;
}

function liveGenerationOrNull(indexDir: string): string | null {
  try {
    return readCurrentGeneration(indexDir);
  } catch (error) {
    if (error instanceof IndexLoadError) return null;
    throw error;
  }
}

export interface OpenOptions {
  /** Refuse an index built with another analyzer. */
  expectedAnalyzer?: AnalyzerIdentity;
  /**
   * Decode in slices of this many milliseconds with the event loop free in between (a server loading a new
   * generation while it answers requests), its files read, checked and inflated in a worker thread; default: at once
   * on this thread, the large files checked in a worker thread meanwhile (openIndexWith: the small files read in
   * another while its own work runs here).
   */
  sliceMs?: number;
  /** false: each postings() call decodes its block afresh and nothing is kept (a reader read once through). */
  keepPostings?: boolean;
}

/** Loads the live generation, verifying sizes and checksums (CRC-32) of every file first. */
export async function openIndex(indexDir: string, options: OpenOptions = {}): Promise<IndexReader> {
  return decodeOpened(await openGeneration(indexDir, options), options);
}

/**
 * openIndex, with `prepare(manifest)` run on this thread while the files are read and checked in worker threads
 * (generation-files.ts): the query analyzer's dictionary (~0.2 s of node-rs's native code) loads during the reading
 * instead of after it.
 */
export async function openIndexWith<T>(
  indexDir: string,
  prepare: (manifest: IndexManifest) => T,
  options: OpenOptions = {},
): Promise<{ reader: IndexReader; prepared: T }> {
  let prepared: { value: T } | undefined;
  const opened = await openGeneration(indexDir, options, (manifest) => {
    prepared = { value: prepare(manifest) };
  });
  return { reader: await decodeOpened(opened, options), prepared: prepared!.value };
}

function decodeOpened(opened: OpenedGeneration, options: OpenOptions): Promise<IndexReader> {
  const steps = decodeIndex(opened, options.keepPostings ?? true);
  return whenChecked(opened, () => (options.sliceMs === undefined ? runAtOnce(steps) : runInSlices(steps, options.sliceMs)));
}

/**
 * What `decode` made of a generation once its large files are checked too: a file that fails its check is reported
 * as such, also when decoding it failed first.
 */
async function whenChecked<T>({ dir, checked }: OpenedGeneration, decode: () => T | Promise<T>): Promise<T> {
  let decoded: T;
  try {
    decoded = await decode();
  } catch (error) {
    const problem = await checked;
    throw problem ? fileProblemError(dir, problem) : error;
  }
  const problem = await checked;
  if (problem) throw fileProblemError(dir, problem);
  return decoded;
}

function* decodeIndex({ dir, manifest, decode, decodeSource, decodeSteps }: OpenedGeneration, keepPostings: boolean): Steps<IndexReader> {
  const { docCount, lengths } = decode(LENGTHS, decodeLengths);
  const fields = {} as Record<FieldName, FieldIndex>;
  for (const field of FIELD_NAMES) {
    yield;
    fields[field] = yield* decodeSteps(postingsFile(field), (file) => decodePostings(file, lengths[field], keepPostings));
  }
  yield;
  const catalog = decode(CATALOG, decodeCatalog);
  assertDocCount(dir, manifest, catalog.ids.length);
  assertDocCount(dir, manifest, docCount);
  yield;
  const columns = decode(COLUMNS, (bytes) => decodeColumns(bytes, catalog.ids.length));
  const rows = decodeSource(DOCS, (file) => docsBlocks(file, catalog.ids.length));
  const texts = decodeSource(TEXT, (file) => textBlocks(file, catalog.ids.length));
  const documents = storedTable(catalog, columns, rows, texts, (table, detail) =>
    changedAfterLoadError(path.dirname(dir), path.join(dir, table === 'rows' ? DOCS : TEXT), detail),
  );
  const newWords = decode(NEW_WORDS, decodeNewWords);
  const abbreviations = decode(ABBREVIATIONS, decodeAbbreviations);
  return new MemoryIndex({ manifest, fields, documents, newWords, abbreviations });
}

/**
 * The manifest and document ids and content hashes of the live generation, its files verified as openIndex does,
 * but nothing else decoded: what an incremental reindex reads to find out whether there is any work.
 */
export async function readIndexCatalog(indexDir: string): Promise<IndexCatalog> {
  const opened = await openGeneration(indexDir, {});
  const { dir, manifest, decode } = opened;
  const { ids, contentHashes } = await whenChecked(opened, () => decode(CATALOG, decodeCatalog));
  assertDocCount(dir, manifest, ids.length);
  return { manifest, documents: ids.map((id, doc) => ({ id, contentHash: contentHashes[doc] })) };
}

interface OpenedGeneration {
  dir: string;
  manifest: IndexManifest;
  /** Runs a decoder over a file's verified bytes (inflated for catalog.bin), naming the file if it fails. */
  decode: <T>(name: string, fn: (bytes: Uint8Array) => T) => T;
  /** The same over the file as a ByteSource. */
  decodeSource: <T>(name: string, fn: (file: ByteSource) => T) => T;
  /** The check of the large files, when it runs beside the decoding (readGenerationFilesBeside): its problem or null. */
  checked: Promise<FileProblem | null>;
  /** The same over the file as a ByteSource (a streamed file is read only where the decoder asks). */
  decodeSteps: <T>(name: string, fn: (file: ByteSource) => Steps<T>) => Steps<T>;
}

/**
 * Reads the live generation's manifest, checks format and analyzer, reads and verifies every file it lists; with
 * `meanwhile`, in worker threads while `meanwhile(manifest)` runs here.
 */
async function openGeneration(indexDir: string, options: OpenOptions, meanwhile?: (manifest: IndexManifest) => void): Promise<OpenedGeneration> {
  for (let attempt = 1; ; attempt++) {
    const generation = readCurrentGeneration(indexDir);
    if (generation === null) throw new IndexLoadError(`${indexDir} 中还没有索引：请运行 ${rebuildCommand(indexDir, readIndexSource(indexDir))}`);
    const release = await leaseGeneration(indexDir, generation);
    try {
      return await readGeneration(indexDir, generation, options, meanwhile);
    } catch (error) {
      // Replaced and removed while being read (its writer predates the lease): load the new one.
      const replaced = readCurrentGeneration(indexDir) !== generation && !existsSync(path.join(indexDir, generation, MANIFEST));
      if (!replaced || attempt >= LOAD_ATTEMPTS) throw error;
    } finally {
      await release();
    }
  }
}

async function readGeneration(
  indexDir: string,
  generation: string,
  options: OpenOptions,
  meanwhile: ((manifest: IndexManifest) => void) | undefined,
): Promise<OpenedGeneration> {
  const dir = path.join(indexDir, generation);
  const manifest = await readManifest(dir);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexLoadError(
      `索引 ${dir} 的格式是第 ${manifest.formatVersion} 版，这个 zhsearch 读取第 ${FORMAT_VERSION} 版：${reindexHint(path.dirname(dir))}`,
      path.join(dir, MANIFEST),
    );
  }
  const expected = options.expectedAnalyzer;
  if (expected && !sameAnalyzer(expected, manifest.analyzer)) {
    throw new IndexLoadError(
      `索引 ${dir} 由分析器 ${describeAnalyzer(manifest.analyzer)} 建立，` +
        `当前的分析器是 ${describeAnalyzer(expected)}：${reindexHint(path.dirname(dir))}`,
      path.join(dir, MANIFEST),
    );
  }

  // A server loading while it answers requests reads in a worker thread (generation-files.ts says why).
  const { read, checked } =
    options.sliceMs === undefined
      ? await readGenerationFilesBeside(dir, manifest.files, READ_PLAN, meanwhile && (() => meanwhile(manifest)))
      : { read: await readGenerationFilesInWorker(dir, manifest.files, READ_PLAN, meanwhile && (() => meanwhile(manifest))), checked: Promise.resolve(null) };
  if ('problem' in read) throw fileProblemError(dir, read.problem);
  const contents = new Map<string, ByteSource>([
    ...read.contents.map(([name, bytes]): [string, ByteSource] => [name, memorySource(bytes)]),
    ...read.opened.map(([name, fd, size]): [string, ByteSource] => {
      const file = path.join(dir, name);
      // Read after the load, a block at a time: a file changed in place since then fails the request naming it.
      return [name, fileSource(fd, size, (detail) => changedAfterLoadError(indexDir, file, detail))];
    }),
  ]);
  // Steps so that a decoder written as steps fails with the file's name too.
  const decodeSteps = function* <T>(name: string, fn: (file: ByteSource) => Steps<T>): Steps<T> {
    const source = contents.get(name);
    const file = path.join(dir, name);
    if (source === undefined) throw new IndexLoadError(`索引文件 ${file} 不在清单中：${reindexHint(path.dirname(dir))}`, file);
    try {
      return yield* fn(source);
    } catch (error) {
      if (error instanceof IndexLoadError) throw error;
      throw new IndexLoadError(`索引文件 ${file} 无法解读（${(error as Error).message}）：${reindexHint(path.dirname(dir))}`, file);
    }
  };
  const decodeSource = <T>(name: string, fn: (file: ByteSource) => T): T => runAtOnce(decodeSteps(name, function* (file) { return fn(file); }));
  const decode = <T>(name: string, fn: (bytes: Uint8Array) => T): T => decodeSource(name, (file) => fn(file.read(0, file.size)));
  return { dir, manifest, decode, decodeSource, decodeSteps, checked };
}

function decodeNewWords(bytes: Uint8Array): NewWord[] {
  const words: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const valid = (entry: unknown): entry is NewWord => {
    const { word, parts, count, docs } = (entry ?? {}) as Partial<NewWord>;
    return typeof word === 'string' && Array.isArray(parts) && parts.every((part) => typeof part === 'string') && Number.isInteger(count) && Number.isInteger(docs);
  };
  if (!Array.isArray(words) || !words.every(valid)) throw new Error('expected a list of {word, parts, count, docs}');
  return words;
}

function decodeAbbreviations(bytes: Uint8Array): Abbreviation[] {
  const list: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  const valid = (entry: unknown): entry is Abbreviation => {
    const { word, forms } = (entry ?? {}) as Partial<Abbreviation>;
    return typeof word === 'string' && Array.isArray(forms) && forms.every((form) => strings(form?.words) && Number.isInteger(form?.docs));
  };
  if (!Array.isArray(list) || !list.every(valid)) throw new Error('expected a list of {word, forms: [{words, docs}]}');
  return list;
}

function assertDocCount(dir: string, manifest: IndexManifest, held: number): void {
  if (held !== manifest.docCount) {
    throw new IndexLoadError(
      `索引 ${dir} 前后不一致：清单记载 ${manifest.docCount} 篇文章，文件中有 ${held} 篇：${reindexHint(path.dirname(dir))}`,
      path.join(dir, MANIFEST),
    );
  }
}

/** The stored fields of `reader`: its own table when it is a MemoryIndex (so unchanged text stays compressed). */
function documentTableOf(reader: IndexReader): DocumentTable {
  if (reader instanceof MemoryIndex) return reader.table;
  const stored = Array.from({ length: reader.docCount }, (_, doc) => reader.stored(doc));
  const texts = stored.map((article) => article.text);
  const meta = stored.map(({ text: _text, ...meta }) => meta);
  return {
    count: meta.length,
    ids: meta.map((m) => m.id),
    contentHashes: meta.map((m) => m.contentHash),
    columns: reader.columns(),
    meta: (doc) => meta[doc],
    text: (doc) => texts[doc],
    textLength: (doc) => texts[doc].length,
    textBytes: (doc) => Buffer.byteLength(texts[doc]),
  };
}

function sortedTerms(reader: IndexReader, field: FieldName): string[] {
  const terms = [...reader.terms(field)];
  for (let i = 1; i < terms.length; i++) {
    if (terms[i - 1] >= terms[i]) return terms.sort(); // UTF-16 code unit order
  }
  return terms;
}

async function createGenerationDir(indexDir: string): Promise<{ generation: string; dir: string }> {
  const existing = (await fs.readdir(indexDir)).filter((name) => GENERATION_NAME.test(name)).map(Number);
  let next = existing.length === 0 ? 1 : Math.max(...existing) + 1;
  for (;;) {
    const generation = String(next).padStart(6, '0');
    const dir = path.join(indexDir, generation);
    try {
      await fs.mkdir(dir);
      return { generation, dir };
    } catch (error) {
      // Another writer took this number: use the next one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      next++;
    }
  }
}

/**
 * Stamps the live generation's documents (in document order) again with a later listing's stats, under the writer
 * lock `lock`: written beside and renamed over the stamps it replaces, so a failure (a full disk) keeps those, and
 * like them best effort.
 */
export async function restampGeneration(
  lock: IndexLock,
  generation: string,
  documents: readonly { id: string }[],
  stamps: ListingStamps,
): Promise<void> {
  if (!lock.held()) throw new Error(`restampGeneration: the writer lock of ${lock.indexDir} is not held`);
  const dir = path.join(lock.indexDir, generation);
  const tmp = `${STAMPS_FILE}.tmp`;
  await writeBeside(
    dir,
    tmp,
    encodeStamps(
      documents.map(({ id }) => id),
      stamps,
    ),
  );
  await fs.rename(path.join(dir, tmp), path.join(dir, STAMPS_FILE)).catch(() => fs.rm(path.join(dir, tmp), { force: true }).catch(() => {}));
}

/** summaries.bin in `dir`, written as it is compressed; best effort as writeBeside (never fails). */
async function writeSummaries(dir: string, summaries: SummarySource): Promise<void> {
  const file = path.join(dir, SUMMARIES_FILE);
  try {
    const handle = await fs.open(file, 'w');
    try {
      await encodeSummaries(summaries, (piece) => writeAll(handle, piece));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    await fs.rm(file, { force: true }).catch(() => {});
  }
}

async function writeAll(handle: fs.FileHandle, piece: Uint8Array): Promise<void> {
  for (let offset = 0; offset < piece.length; ) offset += (await handle.write(piece, offset)).bytesWritten;
}

/**
 * Best effort: the summaries and stamps only save the next incremental build some work, so a disk too full for them
 * (~9 MB at scale) costs that work, not the generation just written.
 */
async function writeBeside(dir: string, name: string, encoded: Uint8Array | null): Promise<void> {
  if (encoded === null) return;
  const file = path.join(dir, name);
  try {
    await writeDurably(file, encoded);
  } catch {
    await fs.rm(file, { force: true }).catch(() => {});
  }
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Marks `generation` as being read by this process until the returned function is called. Best effort: a reader
 * that cannot write in the index folder reads without a lease (it then retries if the generation vanishes).
 */
let leaseCounter = 0;
function leaseGeneration(indexDir: string, generation: string): Promise<() => Promise<void>> {
  // The thread too: a rebuild thread of `serve --watch` counts from 0 in the same process as the server's thread.
  return leaseFile(path.join(indexDir, READERS, `${generation}.${process.pid}.${threadId}-${leaseCounter++}`));
}

const SERVING = 'serving';

/** Marks this process as serving `indexDir` until the returned function is called (reindex then yields to it). */
export function registerServer(indexDir: string): Promise<() => Promise<void>> {
  return leaseFile(path.join(indexDir, READERS, `${SERVING}.${process.pid}`));
}

/** An empty file under readers/ named after this process; a lease of a process that is gone counts for nothing. */
// Synchronous: a tiny file, and under load every await waits a round of requests (a server's load must be quick).
async function leaseFile(file: string): Promise<() => Promise<void>> {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
  } catch {
    return async () => {};
  }
  return async () => rmSync(file, { force: true });
}

/** Pids of live processes serving `indexDir`. */
export async function servingProcesses(indexDir: string): Promise<number[]> {
  const names = await fs.readdir(path.join(indexDir, READERS)).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith(`${SERVING}.`))
    .map((name) => Number(name.slice(SERVING.length + 1)))
    .filter((pid) => processAlive(pid));
}

/** Generations leased by live readers; leases of processes that are gone are deleted. */
async function leasedGenerations(indexDir: string): Promise<Set<string>> {
  const leased = new Set<string>();
  const dir = path.join(indexDir, READERS);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const [generation, pid] = name.split('.');
    if (generation === SERVING) continue;
    if (generation !== undefined && processAlive(Number(pid))) leased.add(generation);
    else await fs.rm(path.join(dir, name), { force: true });
  }
  return leased;
}

/**
 * Deletes generation folders other than `keep` (also leftovers of killed builds), never the one CURRENT names
 * now nor one a reader is loading. Only the lock holder calls this.
 */
async function removeOldGenerations(indexDir: string, keep: (string | null)[]): Promise<void> {
  const kept = new Set([...keep, readCurrentGeneration(indexDir), ...(await leasedGenerations(indexDir))]);
  for (const name of await fs.readdir(indexDir)) {
    if (GENERATION_NAME.test(name) && !kept.has(name)) {
      await fs.rm(path.join(indexDir, name), { recursive: true, force: true });
    }
  }
}

async function readManifest(dir: string): Promise<IndexManifest> {
  const file = path.join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, 'utf8'); // small: one await under load is a round of requests
  } catch (error) {
    throw new IndexLoadError(`索引文件 ${file} 无法读取（${(error as NodeJS.ErrnoException).code}）：${reindexHint(path.dirname(dir))}`, file);
  }
  try {
    const manifest = JSON.parse(text) as IndexManifest;
    if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.files)) throw new Error('missing fields');
    return manifest;
  } catch (error) {
    throw new IndexLoadError(`索引文件 ${file} 已损坏（${(error as Error).message}）：${reindexHint(path.dirname(dir))}`, file);
  }
}

/** The message of a file that cannot be used, naming it and the command that rebuilds the index. */
function fileProblemError(dir: string, problem: FileProblem): IndexLoadError {
  const file = path.join(dir, problem.name);
  const hint = reindexHint(path.dirname(dir));
  switch (problem.kind) {
    case 'unreadable':
      return new IndexLoadError(`索引文件 ${file} 无法读取（${problem.code}）：${hint}`, file);
    case 'size': {
      const what = problem.actual < problem.expected ? '不完整' : '比应有的长';
      return new IndexLoadError(`索引文件 ${file} ${what}：${problem.actual} 字节，应为 ${problem.expected} 字节：${hint}`, file);
    }
    case 'checksum':
      return new IndexLoadError(`索引文件 ${file} 已损坏（CRC-32 校验值不符）：${hint}`, file);
    case 'inflate':
      return new IndexLoadError(`索引文件 ${file} 无法解压（${problem.reason}）：${hint}`, file);
  }
}
