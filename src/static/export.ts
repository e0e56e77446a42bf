/**
 * Writes a static search: the index split into gzip-compressed, content-hashed chunks (format.ts), the page and the
 * bundled browser runtime (bundle.ts). Reads a loaded index; nothing is analysed again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Analyzer, SegmentationData } from '../analysis/index.js';
import { traditionalToSimplifiedEntries } from '../analysis/index.js';
import { FIRST_CJK } from '../analysis/portable.js';
import { ByteWriter } from '../index/portable.js';
import type { FieldName, IndexReader } from '../index/types.js';
import {
  corpusTopics,
  docMetaSteps,
  createSearchService,
  distinctEntries,
  firstCharacter,
  resolveRankingConfig,
  suggestEntries,
  suggestWords,
  type RankingConfig,
  type SynonymMap,
} from '../search/index.js';
import { runAtOnce } from '../index/portable.js';
import { correctionKeys } from '../search/portable-aids.js';
import { FIELDS, isLatinTerm, latinAffixKeys } from '../search/portable.js';
import { articleLink, checkOutDir, pageBundles, writeArticlePage, writePage } from './page-files.js';
import { blockPositions, blockStarts, BodyWords } from './text-blocks.js';
import {
  DATA_DIR,
  blockFile,
  storeBlocks,
  TEXT_HASH_DIGITS,
  encodeDocsTable,
  encodePostings,
  encodePostingsPart,
  postingsPartName,
  encodeVocabularyBucket,
  hashKey,
  BUCKET_HASH_DIGITS,
  DETAILS_HASH_DIGITS,
  MANIFEST_FILE,
  SUGGESTION_GROUP,
  storedChunkName,
  storedFile,
  vocabularyFile,
  VOCABULARY_GROUP,
  STATIC_FORMAT_VERSION,
  STORED_GROUP,
  vocabularyKey,
  type DocsTable,
  type StoredBlocks,
  type CorrectionBucket,
  type RelatedBucket,
  type LatinAffixBucket,
  type LaterManifest,
  type StaticManifest,
  type StoredChunk,
  type SuggestionBucket,
  type SuggestionDetails,
  type TextBlock,
  type TermPostings,
  type VocabularyBucket,
  type VocabularyEntry,
} from './format.js';

export interface ExportOptions {
  reader: IndexReader;
  analyzer: Analyzer;
  segmentation: SegmentationData;
  /** The server's query-time synonyms. */
  synonyms: SynonymMap;
  outDir: string;
  ranking?: Partial<RankingConfig>;
}

export interface ExportSummary {
  outDir: string;
  files: number;
  bytes: number;
  vocabularyBuckets: number;
  postingsFiles: number;
  docs: number;
  ms: number;
}

/**
 * Postings up to INLINE_POSTINGS (uncompressed) bytes travel inside their vocabulary bucket (a reference would cost
 * about as much); up to PART_POSTINGS, in the bucket's postings parts of about PART_BYTES each, fetched only for the
 * terms a query keeps (inline, they made most of the bytes of every bucket a query reads for its segmentation);
 * bigger ones get their own file.
 */
const INLINE_POSTINGS = 24;
const PART_POSTINGS = 512;
const PART_BYTES = 512;
/**
 * Vocabulary entries per bucket aimed at (a few hundred bytes compressed): a query fetches a bucket per character and
 * pair of characters, so small buckets keep queries cheap; the manifest holds a hash per VOCABULARY_GROUP of them.
 */
const WORDS_PER_BUCKET = 40;
/** Latin affix entries per bucket aimed at. */
const AFFIXES_PER_BUCKET = 100;
const IDS_PER_BUCKET = 512;
/** Correction entries per bucket aimed at: a search that finds little fetches a few keys' buckets. */
const CORRECTIONS_PER_BUCKET = 300;
/** Suggestion words per bucket aimed at: a typed word fetches the bucket of its first character. */
const SUGGESTION_WORDS_PER_BUCKET = 200;
/** Related articles on an exported article page, as many as the server's article page lists. */
const RELATED_ON_PAGE = 5;
/** Related articles kept for the runtime's related(id, limit): as many as the server's /api/related answers by default. */
const RELATED_KEPT = 10;
/** Texts up to this many characters stay in their stored chunk; longer ones go in blocks (a hit reads one or two). */
const INLINE_TEXT = 300;
/** Words the segmenter may meet: Chinese ones (Latin words are never segmented). */
const HAN_WORD = /^\p{Script=Han}+$/u;

export async function exportStatic(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const { reader, analyzer, segmentation } = options;
  const outDir = path.resolve(options.outDir);
  const dataDir = path.join(outDir, DATA_DIR);
  // A dist built without them fails here, before an earlier export is touched.
  const bundles = pageBundles();
  mkdirSync(outDir, { recursive: true });
  checkOutDir(outDir);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const page = writePage(outDir, bundles);
  let files = page.files;
  let bytes = page.bytes;
  const writeFile = (name: string, compressed: Uint8Array): void => {
    writeFileSync(path.join(dataDir, name), compressed);
    files++;
    bytes += compressed.length;
  };
  const compress = (content: Uint8Array): Uint8Array => gzipSync(content, { level: 9 });
  const contentHash = (...contents: Uint8Array[]): string => {
    const hash = createHash('sha256');
    for (const content of contents) hash.update(content);
    return hash.digest('hex');
  };
  /** Writes `content` gzip-compressed as `<prefix>-<hash>.bin`; returns its name. */
  /** Writes `content` compressed as storedChunkName(prefix, hash); returns the hash (what a bucket list holds). */
  const writeHashedChunk = (prefix: string, content: Uint8Array, hashLength: number): string => {
    const compressed = compress(content);
    const hash = contentHash(compressed).slice(0, hashLength);
    writeFile(storedChunkName(prefix, hash), compressed);
    return hash;
  };
  const writeChunk = (prefix: string, content: Uint8Array, hashLength = 10): string => storedChunkName(prefix, writeHashedChunk(prefix, content, hashLength));
  /** Writes each of `buckets` as JSON, `<prefix><n>-<hash>.bin`; returns their hashes joined, as bucketFile reads them. */
  const writeJsonBuckets = (prefix: string, buckets: unknown[]): string =>
    buckets.map((bucket, n) => writeHashedChunk(`${prefix}${n}`, new TextEncoder().encode(JSON.stringify(bucket)), BUCKET_HASH_DIGITS)).join('');
  /** Buckets (a power of two) for about `perBucket` of `entries` each. */
  const jsonBucketCount = (entries: number, perBucket: number): number => 2 ** Math.max(0, Math.ceil(Math.log2(entries / perBucket)));

  // Vocabulary: dictionary words and every indexed term, with the Traditional → Simplified entries.
  const terms = new Set<string>();
  for (const field of FIELDS) for (const term of reader.terms(field)) terms.add(term);
  const entryCount = segmentation.words.size + terms.size;
  const bucketCount = 2 ** Math.max(6, Math.ceil(Math.log2(entryCount / WORDS_PER_BUCKET)));
  const buckets: VocabularyBucket[] = Array.from({ length: bucketCount }, () => ({ conversions: [], parts: [], words: [] }));
  const bucketOf = (key: string) => buckets[hashKey(key) % bucketCount]!;
  const conversionsByChar = new Map<string, [string, string][]>();
  for (const [source, target] of traditionalToSimplifiedEntries()) {
    const char = String.fromCodePoint(source.codePointAt(0)!);
    bucketOf(char).conversions.push([source, target]);
    let entries = conversionsByChar.get(char);
    if (!entries) conversionsByChar.set(char, (entries = []));
    entries.push([source, target]);
  }
  /** The conversion entries starting with a character of `text`: what normalising any part of it reads. */
  const conversionsIn = (text: string): [string, string][] => {
    const chars = new Set<string>();
    for (const char of text) if (char.codePointAt(0)! >= FIRST_CJK && conversionsByChar.has(char)) chars.add(char);
    return [...chars].flatMap((char) => conversionsByChar.get(char)!);
  };
  let postingsFiles = 0;
  /** Per bucket, the small postings to pack into its parts. */
  const smallPostings = new Map<number, [VocabularyEntry, Uint8Array][]>();
  const postingsOut = new ByteWriter();
  const bodyWords = new BodyWords((doc) => reader.fieldLength('body', doc), reader.docCount);
  for (const term of terms) {
    const lists: TermPostings = {};
    for (const field of FIELDS) {
      const list = reader.postings(field, term);
      if (list && list.docs.length > 0) lists[field] = list;
    }
    if (lists.body) bodyWords.add(term, lists.body);
    postingsOut.reset();
    encodePostings(lists, postingsOut);
    const encoded = postingsOut.bytes();
    const bucketNumber = hashKey(vocabularyKey(term)) % bucketCount;
    const entry: VocabularyEntry = { word: term, freq: segmentation.words.get(term) ?? 0, postings: { kind: 'none' } };
    if (encoded.length <= INLINE_POSTINGS) entry.postings = { kind: 'inline', bytes: encoded.slice() };
    else if (encoded.length <= PART_POSTINGS) {
      let small = smallPostings.get(bucketNumber);
      if (!small) smallPostings.set(bucketNumber, (small = []));
      small.push([entry, encoded.slice()]);
    } else entry.postings = { kind: 'file', file: writeChunk(`p${bucketNumber}-${postingsFiles++}`, encoded) };
    buckets[bucketNumber]!.words.push(entry);
  }
  for (const [bucketNumber, small] of smallPostings) {
    const parts = buckets[bucketNumber]!.parts;
    for (let from = 0; from < small.length; ) {
      let to = from;
      for (let size = 0; to < small.length && (to === from || size + small[to]![1].length <= PART_BYTES); to++) size += small[to]![1].length;
      const part = parts.length;
      parts.push(writeHashedChunk(postingsPartName(bucketNumber, part), encodePostingsPart(small.slice(from, to).map(([entry, bytes]) => [entry.word, bytes])), BUCKET_HASH_DIGITS));
      for (let i = from; i < to; i++) small[i]![0].postings = { kind: 'part', part };
      from = to;
    }
  }
  smallPostings.clear();
  for (const [word, freq] of segmentation.words) {
    if (!terms.has(word)) bucketOf(vocabularyKey(word)).words.push({ word, freq, postings: { kind: 'none' } });
  }
  const latinAffixes = writeLatinAffixes();
  const corrections = writeCorrections();
  let maxWordLength = 1;
  for (const word of [...segmentation.words.keys(), ...terms]) if (HAN_WORD.test(word)) maxWordLength = Math.max(maxWordLength, [...word].length);
  let vocabulary = '';
  for (let from = 0; from < bucketCount; from += VOCABULARY_GROUP) {
    const group = buckets.slice(from, from + VOCABULARY_GROUP).map((bucket) => compress(encodeVocabularyBucket(bucket)));
    vocabulary += contentHash(...group).slice(0, BUCKET_HASH_DIGITS);
    group.forEach((compressed, i) => writeFile(vocabularyFile({ vocabulary }, from + i), compressed));
  }

  // Docs table and stored articles.
  const meta = runAtOnce(docMetaSteps(reader.columns(), analyzer.normalize));
  const storedHashes = new Uint32Array(Math.ceil(reader.docCount / STORED_GROUP));
  /** The compressed stored chunks of the current group, written once its hash is known. */
  let storedGroup: Uint8Array[] = [];
  const writeStoredGroup = (end: number): void => {
    const group = Math.floor((end - 1) / STORED_GROUP);
    storedHashes[group] = parseInt(contentHash(...storedGroup).slice(0, 6), 16);
    storedGroup.forEach((compressed, i) => writeFile(storedFile({ storedHashes }, group * STORED_GROUP + i), compressed));
    storedGroup = [];
  };
  const ids: [string, number][][] = Array.from({ length: Math.max(1, Math.ceil(reader.docCount / IDS_PER_BUCKET)) }, () => []);
  /** The index's article links → the links of the export (suggested titles and related articles open them). */
  const links = new Map<string, string>();
  /** Each article's link in the export, by document. */
  const docLinks = Array.from({ length: reader.docCount }, (_, doc) => {
    const article = reader.stored(doc);
    const link = articleLink(article);
    links.set(article.url, link.url);
    return link;
  });
  /** The server's related articles: on the article pages (linked as the export links them) and for related(id). */
  const service = createSearchService(reader, analyzer);
  const related: RelatedBucket[] = ids.map(() => []);
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    const { text, contentHash: _hash, encoding: _encoding, bytes: _bytes, url: _url, keywords: _keywords, ...fields } = article;
    const id = article.id;
    const link = docLinks[doc]!;
    const relatedHits = service.related(id, RELATED_KEPT) ?? [];
    if (link.page) {
      const onPage = relatedHits.slice(0, RELATED_ON_PAGE).map((hit) => ({ ...hit, url: links.get(hit.url) ?? hit.url }));
      files++;
      bytes += writeArticlePage(outDir, article, onPage, page.assets);
    }
    const storedText = text.length <= INLINE_TEXT ? textBlock(text) : writeBlocks(doc, text, bodyWords.offsets(doc, text));
    bodyWords.release(doc);
    const chunk: StoredChunk = { ...fields, ...(link.page ? {} : { url: link.url }), text: storedText };
    storedGroup.push(compress(new TextEncoder().encode(JSON.stringify(chunk))));
    if (storedGroup.length === STORED_GROUP || doc === reader.docCount - 1) writeStoredGroup(doc + 1);
    const idBucket = hashKey(id) % ids.length;
    ids[idBucket]!.push([id, doc]);
    related[idBucket]!.push(relatedHits.map((hit) => [reader.docNumber(hit.id)!, hit.score, hit.matched_terms]));
  }
  const suggestions = writeSuggestions();
  /**
   * The server's suggestion entries (suggest.ts): their words by first character in buckets of about
   * SUGGESTION_WORDS_PER_BUCKET words, their texts and links in files of SUGGESTION_GROUP entries.
   */
  function writeSuggestions(): { hashes: string; count: number; details: string } {
    const groups = new Map<string, Map<string, number[]>>();
    const details: SuggestionDetails = [];
    for (const entry of distinctEntries(runAtOnce(suggestEntries(reader)))) {
      const { key, words } = suggestWords(entry, analyzer.normalize);
      if (words.length === 0) continue;
      const n = details.length;
      const url = entry.url === undefined ? undefined : (links.get(entry.url) ?? entry.url);
      details.push(url === undefined ? [entry.text, entry.kind] : [entry.text, entry.kind, url]);
      for (const word of words) {
        const first = firstCharacter(word);
        let group = groups.get(first);
        if (!group) groups.set(first, (group = new Map()));
        let refs = group.get(word);
        if (!refs) group.set(word, (refs = []));
        refs.push(2 * n + (word === key ? 1 : 0));
      }
    }
    let wordCount = 0;
    for (const group of groups.values()) wordCount += group.size;
    const count = jsonBucketCount(wordCount, SUGGESTION_WORDS_PER_BUCKET);
    const wordBuckets: SuggestionBucket[] = Array.from({ length: count }, () => []);
    for (const [first, group] of groups) wordBuckets[hashKey(first) % count]!.push(...group);
    const hashes = writeJsonBuckets('w', wordBuckets);
    const detailHashes: string[] = [];
    for (let from = 0; from < details.length; from += SUGGESTION_GROUP) {
      detailHashes.push(writeHashedChunk(`g${from / SUGGESTION_GROUP}`, new TextEncoder().encode(JSON.stringify(details.slice(from, from + SUGGESTION_GROUP))), DETAILS_HASH_DIGITS));
    }
    return { hashes, count, details: detailHashes.join('') };
  }

  /** The terms a "did you mean" may offer, by correction key, in buckets of about CORRECTIONS_PER_BUCKET entries. */
  function writeCorrections(): { hashes: string; count: number } {
    const filed: [string, string, number][] = [];
    for (const term of terms) {
      const keys = correctionKeys(term);
      if (keys.length === 0) continue;
      // As the server's corrector counts it: the most documents of any field.
      const docFreq = Math.max(...FIELDS.map((field) => reader.docFreq(field, term)));
      for (const key of keys) filed.push([key, term, docFreq]);
    }
    const count = jsonBucketCount(filed.length, CORRECTIONS_PER_BUCKET);
    const correctionBuckets: CorrectionBucket[] = Array.from({ length: count }, () => ({}));
    for (const [key, term, docFreq] of filed) (correctionBuckets[hashKey(key) % count]![key] ??= []).push([term, docFreq]);
    return { hashes: writeJsonBuckets('c', correctionBuckets), count };
  }

  /** Latin terms by affix key, in buckets of about WORDS_PER_BUCKET entries; returns the buckets' hashes. */
  function writeLatinAffixes(): { hashes: string; count: number } {
    const latin = [...terms].filter((term) => isLatinTerm(term) && term.length > 3);
    const count = jsonBucketCount(2 * latin.length, AFFIXES_PER_BUCKET);
    const affixBuckets: LatinAffixBucket[] = Array.from({ length: count }, () => ({}));
    for (const term of latin) {
      const docFreq = reader.docFreq('body', term) + reader.docFreq('title', term);
      for (const key of latinAffixKeys(term)) (affixBuckets[hashKey(key) % count]![key] ??= []).push([term, docFreq]);
    }
    return { hashes: writeJsonBuckets('l', affixBuckets), count };
  }

  /** A piece of text, with the conversions normalising it reads when it has Traditional characters (snippets). */
  function textBlock(text: string): TextBlock {
    const conversions = conversionsIn(text);
    return conversions.length > 0 ? [text, conversions] : [text];
  }

  /** The text in blocks, a compressed file each, named with a hash of them all. */
  function writeBlocks(doc: number, text: string, offsets: Int32Array): StoredBlocks {
    const starts = blockStarts(text);
    const positions = blockPositions(starts, offsets, text.length);
    const compressed = starts.map((start, i) => compress(new TextEncoder().encode(JSON.stringify(textBlock(text.slice(start, starts[i + 1] ?? text.length))))));
    const hash = contentHash(...compressed).slice(0, TEXT_HASH_DIGITS);
    compressed.forEach((block, i) => writeFile(blockFile(doc, i, hash), block));
    return storeBlocks({ length: text.length, hash, blocks: starts.map((start, i) => [start, positions[i]!]) });
  }

  const lengths = {} as Record<FieldName, Uint32Array>;
  for (const field of FIELDS) lengths[field] = Uint32Array.from({ length: reader.docCount }, (_, doc) => reader.fieldLength(field, doc));
  const values = (dictionary: typeof meta.categories) => [...dictionary.ids].map(([key, id]) => ({ key, label: dictionary.labels[id]! }));
  const table: DocsTable = {
    categories: values(meta.categories),
    tags: values(meta.tags),
    authors: values(meta.authors),
    lengths,
    dateMs: meta.dateMs,
    wallMs: meta.wallMs,
    docCategories: meta.docCategories,
    docTags: meta.docTags,
    docAuthor: meta.docAuthor,
    storedHashes,
  };
  const docs = writeChunk('d', encodeDocsTable(table));
  const idFiles = ids.map((bucket, n) => writeChunk(`i${n}`, new TextEncoder().encode(JSON.stringify(bucket))));
  const relatedFiles = related.map((bucket, n) => writeChunk(`r${n}`, new TextEncoder().encode(JSON.stringify(bucket))));

  const later: LaterManifest = {
    suggestions: suggestions.hashes,
    suggestionBuckets: suggestions.count,
    suggestionDetails: suggestions.details,
    corrections: corrections.hashes,
    correctionBuckets: corrections.count,
    ids: idFiles,
    related: relatedFiles,
    topics: corpusTopics(reader, 30, analyzer.normalize),
  };
  const averageFieldLength = {} as Record<FieldName, number>;
  for (const field of FIELDS) averageFieldLength[field] = reader.averageFieldLength(field);
  const m = reader.manifest;
  const manifest: StaticManifest = {
    format: STATIC_FORMAT_VERSION,
    analyzer: { ...m.analyzer },
    generation: m.generation,
    builtAt: m.builtAt,
    docCount: reader.docCount,
    termCount: m.termCount,
    sourceBytes: m.sourceBytes,
    averageFieldLength,
    ranking: resolveRankingConfig(options.ranking),
    segmentation: { logTotal: segmentation.logTotal, maxWordLength },
    stopWords: segmentation.stopWords,
    letterWords: segmentation.letterWords,
    vocabulary,
    vocabularyBuckets: bucketCount,
    latinAffixes: latinAffixes.hashes,
    latinAffixBuckets: latinAffixes.count,
    docs,
    later: writeChunk('m', new TextEncoder().encode(JSON.stringify(later))),
    synonyms: [...options.synonyms],
  };
  const manifestBytes = gzipSync(JSON.stringify(manifest), { level: 9 });
  writeFileSync(path.join(dataDir, MANIFEST_FILE), manifestBytes);
  files++;
  bytes += manifestBytes.length;
  return { outDir, files, bytes, vocabularyBuckets: bucketCount, postingsFiles, docs: reader.docCount, ms: Math.round(performance.now() - started) };
}
