/** The index's public data shapes. Implementation details (postings encoding, files) stay inside src/index/. */
import type { AnalyzerIdentity } from '../analysis/types.js';
import type { Article, SiteSettings } from '../ingest/types.js';
import type { EdgeClause } from './boilerplate.js';

/**
 * Indexed fields. `tags` holds categories + tags; `description` the front matter's description or excerpt;
 * `keywords` is computed at build time (see StoredArticle.keywords): the index terms of each keyword, a collocation's
 * words at consecutive positions (加沙 地带), keywords in rank order.
 */
export type FieldName = 'title' | 'headings' | 'description' | 'tags' | 'keywords' | 'body';

/**
 * Stored fields shown to users (everything of Article except what only ingest needs), and the article's keywords,
 * best first: the nouns and names it is about, a collocation of the corpus as one keyword (加沙地带).
 */
export type StoredArticle = Omit<Article, 'frontMatter' | 'warnings'> & { keywords: string[] };

/** A collocation of the corpus (adjacent words that belong together): a candidate for the user dictionary. */
/** An abbreviation learned from the corpus (see abbreviations.ts): 俄乌 for 俄罗斯 乌克兰, 医保 for 医疗保险. */
export interface Abbreviation {
  word: string;
  /** Its full forms, most shared first: the words (two adjacent words, or one word made of two) and in how many articles both are written. */
  forms: { words: string[]; docs: number }[];
}

export interface NewWord {
  /** The words joined (加沙地带). */
  word: string;
  /** Its words as the segmenter cuts them (加沙, 地带). */
  parts: string[];
  /** Times the words stand side by side in the corpus. */
  count: number;
  /** Documents in which they do. */
  docs: number;
}

export interface IndexManifest {
  formatVersion: number;
  generation: string;
  analyzer: AnalyzerIdentity;
  /** How the corpus is published (its Hexo site, time zone, base URL, drafts): later reindexes keep to it. */
  site: SiteSettings;
  /** Where the articles and the user dictionary came from (absent in indexes built in code or by an older zhsearch). */
  source?: IndexSource;
  docCount: number;
  termCount: number;
  /** ISO time the generation was written. */
  builtAt: string;
  /** Bytes of raw source text indexed (sum of Article.bytes). */
  sourceBytes: number;
  files: { name: string; bytes: number; crc32: number }[];
}

/**
 * The corpus folder and user dictionary an index was built from: commands given no --corpus use them, and every
 * hint to rebuild names them (a default corpus would replace the user's articles with the sample posts).
 */
export interface IndexSource {
  /** The corpus folder, absolute. */
  corpus: string;
  /** The user dictionary the analyzer loaded, absolute; null when none was loaded. */
  userDictionary: string | null;
}

/** Raised by openIndex for a missing, corrupted or incompatible index; message names the file and what to do. */
export class IndexLoadError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'IndexLoadError';
  }
}

/**
 * One term's postings in one field. Documents are internal numbers 0..docCount-1, ascending.
 * Positions of the i-th entry: positions.subarray(posStart[i], posStart[i + 1]).
 */
export interface PostingList {
  docs: Uint32Array;
  tfs: Uint32Array;
  posStart: Uint32Array;
  positions: Uint32Array;
}

/** One multi-valued stored field as written: each distinct value once, in order of first appearance. */
export interface ValueColumn {
  values: readonly string[];
  /** docCount + 1 entries: document d's values are values[ids[i]] for i in start[d]..start[d + 1], in stored order. */
  start: Uint32Array;
  ids: Uint32Array;
}

/** What filters and facets read of every document, without its other stored fields. */
export interface StoredColumns {
  categories: ValueColumn;
  tags: ValueColumn;
  /** At most one value per document (none when its author is null). */
  authors: ValueColumn;
  /** Publication time in ms since epoch, NaN if unknown. */
  dateMs: Float64Array;
  /** The date's wall clock in the site's time zone, as UTC ms of the same calendar fields (NaN when unknown). */
  wallMs: Float64Array;
}

/** Read access to a loaded (or freshly built, in-memory) index. */
export interface IndexReader {
  readonly manifest: IndexManifest;
  readonly docCount: number;
  postings(field: FieldName, term: string): PostingList | undefined;
  /**
   * postings() of a walk over a whole field: those not already kept are decoded afresh and not kept (a loaded index
   * keeps the lists it decodes for the searches that ask for them again).
   */
  readPostings(field: FieldName, term: string): PostingList | undefined;
  /** Number of documents whose `field` contains `term` (0 if none). */
  docFreq(field: FieldName, term: string): number;
  /** Token count of `field` in document `doc` (stop words included). */
  fieldLength(field: FieldName, doc: number): number;
  averageFieldLength(field: FieldName): number;
  /** All distinct terms of a field, for prefix suggestions and diagnostics. */
  terms(field: FieldName): Iterable<string>;
  /** Each term of a field with its document frequency, without looking either up (a whole vocabulary at once). */
  termDocFreqs(field: FieldName): Iterable<[term: string, docFreq: number]>;
  /** Stored fields for display (text decompressed on demand). */
  stored(doc: number): StoredArticle;
  docNumber(id: string): number | undefined;
  /** Publication time in ms since epoch, NaN if unknown (fast path for sort and date filters). */
  dateMs(doc: number): number;
  /** Categories, tags, authors and dates of every document, as stored(doc) has them (a load reads no more). */
  columns(): StoredColumns;
  /** id and content hash of every document, for incremental reindex. */
  documents(): Iterable<{ doc: number; id: string; contentHash: string }>;
  /** The corpus's collocations that can be keywords, most frequent first: words the user dictionary lacks. */
  newWords(): readonly NewWord[];
  /** Abbreviations learned from the corpus at index time (俄乌 → 俄罗斯 乌克兰). */
  abbreviations(): readonly Abbreviation[];
}

/**
 * The live generation as far as an incremental reindex needs it to plan (readIndexCatalog): its manifest and each
 * document's id and content hash, without loading postings or stored fields. Its files are verified like openIndex's.
 */
export interface IndexCatalog {
  manifest: IndexManifest;
  /** In document number order. */
  documents: { id: string; contentHash: string }[];
}

/** Fields filled from analysed article text; `keywords` is derived from them at build time. */
export type AnalyzedFieldName = Exclude<FieldName, 'keywords'>;

/**
 * One field of one article after analysis. Compact and structured-clone friendly, so worker threads can post it.
 * Positions of terms[i]: the freqs[i] entries of `positions` after those of terms[0..i-1], ascending.
 */
export interface AnalyzedField {
  /** Distinct terms, in order of first occurrence. */
  terms: string[];
  /** The number of terms[i] in the vocabulary of the article's analysis (AnalyzedArticle.vocabulary). */
  ids: Int32Array;
  /** Term frequency of terms[i] in this field. */
  freqs: Uint32Array;
  /** Word positions grouped by term (see above). Values of a multi-valued field are separated by a position gap. */
  positions: Uint32Array;
  /** Token count of the field, stop words included. */
  length: number;
}

/** What index building consumes: the article's stored fields plus its analysed fields. */
export interface AnalyzedArticle {
  article: Omit<StoredArticle, 'keywords'>;
  fields: Record<AnalyzedFieldName, AnalyzedField>;
  /** The clauses at the edges of its title and body (what boilerplate is looked for in), found with its analysis. */
  edges: EdgeClause[];
  /** The vocabulary that numbered its terms (AnalyzedField.ids) and its generation then: the numbers hold while it is the same. */
  vocabulary: { name: string; generation: number };
}
