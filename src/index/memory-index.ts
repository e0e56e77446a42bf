/** The in-memory index: postings as typed arrays per field, stored fields with text fetched on demand. */
import type { Abbreviation, FieldName, IndexManifest, IndexReader, NewWord, PostingList, StoredArticle, StoredColumns } from './types.js';

export const FIELD_NAMES: readonly FieldName[] = ['title', 'headings', 'description', 'tags', 'keywords', 'body'];

/** All postings of one field; terms are addressed by their rank in `terms` (sorted by UTF-16 code units). */
export interface FieldIndex {
  terms: readonly string[];
  /** The term's rank in `terms`, undefined when the field lacks it. */
  rank(term: string): number | undefined;
  docFreq(rank: number): number;
  postings(rank: number): PostingList;
  /** postings(rank) without keeping what it decodes, for a walk of a whole field (indexes that decode none leave it out). */
  read?(rank: number): PostingList;
  /** Token count per document. */
  lengths: Uint32Array;
}

/**
 * A FieldIndex over contiguous arrays (what a build produces). Term t owns entries postingStart[t]..postingStart[t+1]
 * of docs/tfs, positions positionStart[t]..positionStart[t+1], and the df+1 entries of posStart from
 * postingStart[t] + t, relative to its own positions. PostingLists are zero-copy views.
 */
export function contiguousFieldIndex(arrays: {
  terms: string[];
  postingStart: Uint32Array;
  docs: Uint32Array;
  tfs: Uint32Array;
  posStart: Uint32Array;
  positionStart: Uint32Array;
  positions: Uint32Array;
  lengths: Uint32Array;
}): FieldIndex {
  const { terms, postingStart, docs, tfs, posStart, positionStart, positions, lengths } = arrays;
  const ranks = new Map(terms.map((term, rank) => [term, rank]));
  return {
    terms,
    rank: (term) => ranks.get(term),
    lengths,
    docFreq: (t) => postingStart[t + 1] - postingStart[t],
    postings(t) {
      const from = postingStart[t];
      const to = postingStart[t + 1];
      return {
        docs: docs.subarray(from, to),
        tfs: tfs.subarray(from, to),
        posStart: posStart.subarray(from + t, to + t + 1),
        positions: positions.subarray(positionStart[t], positionStart[t + 1]),
      };
    },
  };
}

/** Stored fields except the body text, which is large and only needed for snippets and article pages. */
export type StoredMeta = Omit<StoredArticle, 'text'>;

export interface DocumentTable {
  count: number;
  /** Ids and content hashes, in document order. */
  ids: readonly string[];
  contentHashes: readonly string[];
  columns: StoredColumns;
  /** Stored fields but the text (a loaded index reads them when a document is first asked for). */
  meta(doc: number): StoredMeta;
  /** Body text of a document (may decompress). */
  text(doc: number): string;
  /** text(doc).length, without decompressing. */
  textLength(doc: number): number;
  /** UTF-8 size of text(doc), without decompressing. */
  textBytes(doc: number): number;
  /** The compressed text blocks a loaded table reads, by textBlockKey: a rewrite reuses those it still has. */
  compressedBlocks?(): ReadonlyMap<string, () => Uint8Array>;
}

export interface IndexData {
  manifest: IndexManifest;
  fields: Record<FieldName, FieldIndex>;
  documents: DocumentTable;
  newWords: readonly NewWord[];
  abbreviations: readonly Abbreviation[];
}

/** Where a stored article's text is read from, and the text once read (a property no spread or JSON shows). */
interface TextSource {
  table: DocumentTable;
  doc: number;
  text: string | undefined;
}

const TEXT_SOURCE = Symbol('text source');

/**
 * A stored article's text property: one getter and setter for every article, so that articles share one hidden class
 * (a getter of its own, replaced by the text once read, made a class per article: most of what a hit's fields cost).
 */
const LAZY_TEXT: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [TEXT_SOURCE]: TextSource }): string {
    const source = this[TEXT_SOURCE];
    return (source.text ??= source.table.text(source.doc));
  },
  set(this: { [TEXT_SOURCE]: TextSource }, text: string) {
    this[TEXT_SOURCE].text = text;
  },
};

export class MemoryIndex implements IndexReader {
  readonly manifest: IndexManifest;
  readonly docCount: number;
  private readonly fields: Record<FieldName, FieldIndex>;
  /** Stored fields (used inside the index stage to rewrite an index without decompressing unchanged text). */
  readonly table: DocumentTable;
  private readonly averages: Record<FieldName, number>;
  /** Document numbers by id, made when first asked (a search never asks). */
  private ids?: Map<string, number>;
  private readonly collocations: readonly NewWord[];
  private readonly learned: readonly Abbreviation[];

  constructor(data: IndexData) {
    this.collocations = data.newWords;
    this.learned = data.abbreviations;
    this.manifest = data.manifest;
    this.fields = data.fields;
    this.table = data.documents;
    this.docCount = data.documents.count;
    this.averages = {} as Record<FieldName, number>;
    for (const field of FIELD_NAMES) this.averages[field] = average(data.fields[field].lengths);
  }

  postings(field: FieldName, term: string): PostingList | undefined {
    const index = this.fields[field];
    const t = index.rank(term);
    return t === undefined ? undefined : index.postings(t);
  }

  readPostings(field: FieldName, term: string): PostingList | undefined {
    const index = this.fields[field];
    const t = index.rank(term);
    return t === undefined ? undefined : (index.read?.(t) ?? index.postings(t));
  }

  docFreq(field: FieldName, term: string): number {
    const index = this.fields[field];
    const t = index.rank(term);
    return t === undefined ? 0 : index.docFreq(t);
  }

  fieldLength(field: FieldName, doc: number): number {
    return this.fields[field].lengths[doc];
  }

  averageFieldLength(field: FieldName): number {
    return this.averages[field];
  }

  terms(field: FieldName): Iterable<string> {
    return this.fields[field].terms;
  }

  *termDocFreqs(field: FieldName): Iterable<[term: string, docFreq: number]> {
    const index = this.fields[field];
    const terms = index.terms;
    for (let t = 0; t < terms.length; t++) yield [terms[t]!, index.docFreq(t)];
  }

  /** The text property is a lazy getter: reading metadata (facets, titles) never decompresses the body. */
  stored(doc: number): StoredArticle {
    if (!(doc >= 0 && doc < this.docCount)) throw new RangeError(`no document ${doc} (index has ${this.docCount})`);
    // Object.assign rather than a spread: a spread's copy, given the properties below, took a hidden class of its own.
    const article = Object.assign({}, this.table.meta(doc)) as StoredArticle;
    Object.defineProperty(article, TEXT_SOURCE, { value: { table: this.table, doc, text: undefined } satisfies TextSource });
    return Object.defineProperty(article, 'text', LAZY_TEXT);
  }

  docNumber(id: string): number | undefined {
    this.ids ??= new Map(this.table.ids.map((id, doc) => [id, doc]));
    return this.ids.get(id);
  }

  dateMs(doc: number): number {
    return this.table.columns.dateMs[doc];
  }

  columns(): StoredColumns {
    return this.table.columns;
  }

  *documents(): Iterable<{ doc: number; id: string; contentHash: string }> {
    const { ids, contentHashes } = this.table;
    for (let doc = 0; doc < ids.length; doc++) yield { doc, id: ids[doc], contentHash: contentHashes[doc] };
  }

  newWords(): readonly NewWord[] {
    return this.collocations;
  }

  abbreviations(): readonly Abbreviation[] {
    return this.learned;
  }
}

function average(lengths: Uint32Array): number {
  if (lengths.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < lengths.length; i++) sum += lengths[i];
  return sum / lengths.length;
}

/** Publication time in ms, NaN when the date is missing or unparsable. */
export function parseDateMs(date: string | null): number {
  return date === null ? NaN : Date.parse(date);
}
