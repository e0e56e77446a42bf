/**
 * Brings an engine in line with an index: every article on the shard its id hashes to, each shard's rows compared
 * with the index by content hash and analyzer, so unchanged articles are not sent again, changed ones are replaced
 * and deleted ones removed, by id, on their shard. Shards are written independently: one that is down fails the run
 * (named), the others are left complete and consistent, and a rerun finishes the one that failed.
 */
import type { IndexReader } from '../types.js';
import { connectEngine, EngineError, reason, resolveShards, type EngineConnection, type ShardAddress } from './connection.js';
import { dateAttribute, engineRows, type EngineRow } from './rows.js';
import { ENGINE_FIELDS, engineDocId, fieldLengthAttribute, shardOf, WHOLE_FIELDS } from './schema.js';
import { formatAddress, type EngineUrl } from './url.js';

export interface EngineSyncOptions {
  /** Rewrite every row, whatever the engine holds. */
  full?: boolean;
  /** Called after each batch written to a shard. */
  onProgress?: (written: number, total: number) => void;
}

export interface ShardSummary {
  shard: number;
  address: string;
  articles: number;
  written: number;
  removed: number;
  /** Why this shard could not be brought up to date (then the run failed). */
  error?: string;
}

export interface EngineSyncSummary {
  url: string;
  shards: ShardSummary[];
  written: number;
  removed: number;
  unchanged: number;
}

/** A reindex that could not write every shard; the other shards are complete. */
export class EngineSyncError extends EngineError {
  constructor(message: string, readonly summary: EngineSyncSummary) {
    super(message);
    this.name = 'EngineSyncError';
  }
}

/** Rows per REPLACE statement are bounded by their size (searchd's max_packet_size is 64M in engine init's config). */
const MAX_STATEMENT_BYTES = 8 * 1024 * 1024;
const CATALOG_PAGE = 1000;

interface CatalogRow {
  id: string;
  aid: string;
  hash: string;
  analyzer: string;
}

export async function syncEngine(engine: EngineUrl, reader: IndexReader, normalize: (s: string) => string, options: EngineSyncOptions = {}): Promise<EngineSyncSummary> {
  const distributed = await connectEngine(engine);
  let shards: ShardAddress[];
  try {
    shards = await resolveShards(engine, distributed);
  } finally {
    await distributed.end().catch(() => {});
  }
  const analyzer = JSON.stringify(reader.manifest.analyzer);
  // Each article's shard, by document number.
  const wanted: number[][] = shards.map(() => []);
  for (const { doc, id } of reader.documents()) wanted[shardOf(engineDocId(id), shards.length)].push(doc);

  const total = reader.docCount;
  let written = 0;
  const progress = (count: number) => {
    written += count;
    options.onProgress?.(written, total);
  };
  const results = await Promise.all(shards.map((shard) => syncShard(shard, reader, wanted[shard.index], analyzer, normalize, options.full === true, progress)));
  const summary: EngineSyncSummary = {
    url: `sphinxql://${formatAddress(engine)}/${engine.table}`,
    shards: results,
    written: results.reduce((sum, r) => sum + r.written, 0),
    removed: results.reduce((sum, r) => sum + r.removed, 0),
    unchanged: results.reduce((sum, r) => sum + (r.error ? 0 : r.articles - r.written), 0),
  };
  const failed = results.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    const names = failed.map((r) => `分片 ${r.shard + 1}（${r.address}）：${r.error}`).join('；');
    throw new EngineSyncError(`引擎写入失败：${names}。其余分片已完整更新；分片恢复后重新运行 reindex 即可补齐。`, summary);
  }
  return summary;
}

async function syncShard(
  shard: ShardAddress,
  reader: IndexReader,
  docs: number[],
  analyzer: string,
  normalize: (s: string) => string,
  full: boolean,
  progress: (count: number) => void,
): Promise<ShardSummary> {
  const summary: ShardSummary = { shard: shard.index, address: formatAddress(shard), articles: docs.length, written: 0, removed: 0 };
  let connection: EngineConnection | undefined;
  try {
    connection = await connectEngine(shard);
    await checkTableColumns(connection, shard.table);
    const catalog = await readCatalog(connection, shard.table);
    const held = new Map(catalog.map((row) => [row.aid, row]));
    const toWrite = docs.filter((doc) => {
      const article = reader.stored(doc);
      const row = held.get(article.id);
      return full || !row || row.hash !== article.contentHash || row.analyzer !== analyzer;
    });
    const keep = new Set(docs.map((doc) => reader.stored(doc).id));
    const toRemove = catalog.filter((row) => !keep.has(row.aid)).map((row) => row.id);
    for (let i = 0; i < toRemove.length; i += CATALOG_PAGE) {
      await connection.query(`DELETE FROM ${shard.table} WHERE id IN (${toRemove.slice(i, i + CATALOG_PAGE).join(',')})`);
    }
    summary.removed = toRemove.length;
    for (const batch of engineRows(reader, toWrite, normalize)) {
      for (const statement of replaceStatements(connection, shard.table, batch, analyzer)) {
        await connection.query(statement.sql);
        summary.written += statement.rows;
        progress(statement.rows);
      }
    }
    // RT tables keep recent rows in RAM (the binlog makes them durable); FLUSH makes the shard's files current.
    await connection.query(`FLUSH RTINDEX ${shard.table}`);
  } catch (error) {
    summary.error = reason(error);
  } finally {
    await connection?.end().catch(() => {});
  }
  return summary;
}

/** A table made by an older `engine init` lacks columns this version writes: say how to remake it. */
export async function checkTableColumns(connection: EngineConnection, table: string): Promise<void> {
  const [rows] = (await connection.query(`DESCRIBE ${table}`)) as unknown as [{ Field: string }[]];
  const held = new Set(rows.map((row) => row.Field));
  const missing = COLUMNS.filter((column) => !held.has(column));
  if (missing.length > 0) {
    throw new EngineError(
      `表 ${table} 缺少列 ${missing.join('、')}（由旧版 zhsearch engine init 的配置建立）：请重新运行 zhsearch engine init，` +
        `用新配置重启 searchd（删除旧的分片数据目录），再运行 reindex --engine`,
    );
  }
}

/** Every row's id, article id, content hash and analyzer, paged by id. */
async function readCatalog(connection: EngineConnection, table: string): Promise<CatalogRow[]> {
  const rows: CatalogRow[] = [];
  let after = '0';
  for (;;) {
    const [page] = (await connection.query(
      `SELECT id, aid, hash, analyzer FROM ${table} WHERE id > ${after} ORDER BY id ASC LIMIT ${CATALOG_PAGE} OPTION max_matches=${CATALOG_PAGE}`,
    )) as unknown as [CatalogRow[]];
    rows.push(...page.map((row) => ({ ...row, id: String(row.id) })));
    if (page.length < CATALOG_PAGE) return rows;
    after = String(page[page.length - 1].id);
  }
}

const COLUMNS = ['id', ...ENGINE_FIELDS, 'aid', 'hash', 'analyzer', 'doc', 'txt', 'pos', 'dt', 'wall', 'year', 'author_key', 'src_bytes', 'written', ...WHOLE_FIELDS.map(fieldLengthAttribute), 'cat_keys', 'tag_keys', 'topic_keys'];

function* replaceStatements(connection: EngineConnection, table: string, rows: EngineRow[], analyzer: string): Generator<{ sql: string; rows: number }> {
  const head = `REPLACE INTO ${table} (${COLUMNS.join(', ')}) VALUES `;
  let values: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const tuple = rowValues(connection, row, analyzer);
    if (values.length > 0 && bytes + tuple.length > MAX_STATEMENT_BYTES) {
      yield { sql: head + values.join(', '), rows: values.length };
      values = [];
      bytes = 0;
    }
    values.push(tuple);
    bytes += Buffer.byteLength(tuple);
  }
  if (values.length > 0) yield { sql: head + values.join(', '), rows: values.length };
}

function rowValues(connection: EngineConnection, row: EngineRow, analyzer: string): string {
  const { text, ...stored } = row.article;
  // The year of the site's calendar, as the embedded index's year facet counts it.
  const year = Number.isNaN(row.wallMs) ? 0 : new Date(row.wallMs).getUTCFullYear();
  const parts = [
    row.id.toString(),
    ...ENGINE_FIELDS.map((field) => connection.escape(row.fields[field] ?? '')),
    connection.escape(row.articleId),
    connection.escape(row.article.contentHash),
    connection.escape(analyzer),
    connection.escape(storedString(stored)),
    connection.escape(storedString(text)),
    connection.escape(row.positions),
    String(dateAttribute(row.dateMs)),
    String(dateAttribute(row.wallMs)),
    String(year),
    String(row.authorKey),
    String(row.article.bytes),
    String(Math.floor(Date.now() / 1000)),
    ...row.fieldLengths.map(String),
    `(${row.categoryKeys.join(',')})`,
    `(${row.tagKeys.join(',')})`,
    `(${row.topicKeys.join(',')})`,
  ];
  return `(${parts.join(', ')})`;
}

/**
 * A stored value as JSON with every character outside the Basic Multilingual Plane escaped: Sphinx 2.2 mangles
 * 4-byte UTF-8 (emoji, rare CJK) in string attributes, and JSON also keeps NUL and other control characters intact.
 */
export function storedString(value: unknown): string {
  return JSON.stringify(value).replace(/[\u{10000}-\u{10ffff}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`);
}
