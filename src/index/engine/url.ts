/**
 * Where an engine lives: `sphinxql://HOST:PORT[/TABLE][?shards=HOST:PORT,HOST:PORT]`. HOST:PORT is the SphinxQL
 * listener of the searchd holding the distributed table TABLE (default `zhsearch`); the shards are its agents, real-time
 * tables `TABLE_1` … `TABLE_N`. Queries go to the distributed table; writes go to each shard's own SphinxQL listener,
 * which `shards=` lists in shard order (without it they are found from the distributed table, see resolveShards).
 */

export interface EngineAddress {
  host: string;
  port: number;
}

export interface EngineUrl extends EngineAddress {
  table: string;
  /** SphinxQL listeners of the shards, in shard order; undefined: ask the distributed table. */
  shards?: EngineAddress[];
}

export const ENGINE_URL_ENV = 'ZHSEARCH_ENGINE';
export const DEFAULT_ENGINE_TABLE = 'zhsearch';
const DEFAULT_SPHINXQL_PORT = 9306;
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/i;

/** Thrown for a malformed engine URL; the message (Chinese) names the part that is wrong. */
export class EngineUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUrlError';
  }
}

export function parseEngineUrl(text: string): EngineUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngineUrlError(`引擎地址无法解析：${JSON.stringify(text)}（应为 sphinxql://主机:端口[/表名]）`);
  }
  if (url.protocol !== 'sphinxql:') throw new EngineUrlError(`引擎地址须以 sphinxql:// 开头：${JSON.stringify(text)}`);
  if (!url.hostname) throw new EngineUrlError(`引擎地址缺少主机：${JSON.stringify(text)}`);
  const table = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || DEFAULT_ENGINE_TABLE;
  if (!TABLE_NAME.test(table)) throw new EngineUrlError(`引擎表名无效：${JSON.stringify(table)}（只能用字母、数字和下划线）`);
  const engine: EngineUrl = { host: url.hostname, port: url.port ? Number(url.port) : DEFAULT_SPHINXQL_PORT, table };
  const shards = url.searchParams.get('shards');
  if (shards !== null) engine.shards = shards.split(',').map((part) => parseAddress(part.trim(), text));
  return engine;
}

function parseAddress(part: string, text: string): EngineAddress {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(part);
  if (!match || Number(match[2]) > 65535) throw new EngineUrlError(`引擎地址的 shards 参数中 ${JSON.stringify(part)} 不是 主机:端口（${text}）`);
  return { host: match[1], port: Number(match[2]) };
}

/** The real-time table of shard `index` (0-based). */
export function shardTable(table: string, index: number): string {
  return `${table}_${index + 1}`;
}

export function formatAddress(address: EngineAddress): string {
  return `${address.host}:${address.port}`;
}
