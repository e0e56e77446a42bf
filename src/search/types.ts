/** Request/response shapes of search, shared by the CLI (`--json`) and the HTTP API. */

export type SortOrder = 'relevance' | 'date';

export interface SearchRequest {
  q: string;
  /** 1-based. */
  page?: number;
  size?: number;
  /** Filters; several values of one filter match articles having any of them (`filterValues` reads both forms). */
  category?: string | string[];
  tag?: string | string[];
  author?: string | string[];
  /** Inclusive date bounds, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  sort?: SortOrder;
  /** Count facets over all matches (default true); false leaves every facet list empty and answers sooner. */
  facets?: boolean;
  /** Build snippets (default true); false leaves `snippet` empty and never reads the stored body text. */
  snippets?: boolean;
}

export interface SearchHit {
  id: string;
  title: string;
  /** The article's page: on its Hexo site when there is one, else `/articles/<id>`; only http(s) or site paths. */
  url: string;
  /** With the site's offset: `2022-03-01T07:30:00+08:00`. */
  date: string | null;
  /** Front matter `updated`, same form; null when absent. */
  updated: string | null;
  author: string | null;
  /** Category paths (`编程 › 运维 › 笔记`). */
  categories: string[];
  tags: string[];
  score: number;
  /** HTML: matched terms in <mark>, everything else escaped. */
  snippet: string;
  matched_terms: string[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface QueryExpansion {
  word: string;
  to: string[];
}

export interface SearchResult {
  query: string;
  total: number;
  took_ms: number;
  page: number;
  size: number;
  hits: SearchHit[];
  /** Query words a synonym or abbreviation expanded (新基建 → 新型基础设施, 新基础设施); scored below the words typed. */
  expanded?: QueryExpansion[];
  facets: { category: FacetValue[]; tag: FacetValue[]; author: FacetValue[]; year: FacetValue[] };
  /** Set when some shards of an engine did not answer (down or too slow): the hits, total and facets leave their articles out. */
  partial?: true;
  /** The shards that did not answer (`table@host:port`). */
  missing_shards?: string[];
  /** When little or nothing is found: the query with its unknown words replaced by the index's closest known words. */
  did_you_mean?: string;
  /**
   * Set when the query has only stop words (我们, 如何, the) and this backend cannot search for them (a static export
   * has no texts at hand; the server reads its stored texts): those words, and nothing is found.
   */
  stop_words_only?: string[];
}

export interface Suggestion {
  text: string;
  kind: 'title' | 'tag' | 'keyword';
  /** A title's article link (the hit's `url`), so choosing the title opens the article. */
  url?: string;
}

export interface Topic {
  keyword: string;
  /** Articles about it: with it among their keywords and named in their title, tags or categories. */
  count: number;
}

/** Which articles topics are counted over. */
export interface TopicFilter {
  /** Only articles dated on or after this day (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); undated ones drop out. */
  since?: string;
  /** Only articles in this category. */
  category?: string;
}

export interface IndexStats {
  articles: number;
  terms: number;
  generation: string;
  builtAt: string;
  analyzer: { segmenter: string; version: string; dictHash: string; rules: string };
  sourceBytes: number;
  files: { name: string; bytes: number }[];
}

/**
 * One search engine behind the server, the CLI and the page, which never know which one answers:
 * the embedded index, a SphinxQL engine, or a static export's browser runtime. Asynchronous, because
 * an engine answers over the network.
 */
export interface SearchBackend {
  /** Which implementation answers ('embedded', 'sphinxql', …), for logs and /healthz. */
  readonly kind: string;
  search(request: SearchRequest): Promise<SearchResult>;
  suggest(prefix: string, limit?: number): Promise<Suggestion[]>;
  /** Stored fields of one article, or undefined for an unknown id. */
  article(id: string): Promise<import('../index/types.js').StoredArticle | undefined>;
  /** Most similar articles; undefined for an unknown id. */
  related(id: string, limit?: number): Promise<SearchHit[] | undefined>;
  topics(limit?: number, filter?: TopicFilter): Promise<Topic[]>;
  stats(): Promise<IndexStats>;
  /** Releases connections or files; the backend answers nothing after it. */
  close(): Promise<void>;
}

/** The embedded index in-process, synchronously: one loaded index plus the analyzer that built it. */
export interface SearchService {
  search(request: SearchRequest): SearchResult;
  /** As-you-type completions (a prefix index over titles, tags, keywords). */
  suggest(prefix: string, limit?: number): Suggestion[];
  /** Stored fields of one article, or undefined for an unknown id. */
  article(id: string): import('../index/types.js').StoredArticle | undefined;
  /** Most similar articles (by keyword/term vectors); undefined for an unknown id. */
  related(id: string, limit?: number): SearchHit[] | undefined;
  /** The corpus's main topics with the number of articles about each, most first (see TopicIndex). */
  topics(limit?: number, filter?: TopicFilter): Topic[];
  stats(): IndexStats;
}
