/**
 * The SphinxQL engine as a SearchBackend: queries go to the distributed table, which fans them out to the shards
 * and merges. The query is parsed and analysed here with the analyzer that wrote the engine's rows; snippets, marks
 * and facet labels come from zhsearch's own stored fields in the rows, never from the engine's text processing.
 * A shard that is down or slow (the distributed table's agent timeouts) leaves its articles out of the answer, which
 * says so (`partial`, `missing_shards`); an engine that cannot be reached at all is EngineUnavailableError (HTTP 503).
 */
import mysql from 'mysql2/promise';
import type { Analyzer } from '../analysis/types.js';
import {
  checkTableColumns,
  CONNECT_TIMEOUT_MS,
  connectEngine,
  engineDocId,
  engineTerm,
  facetAttribute,
  categoryAncestors,
  facetKey,
  formatAddress,
  resolveShards,
  type EngineUrl,
  type ShardAddress,
  WHOLE_FIELDS,
} from '../index/index.js';
import type { StoredArticle } from '../index/types.js';
import { resolveRankingConfig, type RankingConfig } from './config.js';
import { candidateColumns, rankedCandidates, rarityStatements, rowPostings, type EngineStatistics } from './engine-rescore.js';
import {
  exclusionExpression,
  fieldAveragesQuery,
  fieldIdentities,
  filterConditions,
  matchExpression,
  rankerExpression,
  rankerShape,
  SCORE_SCALE,
  type FieldAverages,
} from './engine-query.js';
import { orderFacetValues } from './facets.js';
import { articleHit, articleHits } from './hit.js';
import { requestedPage, searchResult } from './result.js';
import { analyzerForIndex, type QueryAnalyzerOptions } from './open-index.js';
import { expansions, planQuery, planTerms, type QueryPlan } from './plan.js';
import type { PostingsCache } from './postings.js';
import { hitTerms } from './search-core.js';
import { querySynonyms, type SynonymOptions } from './synonyms.js';
import { parseQuery } from './query.js';
import { NO_QUERY_FILTERS, topicRequest } from './topics.js';
import type { FacetValue, IndexStats, SearchBackend, SearchHit, SearchRequest, SearchResult, Suggestion, Topic, TopicFilter } from './types.js';

/** Client-side bound on one statement: above the distributed table's agent timeouts (1 s connect + 5 s query). */
export const ENGINE_QUERY_TIMEOUT_MS = 10_000;
/** How long the average field lengths the ranker uses are kept. */
const AVERAGES_TTL_MS = 60_000;
/** Groups fetched per facet before ordering (the engine merges each shard's groups). */
const FACET_GROUPS = 1000;
/**
 * Candidates of a search by relevance ranked by zhsearch's own code, in multiples of the head it re-ranks
 * (rescoreDepth): the engine's expression orders a word's many near-equal articles otherwise than the embedded
 * BM25F, so the embedded index's head lies deeper in the engine's ranking.
 */
const CANDIDATES_PER_HEAD = 2;
/** Excluded articles looked up when a query has only -words (the rest are listed). */
const MAX_EXCLUDED = 10_000;

/** Groups read at most when learning facet labels (an article's other values come along: they are learnt too). */
const MAX_LABEL_GROUPS = 10_000;

/** A facet of stored values grouped by a key attribute. */
interface Facet {
  attribute: string;
  values: (doc: StoredArticle) => string[];
}

const FACETS: readonly Facet[] = [
  { attribute: 'cat_keys', values: (doc) => doc.categories.flatMap(categoryAncestors) },
  { attribute: 'tag_keys', values: (doc) => doc.tags },
  { attribute: 'author_key', values: (doc) => (doc.author ? [doc.author] : []) },
];

/** The engine cannot answer at all (down, unreachable, refuses the query); the server answers 503. */
export class EngineUnavailableError extends Error {
  readonly status = 503;
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

export interface EngineBackendOptions extends QueryAnalyzerOptions, SynonymOptions {
  engine: EngineUrl;
  ranking?: Partial<RankingConfig>;
}

type Row = Record<string, unknown>;
/** A page row's document number in the search's postings (no column of the engine is so named). */
const AT = 'at';

/**
 * A table made by an older `engine init` lacks columns the search reads: refused at start with the columns named
 * (EngineError), not as searchd's error on every search. A shard that is down now is reported by each search instead.
 */
async function checkShardColumns(shard: ShardAddress): Promise<void> {
  const connection = await connectEngine(shard).catch(() => undefined);
  if (connection === undefined) return;
  try {
    await checkTableColumns(connection, shard.table);
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Connects, reads the analyzer the engine's rows were written with, and answers with the same one. */
export async function engineBackend(options: EngineBackendOptions): Promise<SearchBackend> {
  const { engine } = options;
  const table = engine.table;
  const where = `sphinxql://${formatAddress(engine)}/${table}`;
  // Checks the engine is there and finds the shards (their SphinxQL listeners, for stats).
  const probe = await connectEngine(engine).catch((error: Error) => {
    throw new EngineUnavailableError(error.message);
  });
  let shards: ShardAddress[];
  let identityText: string | undefined;
  try {
    shards = await resolveShards(engine, probe);
    await Promise.all(shards.map(checkShardColumns));
    const [rows] = (await probe.query(`SELECT analyzer FROM ${table} LIMIT 1`)) as unknown as [Row[]];
    identityText = rows[0]?.analyzer as string | undefined;
  } finally {
    await probe.end().catch(() => {});
  }
  if (identityText === undefined) throw new EngineUnavailableError(`引擎 ${where} 中还没有文章：请先运行 zhsearch reindex --engine ${where}`);
  const identity = JSON.parse(identityText);
  // Refuses (AnalyzerMismatchError) a query analyzer other than the one that wrote the rows.
  const analyzer: Analyzer = analyzerForIndex(identity, options);
  const normalize = (text: string) => analyzer.normalize(text);
  const synonyms = querySynonyms(analyzer, options);
  const ranking = resolveRankingConfig(options.ranking);
  const pool = mysql.createPool({
    host: engine.host,
    port: engine.port,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionLimit: 8,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: true,
  });

  /** Runs statements (one batch); the engine being unreachable or refusing them is EngineUnavailableError. */
  async function run(sql: string): Promise<Row[][]> {
    try {
      const [results] = (await pool.query({ sql, timeout: ENGINE_QUERY_TIMEOUT_MS })) as unknown as [Row[] | Row[][]];
      return sql.includes(';') ? (results as Row[][]) : [results as Row[]];
    } catch (error) {
      throw new EngineUnavailableError(`引擎 ${where} 无法回答：${(error as Error).message}`);
    }
  }

  // The ranker needs the average field lengths; they drift slowly as articles are written, so they are read now and then.
  let statistics: EngineStatistics | undefined;
  let statisticsAt = -Infinity;
  async function engineStatistics(): Promise<EngineStatistics> {
    if (statistics === undefined || performance.now() - statisticsAt > AVERAGES_TTL_MS) {
      const [[row]] = await run(fieldAveragesQuery(table));
      const averages = Object.fromEntries(WHOLE_FIELDS.map((field) => [field, Number(row?.[field] ?? 0)])) as FieldAverages;
      statistics = { docCount: Number(row?.docs ?? 0), averages };
      statisticsAt = performance.now();
    }
    return statistics;
  }
  async function rankerOption(plan: QueryPlan): Promise<string> {
    const { averages } = await engineStatistics();
    return expressionRanker(rankerExpression(ranking, averages, rankerShape(plan)));
  }
  // Unnormalised idf (not divided by the query's keyword count), so that the scores of different queries for the
  // alternatives of one OR compare.
  const expressionRanker = (expression: string) => `ranker=expr('${expression}'), ${fieldIdentities()}, idf='plain,tfidf_unnormalized'`;

  /** Shards named in the engine's warnings (an agent that failed or timed out). */
  function missingShards(meta: Row[]): string[] {
    const warning = meta.find((row) => row.Variable_name === 'warning')?.Value as string | undefined;
    if (!warning) return [];
    const named = shards.filter((shard) => shard.agent !== undefined && warning.includes(shard.agent.split(':').slice(0, 2).join(':')));
    return named.length > 0 ? named.map(shardName) : [warning];
  }

  async function search(request: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const paging = requestedPage(request);
    const { page, size } = paging;
    const ast = parseQuery(request.q ?? '');
    const synonymMap = synonyms();
    // The embedded backend's plan: synonyms as alternatives, short words the segmenter cut as one slot.
    const plan = planQuery(ast, analyzer, { expand: (word) => synonymMap.get(word), compounds: true });
    const match = matchExpression(plan, ranking);
    const conditions = filterConditions(ast.filters, request, normalize);
    if (match === null) {
      const excluded = exclusionExpression(plan);
      if (excluded !== null) {
        const [ids] = await run(`SELECT id FROM ${table} WHERE MATCH(${quote(excluded)}) LIMIT ${MAX_EXCLUDED} OPTION max_matches=${MAX_EXCLUDED}, ranker=none`);
        if (ids.length > 0) conditions.push(`id NOT IN (${ids.map((row) => String(row.id)).join(',')})`);
      }
    }
    const filters = [...(match === null ? [] : [`MATCH(${quote(match)})`]), ...conditions];
    const whereClause = whereOf(filters);
    const byDate = request.sort === 'date' || match === null;
    const wanted = page * size;
    // By relevance, the engine's first candidates are ranked again by zhsearch's own scoring (rankedCandidates),
    // then the page is cut from them.
    const fetched = byDate ? wanted : Math.max(wanted, ranking.rescoreDepth * CANDIDATES_PER_HEAD);
    // What that ranking and the hits' matched terms need (field lengths, the query's terms' positions) is read by id
    // for the rows kept: in the ranking statement, each shard would look the terms up in every matching row.
    const columns = match === null ? null : candidateColumns(plan);
    // One OR group of several alternatives: each alternative ranks its own candidates (bestAlternatives); the whole
    // query then only counts the matches (no ranking, one row).
    const apart = !byDate && alternativesApart(plan);
    const withSnippets = request.snippets !== false;
    // max_matches is what each shard sends back to the distributed table: only the rows up to what is needed (the
    // total is counted apart). The ranked rows carry no stored fields: those are read for the page's hits only.
    const options = apart ? 'max_matches=1, ranker=none' : [`max_matches=${fetched}`, ...(match === null ? [] : [await rankerOption(plan)])].join(', ');
    const order = byDate ? 'dt DESC, aid ASC' : 'w DESC, aid ASC';
    const limit = apart ? '0, 1' : byDate ? `${(page - 1) * size}, ${size}` : `0, ${fetched}`;
    const statements = [`SELECT id, WEIGHT() AS w, aid FROM ${table}${whereClause} ORDER BY ${order} LIMIT ${limit} OPTION ${options}`, 'SHOW META'];
    const withFacets = request.facets !== false;
    if (withFacets) {
      // Each facet: the matching articles grouped by one attribute (an MVA groups by each of its values).
      const grouped = (attribute: string) =>
        `SELECT GROUPBY() AS g, COUNT(*) AS c FROM ${table}${whereClause} GROUP BY ${attribute} ` +
        `ORDER BY c DESC LIMIT ${FACET_GROUPS} OPTION max_matches=${FACET_GROUPS}, ranker=none`;
      // The same conditions in all four, the articles without an author or a year being the group 0, dropped below:
      // the engine spent about 12 % more CPU on the facets with a condition of their own for those two (by hand).
      statements.push(grouped('cat_keys'), grouped('tag_keys'), grouped('author_key'), grouped('year'));
    }
    // What ranking the candidates again needs beyond them (each alternative's candidates, each slot's rarity) is
    // asked with the ranking, in the same batch.
    const alternativesAt = statements.length;
    if (apart) statements.push(...(await alternativeStatements(plan, conditions, fetched)));
    const rarityAt = statements.length;
    const rarity = byDate ? null : rarityStatements(table, plan, quote);
    if (rarity) statements.push(...rarity.statements);
    const results = await run(statements.join('; '));
    const [unionRows, meta] = results;
    const stored = ['doc', ...(withSnippets ? ['txt'] : [])];
    let rows: Row[];
    // The query's terms in each hit, from its positions, as the embedded index finds them in its postings; a page
    // row's document there is AT.
    let postings: PostingsCache | null = null;
    if (byDate) {
      rows = (await withColumns(unionRows, [...stored, ...(columns?.select ?? [])])).map((row, i) => ({ ...row, [AT]: i }));
      if (columns) postings = rowPostings(rows, columns.terms);
    } else {
      const candidates = await withColumns(apart ? bestAlternatives(results.slice(alternativesAt, rarityAt), fetched) : unionRows, columns!.select);
      const rarities = rarity!.read(results.slice(rarityAt), keywordDocs(meta));
      const scored = rankedCandidates(plan, candidates, columns!.terms, rarities, ranking, await engineStatistics());
      postings = scored.postings;
      // Scores (w) are zhsearch's, times SCORE_SCALE.
      const ranked = scored.ranked.slice((page - 1) * size, wanted).map(({ doc, score }): Row => ({ ...candidates[doc]!, w: score * SCORE_SCALE, [AT]: doc }));
      rows = await withColumns(ranked, stored);
    }
    const total = Number(meta.find((row) => row.Variable_name === 'total_found')?.Value ?? 0);
    const terms = planTerms(plan);
    const hits = articleHits(
      rows.map((row) => {
        const article = storedArticle(row);
        const score = byDate && match === null ? 0 : Number(row.w) / SCORE_SCALE;
        if (postings === null) return { article, score, matched: [] };
        const { matchedTerms, ...marks } = hitTerms(postings, plan, terms, Number(row[AT]));
        return { article, score, matched: matchedTerms, ...marks };
      }),
      analyzer,
      withSnippets,
    );
    const missing = missingShards(meta);
    const groups = withFacets ? results.slice(2, 6).map((rows) => rows.filter((row) => Number(row.g) !== 0)) : [];
    if (withFacets) await learnFacetLabels(FACETS.map((facet, i) => ({ facet, keys: groups[i]!.map((row) => Number(row.g)) })));
    const facets = withFacets
      ? {
          category: facetValues(groups[0]!, FACETS[0]),
          tag: facetValues(groups[1]!, FACETS[1]),
          author: facetValues(groups[2]!, FACETS[2]),
          year: groups[3]!.map((row) => ({ value: String(row.g), count: Number(row.c) })).sort((a, b) => Number(b.value) - Number(a.value)),
        }
      : undefined;
    const result = searchResult(request, started, paging, total, hits, facets, expansions(plan));
    if (missing.length > 0) {
      result.partial = true;
      result.missing_shards = missing;
    }
    return result;
  }

  /**
   * A query of one OR group (芯片 OR 半导体, a word with its synonyms): candidates from each alternative's own ranking,
   * not only from one expression over all keywords (which ranks by the sum over all of them). One statement per
   * alternative ranks its first `count` articles; bestAlternatives merges them by their best score, and rankedCandidates
   * ranks each article by its best alternative.
   */
  async function alternativeStatements(plan: QueryPlan, conditions: string[], count: number): Promise<string[]> {
    const statements: string[] = [];
    for (const alternative of plan.groups[0].alternatives) {
      const single: QueryPlan = { groups: [{ alternatives: [alternative], required: false }], excludes: plan.excludes };
      const filters = [`MATCH(${quote(matchExpression(single, ranking)!)})`, ...conditions];
      statements.push(
        `SELECT id, WEIGHT() AS w, aid FROM ${table}${whereOf(filters)} ORDER BY w DESC, aid ASC LIMIT ${count} ` +
          `OPTION max_matches=${count}, ${await rankerOption(single)}`,
      );
    }
    return statements;
  }

  /**
   * The ranked rows (in order) with more columns, read in one statement by id: fetched with the ranking, every shard
   * would compute them for each row matching the query (and send the stored text of every candidate it ranked), which
   * cost more than the search itself. A row whose shard stopped answering in between is left out.
   */
  async function withColumns(ranked: Row[], more: string[]): Promise<Row[]> {
    if (ranked.length === 0) return [];
    const ids = ranked.map((row) => String(row.id));
    const columns = ['id', ...more];
    const [stored] = await run(`SELECT ${columns.join(', ')} FROM ${table} WHERE id IN (${ids.join(',')}) LIMIT ${ids.length} OPTION max_matches=${ids.length}`);
    const byId = new Map(stored.map((row) => [String(row.id), row]));
    return ranked.flatMap((row) => {
      const fields = byId.get(String(row.id));
      return fields ? [{ ...row, ...fields }] : [];
    });
  }

  /**
   * Facet labels by key, learnt from stored fields once: the groups of a search carry keys only (reading a stored
   * document per group cost more than the search). A key first seen is looked up with one article per group.
   */
  const facetLabels = new Map<Facet, Map<number, string>>(FACETS.map((facet) => [facet, new Map()]));

  async function learnFacetLabels(wanted: { facet: Facet; keys: number[] }[]): Promise<void> {
    const unknown = wanted.map(({ facet, keys }) => ({ facet, keys: keys.filter((key) => !facetLabels.get(facet)!.has(key)) })).filter(({ keys }) => keys.length > 0);
    if (unknown.length === 0) return;
    const statements = unknown.map(
      ({ facet, keys }) =>
        `SELECT GROUPBY() AS g, doc FROM ${table} WHERE ${facet.attribute} IN (${keys.join(',')}) GROUP BY ${facet.attribute} ` +
        `LIMIT ${MAX_LABEL_GROUPS} OPTION max_matches=${MAX_LABEL_GROUPS}`,
    );
    const results = await run(statements.join('; '));
    unknown.forEach(({ facet }, i) => {
      const labels = facetLabels.get(facet)!;
      for (const row of results[i]) {
        // The spelling in the group's first article, as the embedded index keeps the first spelling seen.
        for (const value of facet.values(JSON.parse(String(row.doc)) as StoredArticle)) {
          const key = facetAttribute(facetKey(value.trim(), normalize));
          if (!labels.has(key)) labels.set(key, value.trim());
        }
      }
    });
  }

  function facetValues(rows: Row[], facet: Facet): FacetValue[] {
    const labels = facetLabels.get(facet)!;
    return orderFacetValues(rows.map((row) => ({ value: labels.get(Number(row.g)) ?? String(row.g), count: Number(row.c) })));
  }

  async function article(id: string): Promise<StoredArticle | undefined> {
    const [rows] = await run(`SELECT doc, txt FROM ${table} WHERE id = ${engineDocId(id)}`);
    const found = rows.map(storedArticle).find((a) => a.id === id);
    return found;
  }

  async function related(id: string, limit = 5): Promise<SearchHit[] | undefined> {
    const own = await article(id);
    if (!own) return undefined;
    const words = [...new Set(own.keywords.map(engineTerm))];
    if (words.length === 0 || limit <= 0) return [];
    // More like this: articles sharing its keywords (in their keywords, less in their titles), rarer ones weighing more.
    const [ranked] = await run(
      `SELECT id, WEIGHT() AS w FROM ${table} WHERE MATCH(${quote(`@(keywords,title) (${words.join(' | ')})`)}) AND id != ${engineDocId(id)} ` +
        `ORDER BY w DESC, aid ASC LIMIT ${limit} OPTION max_matches=${limit}, ranker=expr('${SCORE_SCALE} * (bm25f(${ranking.k1}, 0, {keywords=2, title=1}) - 0.5)'), idf='plain'`,
    );
    const rows = await withColumns(ranked, ['doc', 'txt']);
    const ownKeywords = new Set(own.keywords);
    return rows.map((row) => {
      const other = storedArticle(row);
      const shared = own.keywords.filter((keyword) => other.keywords.includes(keyword) && ownKeywords.has(keyword));
      return articleHit(other, Number(row.w) / SCORE_SCALE, shared, analyzer, true);
    });
  }

  async function topics(limit = 20, filter: TopicFilter = {}): Promise<Topic[]> {
    const conditions = filterConditions(NO_QUERY_FILTERS, topicRequest(filter), normalize);
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const [rows] = await run(`SELECT GROUPBY() AS g, COUNT(*) AS c, MAX(dt) AS latest, doc FROM ${table}${where} GROUP BY topic_keys ORDER BY c DESC LIMIT ${FACET_GROUPS} OPTION max_matches=${FACET_GROUPS}`);
    const found = rows.map((row) => {
      const doc = JSON.parse(String(row.doc)) as StoredArticle;
      const keyword = doc.keywords.find((k) => facetAttribute(k) === Number(row.g));
      return { keyword: keyword ?? '', count: Number(row.c), latest: Number(row.latest) };
    });
    // As the embedded index orders them: most articles, then the most recent article, then by keyword.
    return found
      .filter((topic) => topic.keyword !== '')
      .sort((a, b) => b.count - a.count || b.latest - a.latest || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0))
      .slice(0, limit)
      .map(({ keyword, count }) => ({ keyword, count }));
  }

  async function suggest(prefix: string, limit = 8): Promise<Suggestion[]> {
    const typed = normalize(prefix ?? '').replace(/\s+/g, '');
    if (!typed || limit <= 0) return [];
    const words = analyzer.analyzeQuery(prefix).filter((token, i, all) => i === 0 || token.position !== all[i - 1].position);
    if (words.length === 0) return [];
    // The last word may be unfinished: it is matched as a prefix of the titles', tags' and keywords' words.
    const query = words.map((token, i) => engineTerm(token.term) + (i === words.length - 1 ? '*' : '')).join(' ');
    const [rows] = await run(`SELECT doc FROM ${table} WHERE MATCH(${quote(`@(title,tags,keywords,sub_title,sub_tags) ${query}`)}) LIMIT ${limit * 5} OPTION max_matches=${limit * 5}`);
    const entries: Suggestion[] = [];
    for (const row of rows) {
      const doc = JSON.parse(String(row.doc)) as StoredArticle;
      entries.push({ text: doc.title, kind: 'title' });
      for (const tag of doc.tags) entries.push({ text: tag, kind: 'tag' });
      for (const keyword of doc.keywords) entries.push({ text: keyword, kind: 'keyword' });
    }
    const seen = new Set<string>();
    const matching = entries.filter((entry) => {
      const key = normalize(entry.text).replace(/\s+/g, '');
      if (seen.has(entry.text) || !key.includes(typed)) return false;
      seen.add(entry.text);
      return true;
    });
    const starts = (entry: Suggestion) => normalize(entry.text).replace(/\s+/g, '').startsWith(typed);
    return [...matching.filter(starts), ...matching.filter((entry) => !starts(entry))].slice(0, limit);
  }

  async function stats(): Promise<IndexStats> {
    const [[totals]] = await run(`SELECT COUNT(*) AS n, MAX(written) AS newest, SUM(src_bytes) AS total_bytes FROM ${table}`);
    const files = await Promise.all(shards.map(shardStatus));
    return {
      articles: Number(totals?.n ?? 0),
      // The engine does not count distinct terms.
      terms: 0,
      generation: where,
      builtAt: new Date(Number(totals?.newest ?? 0) * 1000).toISOString(),
      analyzer: { ...analyzer.identity },
      sourceBytes: Number(totals?.total_bytes ?? 0),
      files,
    };
  }

  return {
    kind: 'sphinxql',
    search,
    suggest,
    article,
    related,
    topics,
    stats,
    close: () => pool.end(),
  };
}

/** A shard's size in RAM and on disk, from its own SphinxQL listener; 0 bytes when it cannot be reached. */
async function shardStatus(shard: ShardAddress): Promise<{ name: string; bytes: number }> {
  const name = shardName(shard);
  try {
    const connection = await connectEngine(shard);
    try {
      const [rows] = (await connection.query({ sql: `SHOW INDEX ${shard.table} STATUS`, timeout: ENGINE_QUERY_TIMEOUT_MS })) as unknown as [Row[]];
      const value = (key: string) => Number(rows.find((row) => row.Variable_name === key)?.Value ?? 0);
      return { name, bytes: value('ram_bytes') + value('disk_bytes') };
    } finally {
      await connection.end().catch(() => {});
    }
  } catch {
    return { name: `${name}（无法连接）`, bytes: 0 };
  }
}

function shardName(shard: ShardAddress): string {
  return `${shard.table}@${formatAddress(shard)}`;
}

/** A row's stored fields (JSON attributes written by the engine writer). */
function storedArticle(row: Row): StoredArticle {
  const doc = JSON.parse(String(row.doc)) as Omit<StoredArticle, 'text'>;
  return { ...doc, text: row.txt === undefined ? '' : (JSON.parse(String(row.txt)) as string) } as StoredArticle;
}

/** docs[i] of SHOW META (the articles having keyword[i], over the whole engine), by keyword. */
function keywordDocs(meta: Row[]): Map<string, number> {
  const keywords = metaKeywords(meta);
  const docs = new Map<string, number>();
  for (const row of meta) {
    const match = /^docs\[(\d+)\]$/.exec(String(row.Variable_name));
    if (match && keywords[Number(match[1])] !== undefined) docs.set(keywords[Number(match[1])], Number(row.Value));
  }
  return docs;
}

/** keyword[i] of SHOW META, by i. */
function metaKeywords(meta: Row[]): string[] {
  const keywords: string[] = [];
  for (const row of meta) {
    const match = /^keyword\[(\d+)\]$/.exec(String(row.Variable_name));
    if (match) keywords[Number(match[1])] = String(row.Value);
  }
  return keywords;
}

/** Each alternative's ranked rows merged: each article once, at its best score, the first `count` of them. */
function bestAlternatives(results: Row[][], count: number): Row[] {
  const best = new Map<string, Row>();
  for (const rows of results) {
    for (const row of rows) {
      const seen = best.get(String(row.id));
      if (seen === undefined || Number(row.w) > Number(seen.w)) best.set(String(row.id), row);
    }
  }
  return [...best.values()].sort((a, b) => Number(b.w) - Number(a.w) || compareAid(String(a.aid), String(b.aid))).slice(0, count);
}

/** Whether the query is one group of several alternatives, ranked apart (alternativeStatements). */
function alternativesApart(plan: QueryPlan): boolean {
  return plan.groups.length === 1 && !plan.groups[0].required && plan.groups[0].alternatives.length > 1;
}

function compareAid(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function whereOf(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** A SphinxQL string literal (the MATCH text is made of engine terms and operators only). */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

