/** The search service: one loaded index, the analyzer that built it, and the ranking config. */
import type { Analyzer, Token } from '../analysis/types.js';
import { runAtOnce, runInSlices, type Steps } from '../index/index.js';
import type { IndexReader, StoredArticle } from '../index/types.js';
import { FIELDS } from './bm25f.js';
import { resolveRankingConfig, type RankingConfig } from './config.js';
import { docMetaSteps, type DocMeta } from './doc-meta.js';
import { SpellingCorrector, type Vocabulary } from './did-you-mean.js';
import { articleHit } from './hit.js';
import { LatinParts } from './latin-parts.js';
import { literalScorer } from './literal.js';
import { TermVectors } from './related.js';
import { fieldFactors } from './score.js';
import { tokenCount, type PostingsCache } from './postings.js';
import { createSearchCore, pageResult, planSearch, rankPage, type BodyTokens, type PlannedSearch } from './search-core.js';
import { MAX_QUERY_CHARS } from './query.js';
import { wantsCorrection } from './result.js';
import type { AtomPlan } from './plan.js';
import { mapped } from './arrays.js';
import { querySynonyms, type SynonymMap, type SynonymOptions } from './synonyms.js';
import { suggestEntries } from './suggest.js';
import { Suggester } from './suggester.js';
import { TopicIndex } from './topics.js';
import type { IndexStats, SearchHit, SearchRequest, SearchResult, SearchService, Suggestion, Topic, TopicFilter } from './types.js';


export type SearchServiceOptions = SynonymOptions;

/**
 * Query texts whose plans a service keeps, and their characters, before it starts again: a plan is a few hundred
 * bytes for a query of a few words, tens of KB for one of MAX_QUERY_CHARS (longer texts, through the library API,
 * are planned at each search and not kept).
 */
const MAX_KEPT_PLANS = 2048;
const MAX_KEPT_PLAN_TEXT = 32 * 1024;

/** Characters of snippet clauses whose tokens a service keeps before it starts again (~10 MB of tokens). */
const MAX_KEPT_CLAUSE_CHARS = 256 * 1024;

/**
 * Hits' snippets a service keeps, by document and terms, before it starts again (a few hundred bytes each, a few MB
 * in all), and the characters of their keys.
 */
const MAX_KEPT_SNIPPETS = 4096;
const MAX_KEPT_SNIPPET_KEYS = 1024 * 1024;

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
 * A service set up in slices of `sliceMs` with the event loop free in between: what a server loads a new generation
 * with while it answers requests from the old one. Its suggestions (the longest part of the set-up: seconds at
 * scale) are indexed in slices too, before it is returned, or, given the `previous` generation's service, after:
 * the previous one answers suggestions until they are ready, so the switch does not wait for them and no request
 * waits for them either.
 */
export async function loadSearchService(
  reader: IndexReader,
  analyzer: Analyzer,
  options: SearchServiceOptions & { sliceMs: number; config?: Partial<RankingConfig>; previous?: SearchService },
): Promise<SearchService> {
  // No closure below may capture `options`: a closure would keep the previous generation (and through it every
  // earlier one, with its open files) alive for as long as this service lives.
  const { sliceMs, config = {}, previous: previousService, ...synonymOptions } = options;
  const { service, suggester } = await runInSlices(
    (function* () {
      const built = yield* serviceSteps(reader, analyzer, config, synonymOptions);
      built.latinParts.build();
      return built;
    })(),
    sliceMs,
  );
  const suggestions = runInSlices(suggester.buildSteps(), sliceMs);
  if (previousService === undefined) {
    await suggestions;
    return service;
  }
  let previous: SearchService | undefined = previousService;
  // Should the build fail, this service's own suggest() builds them again and reports the error.
  const done = () => {
    previous = undefined;
  };
  suggestions.then(done, done);
  return { ...service, suggest: (prefix, limit) => (previous ?? service).suggest(prefix, limit) };
}

function* serviceSteps(
  reader: IndexReader,
  analyzer: Analyzer,
  config: Partial<RankingConfig>,
  options: SearchServiceOptions,
): Steps<{ service: SearchService; suggester: Suggester; latinParts: LatinParts }> {
  const ranking = resolveRankingConfig(config);
  const normalize = (text: string) => analyzer.normalize(text);
  const synonyms = querySynonyms(analyzer, { learned: reader.abbreviations(), ...options });
  const meta: DocMeta = yield* docMetaSteps(reader.columns(), normalize);
  const suggester = new Suggester(normalize, () => suggestEntries(reader));
  const latinParts = new LatinParts(reader);
  const core = createSearchCore(reader, analyzer, ranking, meta, fieldFactors(reader, ranking), literalScorer(reader, ranking));
  let vectors: TermVectors | undefined;
  // Per document, whether its body keeps term characters in place (0 not known yet, 1 yes, 2 no): a scan of the
  // whole body, made at its first snippet, so its snippets' marks can come from the index's token counts.
  const inPlace = new Uint8Array(reader.docCount);
  // A page's hits ask for the lists ranking looked up (RankedPage.postings): none is looked up again per hit.
  const bodyTokens = (lists: PostingsCache): BodyTokens => (doc, body) => {
    if (inPlace[doc] === 0) inPlace[doc] = analyzer.keepsTermCharacters(body) ? 1 : 2;
    return inPlace[doc] === 1 ? (term) => tokenCount(lists.get('body', term), doc) : undefined;
  };
  const corrector = new SpellingCorrector(indexVocabulary(reader));
  // The texts of the synonym lists in force (a changed synonyms file starts it afresh, so texts it dropped go); the
  // analyzer is the index's for the service's life.
  const expansionPlans = new Map<string, AtomPlan>();
  // The query texts searched so far, parsed and planned (read, never changed), for the same lists: a text searched
  // again skips the analysis, whose tables and code are cold after the process waited (a server between requests).
  const plans = new KeptByText<Pick<PlannedSearch, 'ast' | 'plan'>>(MAX_KEPT_PLANS, MAX_KEPT_PLAN_TEXT);
  let plannedFor: SynonymMap | undefined;
  const snippetAnalyzer = keptAnalyses(analyzer);
  // The snippets of hits shown (a long text's cost most of a full answer's beyond ranking: scanning it for the terms,
  // choosing the passage, marking it), made again only when their document is shown for other terms.
  const snippets = new KeptByText<string>(MAX_KEPT_SNIPPETS, MAX_KEPT_SNIPPET_KEYS);

  function search(request: SearchRequest): SearchResult {
    const synonymMap = synonyms();
    if (synonymMap !== plannedFor) {
      expansionPlans.clear();
      plans.clear();
      plannedFor = synonymMap;
    }
    const text = request.q ?? '';
    const known = plans.get(text);
    const planned = planSearch(
      request,
      analyzer,
      { expand: (word) => synonymMap.get(word), compounds: true, latinParts: (word) => latinParts.partsOf(word), expansionPlans },
      known,
    );
    if (!known && (text.length <= MAX_QUERY_CHARS || [...text].length <= MAX_QUERY_CHARS)) plans.keep(text, { ast: planned.ast, plan: planned.plan });
    const ranked = rankPage(core, planned);
    const result = pageResult(planned, ranked, mapped(ranked.entries, ({ doc }) => reader.stored(doc)), snippetAnalyzer, bodyTokens(ranked.postings), snippets);
    const didYouMean =
      wantsCorrection(result.total, planned.plan.groups.length) ? corrector.correct(normalize(request.q ?? ''), request.q ?? '', result.total === 0) : null;
    return didYouMean === null ? result : { ...result, did_you_mean: didYouMean };
  }

  function article(id: string): StoredArticle | undefined {
    const doc = reader.docNumber(id);
    return doc === undefined ? undefined : reader.stored(doc);
  }

  function related(id: string, limit = 5): SearchHit[] | undefined {
    const doc = reader.docNumber(id);
    if (doc === undefined) return undefined;
    vectors ??= new TermVectors(reader);
    return vectors.related(doc, limit).map((match) => articleHit(reader.stored(match.doc), match.score, match.shared, analyzer, true));
  }

  let topicIndex: TopicIndex | undefined;
  function topics(limit = 20, filter: TopicFilter = {}): Topic[] {
    topicIndex ??= new TopicIndex(reader, meta, normalize);
    return topicIndex.topics(limit, filter);
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

/**
 * The analyzer, its analyses kept by text (read, never changed; all dropped past MAX_KEPT_CLAUSE_CHARS): what snippets
 * segment, a page's clauses holding query terms in one text, is segmented once, not again between searches, when the
 * segmenter's tables have gone cold. A text longer than the limit is analysed and not kept.
 */
function keptAnalyses(analyzer: Analyzer): Analyzer {
  const kept = new KeptByText<Token[]>(Infinity, MAX_KEPT_CLAUSE_CHARS);
  const analyze = (text: string): Token[] => {
    let tokens = kept.get(text);
    if (tokens === undefined) kept.keep(text, (tokens = analyzer.analyze(text)));
    return tokens;
  };
  return { ...analyzer, analyze };
}

/**
 * Values worked out from texts, kept by text within a count of texts and of their characters: all dropped when either
 * would be passed; a text longer than the characters' bound is not kept.
 */
class KeptByText<V> {
  private readonly byText = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly maxTexts: number,
    private readonly maxChars: number,
  ) {}

  get(text: string): V | undefined {
    return this.byText.get(text);
  }

  keep(text: string, value: V): void {
    if (text.length > this.maxChars) return;
    if (this.byText.size >= this.maxTexts || this.chars + text.length > this.maxChars) this.clear();
    this.byText.set(text, value);
    this.chars += text.length;
  }

  clear(): void {
    this.byText.clear();
    this.chars = 0;
  }
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
    *termDocFreqs() {
      for (const field of FIELDS) yield* reader.termDocFreqs(field);
    },
  };
}

