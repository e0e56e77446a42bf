/**
 * index-data/ on disk: one folder per generation (`000001`, `000002`, …) holding the files and manifest.json;
 * `CURRENT` names the live generation and is replaced atomically (write CURRENT.tmp, fsync, rename).
 * The previous generation is kept for readers still using it; older ones are deleted.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeAnalyzer, sameAnalyzer } from '../analysis/index.js';
import type { AnalyzerIdentity } from '../analysis/types.js';
import { FORMAT_VERSION } from './builder.js';
import { FIELD_NAMES, MemoryIndex, type DocumentTable, type FieldIndex } from './memory-index.js';
import { decodeLengths, decodePostings, encodeLengths, encodePostings } from './postings-codec.js';
import { decodeCatalog, decodeDocs, encodeCatalog, encodeDocs, encodeText, textTable } from './stored-codec.js';
import { IndexLoadError, type FieldName, type IndexCatalog, type IndexManifest, type IndexReader } from './types.js';

const CURRENT = 'CURRENT';
const MANIFEST = 'manifest.json';
const LENGTHS = 'lengths.bin';
const CATALOG = 'catalog.bin';
const DOCS = 'docs.bin';
const TEXT = 'text.bin';
const GENERATION_NAME = /^\d{6,}$/;
const REINDEX_HINT = 'run "zhsearch reindex --full"';

const postingsFile = (field: FieldName): string => `${field}.postings`;

/** Name of the live generation, or null when there is none. Cheap: meant for hot-reload polling. */
export function readCurrentGeneration(indexDir: string): string | null {
  try {
    const name = readFileSync(path.join(indexDir, CURRENT), 'utf8').trim();
    return name === '' ? null : name;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes `reader` as a new generation and makes it the live one. */
export async function writeIndex(indexDir: string, reader: IndexReader): Promise<IndexManifest> {
  await fs.mkdir(indexDir, { recursive: true });
  const previous = readCurrentGeneration(indexDir);
  const { generation, dir } = await createGenerationDir(indexDir);

  const files: IndexManifest['files'] = [];
  const save = async (name: string, bytes: Uint8Array): Promise<void> => {
    await writeDurably(path.join(dir, name), bytes);
    files.push({ name, bytes: bytes.length, sha256: sha256(bytes) });
  };
  for (const field of FIELD_NAMES) {
    const terms = sortedTerms(reader, field);
    await save(postingsFile(field), encodePostings({ terms, postings: (term) => reader.postings(field, term)! }));
  }
  await save(LENGTHS, encodeLengths(reader.docCount, (field, doc) => reader.fieldLength(field, doc)));
  const table = documentTableOf(reader);
  await save(CATALOG, await encodeCatalog(table.meta));
  await save(DOCS, await encodeDocs(table));
  await save(TEXT, await encodeText(table));

  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    generation,
    analyzer: reader.manifest.analyzer,
    docCount: reader.docCount,
    termCount: reader.manifest.termCount,
    builtAt: new Date().toISOString(),
    sourceBytes: reader.manifest.sourceBytes,
    files,
  };
  await writeDurably(path.join(dir, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  await syncDir(dir);

  const tmp = path.join(indexDir, `${CURRENT}.tmp`);
  await writeDurably(tmp, Buffer.from(generation + '\n'));
  await fs.rename(tmp, path.join(indexDir, CURRENT));
  await syncDir(indexDir);
  await removeOldGenerations(indexDir, [generation, previous]);
  return manifest;
}

/** Loads the live generation, verifying sizes and checksums of every file first. */
export async function openIndex(
  indexDir: string,
  options: { expectedAnalyzer?: AnalyzerIdentity } = {},
): Promise<IndexReader> {
  const { dir, manifest, decode } = await openGeneration(indexDir, options);
  const { docCount, lengths } = decode(LENGTHS, decodeLengths);
  const fields = {} as Record<FieldName, FieldIndex>;
  for (const field of FIELD_NAMES) fields[field] = decode(postingsFile(field), (bytes) => decodePostings(bytes, lengths[field]));
  const catalog = decode(CATALOG, decodeCatalog);
  const docs = decode(DOCS, (bytes) => decodeDocs(bytes, catalog));
  const { meta } = docs;
  const documents = decode(TEXT, (bytes) => textTable(docs, bytes));
  assertDocCount(dir, manifest, meta.length);
  assertDocCount(dir, manifest, docCount);
  return new MemoryIndex({ manifest, fields, documents });
}

/**
 * The manifest and document ids and content hashes of the live generation, its files verified as openIndex does,
 * but nothing else decoded: what an incremental reindex reads to find out whether there is any work.
 */
export async function readIndexCatalog(indexDir: string): Promise<IndexCatalog> {
  const { dir, manifest, decode } = await openGeneration(indexDir, {});
  const { ids, contentHashes } = decode(CATALOG, decodeCatalog);
  assertDocCount(dir, manifest, ids.length);
  return { manifest, documents: ids.map((id, doc) => ({ id, contentHash: contentHashes[doc] })) };
}

/** Reads the live generation's manifest, checks format and analyzer, reads and verifies every file it lists. */
async function openGeneration(
  indexDir: string,
  options: { expectedAnalyzer?: AnalyzerIdentity },
): Promise<{ dir: string; manifest: IndexManifest; decode: <T>(name: string, fn: (bytes: Uint8Array) => T) => T }> {
  const generation = readCurrentGeneration(indexDir);
  if (generation === null) throw new IndexLoadError(`no index in ${indexDir}: run "zhsearch reindex"`);
  const dir = path.join(indexDir, generation);
  const manifest = await readManifest(dir);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexLoadError(
      `index in ${dir} has format version ${manifest.formatVersion}, this zhsearch reads version ${FORMAT_VERSION}: ${REINDEX_HINT}`,
      path.join(dir, MANIFEST),
    );
  }
  const expected = options.expectedAnalyzer;
  if (expected && !sameAnalyzer(expected, manifest.analyzer)) {
    throw new IndexLoadError(
      `index in ${dir} was built with analyzer ${describeAnalyzer(manifest.analyzer)}, ` +
        `but the current analyzer is ${describeAnalyzer(expected)}: ${REINDEX_HINT}`,
      path.join(dir, MANIFEST),
    );
  }

  const contents = new Map<string, Uint8Array>();
  await Promise.all(
    manifest.files.map(async (entry) => contents.set(entry.name, await readVerified(dir, entry))),
  );
  const decode = <T>(name: string, fn: (bytes: Uint8Array) => T): T => {
    const bytes = contents.get(name);
    const file = path.join(dir, name);
    if (bytes === undefined) throw new IndexLoadError(`index file ${file} is not listed in the manifest: ${REINDEX_HINT}`, file);
    try {
      return fn(bytes);
    } catch (error) {
      if (error instanceof IndexLoadError) throw error;
      throw new IndexLoadError(`index file ${file} is unreadable (${(error as Error).message}): ${REINDEX_HINT}`, file);
    }
  };
  return { dir, manifest, decode };
}

function assertDocCount(dir: string, manifest: IndexManifest, held: number): void {
  if (held !== manifest.docCount) {
    throw new IndexLoadError(
      `index in ${dir} is inconsistent: manifest says ${manifest.docCount} documents, files hold ${held}: ${REINDEX_HINT}`,
      path.join(dir, MANIFEST),
    );
  }
}

/** The stored fields of `reader`: its own table when it is a MemoryIndex (so unchanged text stays compressed). */
function documentTableOf(reader: IndexReader): DocumentTable {
  if (reader instanceof MemoryIndex) return reader.table;
  const stored = Array.from({ length: reader.docCount }, (_, doc) => reader.stored(doc));
  const texts = stored.map((article) => article.text);
  return {
    meta: stored.map(({ text: _text, ...meta }) => meta),
    dateMs: Float64Array.from(stored, (_, doc) => reader.dateMs(doc)),
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

/** Deletes generation folders other than `keep` (also leftovers of killed builds). */
async function removeOldGenerations(indexDir: string, keep: (string | null)[]): Promise<void> {
  for (const name of await fs.readdir(indexDir)) {
    if (GENERATION_NAME.test(name) && !keep.includes(name)) {
      await fs.rm(path.join(indexDir, name), { recursive: true, force: true });
    }
  }
}

async function readManifest(dir: string): Promise<IndexManifest> {
  const file = path.join(dir, MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new IndexLoadError(`index file ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): ${REINDEX_HINT}`, file);
  }
  try {
    const manifest = JSON.parse(text) as IndexManifest;
    if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.files)) throw new Error('missing fields');
    return manifest;
  } catch (error) {
    throw new IndexLoadError(`index file ${file} is corrupted (${(error as Error).message}): ${REINDEX_HINT}`, file);
  }
}

async function readVerified(dir: string, entry: IndexManifest['files'][number]): Promise<Uint8Array> {
  const file = path.join(dir, entry.name);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new IndexLoadError(`index file ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): ${REINDEX_HINT}`, file);
  }
  if (bytes.length !== entry.bytes) {
    const what = bytes.length < entry.bytes ? 'truncated' : 'longer than expected';
    throw new IndexLoadError(`index file ${file} is ${what}: ${bytes.length} of ${entry.bytes} bytes: ${REINDEX_HINT}`, file);
  }
  if (sha256(bytes) !== entry.sha256) {
    throw new IndexLoadError(`index file ${file} is corrupted (sha256 mismatch): ${REINDEX_HINT}`, file);
  }
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
