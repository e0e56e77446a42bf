/**
 * The static export's search runtime: a SearchBackend that answers in the reader's browser from the exported chunks,
 * with the server's analysis and ranking (the shared portable modules). Per search it fetches the vocabulary buckets
 * of the query's characters (segmentation, Traditional → Simplified), the Latin affix lists of its Latin words, the
 * postings of the query's terms, the docs table once, and the stored articles of the hits shown. Fetched chunks are kept for later searches.
 * No Node APIs: runs in browsers, and in Node for the agreement tests.
 */
import {
  analyzerFromConfig,
  ConversionTrie,
  createVocabularySegmenter,
  FIRST_CJK,
  foldText,
  hanSubWordFinder,
  splitScriptRuns,
  type Analyzer,
  type SegmenterName,
} from '../analysis/portable.js';
import { ByteReader, type FieldName, type PostingList, type StoredArticle } from '../index/portable.js';
import {
  addDocDate,
  articleHit,
  createDocMeta,
  createSearchCore,
  fieldFactors,
  isLatinPartWord,
  latinAffixKeys,
  latinPartsAmong,
  planSearch,
  reverse,
  plannedTerms,
  bestWindowStart,
  positionsIn,
  SNIPPET_LEAD,
  SNIPPET_LENGTH,
  rankPage,
  pageResult,
  snippetWindow,
  type DocMeta,
  type IndexStats,
  type SearchBackend,
  type SearchCore,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  type Occurrence,
  type SnippetTerms,
  type Topic,
  wantsCorrection,
} from '../search/portable.js';
import {
  articlePageUrl,
  blockFile,
  decodeDocsTable,
  decodePostings,
  decodePostingsPart,
  decodeVocabularyBucket,
  hashKey,
  latinAffixFile,
  readBlocks,
  MANIFEST_FILE,
  readJson,
  runKeys,
  STATIC_FORMAT_VERSION,
  StaticFormatError,
  storedFile,
  vocabularyFile,
  vocabularyKey,
  type DocsTable,
  type BlockedText,
  type LatinAffixBucket,
  type RelatedBucket,
  type PostingsSource,
  type LaterManifest,
  type StaticManifest,
  type StoredChunk,
  type TextBlock,
  type TermPostings,
} from './format.js';

/** Reads one file of the export's data folder as stored (compressed). */
export type ChunkLoader = (name: string) => Promise<Uint8Array>;

/** Loads files over HTTP relative to `dataUrl` (the `zhsearch/` folder). */
export function httpChunkLoader(dataUrl: string, fetchImpl: typeof fetch = fetch): ChunkLoader {
  const base = dataUrl.endsWith('/') ? dataUrl : `${dataUrl}/`;
  return async (name) => {
    const response = await fetchImpl(base + name, { credentials: 'omit' });
    if (!response.ok) throw new Error(`无法读取搜索数据 ${name}：HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** gunzip in the browser (and Node 20): DecompressionStream. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface StaticBackend extends SearchBackend {
  readonly manifest: StaticManifest;
  /** Names of the chunks fetched so far (for measurements). */
  fetched(): string[];
}

/**
 * What the runtime's seldom-used parts read of it: "did you mean" (corrections.ts) and suggestions (suggestions.ts),
 * each loaded on first use (in the page's bundle a chunk of its own, which the first search does not download).
 */
export interface RuntimeAccess {
  /** A gzip-compressed file of the data folder, inflated; fetched once. */
  chunk(name: string): Promise<Uint8Array>;
  /** A loader of the `count` buckets named by `file`: fetches those of keys not fetched yet, hands each to `take` once. */
  bucketLoader<T>(count: number, file: (bucket: number) => string, decode: (bytes: Uint8Array) => T, take: (content: T) => void): (keys: Iterable<string>) => Promise<boolean>;
  /** Loads what normalising `texts` reads (Traditional → Simplified entries of their characters). */
  loadCharacters(texts: string[]): Promise<boolean>;
  /** The current analyzer (a new one after each vocabulary growth). */
  analyzer(): Analyzer;
}

interface TermEntry {
  freq: number;
  postings: PostingsSource;
}

export async function openStaticSearch(load: ChunkLoader): Promise<StaticBackend> {
  const manifest = readJson<StaticManifest>(await inflate(await load(MANIFEST_FILE)));
  // Checked first: another format's fields are not these, and fail later with a message that misleads.
  if (manifest.format !== STATIC_FORMAT_VERSION) throw new StaticFormatError(manifest.format);
  const fetchedNames: string[] = [MANIFEST_FILE];
  const chunks = new Map<string, Promise<Uint8Array>>();
  /**
   * A loader of buckets (`file`, `count` of them) by key: fetches the buckets of the keys not fetched yet, each
   * decoded and handed to `take` once; whether any was fetched.
   */
  function bucketLoader<T>(
    count: number,
    file: (bucket: number) => string,
    decode: (bytes: Uint8Array, bucket: number) => T,
    take: (content: T) => void,
  ): (keys: Iterable<string>) => Promise<boolean> {
    const loaded = new Set<number>();
    return async (keys) => {
      const wanted = new Set<number>();
      for (const key of keys) {
        const bucket = hashKey(key) % count;
        if (!loaded.has(bucket)) wanted.add(bucket);
      }
      const contents = await Promise.all([...wanted].map(async (bucket) => [bucket, await chunk(file(bucket))] as const));
      for (const [bucket, bytes] of contents) {
        if (loaded.has(bucket)) continue;
        loaded.add(bucket);
        take(decode(bytes, bucket));
      }
      return contents.length > 0;
    };
  }
  /** A gzip-compressed file, inflated; fetched once. */
  const chunk = (name: string): Promise<Uint8Array> => {
    let pending = chunks.get(name);
    if (!pending) {
      fetchedNames.push(name);
      pending = load(name).then(inflate);
      // A failed fetch is not remembered: the next search tries again.
      pending.catch(() => chunks.delete(name));
      chunks.set(name, pending);
    }
    return pending;
  };

  const conversions = new ConversionTrie();
  const vocabulary = new Map<string, TermEntry>();
  /** The proper prefixes of the vocabulary's words (SegmenterVocabulary.extends). */
  const prefixes = new Set<string>();
  const addPrefixes = (word: string): void => {
    const chars = [...word];
    let prefix = '';
    for (let i = 0; i + 1 < chars.length; i++) prefixes.add((prefix += chars[i]!));
  };
  const stopWords = new Set(manifest.stopWords);
  const synonyms = new Map(manifest.synonyms);
  /** Latin terms by affix key (latinAffixKeys), from the affix buckets fetched so far. */
  const latinAffixes = new Map<string, [string, number][]>();
  const loadAffixBuckets = bucketLoader(manifest.latinAffixBuckets, (bucket) => latinAffixFile(manifest, bucket), readJson<LatinAffixBucket>, (content) => {
    for (const [key, list] of Object.entries(content)) latinAffixes.set(key, list);
  });
  /** Fetches the affix buckets of `words`; whether any was fetched. */
  const loadLatinAffixes = (words: string[]): Promise<boolean> => loadAffixBuckets(words.flatMap(latinAffixKeys));
  /** The server's Latin parts (GPT → ChatGPT), among the terms sharing the word's first or last letters. */
  function latinParts(word: string): string[] {
    if (!isLatinPartWord(word)) return [];
    const [start, end] = latinAffixKeys(word);
    const starting = latinAffixes.get(start) ?? [];
    const ending = latinAffixes.get(end) ?? [];
    const docFreq = new Map([...starting, ...ending]);
    const forward = starting.map(([term]) => term).sort();
    const backward = ending.map(([term]) => reverse(term)).sort();
    return latinPartsAmong(word, forward, backward, (term) => docFreq.get(term) ?? 0);
  }
  const planOptions = { expand: (word: string) => synonyms.get(word), compounds: true, latinParts };
  const segmenter = createVocabularySegmenter(manifest.analyzer.segmenter as SegmenterName, manifest.analyzer.version, {
    frequency: (word) => vocabulary.get(word)?.freq,
    extends: (text) => prefixes.has(text),
    logTotal: manifest.segmentation.logTotal,
    maxWordLength: manifest.segmentation.maxWordLength,
    singles: stopWords,
  });
  const letterWords = new Set(manifest.letterWords);
  let analyzer = makeAnalyzer();
  /** Sub-words are cached per analyzer: a new one after each vocabulary growth, so none was found with fewer words. */
  function makeAnalyzer(): Analyzer {
    return analyzerFromConfig(manifest.analyzer as Analyzer['identity'], {
      segmenter,
      simplified: conversions,
      hanSubWords: hanSubWordFinder(segmenter),
      stopWords,
      letterWords,
    });
  }

  const loadVocabulary = bucketLoader(manifest.vocabularyBuckets, (bucket) => vocabularyFile(manifest, bucket), decodeVocabularyBucket, (decoded) => {
    for (const [source, target] of decoded.conversions) conversions.addWord(source, target);
    for (const { word, freq, postings } of decoded.words) {
      vocabulary.set(word, { freq, postings });
      addPrefixes(word);
    }
  });
  /** Fetches the vocabulary buckets of `keys` (a new analyzer when any came); whether any was fetched. */
  async function loadBuckets(keys: Iterable<string>): Promise<boolean> {
    const loaded = await loadVocabulary(keys);
    if (loaded) analyzer = makeAnalyzer();
    return loaded;
  }

  /** Loads what normalising `texts` reads: the buckets of their characters (Traditional → Simplified entries). */
  async function loadCharacters(texts: string[]): Promise<boolean> {
    const chars = new Set<string>();
    for (const text of texts) for (const char of foldText(text)) if (char.codePointAt(0)! >= FIRST_CJK) chars.add(char);
    return loadBuckets(chars);
  }

  /**
   * Loads what analysing `texts` reads: conversions of their characters, then the words of their Chinese runs;
   * whether any bucket was fetched.
   */
  async function prepareAnalysis(texts: string[]): Promise<boolean> {
    const characters = await loadCharacters(texts);
    const keys: string[] = [];
    for (const text of texts) {
      const normalized = analyzer.normalize(text);
      for (const run of splitScriptRuns(normalized)) {
        const runText = normalized.slice(run.start, run.end);
        if (run.kind === 'han') keys.push(...runKeys(runText));
        else keys.push(runText);
      }
    }
    return (await loadBuckets(keys)) || characters;
  }

  /** Conversion entries already added from stored pieces (a new entry means a new analyzer, whose caches start empty). */
  const knownConversions = new Set<string>();
  /** Decoded text blocks by file name: a block read again (a repeated search) is not parsed again. */
  const blocks = new Map<string, Promise<string>>();
  const block = (name: string): Promise<string> => {
    let text = blocks.get(name);
    if (!text) {
      text = chunk(name).then((bytes) => blockText(readJson<TextBlock>(bytes)));
      text.catch(() => blocks.delete(name));
      blocks.set(name, text);
    }
    return text;
  };

  /** The text of a stored piece; its conversion entries join the table. */
  function blockText([text, entries]: TextBlock): string {
    if (entries && entries.length > 0 && entries.some(([source, target]) => !knownConversions.has(source + '\u0000' + target))) {
      for (const [source, target] of entries) knownConversions.add(source + '\u0000' + target);
      for (const [source, target] of entries) conversions.addWord(source, target);
      analyzer = makeAnalyzer();
    }
    return text;
  }

  const postings = new Map<string, TermPostings>();
  /** Decoded postings parts by file name (term → encoded postings). */
  const parts = new Map<string, Promise<Map<string, Uint8Array>>>();
  const part = (name: string): Promise<Map<string, Uint8Array>> => {
    let entries = parts.get(name);
    if (!entries) {
      entries = chunk(name).then(decodePostingsPart);
      entries.catch(() => parts.delete(name));
      parts.set(name, entries);
    }
    return entries;
  };
  /** The encoded postings of a vocabulary word, wherever they are. */
  async function encodedPostings(term: string, place: PostingsSource): Promise<Uint8Array | undefined> {
    if (place.kind === 'none') return undefined;
    if (place.kind === 'inline') return place.bytes;
    if (place.kind === 'file') return chunk(place.file);
    return (await part(place.file)).get(term);
  }
  async function loadPostings(terms: string[]): Promise<void> {
    await loadBuckets(terms.map(vocabularyKey));
    await Promise.all(
      terms.map(async (term) => {
        if (postings.has(term)) return;
        const entry = vocabulary.get(term);
        const bytes = entry && (await encodedPostings(term, entry.postings));
        postings.set(term, bytes ? decodePostings(new ByteReader(bytes)) : {});
      }),
    );
  }

  let core: Promise<SearchCore> | undefined;
  let table: DocsTable | undefined;
  function searchCore(): Promise<SearchCore> {
    core ??= chunk(manifest.docs).then((bytes) => {
      table = decodeDocsTable(bytes);
      const lengths = table.lengths;
      const index = {
        docCount: manifest.docCount,
        postings: (field: FieldName, term: string): PostingList | undefined => postings.get(term)?.[field],
        averageFieldLength: (field: FieldName) => manifest.averageFieldLength[field],
        fieldLength: (field: FieldName, doc: number) => lengths[field][doc]!,
      };
      return createSearchCore(index, analyzer, manifest.ranking, docMeta(table), fieldFactors(index, manifest.ranking));
    });
    return core;
  }

  /** A stored chunk as read: its text inline, or where its blocks are. */
  type Stored = Omit<StoredChunk, 'text'> & { text: TextBlock | BlockedText };
  const storedChunks = new Map<number, Promise<Stored>>();
  function storedChunk(doc: number): Promise<Stored> {
    let stored = storedChunks.get(doc);
    if (!stored) {
      stored = chunk(storedFile(table!, doc)).then((bytes) => {
        const { text, ...fields } = readJson<StoredChunk>(bytes);
        return { ...fields, text: Array.isArray(text) ? text : readBlocks(text) };
      });
      storedChunks.set(doc, stored);
    }
    return stored;
  }

  /** Blocks [from, to) of a text, joined, in place: the rest of the text is spaces (offsets stay true). */
  async function textRegion(doc: number, text: BlockedText, from: number, to: number): Promise<string> {
    const blocks = await Promise.all(
      text.blocks
        .slice(from, to)
        .map((_, i) => block(blockFile(doc, from + i, text.hash))),
    );
    const start = text.blocks[from]![0];
    const end = text.blocks[to]?.[0] ?? text.length;
    return ' '.repeat(start) + blocks.join('') + ' '.repeat(text.length - end);
  }

  function storedArticle(stored: Stored, text: string): StoredArticle {
    return { ...stored, url: stored.url ?? articlePageUrl(stored.id), keywords: [], text, contentHash: '', encoding: 'utf-8', bytes: 0 };
  }

  /**
   * The article of a hit, with as much of its text as its snippet reads: the block where its query words are (by
   * their body positions) and its neighbours while the snippet's passage runs into them.
   */
  async function hitArticle(doc: number, terms: SnippetTerms | undefined, withSnippet: boolean): Promise<StoredArticle> {
    const stored = await storedChunk(doc);
    if (Array.isArray(stored.text)) return storedArticle(stored, blockText(stored.text));
    if (!withSnippet || (!terms && stored.summary)) return storedArticle(stored, '');
    const blocked = stored.text;
    let from = terms ? bestBlock(blocked, doc, terms) : 0;
    let to = from + 1;
    for (;;) {
      const text = await textRegion(doc, blocked, from, to);
      if (!terms) return storedArticle(stored, text);
      const [start, end] = snippetWindow(text, terms, analyzer);
      const before = from > 0 && start < blocked.blocks[from]![0];
      const after = to < blocked.blocks.length && end > (blocked.blocks[to]?.[0] ?? blocked.length);
      if (!before && !after) return storedArticle(stored, text);
      if (before) from--;
      if (after) to++;
    }
  }

  /**
   * The block where the snippet's passage starts: the passage is chosen as the server chooses it (the most weighted
   * distinct query words, then the most occurrences, within a snippet's length), over the words' body positions,
   * a snippet's length in characters taken as the document's average number of positions for it.
   */
  function bestBlock(text: BlockedText, doc: number, terms: SnippetTerms): number {
    const occurrences: Occurrence[] = [];
    [...terms.wholes.map((term) => [term, 1] as const), ...terms.subwords.map((term) => [term, 0.3] as const)].forEach(([term, weight], index) => {
      const list = postings.get(term)?.body;
      if (list) for (const position of positionsIn(list, doc)) occurrences.push({ start: position, end: position, term: index, weight });
    });
    if (occurrences.length === 0) return 0;
    occurrences.sort((a, b) => a.start - b.start);
    // A snippet's length in positions: this document's positions per character.
    const span = ((SNIPPET_LENGTH - SNIPPET_LEAD) * table!.lengths.body[doc]!) / Math.max(1, text.length);
    const best = bestWindowStart(occurrences, span);
    let block = 0;
    while (block + 1 < text.blocks.length && text.blocks[block + 1]![1] <= best) block++;
    return block;
  }

  async function search(request: SearchRequest): Promise<SearchResult> {
    const filterValues = [request.category, request.tag, request.author].filter((value): value is string => typeof value === 'string');
    const [searchCoreReady] = await Promise.all([searchCore(), prepareAnalysis([request.q ?? '', ...filterValues])]);
    let planned = planSearch(request, analyzer, planOptions);
    const queryFilters = planned.ast.filters;
    const filterTexts = [...queryFilters.category, ...queryFilters.tag, ...queryFilters.author];
    if (filterTexts.length > 0) await prepareAnalysis(filterTexts);
    // Synonyms expand query words into other texts, analysed with their own vocabulary: plan again once it is here.
    for (let round = 0; round < 3; round++) {
      if (!(await prepareAnalysis(planned.plan.groups.flatMap((group) => group.alternatives.map((atom) => atom.text))))) break;
      planned = planSearch(request, analyzer, planOptions);
    }
    // The query's own Latin words (not those of synonyms, as the server) find the longer terms they are part of.
    const latinWords = planned.plan.groups.flatMap((group) =>
      group.alternatives.filter((atom) => atom.kind === 'term' && atom.expansionOf === undefined).flatMap((atom) => atom.slots.map((slot) => slot.whole)),
    );
    if (await loadLatinAffixes(latinWords.filter(isLatinPartWord))) planned = planSearch(request, analyzer, planOptions);
    await loadPostings(plannedTerms(planned.plan));
    const current = { ...searchCoreReady, analyzer };
    const ranked = rankPage(current, planned);
    const withSnippets = request.snippets !== false;
    const articles = await Promise.all(ranked.entries.map(({ doc, snippetTerms }) => hitArticle(doc, snippetTerms, withSnippets)));
    const result = pageResult(planned, ranked, articles, analyzer);
    if (!wantsCorrection(result.total, planned.plan.groups.length)) return result;
    const didYouMean = await correct(request.q ?? '', result.total === 0);
    return didYouMean === null ? result : { ...result, did_you_mean: didYouMean };
  }

  /** The manifest's part a search does not read: topics, names of the files of suggestions, corrections, ids, related. */
  const later = remembered(() => chunk(manifest.later).then(readJson<LaterManifest>));
  const access: RuntimeAccess = { chunk, bucketLoader, loadCharacters, analyzer: () => analyzer };
  const correct = lazily(async () => (await import('./corrections.js')).staticCorrector(access, await later()));
  const suggest = lazily(async () => (await import('./suggestions.js')).staticSuggester(access, await later()));

  /** Where article `id` is: its ids bucket, its place in it and its document number; undefined for an unknown id. */
  async function findId(id: string): Promise<{ bucket: number; index: number; doc: number } | undefined> {
    const { ids } = await later();
    const bucket = hashKey(id) % ids.length;
    const entries = readJson<[string, number][]>(await chunk(ids[bucket]!));
    const index = entries.findIndex(([candidate]) => candidate === id);
    if (index < 0) return undefined;
    // The docs table names the stored chunks.
    await searchCore();
    return { bucket, index, doc: entries[index]![1] };
  }

  async function article(id: string): Promise<StoredArticle | undefined> {
    const found = await findId(id);
    if (!found) return undefined;
    const stored = await storedChunk(found.doc);
    return storedArticle(stored, Array.isArray(stored.text) ? blockText(stored.text) : await textRegion(found.doc, stored.text, 0, stored.text.blocks.length));
  }

  /** The server's related articles, as the export kept them (its first 10), with the server's lead snippets. */
  async function related(id: string, limit = 5): Promise<SearchHit[] | undefined> {
    const found = await findId(id);
    if (!found) return undefined;
    const matches = readJson<RelatedBucket>(await chunk((await later()).related[found.bucket]!))[found.index]!.slice(0, Math.max(0, limit));
    const articles = await Promise.all(matches.map(([doc]) => hitArticle(doc, undefined, true)));
    return matches.map(([, score, shared], i) => articleHit(articles[i]!, score, shared, analyzer, true));
  }

  return {
    kind: 'static',
    manifest,
    fetched: () => [...fetchedNames],
    search,
    article,
    suggest,
    related,
    topics: async (limit = 20): Promise<Topic[]> => (await later()).topics.slice(0, limit),
    stats: async (): Promise<IndexStats> => ({
      articles: manifest.docCount,
      terms: manifest.termCount,
      generation: manifest.generation,
      builtAt: manifest.builtAt,
      analyzer: { ...manifest.analyzer },
      sourceBytes: manifest.sourceBytes,
      files: [],
    }),
    close: async () => {},
  };
}

/** `make`'s promise, made on the first call and kept; made again after a failure: the next call tries again. */
function remembered<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (!made) {
      made = make();
      made.catch(() => (made = undefined));
    }
    return made;
  };
}

/** A function made by `make` on its first call (a module to import, then state to build), as `remembered` keeps it. */
function lazily<A extends unknown[], R>(make: () => Promise<(...args: A) => Promise<R>>): (...args: A) => Promise<R> {
  const made = remembered(make);
  return async (...args) => (await made())(...args);
}

/** Facet dictionaries and per-document values as the server builds them (keys normalised at export). */
function docMeta(table: DocsTable): DocMeta {
  const docCount = table.dateMs.length;
  const meta = createDocMeta(docCount);
  const fill = (dictionary: DocMeta['categories'], values: DocsTable['categories']) => {
    for (const { key, label } of values) dictionary.intern(key, label);
  };
  fill(meta.categories, table.categories);
  fill(meta.tags, table.tags);
  fill(meta.authors, table.authors);
  for (let doc = 0; doc < docCount; doc++) {
    meta.docCategories[doc] = table.docCategories[doc]!;
    meta.docTags[doc] = table.docTags[doc]!;
    for (const id of table.docCategories[doc]!) meta.categories.docs[id]!.push(doc);
    for (const id of table.docTags[doc]!) meta.tags.docs[id]!.push(doc);
    meta.docAuthor[doc] = table.docAuthor[doc]!;
    if (table.docAuthor[doc]! >= 0) meta.authors.docs[table.docAuthor[doc]!]!.push(doc);
    addDocDate(meta, doc, table.dateMs[doc]!, table.wallMs[doc]!);
  }
  return meta;
}

