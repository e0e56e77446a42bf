/**
 * One search over an index, in three steps that any backend holding zhsearch's own index data runs: plan the query
 * (parse + analyse), rank a page (BM25F, phrases, exclusion, filters, facets, date order), turn the page's documents
 * into hits (snippets from the stored text). The embedded service runs them back to back; a static export's browser
 * runtime fetches the postings of the planned terms before ranking and the stored text of the page's documents after.
 * No Node APIs here.
 */
import type { Analyzer } from '../analysis/types.js';
import type { IndexReader, StoredArticle } from '../index/types.js';
import { FIELDS } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { DocMeta } from './doc-meta.js';
import { FacetCounter } from './facets.js';
import { buildFilter, hasBit, type DocumentFilter } from './filters.js';
import { articleHits, presentTerms, snippetKey, type KeptSnippets } from './hit.js';
import { expansions, planQuery, planTerms, presentQueryTerms, type AtomPlan, type PlanOptions, type QueryPlan } from './plan.js';
import { KeptByLists, PostingsCache } from './postings.js';
import { mapped } from './arrays.js';
import { KeptPhrases, PositionalScorer, rerankHead, type DocumentSet } from './proximity.js';
import { parseQuery, type QueryAst } from './query.js';
import { AdjacentLists, CombinedScorer, LOOKUP_STEPS, MatchedDocuments, MAX_KEPT_WITHIN_BYTES, scoreAtoms, ScoreBuffers, type AtomScores, type FieldFactors, type KeptSlotValues, type ScoringContext } from './score.js';
import { BlockMaxima, blockScorable, listBits, scoreTopBlocks } from './blocks.js';
import { requestedPage, searchResult } from './result.js';
import type { SnippetSource, SnippetTerms } from './snippet.js';
import { TopK, type Scored } from './top-k.js';
import type { SearchRequest, SearchResult } from './types.js';
import { stopWordOnlyWords } from './literal.js';

/** What ranking reads: postings, per-document facet values and dates, field length factors; buffers reused per search. */
export interface SearchCore {
  index: Pick<IndexReader, 'docCount' | 'postings'>;
  analyzer: Analyzer;
  ranking: RankingConfig;
  meta: DocMeta;
  factors: FieldFactors;
  buffers: ScoreBuffers;
  matched: MatchedDocuments;
  /** A search's kept documents and their sort keys (scores, or dates), reused from search to search. */
  scratch: { kept: Uint32Array; keys: Float64Array };
  /** Slots' document frequencies counted so far (ScoringContext.docFreqs). */
  docFreqs: Map<string, number>;
  /** Block maxima of the posting lists read so far (see scoreTopBlocks). */
  maxima: BlockMaxima;
  /** Compounds' occurrences found so far (ScoringContext.adjacent). */
  adjacent: AdjacentLists;
  /** Slots' values at kept phrases' documents worked out so far (ScoringContext.keptWithin). */
  keptWithin: KeptByLists<KeptSlotValues>;
  /** Phrases' and exclusions' documents found so far (see KeptPhrases). */
  phrases: KeptPhrases;
  /**
   * Scores of a query of stop words only, searched in the stored texts (the index has no stop words); without it
   * (a static export, which has no texts at hand) such a query finds nothing and its result says so (stop_words_only).
   */
  literalScores?: (words: string[]) => Float64Array;
}

export function createSearchCore(
  index: SearchCore['index'],
  analyzer: Analyzer,
  ranking: RankingConfig,
  meta: DocMeta,
  factors: FieldFactors,
  literalScores?: (words: string[]) => Float64Array,
): SearchCore {
  const core: SearchCore = {
    index,
    analyzer,
    ranking,
    meta,
    factors,
    buffers: new ScoreBuffers(index.docCount),
    matched: new MatchedDocuments(index.docCount),
    scratch: { kept: new Uint32Array(index.docCount), keys: new Float64Array(index.docCount) },
    docFreqs: new Map(),
    maxima: new BlockMaxima(index.docCount),
    adjacent: new AdjacentLists(),
    keptWithin: new KeptByLists(MAX_KEPT_WITHIN_BYTES),
    phrases: new KeptPhrases(),
  };
  if (literalScores) core.literalScores = literalScores;
  return core;
}

export interface PlannedSearch {
  request: SearchRequest;
  ast: QueryAst;
  plan: QueryPlan;
  paging: { page: number; size: number };
  started: number;
}

/**
 * Parses and analyses the query (synonyms, compounds and Latin parts as `options` say), or takes the plan `kept` of
 * the same text; cheap, and tells which terms' postings the search will read (plannedTerms).
 */
export function planSearch(request: SearchRequest, analyzer: Analyzer, options: PlanOptions, kept?: Pick<PlannedSearch, 'ast' | 'plan'>): PlannedSearch {
  const started = performance.now();
  const ast = kept?.ast ?? parseQuery(request.q ?? '');
  const plan = kept?.plan ?? planQuery(ast, analyzer, options);
  return { request, ast, plan, paging: requestedPage(request), started };
}

/** Every term whose postings ranking may read: the words, pieces and sub-words of the groups and of the exclusions. */
export function plannedTerms(plan: QueryPlan): string[] {
  const terms = new Set<string>();
  for (const atom of [...plan.groups.flatMap((group) => group.alternatives), ...plan.excludes]) {
    for (const slot of atom.slots) {
      terms.add(slot.whole);
      for (const piece of slot.pieces ?? []) terms.add(piece);
      for (const sub of slot.subwords) terms.add(sub.term);
    }
  }
  return [...terms];
}

/** A document of the requested page, with what its hit needs besides the stored article. */
export interface PageEntry {
  doc: number;
  score: number;
  matchedTerms: string[];
  /** Terms to mark in the snippet; undefined: the snippet is the article's opening. */
  snippetTerms?: SnippetTerms;
  /** Whether a matched term is in the body (else the snippet comes from the description, when there is one). */
  inBody: boolean;
}

export interface RankedPage {
  total: number;
  /** The query's words when all were stop words and the core cannot search texts (nothing is found). */
  stopWordsOnly?: string[];
  /** Undefined when not counted. */
  facets: SearchResult['facets'] | undefined;
  entries: PageEntry[];
  /** The lists ranking read (the page's hits read their terms' lists again: each is looked up once per search). */
  postings: PostingsCache;
}

/** Ranks the planned search over the core's index: the requested page's documents, the total and the facets. */
export function rankPage(core: SearchCore, planned: PlannedSearch): RankedPage {
  try {
    return runRanking(core, planned);
  } finally {
    core.buffers.releaseAll(core.matched.met());
    core.matched.clear();
  }
}

function runRanking(core: SearchCore, { request, ast, plan, paging }: PlannedSearch): RankedPage {
  const { page, size } = paging;
  const { index, ranking, meta, buffers, matched } = core;
  const ctx: ScoringContext = { reader: index, postings: new PostingsCache(index), config: ranking, fieldFactors: core.factors, buffers, docFreqs: core.docFreqs, adjacent: core.adjacent, keptWithin: core.keptWithin };
  const filter = buildFilter(meta, ast.filters, request, core.analyzer.normalize);
  const excluded = exclusionTest(ctx, core.phrases, plan.excludes);
  const facets = request.facets === false ? undefined : new FacetCounter(meta);
  const wanted = page * size;
  // A query of stop words only is searched in the stored texts (the index has no stop words); without them it finds nothing.
  const literalWords = stopWordOnlyWords(ast, plan.groups.length, core.analyzer.normalize);
  if (literalWords.length > 0 && !core.literalScores) return { total: 0, entries: [], facets: facets?.result(), stopWordsOnly: literalWords, postings: ctx.postings };
  const byDate = request.sort === 'date' || (plan.groups.length === 0 && literalWords.length === 0);
  const top = new TopK(byDate ? wanted : Math.max(wanted, ranking.rescoreDepth));
  let total = 0;

  // The documents kept (passing the filter, not excluded) are listed in `kept`, then counted, keyed and pushed in one
  // pass: a score handed to a function per document was a fresh heap number each, a good part of a search's garbage.
  const { kept, keys } = core.scratch;
  const counted = (n: number) => {
    total = n;
    if (facets) for (let i = 0; i < n; i++) facets.add(kept[i]!);
  };
  const admit = (n: number, score: (docs: Uint32Array, count: number, into: Float64Array) => void) => {
    counted(n);
    // Date order: newest first, undated last, ties by document number.
    if (byDate) for (let i = 0; i < n; i++) keys[i] = dateKey(meta.dateMs[kept[i]!]!);
    else score(kept, n, keys);
    top.pushAll(kept, keys, n);
  };

  let ranked: Scored[];
  if (literalWords.length > 0) {
    const scores = core.literalScores!(literalWords);
    let count = 0;
    for (let doc = 0; doc < index.docCount; doc++) if (scores[doc]! > 0 && admitted(doc, filter, [], excluded)) kept[count++] = doc;
    admit(count, (docs, n, into) => {
      for (let i = 0; i < n; i++) into[i] = scores[docs[i]!]!;
    });
    ranked = top.sorted().map(({ doc }) => ({ doc, score: scores[doc]! }));
  } else if (plan.groups.length === 0) {
    let count = 0;
    if (filter) {
      for (const doc of filter.docs) if (!excluded(doc)) kept[count++] = doc;
    } else {
      for (let doc = 0; doc < index.docCount; doc++) if (!excluded(doc)) kept[count++] = doc;
    }
    admit(count, (_, n, into) => into.fill(0, 0, n));
    ranked = top.sorted().map(({ doc }) => ({ doc, score: 0 }));
  } else {
    // Per required group, the documents where one of its phrases occurs verbatim.
    // Loops, not a filter and maps (see arrays.ts).
    const required: DocumentSet[] = [];
    for (const group of plan.groups) if (group.required) required.push(documentsWithAny(ctx, core.phrases, group.alternatives));
    // Only those passing the filter can match, and only those where the required phrases occur: when they are few,
    // they are the only ones scored, not every document having a word (the phrases' documents when fewer than the
    // words' lists would walk: a phrase of one word, 习近平会, is all its documents).
    const byPhrases = required.length > 0 && fewerThanPostings(ctx, plan, required[0]!.count);
    const fewest = Math.min(filter ? filter.docs.length : Infinity, ...(byPhrases ? required.map((set) => set.count) : []));
    let atomScores: AtomScores;
    let scorer: CombinedScorer;
    // A kept phrase's documents are bounded by blocks of their own (scoreTopBlocks' `within`): few blocks are scored,
    // and ranking by blocks costs less than scoring each of them from fewer documents (新思想引领, 1,515 of 83,565).
    const phrase = required.find((set) => set.kept);
    const keptPasses = phrase !== undefined && passesMany(Math.min(phrase.count, filter ? filter.docs.length : Infinity), index.docCount, 128);
    if (!byDate && (passesMany(fewest, index.docCount, 32) || keptPasses) && blockScorable(plan.groups, ranking)) {
      // Only the blocks of documents that may reach the top are scored; every match is counted from its number. The
      // filter and the required phrases are tested as bits, 32 documents at a time, exclusions one document at a time.
      const passing = [...(filter ? [filter.bits] : []), ...mapped(required, (set) => set.bits)];
      const accepted = plan.excludes.length === 0 ? null : (doc: number) => !excluded(doc);
      const scored = scoreTopBlocks(ctx, plan.groups, matched, core.maxima, top, passing, accepted, !filter || filter.kept, phrase?.kept);
      ({ atomScores, scorer } = scored);
      // Facets are counted from the matches' bits, not from a list of them written first.
      facets?.addBits(scored.matchBits);
      total = scored.matches;
    } else {
      const within = byPhrases ? documentsInEvery(required, filter) : filter ? filterInEvery(filter, required) : undefined;
      // A kept phrase's slot values are kept where a document without them is one valued 0 (keptSlotWithin): where
      // every posting adds to a value, as blockScorable's parameters keep it (a negative weight may cancel one out).
      const keptKey = phrase?.kept && within === phrase.kept.docs && blockScorable(plan.groups, ranking) ? phrase.kept.key : undefined;
      atomScores = scoreAtoms(ctx, plan.groups, matched, within, keptKey);
      scorer = new CombinedScorer(plan.groups, atomScores, ranking);
      // The matched documents, when fewer than those scored at (a common filter's, most without the words).
      const candidates = within && within.length <= matched.met().length ? within : matched.docs();
      admit(keepCandidates(candidates, filter, required, matched, excluded, kept), (docs, n, into) => scorer.scoreAll(docs, n, into));
    }
    ranked = top.sorted();
    if (byDate) {
      ranked = ranked.map(({ doc }) => ({ doc, score: scorer.scoreOf(doc) }));
    } else {
      // Phrase and proximity bonuses, where the query's topics meet and the passage where they meet most densely
      // re-rank the head of the BM25F ranking (a fixed depth, so pages stay consistent).
      const positional = new PositionalScorer(ctx, plan.groups, atomScores, core.phrases);
      // Only the requested pages' documents are ranked to the end: the head is cut to them when they lie in it.
      const head = rerankHead(positional, ranked.slice(0, ranking.rescoreDepth), ranking.passageDepth, wanted);
      ranked = [...head, ...ranked.slice(ranking.rescoreDepth)];
    }
  }

  const terms = planTerms(plan);
  const entries = ranked.slice((page - 1) * size, wanted).map(({ doc, score }): PageEntry => {
    if (literalWords.length > 0) return { doc, score, matchedTerms: literalWords, snippetTerms: presentTerms(terms, literalWords), inBody: true };
    return { doc, score, ...hitTerms(ctx.postings, plan, terms, doc) };
  });
  return { total, entries, facets: facets?.result(), postings: ctx.postings };
}

/**
 * Where the stored articles hold the whole bodies the index analysed: SnippetSource.tokens of document `doc`'s body
 * (undefined when its normalisation may move term characters).
 */
export type BodyTokens = (doc: number, body: string) => SnippetSource['tokens'];

/**
 * The search result from the ranked page and the stored articles of its documents (in the same order); their snippets
 * are taken from `kept` (by document and terms) and kept there when given.
 */
export function pageResult(planned: PlannedSearch, ranked: RankedPage, articles: StoredArticle[], analyzer: Analyzer, bodyTokens?: BodyTokens, kept?: KeptSnippets): SearchResult {
  const withSnippets = planned.request.snippets !== false;
  const hits = articleHits(
    ranked.entries.map(({ doc, score, matchedTerms, snippetTerms, inBody }, i) => {
      const article = articles[i]!;
      return {
        article,
        score,
        matched: matchedTerms,
        snippetTerms,
        inBody,
        bodyTokens: bodyTokens && (() => bodyTokens(doc, article.text)),
        snippetKey: kept && withSnippets && snippetTerms ? snippetKey(doc, snippetTerms, inBody) : undefined,
      };
    }),
    analyzer,
    withSnippets,
    kept,
  );
  const result = searchResult(planned.request, planned.started, planned.paging, ranked.total, hits, ranked.facets, expansions(planned.plan));
  return ranked.stopWordsOnly ? { ...result, stop_words_only: ranked.stopWordsOnly } : result;
}


/** Sort key for date order; undated documents sort after every dated one. */
function dateKey(ms: number): number {
  return Number.isNaN(ms) ? -1e15 : ms;
}

/**
 * Excluded documents: a one-word exclusion removes every article containing the word; a phrase (or a
 * word the analyzer splits in several) removes articles where it occurs verbatim.
 */
function exclusionTest(ctx: ScoringContext, phrases: KeptPhrases, excludes: AtomPlan[]): (doc: number) => boolean {
  if (excludes.length === 0) return () => false;
  const { bits } = documentsWithAny(ctx, phrases, excludes);
  return (doc) => hasBit(bits, doc);
}

/**
 * Whether looking `count` documents up in each of the plan's lists (galloping: a few steps each) costs less than
 * walking the lists.
 */
function fewerThanPostings(ctx: ScoringContext, plan: QueryPlan, count: number): boolean {
  let lists = 0;
  let postings = 0;
  for (const term of plannedTerms(plan)) {
    for (const field of FIELDS) {
      const list = ctx.postings.get(field, term);
      if (!list) continue;
      lists++;
      postings += list.docs.length;
    }
  }
  return count * lists * LOOKUP_STEPS < postings;
}

/**
 * Whether `count` documents ranked among `docCount` are enough (one in `share` or more; 32: about one a block) that
 * ranking by blocks, whose cost grows with the blocks, costs less than scoring every match among them.
 */
function passesMany(count: number, docCount: number, share: number): boolean {
  return count * share >= docCount;
}

/** The documents (ascending) in every set and passing the filter (null: no filter): the first set's, checked. */
function documentsInEvery(documentSets: DocumentSet[], filter: DocumentFilter | null): Uint32Array {
  const [first, ...rest] = documentSets;
  if (filter && filter.docs.length < first!.count) return filterInEvery(filter, documentSets);
  // A kept phrase's own documents when nothing else narrows them (read only, as a search reads them).
  if (!filter && rest.length === 0 && first!.kept) return first!.kept.docs;
  const docs = new Uint32Array(first!.count);
  const listed = listBits(first!.bits, 0, first!.bits.length, docs);
  let count = 0;
  for (let i = 0; i < listed; i++) if ((!filter || filter.has[docs[i]!] === 1) && inEvery(rest, docs[i]!)) docs[count++] = docs[i]!;
  return docs.subarray(0, count);
}

/** The documents (ascending) passing the filter and in every set. */
function filterInEvery(filter: DocumentFilter, documentSets: DocumentSet[]): Uint32Array {
  return documentSets.length === 0 ? filter.docs : filter.docs.filter((doc) => inEvery(documentSets, doc));
}

function inEvery(documentSets: DocumentSet[], doc: number): boolean {
  for (let i = 0; i < documentSets.length; i++) if (!hasBit(documentSets[i]!.bits, doc)) return false;
  return true;
}

/** Whether `doc` passes the filter (null: none), is in every required set and is not excluded. */
function admitted(doc: number, filter: DocumentFilter | null, required: DocumentSet[], excluded: (doc: number) => boolean): boolean {
  return (!filter || filter.has[doc] === 1) && inEvery(required, doc) && !excluded(doc);
}

/**
 * The candidates admitted and matched, written to `kept`; how many. A function of its own: in the body of runRanking
 * the loop over a common word's matches ran unoptimised.
 */
function keepCandidates(
  candidates: Uint32Array,
  filter: DocumentFilter | null,
  required: DocumentSet[],
  matched: MatchedDocuments,
  excluded: (doc: number) => boolean,
  kept: Uint32Array,
): number {
  let count = 0;
  for (let i = 0; i < candidates.length; i++) {
    const doc = candidates[i]!;
    if (admitted(doc, filter, required, excluded) && matched.has(doc)) kept[count++] = doc;
  }
  return count;
}

/** Documents in which at least one of the atoms occurs verbatim. */
function documentsWithAny(ctx: ScoringContext, phrases: KeptPhrases, atoms: AtomPlan[]): DocumentSet {
  const found: DocumentSet = { bits: ctx.buffers.takeBits(), count: 0, kept: undefined };
  for (const atom of atoms) phrases.add(ctx.postings, ctx.buffers, atom.slots, found);
  return found;
}

/**
 * What a hit shows of the query in `doc`: the query terms present (whole words, or the sub-words standing in for a
 * missing whole word), those to mark in its snippet, and whether one is in the body (terms found only outside it, say
 * in the description, are not in the body text the snippet is cut from). Shared by every backend holding postings of
 * its hits (the engine's: read from its rows' term positions).
 */
export function hitTerms(postings: PostingsCache, plan: QueryPlan, terms: SnippetTerms, doc: number): Pick<PageEntry, 'matchedTerms' | 'snippetTerms' | 'inBody'> {
  const found = presentQueryTerms(plan, (term) => FIELDS.some((field) => postings.contains(field, term, doc)));
  const inBody = found.some((term) => postings.contains('body', term, doc));
  return { matchedTerms: found, snippetTerms: found.length > 0 ? presentTerms(terms, found) : undefined, inBody };
}
