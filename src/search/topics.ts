/** The corpus's topics: keywords counted over the articles that are about them (aboutKeywords). */
import { aboutKeywords, runAtOnce } from '../index/index.js';
import type { IndexReader } from '../index/types.js';
import { docMetaSteps, type DocMeta } from './doc-meta.js';
import { buildFilter } from './filters.js';
import type { SearchRequest, Topic, TopicFilter } from './types.js';

/** Query filters that restrict nothing: topic filters come as a request (topicRequest). */
export const NO_QUERY_FILTERS = { category: [], tag: [], author: [], dates: [] };

/** A topic filter as the search request filters understand it (since is the lower date bound). */
export function topicRequest(filter: TopicFilter): SearchRequest {
  return { q: '', ...(filter.since && { from: filter.since }), ...(filter.category && { category: filter.category }) };
}

export class TopicIndex {
  private readonly keywords: string[] = [];
  /** For document d, its topics (ids into keywords) are entries start[d]..start[d+1] of topicIds. */
  private readonly start: Uint32Array;
  private readonly topicIds: Uint32Array;
  private unfiltered?: Topic[];

  constructor(
    reader: IndexReader,
    private readonly meta: DocMeta,
    private readonly normalize: (text: string) => string,
  ) {
    const ids = new Map<string, number>();
    const topicIds: number[] = [];
    this.start = new Uint32Array(reader.docCount + 1);
    for (let doc = 0; doc < reader.docCount; doc++) {
      for (const keyword of aboutKeywords(reader.stored(doc), normalize)) {
        let id = ids.get(keyword);
        if (id === undefined) {
          id = this.keywords.push(keyword) - 1;
          ids.set(keyword, id);
        }
        topicIds.push(id);
      }
      this.start[doc + 1] = topicIds.length;
    }
    this.topicIds = Uint32Array.from(topicIds);
  }

  /**
   * The `limit` topics with the most articles about them among the articles passing `filter` (dated `since` or later,
   * in `category`); ties go to the topic with the most recent article, then by keyword.
   */
  topics(limit: number, filter: TopicFilter = {}): Topic[] {
    const filtered = Boolean(filter.since || filter.category);
    if (!filtered && this.unfiltered && limit <= this.unfiltered.length) return this.unfiltered.slice(0, limit);
    const allowed = filtered
      ? buildFilter(this.meta, NO_QUERY_FILTERS, topicRequest(filter), this.normalize)?.has ?? null
      : null;
    const counts = new Uint32Array(this.keywords.length);
    const latest = new Float64Array(this.keywords.length).fill(-Infinity);
    for (let doc = 0; doc + 1 < this.start.length; doc++) {
      if (allowed && allowed[doc] === 0) continue;
      const date = this.meta.dateMs[doc];
      for (let i = this.start[doc]; i < this.start[doc + 1]; i++) {
        const id = this.topicIds[i];
        counts[id]++;
        if (date > latest[id]) latest[id] = date;
      }
    }
    const ranked: number[] = [];
    for (let id = 0; id < counts.length; id++) if (counts[id] > 0) ranked.push(id);
    ranked.sort((a, b) => counts[b] - counts[a] || latest[b] - latest[a] || (this.keywords[a] < this.keywords[b] ? -1 : 1));
    const result = ranked.slice(0, Math.max(limit, filtered ? 0 : CACHED_TOPICS)).map((id) => ({ keyword: this.keywords[id], count: counts[id] }));
    if (!filtered) this.unfiltered = result;
    return result.slice(0, limit);
  }
}

/** The corpus's `limit` main topics, for a reader without a search service (a static export). */
export function corpusTopics(reader: IndexReader, limit: number, normalize: (text: string) => string): Topic[] {
  return new TopicIndex(reader, runAtOnce(docMetaSteps(reader.columns(), normalize)), normalize).topics(limit);
}

/** Unfiltered topics kept once computed (the page asks for 20, the API for at most 100). */
const CACHED_TOPICS = 200;
