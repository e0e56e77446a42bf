/**
 * The static export's files, written by export.ts (Node) and read by runtime.ts (browser): what goes in which
 * chunk and how it is encoded. Every chunk is gzip-compressed in its file (the browser inflates it with
 * DecompressionStream), so a reader downloads the same bytes from any host; names carry a content hash.
 *
 * - manifest.bin: analyzer, ranking, averages, the vocabulary bucket names, the docs table and stored chunk names;
 *   m-<hash>.bin, what a search does not read (LaterManifest: topics; names of suggestion, correction, id, related files).
 * - v<bucket>-<hash>.bin, the vocabulary: each Chinese word under its first two characters (one-character words and
 *   Traditional → Simplified entries under their character), every other term under itself, hashed into buckets.
 *   A query fetches the buckets of its characters and two-character windows, which hold every dictionary word
 *   jieba's DAG could use there, the conversions of its characters, and the postings of its terms (small ones
 *   inline when tiny, small ones a few terms a file in q<bucket>-<part>-<hash>.bin, big ones in p<bucket>-<n>-<hash>.bin,
 *   fetched only for terms the query keeps: the buckets a query reads for its words carry no postings it does not use).
 * - d-<hash>.bin, the docs table: per document its field lengths, date and facet values (ranking, filters, facets).
 * - s<doc>-<hash>.bin, one stored article (title, URL, …, its text when short), fetched for the hits shown; the
 *   content hash of its group of STORED_GROUP documents is in the docs table (a list of names would make the
 *   manifest grow with the corpus).
 * - x<doc>-<block>-<hash>.bin, a block of a longer text (the hash of all its blocks): a hit's snippet fetches the blocks where its query words are,
 *   by the first body position of each block (text-blocks.ts). One file a block, not byte ranges of one file: a host
 *   that ignores Range requests (python -m http.server, some CDNs) would send the whole text for each block.
 * - i<bucket>-<hash>.bin: article id → document number (article(id)); r<bucket>-<hash>.bin, the server's related
 *   articles of the same ids, in the same order (RelatedBucket: related(id)).
 * - w<bucket>-<hash>.bin, suggestion words: the words of the server's suggestions (titles, tags, keywords; suggest.ts),
 *   filed by first character, each with the entries it finds; g<group>-<hash>.bin, those entries' texts and links,
 *   SUGGESTION_GROUP a file, fetched only for the suggestions shown.
 * - c<bucket>-<hash>.bin, spelling corrections ("did you mean"): each Latin and short Han term with its document
 *   frequency under its correctionKeys (did-you-mean.ts); a search that finds little fetches the keys of its words.
 * - l<bucket>-<hash>.bin, Latin affixes: each Latin term under its first and its last three letters, with its document
 *   frequency; a Latin query word fetches its two keys' buckets to find the longer terms it starts or ends (GPT → ChatGPT).
 */
import { FIELDS, type Suggestion } from '../search/portable.js';
import { ByteReader, ByteWriter, type FieldName, type PostingList, type StoredArticle } from '../index/portable.js';

// Bucket file names (and the reading of JSON chunks) live in a module with no imports of its own, which the runtime's
// parts loaded on first use import (bucket-files.ts).
export * from './bucket-files.js';

export const STATIC_FORMAT_VERSION = 7;
export const DATA_DIR = 'zhsearch';
/** The entry point, under a fixed name (revalidated by hosts); gzip-compressed like every chunk. */
export const MANIFEST_FILE = 'manifest.bin';
/** Hex digits of content hash in the names of a text's blocks. */
export const TEXT_HASH_DIGITS = 6;

/**
 * Data exported in another static format than the runtime reads: an old data folder beside a new page or embed.js
 * (export again), or new data beside a page or embed.js the browser or the site kept (those are stale).
 */
export class StaticFormatError extends Error {
  constructor(format: unknown) {
    const newer = typeof format === 'number' && format > STATIC_FORMAT_VERSION;
    super(
      newer
        ? `搜索数据是第 ${format} 版格式，这个页面只能读取第 ${STATIC_FORMAT_VERSION} 版：请刷新页面或更新 embed.js。`
        : `搜索数据是第 ${String(format)} 版格式，这个页面读取第 ${STATIC_FORMAT_VERSION} 版：请重新运行 zhsearch export。`,
    );
    this.name = 'StaticFormatError';
  }
}

export interface StaticManifest {
  format: number;
  analyzer: { segmenter: string; version: string; dictHash: string; rules: string };
  generation: string;
  builtAt: string;
  docCount: number;
  termCount: number;
  sourceBytes: number;
  averageFieldLength: Record<FieldName, number>;
  /** The server's ranking configuration, so both rank alike. */
  ranking: import('../search/portable.js').RankingConfig;
  segmentation: { logTotal: number; maxWordLength: number };
  stopWords: string[];
  letterWords: string[];
  /**
   * Content hashes of the vocabulary buckets, one per VOCABULARY_GROUP consecutive buckets, BUCKET_HASH_DIGITS hex
   * digits each, concatenated (vocabularyFile): small buckets keep a query's download small, and a hash per bucket
   * would make the manifest grow with their number.
   */
  vocabulary: string;
  vocabularyBuckets: number;
  /** Content hashes of the Latin affix buckets (latinAffixFile): the Latin terms a query word may be part of. */
  latinAffixes: string;
  latinAffixBuckets: number;
  docs: string;
  /** The file of the manifest's part a search does not read (LaterManifest): fetched when first needed. */
  later: string;
  /** Query-time synonyms (normalised word → alternative query texts), as the server expands queries. */
  synonyms: [string, string[]][];
}

/**
 * What suggestions, "did you mean", article(id), related(id) and topics() read of the manifest (StaticManifest.later):
 * the names of their files and the topics, apart so that a search does not download them.
 */
export interface LaterManifest {
  /** Content hashes of the suggestion word buckets (suggestionFile), BUCKET_HASH_DIGITS hex digits each. */
  suggestions: string;
  suggestionBuckets: number;
  /** Content hashes of the suggestion detail files (suggestionDetailsFile), DETAILS_HASH_DIGITS hex digits each. */
  suggestionDetails: string;
  /** Content hashes of the correction buckets (correctionFile). */
  corrections: string;
  correctionBuckets: number;
  /** Article id → document number, by bucket. */
  ids: string[];
  /** Per ids bucket, the related articles of its ids (RelatedBucket). */
  related: string[];
  /** The corpus' topics, shown on the page without a query. */
  topics: { keyword: string; count: number }[];
}

/**
 * The server's related articles of each id of an ids bucket, in the bucket's order: per related article its document
 * number, score and shared terms (SearchHit `score` and `matched_terms`), best first.
 */
export type RelatedBucket = [number, number, string[]][][];

/** A correction bucket: per key (correctionKeys), the terms filed under it with their document frequency. */
export type CorrectionBucket = Record<string, [string, number][]>;

/**
 * A suggestion word bucket: the words of the first characters hashed to it, each character's words in the server's
 * order, each word with the entries it finds: 2 × entry number, + 1 when the word is that entry's key.
 */
export type SuggestionBucket = [string, number[]][];

/** Suggestion entries' texts, kinds and links (titles), SUGGESTION_GROUP consecutive entries a file. */
export type SuggestionDetails = ([string, Suggestion['kind']] | [string, Suggestion['kind'], string])[];

/** A Latin affix bucket: per key (latinAffixKeys), the Latin terms filed under it with their document frequency. */
export type LatinAffixBucket = Record<string, [string, number][]>;

/** 32-bit FNV-1a over UTF-16 units: where a key's entries live. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const HAN = /^\p{Script=Han}/u;

/** The vocabulary key of a term: a Chinese word's first two characters (or its one), any other term itself. */
export function vocabularyKey(term: string): string {
  if (!HAN.test(term)) return term;
  const chars = [...term];
  return chars.length <= 2 ? term : chars[0]! + chars[1]!;
}

/** The keys whose buckets hold every vocabulary word a (normalised) Chinese run may contain: its characters and two-character windows. */
export function runKeys(run: string): string[] {
  const chars = [...run];
  const keys = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i]! + chars[i + 1]!);
  return [...keys];
}

// --- postings of one term: per field, document gaps, then per document its position count (the tf) and gaps ---

export type TermPostings = Partial<Record<FieldName, PostingList>>;

/** A term's tf in a field is its number of positions there (the index keeps one position per occurrence): written once. */
export function encodePostings(lists: TermPostings, out: ByteWriter): void {
  for (const field of FIELDS) {
    const list = lists[field];
    const n = list ? list.docs.length : 0;
    out.writeVarint(n);
    if (!list || n === 0) continue;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      out.writeVarint(list.docs[i]! - previous);
      previous = list.docs[i]!;
    }
    for (let i = 0; i < n; i++) {
      const from = list.posStart[i]!;
      const to = list.posStart[i + 1]!;
      if (to - from !== list.tfs[i]) throw new Error(`index inconsistent: term frequency ${list.tfs[i]} with ${to - from} positions (${field})`);
      out.writeVarint(to - from);
      let last = 0;
      for (let p = from; p < to; p++) {
        out.writeVarint(list.positions[p]! - last);
        last = list.positions[p]!;
      }
    }
  }
}

export function decodePostings(input: ByteReader): TermPostings {
  const lists: TermPostings = {};
  for (const field of FIELDS) {
    const n = input.readVarint();
    if (n === 0) continue;
    const docs = input.readVarints(n);
    for (let i = 1; i < n; i++) docs[i] += docs[i - 1]!;
    const tfs = new Uint32Array(n);
    const posStart = new Uint32Array(n + 1);
    const chunks: Uint32Array[] = [];
    for (let i = 0; i < n; i++) {
      const count = input.readVarint();
      const positions = input.readVarints(count);
      for (let p = 1; p < count; p++) positions[p] += positions[p - 1]!;
      chunks.push(positions);
      tfs[i] = count;
      posStart[i + 1] = posStart[i]! + count;
    }
    const positions = new Uint32Array(posStart[n]!);
    chunks.forEach((chunk, i) => positions.set(chunk, posStart[i]!));
    lists[field] = { docs, tfs, posStart, positions };
  }
  return lists;
}

// --- stored articles ---

/**
 * A piece of stored text, with the Traditional → Simplified entries its characters start (when it has any): finding a
 * snippet normalises the text around it, which the entries of the query's buckets do not cover.
 */
export type TextBlock = [string] | [string, [string, string][]];

/** A text kept in blocks (TextBlock each): per block its character offset and first body position; one content hash for all. */
export interface BlockedText {
  length: number;
  hash: string;
  blocks: [number, number][];
}

/** A BlockedText as stored: offsets and positions as gaps, interleaved (fewer digits). */
export interface StoredBlocks {
  length: number;
  hash: string;
  gaps: number[];
}

export function storeBlocks({ length, hash, blocks }: BlockedText): StoredBlocks {
  const gaps: number[] = [];
  let [start, position] = [0, 0];
  for (const [nextStart, nextPosition] of blocks) {
    gaps.push(nextStart - start, nextPosition - position);
    [start, position] = [nextStart, nextPosition];
  }
  return { length, hash, gaps };
}

export function readBlocks({ length, hash, gaps }: StoredBlocks): BlockedText {
  const blocks: [number, number][] = [];
  let [start, position] = [0, 0];
  for (let i = 0; i + 1 < gaps.length; i += 2) blocks.push([(start += gaps[i]!), (position += gaps[i + 1]!)]);
  return { length, hash, blocks };
}

/** File name of block `block` of document `doc`'s text, `hash` the text's (BlockedText). */
export function blockFile(doc: number, block: number, hash: string): string {
  return storedChunkName(`x${doc}-${block}`, hash);
}

/**
 * What s<doc> holds: the stored fields, the text inline (short) or in blocks; the URL only for an article with a page
 * of its own (else it is articlePageUrl(id): percent-encoded, it was the biggest field of most chunks). Not the keywords: the article page
 * the export writes shows them, and neither hits nor the text it loads (articleTextHtml) read them.
 */
export type StoredChunk = Omit<StoredArticle, 'text' | 'contentHash' | 'encoding' | 'bytes' | 'url' | 'keywords'> & {
  url?: string;
  text: TextBlock | StoredBlocks;
};

/** Longest file name most file systems take, in bytes. */
const NAME_MAX = 255;

/**
 * The path under zhsearch/articles/ of the page the export writes for article `id`: the id's folders, then its file
 * name + `.html`; a file name that would grow past NAME_MAX bytes is replaced by a hash of the id (the source file's
 * name may be just under the limit). The export writes the page there and the runtime links to it: one function.
 */
export function articlePageSegments(id: string): string[] {
  const segments = id.split('/');
  const name = `${segments.pop()!}.html`;
  return [...segments, encoder.encode(name).length <= NAME_MAX ? name : `${fnv64(id)}.html`];
}

/** The link of the page the export writes for article `id` (articlePageSegments), relative to the search page. */
export function articlePageUrl(id: string): string {
  return `${DATA_DIR}/articles/${articlePageSegments(id).map(encodeURIComponent).join('/')}`;
}

/** 64-bit FNV-1a over UTF-8 bytes, 16 hex digits: a name for an id (no Node crypto in the browser). */
function fnv64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of encoder.encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

// --- strings ---

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function writeString(out: ByteWriter, text: string): void {
  const bytes = encoder.encode(text);
  out.writeVarint(bytes.length);
  out.writeBytes(bytes);
}

export function readString(input: ByteReader): string {
  return decoder.decode(input.readBytes(input.readVarint()));
}

// --- vocabulary bucket ---

/**
 * Where a vocabulary word's postings are: none (a dictionary word only), inline (tiny), in one of its bucket's
 * postings parts (postingsPartFile: small postings of a few of the bucket's terms), or in a file of their own (big).
 */
export type PostingsPlace =
  | { kind: 'none' }
  | { kind: 'inline'; bytes: Uint8Array }
  | { kind: 'part'; part: number }
  | { kind: 'file'; file: string };

export interface VocabularyEntry {
  word: string;
  /** jieba dictionary frequency; 0: a term of the index that is no dictionary word. */
  freq: number;
  postings: PostingsPlace;
}

/** Where a word's postings are, as read: a postings part by its file name (decodeVocabularyBucket). */
export type PostingsSource = Exclude<PostingsPlace, { kind: 'part' }> | { kind: 'part'; file: string };

export interface VocabularyBucket {
  /** Traditional → Simplified entries starting with this bucket's characters. */
  conversions: [string, string][];
  /** Content hashes of the bucket's postings parts, BUCKET_HASH_DIGITS hex digits each. */
  parts: string[];
  words: VocabularyEntry[];
}

/** Name (before its hash) of postings part `part` of vocabulary bucket `bucket`. */
export function postingsPartName(bucket: number, part: number): string {
  return `q${bucket}-${part}`;
}

function postingsPartFile(bucket: number, part: number, hash: string): string {
  return storedChunkName(postingsPartName(bucket, part), hash);
}

/** A postings part: terms and their encoded postings (encodePostings). */
export function encodePostingsPart(entries: [string, Uint8Array][]): Uint8Array {
  const out = new ByteWriter();
  out.writeVarint(entries.length);
  for (const [word, bytes] of entries) {
    writeString(out, word);
    out.writeVarint(bytes.length);
    out.writeBytes(bytes);
  }
  return out.bytes().slice();
}

export function decodePostingsPart(bytes: Uint8Array): Map<string, Uint8Array> {
  const input = new ByteReader(bytes);
  const entries = new Map<string, Uint8Array>();
  for (let n = input.readVarint(); n > 0; n--) entries.set(readString(input), input.readBytes(input.readVarint()));
  return entries;
}

const PLACE_NONE = 0;
const PLACE_INLINE = 1;
const PLACE_FILE = 2;
const PLACE_PART = 3;

export function encodeVocabularyBucket(bucket: VocabularyBucket): Uint8Array {
  const out = new ByteWriter();
  out.writeVarint(bucket.conversions.length);
  for (const [source, target] of bucket.conversions) {
    writeString(out, source);
    writeString(out, target);
  }
  out.writeVarint(bucket.parts.length);
  for (const hash of bucket.parts) writeString(out, hash);
  out.writeVarint(bucket.words.length);
  for (const { word, freq, postings } of bucket.words) {
    writeString(out, word);
    out.writeVarint(freq);
    if (postings.kind === 'none') out.writeVarint(PLACE_NONE);
    else if (postings.kind === 'inline') {
      out.writeVarint(PLACE_INLINE);
      out.writeVarint(postings.bytes.length);
      out.writeBytes(postings.bytes);
    } else if (postings.kind === 'part') {
      out.writeVarint(PLACE_PART);
      out.writeVarint(postings.part);
    } else {
      out.writeVarint(PLACE_FILE);
      writeString(out, postings.file);
    }
  }
  return out.bytes().slice();
}

/** Vocabulary bucket `bucket` as the runtime reads it: each word's postings part by its file name. */
export function decodeVocabularyBucket(
  bytes: Uint8Array,
  bucket: number,
): { conversions: [string, string][]; words: (Omit<VocabularyEntry, 'postings'> & { postings: PostingsSource })[] } {
  const input = new ByteReader(bytes);
  const conversions: [string, string][] = [];
  for (let n = input.readVarint(); n > 0; n--) conversions.push([readString(input), readString(input)]);
  const parts: string[] = [];
  for (let n = input.readVarint(); n > 0; n--) parts.push(readString(input));
  const words: (Omit<VocabularyEntry, 'postings'> & { postings: PostingsSource })[] = [];
  for (let n = input.readVarint(); n > 0; n--) {
    const word = readString(input);
    const freq = input.readVarint();
    const kind = input.readVarint();
    let postings: PostingsSource;
    if (kind === PLACE_NONE) postings = { kind: 'none' };
    else if (kind === PLACE_INLINE) postings = { kind: 'inline', bytes: input.readBytes(input.readVarint()) };
    else if (kind === PLACE_PART) {
      const part = input.readVarint();
      postings = { kind: 'part', file: postingsPartFile(bucket, part, parts[part]!) };
    }
    else postings = { kind: 'file', file: readString(input) };
    words.push({ word, freq, postings });
  }
  return { conversions, words };
}

// --- docs table ---

export interface DocsTable {
  categories: { key: string; label: string }[];
  tags: { key: string; label: string }[];
  authors: { key: string; label: string }[];
  /** Per field, per document. */
  lengths: Record<FieldName, Uint32Array>;
  /** ms since epoch, NaN when unknown. */
  dateMs: Float64Array;
  /** The date's wall-clock time in the article's zone, as ms (date filters and years); NaN when unknown. */
  wallMs: Float64Array;
  docCategories: Uint32Array[];
  docTags: Uint32Array[];
  /** -1: none. */
  docAuthor: Int32Array;
  /**
   * Per STORED_GROUP consecutive documents, 24 bits of a content hash of their stored chunks (their names:
   * storedFile): one per document would be two incompressible bytes each in the first file a search downloads.
   */
  storedHashes: Uint32Array;
}

/** Documents whose stored chunks share a content hash in their names (a changed article renames its group's). */
export const STORED_GROUP = 64;

/** File name of document `doc`'s stored chunk. */
export function storedFile(table: Pick<DocsTable, 'storedHashes'>, doc: number): string {
  return storedChunkName(`s${doc}`, table.storedHashes[Math.floor(doc / STORED_GROUP)]!.toString(16).padStart(6, '0'));
}

export function storedChunkName(prefix: string, hash: string): string {
  return `${prefix}-${hash}.bin`;
}

/** Dates as whole seconds, each from the one before, and wall clocks as whole minutes from their date (DATES_COMPACT). */
const DATES_COMPACT = 1;
/** Dates as ms strings: for dates the compact form cannot hold (fractions of a second, far apart). */
const DATES_STRINGS = 0;
/** Largest magnitude a zigzag-coded 32-bit varint holds here. */
const ZIGZAG_LIMIT = 2 ** 30;
const zigzag = (n: number) => (n >= 0 ? 2 * n : -2 * n - 1);
const unzigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/**
 * The date columns: most dates are whole seconds near the previous document's and their wall clock a whole number of
 * minutes off, a byte or three each (as strings they were half of the docs table, the first thing a search downloads).
 */
function writeDates(out: ByteWriter, dateMs: Float64Array, wallMs: Float64Array): void {
  const codes: number[] = [];
  // Deltas start from the first date (seconds since 1970 pass a 32-bit varint's range).
  const first = dateMs.find((date) => !Number.isNaN(date));
  const base = first === undefined ? 0 : first / 1000;
  let previous = base;
  let compact = Number.isInteger(base);
  for (let doc = 0; doc < dateMs.length && compact; doc++) {
    const date = dateMs[doc]!;
    const wall = wallMs[doc]!;
    if (Number.isNaN(date)) {
      codes.push(0, 0);
      compact = Number.isNaN(wall);
      continue;
    }
    const seconds = date / 1000;
    const minutes = (wall - date) / 60_000;
    const delta = seconds - previous;
    compact = Number.isInteger(seconds) && Number.isInteger(minutes) && Math.abs(delta) < ZIGZAG_LIMIT && Math.abs(minutes) < ZIGZAG_LIMIT;
    codes.push(1 + zigzag(delta), 1 + zigzag(minutes));
    previous = seconds;
  }
  if (compact) {
    out.writeVarint(DATES_COMPACT);
    writeString(out, String(base));
    for (const code of codes) out.writeVarint(code);
    return;
  }
  out.writeVarint(DATES_STRINGS);
  for (const column of [dateMs, wallMs]) for (let doc = 0; doc < column.length; doc++) writeString(out, Number.isNaN(column[doc]) ? '' : String(column[doc]));
}

function readDates(input: ByteReader, docCount: number): [Float64Array, Float64Array] {
  const [dateMs, wallMs] = [new Float64Array(docCount), new Float64Array(docCount)];
  if (input.readVarint() === DATES_COMPACT) {
    let previous = Number(readString(input));
    for (let doc = 0; doc < docCount; doc++) {
      const dateCode = input.readVarint();
      const wallCode = input.readVarint();
      if (dateCode === 0) {
        dateMs[doc] = NaN;
        wallMs[doc] = NaN;
        continue;
      }
      previous += unzigzag(dateCode - 1);
      dateMs[doc] = previous * 1000;
      wallMs[doc] = previous * 1000 + unzigzag(wallCode - 1) * 60_000;
    }
    return [dateMs, wallMs];
  }
  for (const column of [dateMs, wallMs]) {
    for (let doc = 0; doc < docCount; doc++) {
      const text = readString(input);
      column[doc] = text === '' ? NaN : Number(text);
    }
  }
  return [dateMs, wallMs];
}

export function encodeDocsTable(table: DocsTable): Uint8Array {
  const out = new ByteWriter();
  for (const values of [table.categories, table.tags, table.authors]) {
    out.writeVarint(values.length);
    for (const { key, label } of values) {
      writeString(out, key);
      writeString(out, label);
    }
  }
  const docCount = table.dateMs.length;
  out.writeVarint(docCount);
  for (const field of FIELDS) for (let doc = 0; doc < docCount; doc++) out.writeVarint(table.lengths[field][doc]!);
  writeDates(out, table.dateMs, table.wallMs);
  for (let doc = 0; doc < docCount; doc++) {
    for (const ids of [table.docCategories[doc]!, table.docTags[doc]!]) {
      out.writeVarint(ids.length);
      for (const id of ids) out.writeVarint(id);
    }
    out.writeVarint(table.docAuthor[doc]! + 1);
  }
  const hashes = new Uint8Array(table.storedHashes.length * 3);
  table.storedHashes.forEach((hash, group) => hashes.set([hash >> 16, (hash >> 8) & 0xff, hash & 0xff], 3 * group));
  out.writeBytes(hashes);
  return out.bytes().slice();
}

export function decodeDocsTable(bytes: Uint8Array): DocsTable {
  const input = new ByteReader(bytes);
  const readValues = () => {
    const values: { key: string; label: string }[] = [];
    for (let n = input.readVarint(); n > 0; n--) values.push({ key: readString(input), label: readString(input) });
    return values;
  };
  const categories = readValues();
  const tags = readValues();
  const authors = readValues();
  const docCount = input.readVarint();
  const lengths = {} as Record<FieldName, Uint32Array>;
  for (const field of FIELDS) lengths[field] = input.readVarints(docCount);
  const [dateMs, wallMs] = readDates(input, docCount);
  const docCategories: Uint32Array[] = [];
  const docTags: Uint32Array[] = [];
  const docAuthor = new Int32Array(docCount);
  for (let doc = 0; doc < docCount; doc++) {
    docCategories.push(input.readVarints(input.readVarint()));
    docTags.push(input.readVarints(input.readVarint()));
    docAuthor[doc] = input.readVarint() - 1;
  }
  const groups = Math.ceil(docCount / STORED_GROUP);
  const hashBytes = input.readBytes(groups * 3);
  const storedHashes = Uint32Array.from({ length: groups }, (_, group) => (hashBytes[3 * group]! << 16) | (hashBytes[3 * group + 1]! << 8) | hashBytes[3 * group + 2]!);
  return { categories, tags, authors, lengths, dateMs, wallMs, docCategories, docTags, docAuthor, storedHashes };
}
