/** The search service: one loaded index, the analyzer that built it, and the ranking config. */
import type { Analyzer } from '../analysis/types.js';
import { runAtOnce, runInSlices, type Steps } from '../index/index.js';
import type { IndexReader, StoredArticle } from '../index/types.js';
import { FIELDS } from './bm25f.js';
import { resolveRankingConfig, type RankingConfig } from './config.js';
import { addDocMeta, createDocMeta, type DocMeta } from './doc-meta.js';
import { SpellingCorrector, type Vocabulary } from './did-you-mean.js';
import { FacetCounter } from './facets.js';
import { buildFilter } from './filters.js';
import { expansions, planQuery, planTerms, presentQueryTerms, type AtomPlan, type QueryPlan } from './plan.js';
import { PostingsCache } from './postings.js';
import { phraseDocuments, PositionalScorer } from './proximity.js';
import { LatinParts } from './latin-parts.js';
import { literalScores, stopWordOnlyWords } from './literal.js';
import { parseQuery } from './query.js';
import { querySynonyms, type SynonymOptions } from './synonyms.js';
import { corpusTopics, TermVectors } from './related.js';
import { CombinedScorer, fieldFactors, MatchedDocuments, scoreAtoms, ScoreBuffers, type ScoringContext } from './score.js';
import { articleHit, presentTerms } from './hit.js';
import { requestedPage, searchResult } from './result.js';
import type { SnippetTerms } from './snippet.js';
import { Suggester, titleWordStarts, type SuggestEntry } from './suggest.js';
import { ranksBefore, TopK, type Scored } from './top-k.js';
import type { IndexStats, SearchHit, SearchRequest, SearchResult, SearchService, Suggestion, Topic } from './types.js';

/** At most this many hits and the query's unknown words get a "did you mean". */
const FEW_HITS = 2;
/** Keywords offered as suggestions (the most widely shared); the rest are mostly one-article words. */
const MAX_SUGGESTED_KEYWORDS = 20_000;

export type SearchServiceOptions = SynonymOptions;

/** A service ready at once; its suggestions are indexed in the background (a CLI search never waits for them). */
export function createSearchService(
  reader: IndexReader,
  analyzer: Analyzer,
  config: Partial<RankingConfig> = {},
  options: SearchServiceOptions = {},
): SearchService {
  const { service, suggester, latinParts } = runAtOnce(serviceSteps(reader, analyzer, config, options));
  suggester.buildInBackground();
  latinParts.buildInBackground();
  return service;
}

/**
 * A service set up in slices of `sliceMs` with the event loop free in between, suggestions included: what a
 * server loads a new generation with while it answers requests from the old one, so the first requests after
 * the switch find nothing left to build.
 */
export async function loadSearchService(
  reader: IndexReader,
  analyzer: Analyzer,
  options: SearchServiceOptions & { sliceMs: number; config?: Partial<RankingConfig> },
): Promise<SearchService> {
  return runInSlices(
    (function* () {
      const { service, suggester, latinParts } = yield* serviceSteps(reader, analyzer, options.config ?? {}, options);
      yield* suggester.buildSteps();
      latinParts.build();
      return service;
    })(),
    options.sliceMs,
  );
}

function* serviceSteps(
  reader: IndexReader,
  analyzer: Analyzer,
  config: Partial<RankingConfig>,
  options: SearchServiceOptions,
): Steps<{ service: SearchService; suggester: Suggester; latinParts: LatinParts }> {
  const ranking = resolveRankingConfig(config);
  const normalize = (text: string) => analyzer.normalize(text);
  const synonyms = querySynonyms(analyzer, options);
  const meta: DocMeta = createDocMeta(reader.docCount);
  for (let doc = 0; doc < reader.docCount; doc++) {
    addDocMeta(meta, doc, reader.stored(doc), reader.dateMs(doc), normalize);
    if ((doc & 255) === 255) yield;
  }
  const suggester = new Suggester(normalize, () => suggestEntries(reader));
  const latinParts = new LatinParts(reader);
  const factors = fieldFactors(reader, ranking);
  const buffers = new ScoreBuffers(reader.docCount);
  const matched = new MatchedDocuments(reader.docCount);
  let vectors: TermVectors | undefined;
  const corrector = new SpellingCorrector(indexVocabulary(reader));

  function search(request: SearchRequest): SearchResult {
    try {
      return runSearch(request);
    } finally {
      buffers.releaseAll();
      matched.clear();
    }
  }

  function runSearch(request: SearchRequest): SearchResult {
    const started = performance.now();
    const paging = requestedPage(request);
    const { page, size } = paging;
    const ast = parseQuery(request.q ?? '');
    const synonymMap = synonyms();
    const plan = planQuery(ast, analyzer, { expand: (word) => synonymMap.get(word), compounds: true, latinParts: (word) => latinParts.partsOf(word) });
    const ctx: ScoringContext = { reader, postings: new PostingsCache(reader), config: ranking, fieldFactors: factors, buffers };
    const filter = buildFilter(meta, ast.filters, request, normalize);
    const excluded = exclusionTest(ctx, plan.excludes);
    const facets = request.facets === false ? undefined : new FacetCounter(meta);
    const wanted = page * size;
    // A query of stop words only is searched in the stored texts (the index has no stop words).
    const literalWords = stopWordOnlyWords(ast, plan.groups.length, normalize);
    const byDate = request.sort === 'date' || (plan.groups.length === 0 && literalWords.length === 0);
    const top = new TopK(byDate ? wanted : Math.max(wanted, ranking.rescoreDepth));
    let total = 0;

    // The filter is checked before a document is scored (filtered searches then score only what they keep).
    const accept = (doc: number, score: number) => {
      if (excluded(doc)) return;
      total++;
      facets?.add(doc);
      // Date order: newest first, undated last, ties by document number.
      top.push(doc, byDate ? dateKey(meta.dateMs[doc]) : score);
    };

    let ranked: Scored[];
    if (literalWords.length > 0) {
      const scores = literalScores(reader, literalWords, ranking);
      for (let doc = 0; doc < reader.docCount; doc++) if (scores[doc]! > 0 && (!filter || filter[doc] === 1)) accept(doc, scores[doc]!);
      ranked = top.sorted().map(({ doc }) => ({ doc, score: scores[doc]! }));
    } else if (plan.groups.length === 0) {
      for (let doc = 0; doc < reader.docCount; doc++) if (!filter || filter[doc] === 1) accept(doc, 0);
      ranked = top.sorted().map(({ doc }) => ({ doc, score: 0 }));
    } else {
      const atomScores = scoreAtoms(ctx, plan.groups, matched);
      const scorer = new CombinedScorer(plan.groups, atomScores, ranking.missingPenalty, ranking.k1, ranking.partPenalty, ranking.synonymWeight);
      // Per required group, the documents where one of its phrases occurs verbatim.
      const required = plan.groups.filter((group) => group.required).map((group) => documentsWithAny(ctx, group.alternatives));
      const candidates = matched.docs();
      for (let i = 0; i < candidates.length; i++) {
        const doc = candidates[i];
        if (filter && filter[doc] === 0) continue;
        if (!inEvery(required, doc)) continue;
        accept(doc, scorer.scoreOf(doc));
      }
      ranked = top.sorted();
      if (byDate) {
        ranked = ranked.map(({ doc }) => ({ doc, score: scorer.scoreOf(doc) }));
      } else {
        // Phrase and proximity bonuses re-rank the head of the BM25F ranking (a fixed depth, so pages stay consistent).
        const positional = new PositionalScorer(ctx, plan.groups, atomScores);
        const head = ranked.slice(0, ranking.rescoreDepth).map(({ doc, score }) => ({ doc, score: score + positional.bonus(doc) }));
        head.sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
        ranked = [...head, ...ranked.slice(ranking.rescoreDepth)];
      }
    }

    const terms = planTerms(plan);
    const withSnippets = request.snippets !== false;
    const hits = ranked.slice((page - 1) * size, wanted).map(({ doc, score }) => {
      const found = literalWords.length > 0 ? literalWords : matchedTerms(ctx, plan, doc);
      return toHit(doc, score, found, withSnippets, found.length > 0 ? presentTerms(terms, found) : undefined, literalWords.length > 0 ? undefined : ctx);
    });
    const didYouMean = total <= FEW_HITS && plan.groups.length > 0 ? corrector.correct(normalize(request.q ?? ''), request.q ?? '', total === 0) : null;
    const result = { ...searchResult(request, started, paging, total, hits, facets?.result()), expanded: expansions(plan) };
    return didYouMean === null ? result : { ...result, did_you_mean: didYouMean };
  }

  function toHit(doc: number, score: number, matched: string[], withSnippet: boolean, snippetTerms?: SnippetTerms, ctx?: ScoringContext): SearchHit {
    // Terms found only outside the body (say, in the description) are not in the body text the snippet is cut from.
    const inBody = ctx === undefined || matched.some((term) => ctx.postings.contains('body', term, doc));
    return articleHit(reader.stored(doc), score, matched, analyzer, withSnippet, snippetTerms, inBody);
  }

  function article(id: string): StoredArticle | undefined {
    const doc = reader.docNumber(id);
    return doc === undefined ? undefined : reader.stored(doc);
  }

  function related(id: string, limit = 5): SearchHit[] | undefined {
    const doc = reader.docNumber(id);
    if (doc === undefined) return undefined;
    vectors ??= new TermVectors(reader);
    return vectors.related(doc, limit).map((match) => toHit(match.doc, match.score, match.shared, true));
  }

  let topicCache: Topic[] | undefined;
  function topics(limit = 20): Topic[] {
    topicCache ??= corpusTopics(reader, 200);
    return limit <= topicCache.length ? topicCache.slice(0, limit) : corpusTopics(reader, limit);
  }

  function suggest(prefix: string, limit = 8): Suggestion[] {
    return suggester.suggest(prefix ?? '', limit);
  }

  function stats(): IndexStats {
    const m = reader.manifest;
    return {
      articles: m.docCount,
      terms: m.termCount,
      generation: m.generation,
      builtAt: m.builtAt,
      analyzer: { ...m.analyzer },
      sourceBytes: m.sourceBytes,
      files: m.files.map(({ name, bytes }) => ({ name, bytes })),
    };
  }

  return { service: { search, suggest, article, related, topics, stats }, suggester, latinParts };
}

/** Titles (with their word starts), tags, and the keywords shared by the most articles. */
function* suggestEntries(reader: IndexReader): Steps<SuggestEntry[]> {
  const titleWords = yield* titleWordStarts(reader);
  const entries: SuggestEntry[] = [];
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    entries.push({ text: article.title, kind: 'title', url: article.url, wordStarts: titleWords[doc] });
    for (const tag of article.tags) entries.push({ text: tag, kind: 'tag' });
    if ((doc & 1023) === 1023) yield;
  }
  yield;
  const keywords = [...reader.terms('keywords')].map((keyword) => ({ keyword, count: reader.docFreq('keywords', keyword) }));
  keywords.sort((a, b) => b.count - a.count);
  for (const { keyword } of keywords.slice(0, MAX_SUGGESTED_KEYWORDS)) entries.push({ text: keyword, kind: 'keyword', normalized: true });
  return entries;
}

/** Every indexed term once, with its largest document frequency over the fields. */
function indexVocabulary(reader: IndexReader): Vocabulary {
  return {
    *terms() {
      const seen = new Set<string>();
      for (const field of FIELDS) {
        for (const term of reader.terms(field)) {
          if (seen.has(term)) continue;
          seen.add(term);
          yield term;
        }
      }
    },
    docFreq: (term) => Math.max(...FIELDS.map((field) => reader.docFreq(field, term))),
  };
}

/** Sort key for date order; undated documents sort after every dated one. */
function dateKey(ms: number): number {
  return Number.isNaN(ms) ? -1e15 : ms;
}

/**
 * Excluded documents: a one-word exclusion removes every article containing the word; a phrase (or a
 * word the analyzer splits in several) removes articles where it occurs verbatim.
 */
function exclusionTest(ctx: ScoringContext, excludes: AtomPlan[]): (doc: number) => boolean {
  if (excludes.length === 0) return () => false;
  const marked = documentsWithAny(ctx, excludes);
  return (doc) => marked[doc] === 1;
}

function inEvery(documentSets: Uint8Array[], doc: number): boolean {
  for (const documents of documentSets) if (documents[doc] !== 1) return false;
  return true;
}

/** Documents (as 1s) in which at least one of the atoms occurs verbatim. */
function documentsWithAny(ctx: ScoringContext, atoms: AtomPlan[]): Uint8Array {
  const [first, ...rest] = atoms.map((atom) => phraseDocuments(ctx.postings, atom.slots, ctx.reader.docCount));
  for (const docs of rest) for (let doc = 0; doc < docs.length; doc++) first[doc] |= docs[doc];
  return first;
}

/** Query terms present in the document (in any field). */
function matchedTerms(ctx: ScoringContext, plan: QueryPlan, doc: number): string[] {
  return presentQueryTerms(plan, (term) => FIELDS.some((field) => ctx.postings.contains(field, term, doc)));
}
