/** IndexBuilder: keeps analysed documents (forward form, terms as ids) and inverts them into a MemoryIndex. */
import { createLexicon, grown, isKeywordCandidate, type KeywordLexicon } from '../analysis/index.js';
import type { AnalyzerIdentity } from '../analysis/types.js';
import { compareIds, PLAIN_SITE } from '../ingest/index.js';
import type { SiteSettings } from '../ingest/types.js';
import { formSource, frequentForms, namedAbbreviations, type AbbreviationCounts, type Form } from './abbreviations.js';
import { CountingThread, joinedTerms, type Counting } from './counting-thread.js';
import { frequentPairs, type FrequentPair } from './collocations.js';
import { articleKeywords, collocationsIn, keywordCollocations, keywordSetup, pairSource, termDocFreqs, type Keyword, type KeywordCollocations, type KeywordSetup, type PreviousKeywords } from './keywords.js';
import { boilerplateOf, edgeClauses, edgeKeyCounts, edgeKeys, flippedKeys, packEdges, type PackedEdges } from './boilerplate.js';
import { movedByChanges, type KeywordChange } from './kept-keywords.js';
import { PackedSummary, type ArticleSummaries, type ArticleSummary, type SummarySource } from './summaries.js';
import { contiguousFieldIndex, FIELD_NAMES, MemoryIndex, type DocumentTable, type FieldIndex, type StoredMeta } from './memory-index.js';
import { storedColumns } from './stored-codec.js';
import type { GenerationContent } from './persist.js';
import { sortedTerms, writeForwardPostings } from './postings-codec.js';
import { NumberSpill, ScratchFile, StringSpill } from './text-spill.js';
import {
  ANALYZED_FIELDS,
  copyField,
  copyPacked,
  EMPTY_FIELD,
  documentList,
  ForwardSpill,
  forwardField,
  packForward,
  TermNumberings,
  titleAndBodyOf,
  type DocumentList,
  type ForwardField,
  type PackedArticle,
} from './forward.js';
import { DocumentRows } from './document-rows.js';
import {
  type Abbreviation,
  type AnalyzedArticle,
  type AnalyzedFieldName,
  type FieldName,
  type IndexReader,
  type NewWord,
} from './types.js';

/**
 * 3: ids and content hashes in catalog.bin of their own (an incremental reindex reads only that);
 * 4: the UTF-8 size of each text in docs.bin (text blocks are laid out, and reused, without decompressing);
 * 5: site settings in the manifest, dates with the site's offset, `updated`, `description` (stored and indexed),
 *    category paths.
 * 6: keywords by part of speech and general-Chinese idf, collocations as keywords (their words in the keywords
 *    field), new-words.json.
 * 7: abbreviations.json (abbreviations learned from the corpus, used at query time like synonyms).
 * 8: files checked by their CRC-32 in the manifest instead of sha256 (a twentieth of the CPU at every load).
 * 9: columns.bin (categories, tags, authors, dates, text sizes: what a load reads of the stored fields); docs.bin in
 *    blocks, a block's rows read when one of its documents is shown.
 * 10: catalog.bin as NUL-joined ids and content hashes instead of JSON (a load splits the ids, the hashes wait).
 */
export const FORMAT_VERSION = 10;

type DocumentMeta = Omit<StoredMeta, 'keywords'>;

export interface BuilderOptions {
  /**
   * A folder to keep the documents' texts, stored fields, edge clauses and analysed fields in (scratch files, see
   * StringSpill and ForwardSpill) until the index is written, instead of in memory, once each are more than
   * `keptTextBytes`; clear() removes them.
   */
  spillTextsIn?: string;
  /** Bytes of texts (UTF-16), and as many of each of the others, kept in memory before any go to those files (default 8 MB). */
  keptTextBytes?: number;
  /**
   * Whether content() counts the collocations' pairs and the abbreviations' full forms on a thread of its own (at this
   * niceness) while it works out the boilerplate and ranks keywords, and there writes the analysed fields' postings too
   * (into a scratch file in `spillTextsIn`; counting-thread.ts). A thread runs the compiled module only: the CLI sets
   * it; from the sources the thread cannot start and the counts and postings are made on the main thread.
   */
  countingThread?: { niceness: number };
}

/** Entries before a keywords field's arrays in its buffer: its term count and its length. */
const KEYWORDS_HEADER = 2;

export class IndexBuilder {
  /** Every term seen, across fields; ids of terms no document uses any more are simply skipped at build. */
  private readonly termIds = new Map<string, number>();
  private readonly termStrings: string[] = [];
  /** Each analysis thread's term numbers as this builder's ids (addPacked). */
  private readonly numberings = new TermNumberings();
  /**
   * Each document's row in `rows` by id (a document is its row's number here): what is large waits in the builder's
   * spills (StringSpill, ForwardSpill), found by number. As objects and strings of their own, a post's stored fields
   * and edge clauses stayed in memory to the end (~3 KB a post with their bookkeeping; ~0.8 GB at 10× the scale corpus).
   */
  private readonly forward = new Map<string, number>();
  private readonly rows = new DocumentRows();
  /** The documents of the index this builder was made from, whose texts it reads from there (a row's text −1 − doc). */
  private recovered?: DocumentTable;
  /** Set once a write of content() no longer needed the forward fields and they were dropped. */
  private released = false;
  /** Where documents' texts, stored fields (JSON) and packed edge clauses wait for the index to be written. */
  private readonly texts: StringSpill;
  private readonly metas: StringSpill;
  private readonly edges: StringSpill;
  /** Each document's keywords as its stored field lists them, as JSON. */
  private readonly keywordLists: StringSpill;
  /** Each document's keywords' counts and weights, as JSON (DocumentRow.scores). */
  private readonly keywordScores: StringSpill;
  /**
   * Every document's keywords field (keywordField) one after another: a typed array apiece took ~300 bytes a post in
   * bookkeeping, more than its data (~150 bytes a post, in a scratch file beyond the first keptTextBytes).
   */
  private keywordFields: NumberSpill;
  /** Where the spills' scratch files go, and how much of each stays in memory. */
  private readonly scratch: { dir?: string; keptBytes?: number };
  /** Where documents' analysed fields wait for the index to be written. */
  private readonly forwardSpill: ForwardSpill;
  private readonly countingThread?: { niceness: number };
  /** The counting thread the next content() gives its task, started with the builder (see CountingThread). */
  private idleThread?: CountingThread;
  /** The thread of the last content(), until the files it reads and writes are closed. */
  private counting?: Counting;
  /** Where that thread writes the analysed fields' postings files. */
  private threadPostings?: ScratchFile;
  /**
   * What the generation this builder was made from had, where its keywords were ranked under this build's rules
   * (ArticleSummaries.keywordsKept): each recovered row's id and its keywords (a handle in `keywordLists`; recovered
   * rows are numbered as that generation's documents), and its collocations. An article nothing it depends on changed
   * for keeps its keywords (kept-keywords.ts).
   */
  private previous?: { ids: string[]; keywords: Int32Array; scores: Int32Array; newWords: readonly NewWord[] };
  /** Recovered articles replaced or removed since: their analysed fields (packForward), edge clauses as they were. */
  private readonly departed = new Map<string, { forward: Uint32Array; edges: PackedEdges }>();

  /**
   * `lexicon`: what keywords know about words beyond the corpus (part of speech, general idf); it should have the
   * analyzer's user dictionary (createLexicon({ userDictPath })). By default: the repository's corpus/dict.txt, as
   * createAnalyzer's default.
   */
  constructor(
    readonly analyzer: AnalyzerIdentity,
    readonly site: SiteSettings = PLAIN_SITE,
    private readonly lexicon: KeywordLexicon = createLexicon(),
    options: BuilderOptions = {},
  ) {
    this.countingThread = options.countingThread;
    if (this.countingThread) this.idleThread = new CountingThread(this.countingThread.niceness);
    const dir = options.spillTextsIn;
    this.texts = new StringSpill(dir, options.keptTextBytes);
    this.metas = new StringSpill(dir, options.keptTextBytes);
    this.edges = new StringSpill(dir, options.keptTextBytes);
    this.keywordLists = new StringSpill(dir, options.keptTextBytes);
    this.keywordScores = new StringSpill(dir, options.keptTextBytes);
    this.scratch = { dir, keptBytes: options.keptTextBytes };
    this.keywordFields = new NumberSpill(dir, options.keptTextBytes);
    this.forwardSpill = new ForwardSpill(dir, options.keptTextBytes);
  }

  /**
   * A builder holding the documents of `reader`, recovered from its postings (no re-analysis), with what `summaries`
   * (kept beside the reader's generation) hold of each instead of working it out again from its text.
   */
  static from(reader: IndexReader, lexicon?: KeywordLexicon, summaries?: ArticleSummaries | null, options?: BuilderOptions): IndexBuilder {
    const builder = new IndexBuilder(reader.manifest.analyzer, reader.manifest.site, lexicon, options);
    try {
      const inverted = ANALYZED_FIELDS.map((field) => builder.invertField(reader, field));
      const table = reader instanceof MemoryIndex ? reader.table : null;
      builder.recovered = table ?? undefined;
      if (summaries?.keywordsKept) builder.previous = { ids: [], keywords: new Int32Array(reader.docCount), scores: new Int32Array(reader.docCount), newWords: reader.newWords() };
      builder.recover(reader, inverted, table, summaries);
    } catch (error) {
      // Its scratch files (a full disk while spilling) and its idle counting thread are nobody else's to end: the
      // caller never got the builder.
      builder.clear();
      throw error;
    }
    return builder;
  }

  /** The reader's documents into this builder, each packed from views of the FlatFields (freed when this returns). */
  private recover(reader: IndexReader, inverted: FlatField[], table: DocumentTable | null, summaries: ArticleSummaries | null | undefined): void {
    for (let doc = 0; doc < reader.docCount; doc++) {
      const forward = this.forwardSpill.keep(packForward(inverted.map((flat) => flatFieldOf(flat, doc))));
      if (table) {
        const { keywords, ...meta } = table.meta(doc);
        this.keepPrevious(doc, meta.id, keywords, summaries?.get(meta.id));
        // Read (still compressed until asked for) from that index.
        const text = -1 - doc;
        const edges = this.summarised(summaries?.get(meta.id));
        const row = { meta: this.metas.add(JSON.stringify(meta)), text, textLength: table.textLength(doc), textBytes: table.textBytes(doc), forward, edges };
        this.forward.set(meta.id, this.rows.add(row));
      } else {
        const { keywords, text, ...meta } = reader.stored(doc);
        this.keepPrevious(doc, meta.id, keywords, summaries?.get(meta.id));
        this.forward.set(meta.id, this.document(meta, text, forward, this.summarised(summaries?.get(meta.id))));
      }
    }
  }

  /** A recovered document's id, keywords and their counts and weights, when they may be kept (`previous`). */
  private keepPrevious(doc: number, id: string, keywords: string[], summary: ArticleSummary | undefined): void {
    if (!this.previous) return;
    this.previous.ids.push(id);
    this.previous.keywords[doc] = this.keywordLists.add(JSON.stringify(keywords));
    this.previous.scores[doc] = summary?.keywords ? this.keywordScores.add(JSON.stringify(summary.keywords)) : -1;
  }

  /** Keeps what keywords are ranked from of a recovered document about to be replaced or removed (`departed`). */
  private depart(id: string): void {
    const row = this.forward.get(id);
    if (!this.previous || row === undefined || row >= this.previous.ids.length || this.departed.has(id)) return;
    this.departed.set(id, { forward: copyPacked(this.forwardOf(row)), edges: this.edgesOf(row) });
  }

  /** Adds a document, replacing any document with the same id. */
  add(doc: AnalyzedArticle): void {
    const forward = packForward(
      ANALYZED_FIELDS.map((name) => {
        const field = doc.fields[name];
        return { termIds: Uint32Array.from(field.terms, (term) => this.intern(term)), freqs: field.freqs, positions: field.positions, length: field.length };
      }),
    );
    this.put(doc.article, forward, packEdges(doc.edges));
  }

  /** Adds a document packed by an analysis thread (PackedTerms), replacing any document with the same id. */
  addPacked(doc: PackedArticle): void {
    this.put(doc.article, this.numberings.renumber(doc, (term) => this.intern(term)), doc.edges);
  }

  private put({ text, ...meta }: AnalyzedArticle['article'], forward: Uint32Array, edges: PackedEdges): void {
    this.depart(meta.id);
    this.forward.set(meta.id, this.document(meta, text, this.forwardSpill.keep(forward), this.edges.add(edges)));
  }

  /** A document whose stored fields, text and edges (−1: none yet) go to this builder's spills; returns its row. */
  private document(meta: DocumentMeta, text: string, forward: number, edges: number): number {
    return this.rows.add({ meta: this.metas.add(JSON.stringify(meta)), text: this.texts.add(text), textLength: text.length, textBytes: Buffer.byteLength(text), forward, edges });
  }

  /** A summary's edge clauses in this builder's `edges`; −1 without one. */
  private summarised(summary: ArticleSummary | undefined): number {
    return summary ? this.edges.add(summary.packedEdges ?? packEdges(summary.edges)) : -1;
  }

  /** A document's stored fields (all but text and keywords). */
  private metaOf(doc: number): DocumentMeta {
    return JSON.parse(this.metas.get(this.rows.get(doc, 'meta'))) as DocumentMeta;
  }

  private textOf(doc: number): string {
    const text = this.rows.get(doc, 'text');
    return text >= 0 ? this.texts.get(text) : this.recovered!.text(-1 - text);
  }

  /** A document's edge clauses, packed, worked out from its text (once) when it came with none. */
  private edgesOf(doc: number): PackedEdges {
    if (this.rows.get(doc, 'edges') < 0) this.rows.set(doc, 'edges', this.edges.add(packEdges(edgeClauses({ title: this.metaOf(doc).title, body: this.textOf(doc) }))));
    return this.edges.get(this.rows.get(doc, 'edges'));
  }

  remove(id: string): boolean {
    this.depart(id);
    return this.forward.delete(id);
  }

  has(id: string): boolean {
    return this.forward.has(id);
  }

  /** Forgets every document and term and removes the file of texts (which an index it built reads its texts from). */
  clear(): void {
    this.forward.clear();
    this.rows.clear();
    this.recovered = undefined;
    this.previous = undefined;
    this.departed.clear();
    this.termIds.clear();
    this.termStrings.length = 0;
    this.numberings.clear();
    for (const spill of [this.texts, this.metas, this.edges, this.keywordLists, this.keywordScores, this.keywordFields]) spill.close();
    this.closeThreadFiles();
    void this.idleThread?.stop();
    this.idleThread = undefined;
  }

  /**
   * Closes the files the counting thread reads and writes (the forward fields' and its postings'), once it has
   * exited: their descriptors must not name other files while it still uses them. Stops it if it still runs.
   */
  private closeThreadFiles(): void {
    const files = [this.forwardSpill, this.threadPostings];
    const counting = this.counting;
    this.counting = undefined;
    this.threadPostings = undefined;
    if (!counting) for (const file of files) file?.close();
    else void counting.stop().then(() => files.forEach((file) => file?.close()));
  }

  /** What the next incremental build can take over of each document, read from the builder's spill when asked for. */
  summaries(): SummarySource {
    return {
      keys: () => this.forward.keys(),
      get: (id) => {
        const doc = this.forward.get(id);
        if (doc === undefined) return undefined;
        const scores = this.rows.get(doc, 'scores');
        return new PackedSummary(this.edgesOf(doc), scores < 0 ? undefined : (JSON.parse(this.keywordScores.get(scores)) as number[]));
      },
    };
  }

  get size(): number {
    return this.forward.size;
  }

  /** Inverts the current documents (numbered in id order, so the result does not depend on insertion order). */
  build(): IndexReader {
    const { ids, docs } = this.ordered();
    const titleAndBody = this.titleAndBody(docs);
    const setup = keywordSetup(titleAndBody, this.termStrings, this.lexicon);
    const pairs = frequentPairs(pairSource(titleAndBody, this.termStrings, setup.charCounts));
    const collocations = this.collocations(docs, titleAndBody, setup, pairs);
    const docFreqs = termDocFreqs(titleAndBody, this.termStrings.length);
    const keywordTerms = new Int32Array(docs.length);
    const newWords = this.keywords(ids, docs, titleAndBody, setup, collocations, docFreqs, this.boilerplate(docs), keywordTerms);
    const abbreviations = this.abbreviations(frequentForms(this.abbreviationCounts(titleAndBody)));
    const fields = {} as Record<FieldName, FieldIndex>;
    // Copied: invert() holds every document's field at once, and each read from a spill reuses the last one's buffer.
    for (const field of FIELD_NAMES) fields[field] = this.invert(Array.from(docs, (doc) => copyField(this.fieldOf(doc, field))));

    const { documents, sourceBytes } = this.documentsTable(ids, docs, keywordTerms);
    return new MemoryIndex({
      manifest: {
        formatVersion: FORMAT_VERSION,
        generation: '',
        analyzer: this.analyzer,
        site: this.site,
        docCount: docs.length,
        termCount: countDistinctTerms(fields),
        builtAt: new Date().toISOString(),
        sourceBytes,
        files: [],
      },
      fields,
      documents,
      newWords,
      abbreviations,
    });
  }

  /**
   * The current documents as writeIndex writes them, the same files as build()'s index: each field's postings are
   * encoded from the documents' forward fields as they are written, so the whole inverted index is never in memory.
   */
  async content(): Promise<GenerationContent> {
    const { ids, docs } = this.ordered();
    const titleAndBody = this.titleAndBody(docs);
    const counting = this.countingThread ? this.countOnThread(docs) : undefined;
    // A thread that cannot start or dies says nothing about the corpus: its counts are made here instead, as without one.
    let warned = false;
    const orHere = <T>(count: () => T) => (error: Error): T => {
      if (!warned) process.emitWarning(`${error.message}，改在主线程完成：这次重建会慢一些`);
      warned = true;
      return count();
    };
    /** The thread's answer, or `count` made here when there is no thread or it failed. */
    const counted = <T>(answer: Promise<T> | undefined, count: () => T): Promise<T> => (answer ? answer.catch(orHere(count)) : Promise.resolve(count()));
    /** Each document's keywords in `keywordLists`, found by keywords(). */
    const keywordTerms = new Int32Array(docs.length);
    let newWords: NewWord[];
    let table: ReturnType<IndexBuilder['documentsTable']>;
    let terms: ReturnType<IndexBuilder['analysedTerms']>;
    try {
      // Worked out here while the thread counts the pairs.
      const boilerplate = this.boilerplate(docs);
      const setup = keywordSetup(titleAndBody, this.termStrings, this.lexicon);
      // What the write needs of the documents but their keywords: at scale the pairs take the thread longer than the two
      // steps above, and the main thread waited for them.
      table = this.documentsTable(ids, docs, keywordTerms);
      terms = this.analysedTerms(docs);
      const pairs = await counted(counting?.pairs, () => frequentPairs(pairSource(titleAndBody, this.termStrings, setup.charCounts)));
      // Found here while the thread counts the documents' terms.
      const collocations = this.collocations(docs, titleAndBody, setup, pairs);
      const docFreqs = await counted(counting?.docFreqs, () => termDocFreqs(titleAndBody, this.termStrings.length));
      newWords = this.keywords(ids, docs, titleAndBody, setup, collocations, docFreqs, boilerplate, keywordTerms);
    } catch (error) {
      // Stopped: it reads the forward fields' file, which the caller closes (clear) once this fails.
      await counting?.stop();
      throw error;
    }
    const abbreviations = this.abbreviations(await counted(counting?.forms, () => frequentForms(this.abbreviationCounts(titleAndBody))));
    const { documents, sourceBytes } = table;
    const { used, lengths } = terms;
    docs.forEach((doc, i) => {
      const { termIds, length } = this.keywordsOf(doc);
      for (const id of termIds) used[id] = 1;
      lengths.keywords[i] = length;
    });
    return {
      manifest: { analyzer: this.analyzer, site: this.site, docCount: docs.length, termCount: used.reduce((sum, flag) => sum + flag, 0), sourceBytes },
      writePostings: async (field, write) => {
        const written = await counting?.postings.get(ANALYZED_FIELDS.indexOf(field as AnalyzedFieldName))?.catch(orHere(() => null));
        if (written) return this.threadPostings!.copy(written.at, written.bytes, write);
        // Read a document at a time: a field's view lasts only until the next read of its spill (one reused buffer).
        const perDoc: DocumentList<ForwardField> = { count: docs.length, at: (i) => this.fieldOf(docs[i], field) };
        const { terms, rankOf } = sortedTerms(perDoc, this.termStrings);
        return writeForwardPostings(perDoc, terms, rankOf, write);
      },
      fieldLength: (field, doc) => lengths[field][doc],
      // The stored fields are written after the postings: the forward fields (positions of every post) need not wait.
      postingsWritten: () => {
        this.keywordFields.close();
        this.closeThreadFiles();
        this.released = true;
      },
      table: documents,
      newWords,
      abbreviations,
    };
  }

  /**
   * The built index's documents: their texts and stored fields read back from the spills, not their forward fields.
   * One pass over the stored fields (parsed once each) gathers what is kept of them all: columns, content hashes, sizes.
   */
  private documentsTable(
    ids: string[],
    docs: Int32Array,
    keywordTerms: Int32Array,
  ): { documents: ConstructorParameters<typeof MemoryIndex>[0]['documents']; sourceBytes: number } {
    const contentHashes: string[] = new Array(docs.length);
    let sourceBytes = 0;
    const columns = storedColumns(docs.length, (doc) => {
      const meta = this.metaOf(docs[doc]);
      sourceBytes += meta.bytes;
      contentHashes[doc] = meta.contentHash;
      return meta;
    });
    // The compressed text blocks of the index this builder was made from, for writeIndex to reuse.
    const compressedBlocks = this.recovered?.compressedBlocks;
    return {
      documents: {
        count: docs.length,
        ids,
        contentHashes,
        columns,
        meta: (doc): StoredMeta => ({ ...this.metaOf(docs[doc]), keywords: JSON.parse(this.keywordLists.get(keywordTerms[doc])) as string[] }),
        text: (doc) => this.textOf(docs[doc]),
        textLength: (doc) => this.rows.get(docs[doc], 'textLength'),
        textBytes: (doc) => this.rows.get(docs[doc], 'textBytes'),
        ...(compressedBlocks && { compressedBlocks }),
      },
      sourceBytes,
    };
  }

  /**
   * Which terms the documents' analysed fields use (1) and each field's length in each document; the keywords field's
   * lengths are left 0 (its terms are not known yet).
   */
  private analysedTerms(docs: Int32Array): { used: Uint8Array; lengths: Record<FieldName, Uint32Array> } {
    const used = new Uint8Array(this.termStrings.length);
    const lengths = {} as Record<FieldName, Uint32Array>;
    for (const field of FIELD_NAMES) lengths[field] = new Uint32Array(docs.length);
    docs.forEach((doc, i) => {
      const forward = this.forwardOf(doc);
      ANALYZED_FIELDS.forEach((field, f) => {
        const { termIds, length } = forwardField(forward, f);
        for (const id of termIds) used[id] = 1;
        lengths[field][i] = length;
      });
    });
    return { used, lengths };
  }

  /**
   * The documents' ids in id order and their rows, for the corpus-wide steps (keywords, abbreviations) and the write
   * (whose catalog takes these id strings: parsed again from the stored fields they were a second copy of each).
   */
  private ordered(): { ids: string[]; docs: Int32Array } {
    if (this.released) throw new Error('IndexBuilder: its forward fields were released when its content was written');
    const ids = [...this.forward.keys()].sort(compareIds);
    const docs = Int32Array.from(ids, (id) => this.forward.get(id)!);
    // The corpus-wide steps read every document in id order, several times: so is the spilled buffers' file laid out.
    this.forwardSpill.reorder(Array.from(docs, (doc) => this.rows.get(doc, 'forward')));
    return { ids, docs };
  }

  /** Each document's title and body fields, read one document at a time. */
  private titleAndBody(docs: Int32Array): DocumentList<ForwardField[]> {
    return titleAndBodyOf({ count: docs.length, at: (i) => this.forwardOf(docs[i]) });
  }

  private abbreviationCounts(titleAndBody: DocumentList<ForwardField[]>): AbbreviationCounts {
    return formSource(titleAndBody, this.termStrings, (term) => this.termIds.get(term));
  }

  /**
   * frequentPairs and frequentForms of the documents' title and body, then (with a folder for scratch files) the
   * analysed fields' postings files, on a thread of its own (counting-thread.ts).
   */
  private countOnThread(docs: Int32Array): Counting {
    const shared = this.forwardSpill.shared(Array.from(docs, (doc) => this.rows.get(doc, 'forward')));
    this.threadPostings = this.scratch.dir === undefined ? undefined : new ScratchFile(this.scratch.dir);
    const postings = this.threadPostings && { fd: this.threadPostings.shared().fd };
    const thread = this.idleThread ?? new CountingThread(this.countingThread!.niceness);
    this.idleThread = undefined;
    this.counting = thread.count({ ...joinedTerms(this.termStrings), forwards: shared, postings });
    return this.counting;
  }

  /** Each document's boilerplate (boilerplateOf), and how many documents have each edge clause key. */
  private boilerplate(docs: Int32Array): Boilerplate {
    const edgesAt = (i: number) => this.edgesOf(docs[i]);
    const docsWith = edgeKeyCounts(docs.length, edgesAt);
    return { texts: boilerplateOf(docs.length, edgesAt, docsWith), docsWith };
  }

  /** The abbreviations of the frequent forms whose words the lexicon says name something. */
  private abbreviations(frequent: readonly Form[]): Abbreviation[] {
    return namedAbbreviations(frequent, {
      term: (id) => this.termStrings[id],
      naming: (words) => Array.from(this.lexicon.keywordWeights(words), (weight) => weight > 0),
    });
  }

  /** The collocations among `pairs` that count as keywords (keywordCollocations), read in the documents' texts. */
  private collocations(docs: Int32Array, titleAndBody: DocumentList<ForwardField[]>, setup: KeywordSetup, pairs: readonly FrequentPair[]): KeywordCollocations {
    return keywordCollocations(titleAndBody, (i) => `${this.metaOf(docs[i]).title}\n${this.textOf(docs[i])}`, this.termStrings, this.termIds, setup, pairs);
  }

  /**
   * Each document's keywords as its stored field lists them (where in `keywordLists`: `keywordTerms`), its keywords field
   * filled in on the way: from each document's Keyword objects as they are found, which are not kept (ten a document
   * with their parts, ~1 KB). Returns the collocations that are new words.
   */
  private keywords(
    ids: readonly string[],
    docs: Int32Array,
    titleAndBody: DocumentList<ForwardField[]>,
    setup: KeywordSetup,
    collocations: KeywordCollocations,
    docFreqs: Uint32Array,
    boilerplate: Boilerplate,
    keywordTerms: Int32Array,
  ): NewWord[] {
    this.keywordFields.close();
    this.keywordFields = new NumberSpill(this.scratch.dir, this.scratch.keptBytes);
    const previous = this.keptKeywords(ids, docs, setup, collocations, boilerplate.docsWith);
    const { newWords } = articleKeywords(
      titleAndBody,
      this.termStrings,
      setup,
      collocations,
      docFreqs,
      boilerplate.texts,
      (i, keywords) => {
        this.rows.set(docs[i], 'keywords', this.keywordField(keywords));
        keywordTerms[i] = this.keywordLists.add(JSON.stringify(keywords.map((keyword) => keyword.term)));
        this.rows.set(docs[i], 'scores', this.keywordScores.add(JSON.stringify(keywords.flatMap(({ count, weight }) => [count, weight]))));
      },
      this.scratch,
      previous,
    );
    return newWords;
  }

  /**
   * The keywords of the generation this builder was made from, for the documents that may keep them (kept-keywords.ts);
   * undefined when every one is ranked: none were kept, articles were added or removed (the article count is in every
   * idf), or the collocations are not those of that generation.
   */
  private keptKeywords(
    ids: readonly string[],
    docs: Int32Array,
    setup: KeywordSetup,
    { collocations, extraTerms, occurrences }: KeywordCollocations,
    docsWith: ReadonlyMap<string, number>,
  ): PreviousKeywords | undefined {
    const previous = this.previous;
    if (!previous || docs.length !== previous.ids.length || extraTerms.length !== previous.newWords.length) return undefined;
    const term = (id: number) => this.termStrings[id];
    const sameCollocations = collocations.every(({ first, second }, k) => {
      const { word, parts } = previous.newWords[k];
      return word === extraTerms[k] && parts.length === 2 && parts[0] === term(first) && parts[1] === term(second);
    });
    if (!sameCollocations) return undefined;
    // Every document not recovered must be a changed one: as many documents as before, none added.
    const changed: { doc: number; before: { forward: Uint32Array; edges: PackedEdges } }[] = [];
    for (let i = 0; i < docs.length; i++) {
      if (docs[i] < previous.ids.length) continue;
      const before = this.departed.get(ids[i]);
      if (!before) return undefined;
      changed.push({ doc: i, before });
    }
    const dictionarySize = this.termStrings.length;
    const beforeFields = titleAndBodyOf(documentList(changed.map(({ before }) => before.forward)));
    const beforeCollocations = collocationsIn(beforeFields, { collocations }, dictionarySize, setup);
    // Copied: a document's fields read from the spill are overwritten by the next read.
    const afterFields = titleAndBodyOf(documentList(changed.map(({ doc }) => copyPacked(this.forwardOf(docs[doc])))));
    const changes: KeywordChange[] = changed.map(({ doc }, k) => ({
      doc,
      before: beforeFields.at(k),
      after: afterFields.at(k),
      collocationsBefore: beforeCollocations.ids.subarray(beforeCollocations.start[k], beforeCollocations.start[k + 1]),
      collocationsAfter: occurrences.ids.subarray(occurrences.start[doc], occurrences.start[doc + 1]),
    }));
    const flipped = flippedKeys(
      docsWith,
      docs.length,
      changed.map(({ doc, before }) => ({ before: edgeKeys(before.edges), after: edgeKeys(this.edgesOf(docs[doc])) })),
    );
    const moved = movedByChanges(
      docs.length,
      changes,
      dictionarySize + extraTerms.length,
      (id) => id >= dictionarySize || isKeywordCandidate(this.termStrings[id]),
      (i) => flipped.size > 0 && edgeKeys(this.edgesOf(docs[i])).some((key) => flipped.has(key)),
    );
    if (!moved) return undefined;
    const collocationIds = new Map(extraTerms.map((term, k) => [term, dictionarySize + k]));
    return {
      ...moved,
      keywords: (i) => {
        const row = docs[i];
        const scores = previous.scores[row];
        if (row >= previous.ids.length || scores < 0) return undefined;
        const terms = JSON.parse(this.keywordLists.get(previous.keywords[row])) as string[];
        const numbers = JSON.parse(this.keywordScores.get(scores)) as number[];
        if (numbers.length !== 2 * terms.length) return undefined;
        return terms.map((term, k) => ({ id: collocationIds.get(term) ?? this.termIds.get(term)!, count: numbers[2 * k], weight: numbers[2 * k + 1] }));
      },
    };
  }

  private forwardOf(doc: number): Uint32Array {
    return this.forwardSpill.read(this.rows.get(doc, 'forward'));
  }

  /** One field of a document, its arrays views of its forward buffer. */
  private fieldOf(doc: number, field: FieldName): ForwardField {
    if (field === 'keywords') return this.keywordsOf(doc);
    return this.released ? EMPTY_FIELD : forwardField(this.forwardOf(doc), ANALYZED_FIELDS.indexOf(field));
  }

  private intern(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termStrings.length;
      this.termIds.set(term, id);
      this.termStrings.push(term);
    }
    return id;
  }

  /**
   * Keywords form a field of their own, in rank order: the index terms of each, a collocation's words at consecutive
   * positions (so the query 加沙地带, cut into 加沙 地带, matches it as a phrase). A term that stands for two keywords
   * (地带 in 加沙地带 and 地带 alone) has both positions.
   */
  private keywordField(keywords: Keyword[]): number {
    const positionsOf = new Map<number, number[]>();
    let length = 0;
    for (const { parts } of keywords) {
      for (const id of parts) {
        const list = positionsOf.get(id);
        if (list) list.push(length++);
        else positionsOf.set(id, [length++]);
      }
    }
    // The three arrays after a header, their views made when asked for (keywordsOf).
    const count = positionsOf.size;
    const buffer = new Uint32Array(KEYWORDS_HEADER + 2 * count + length);
    buffer[0] = count;
    buffer[1] = length;
    let i = KEYWORDS_HEADER;
    let p = KEYWORDS_HEADER + 2 * count;
    for (const [id, list] of positionsOf) {
      buffer[i] = id;
      buffer[count + i++] = list.length;
      buffer.set(list, p);
      p += list.length;
    }
    return this.keywordFields.append(buffer);
  }

  /** A document's keywords field, its arrays views of keywordFields (a copy where one crosses a chunk). */
  private keywordsOf(doc: number): ForwardField {
    const at = this.rows.get(doc, 'keywords');
    if (at < 0 || this.released) return EMPTY_FIELD;
    const length = this.keywordFields.at(at + 1);
    if (length === 0) return EMPTY_FIELD;
    const count = this.keywordFields.at(at);
    const arrays = this.keywordFields.range(at + KEYWORDS_HEADER, at + KEYWORDS_HEADER + 2 * count + length);
    return { termIds: arrays.subarray(0, count), freqs: arrays.subarray(count, 2 * count), positions: arrays.subarray(2 * count), length };
  }

  /** Per-document forward fields → postings of one field (two passes: count, then fill typed arrays). */
  private invert(perDoc: ForwardField[]): FieldIndex {
    const { terms, rankOf } = sortedTerms(documentList(perDoc), this.termStrings);
    const termCount = terms.length;
    const docFreq = new Uint32Array(termCount);
    const positionCount = new Uint32Array(termCount);
    for (const field of perDoc) {
      for (let i = 0; i < field.termIds.length; i++) {
        docFreq[rankOf[field.termIds[i]]]++;
        positionCount[rankOf[field.termIds[i]]] += field.freqs[i];
      }
    }
    const postingStart = new Uint32Array(termCount + 1);
    const positionStart = new Uint32Array(termCount + 1);
    for (let rank = 0; rank < termCount; rank++) {
      postingStart[rank + 1] = postingStart[rank] + docFreq[rank];
      positionStart[rank + 1] = positionStart[rank] + positionCount[rank];
    }
    const docs = new Uint32Array(postingStart[termCount]);
    const tfs = new Uint32Array(postingStart[termCount]);
    const posStart = new Uint32Array(postingStart[termCount] + termCount);
    const positions = new Uint32Array(positionStart[termCount]);
    const lengths = new Uint32Array(perDoc.length);
    const nextPosting = postingStart.slice(0, termCount);
    const nextPosition = positionStart.slice(0, termCount);

    perDoc.forEach((field, doc) => {
      lengths[doc] = field.length;
      let source = 0;
      for (let i = 0; i < field.termIds.length; i++) {
        const rank = rankOf[field.termIds[i]];
        const slot = nextPosting[rank]++;
        const tf = field.freqs[i];
        docs[slot] = doc;
        tfs[slot] = tf;
        posStart[slot + rank] = nextPosition[rank] - positionStart[rank];
        // A plain loop: a subarray per posting would allocate millions of views.
        let target = nextPosition[rank];
        for (let end = source + tf; source < end; source++) positions[target++] = field.positions[source];
        nextPosition[rank] = target;
      }
    });
    for (let rank = 0; rank < termCount; rank++) {
      posStart[postingStart[rank + 1] + rank] = positionStart[rank + 1] - positionStart[rank];
    }
    return contiguousFieldIndex({ terms, postingStart, docs, tfs, posStart, positionStart, positions, lengths });
  }

  /**
   * The forward form of one field of every document of `reader` (inverse of invert), in flat arrays (FlatField): the
   * field's postings are read a term at a time into term order (the reader keeps none decoded), then laid out by
   * document. A typed array per term and per document took ~350 MB at the scale corpus beyond the numbers.
   */
  private invertField(reader: IndexReader, field: AnalyzedFieldName): FlatField {
    const docCount = reader.docCount;
    const terms = [...reader.terms(field)];
    const ids = new Uint32Array(terms.length);
    const listStart = new Uint32Array(terms.length + 1);
    terms.forEach((term, t) => {
      ids[t] = this.intern(term);
      listStart[t + 1] = listStart[t] + reader.docFreq(field, term);
    });
    const postingCount = listStart[terms.length];
    const listDocs = new Uint32Array(postingCount);
    const listTfs = new Uint32Array(postingCount);
    let listPositions = new Uint32Array(postingCount);
    const termStart = new Uint32Array(docCount + 1);
    const positionStart = new Uint32Array(docCount + 1);
    let positionCount = 0;
    terms.forEach((term, t) => {
      const { docs, tfs, positions } = reader.postings(field, term)!;
      listDocs.set(docs, listStart[t]);
      listTfs.set(tfs, listStart[t]);
      if (positionCount + positions.length > listPositions.length) {
        listPositions = grown(listPositions, Math.max(2 * listPositions.length, positionCount + positions.length));
      }
      listPositions.set(positions, positionCount);
      positionCount += positions.length;
      for (let i = 0; i < docs.length; i++) {
        termStart[docs[i] + 1]++;
        positionStart[docs[i] + 1] += tfs[i];
      }
    });
    for (let doc = 0; doc < docCount; doc++) {
      termStart[doc + 1] += termStart[doc];
      positionStart[doc + 1] += positionStart[doc];
    }
    const flat: FlatField = {
      termStart,
      positionStart,
      termIds: new Uint32Array(postingCount),
      freqs: new Uint32Array(postingCount),
      positions: new Uint32Array(positionCount),
      lengths: Uint32Array.from({ length: docCount }, (_, doc) => reader.fieldLength(field, doc)),
    };
    const nextTerm = termStart.slice(0, docCount);
    const nextPosition = positionStart.slice(0, docCount);
    let source = 0;
    for (let t = 0; t < terms.length; t++) {
      for (let k = listStart[t]; k < listStart[t + 1]; k++) {
        const doc = listDocs[k];
        const tf = listTfs[k];
        const slot = nextTerm[doc]++;
        flat.termIds[slot] = ids[t];
        flat.freqs[slot] = tf;
        let next = nextPosition[doc];
        for (const end = source + tf; source < end; source++) flat.positions[next++] = listPositions[source];
        nextPosition[doc] = next;
      }
    }
    return flat;
  }
}

/**
 * One field of every document in document order: document d's terms and frequencies are entries
 * termStart[d]..termStart[d + 1] of termIds and freqs, its positions positionStart[d]..positionStart[d + 1].
 */
interface FlatField {
  termStart: Uint32Array;
  positionStart: Uint32Array;
  termIds: Uint32Array;
  freqs: Uint32Array;
  positions: Uint32Array;
  lengths: Uint32Array;
}

/** Document `doc`'s field of a FlatField, its arrays views of the flat ones. */
function flatFieldOf(flat: FlatField, doc: number): ForwardField {
  const { termStart, positionStart } = flat;
  return {
    termIds: flat.termIds.subarray(termStart[doc], termStart[doc + 1]),
    freqs: flat.freqs.subarray(termStart[doc], termStart[doc + 1]),
    positions: flat.positions.subarray(positionStart[doc], positionStart[doc + 1]),
    length: flat.lengths[doc],
  };
}

/** Each document's boilerplate, and how many documents have each edge clause key (edgeKeyCounts). */
interface Boilerplate {
  texts: string[];
  docsWith: ReadonlyMap<string, number>;
}

function countDistinctTerms(fields: Record<FieldName, FieldIndex>): number {
  const all = new Set<string>();
  for (const field of FIELD_NAMES) for (const term of fields[field].terms) all.add(term);
  return all.size;
}
