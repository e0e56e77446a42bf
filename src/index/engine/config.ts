/**
 * `zhsearch engine init`: searchd configuration files for N shards and the distributed table on one machine.
 * Shard i (1-based) answers SphinxQL on PORT+i and the agent protocol on PORT+N+i; the distributed table answers
 * SphinxQL on PORT and fans each query out to the shards' agent ports, in parallel, with timeouts, so a shard that is
 * down or slow costs at most those timeouts and its absence is reported, not hidden.
 */
import path from 'node:path';
import { CHARSET_TABLE, ENGINE_ATTRIBUTES, ENGINE_FIELDS, FILLER } from './schema.js';
import { shardTable } from './url.js';

export interface EngineLayout {
  /** Absolute directory holding the config files, data, logs and pid files. */
  dir: string;
  shards: number;
  /** SphinxQL port of the distributed table; shards use the ports after it. */
  port: number;
  table: string;
  host: string;
}

/** Milliseconds the distributed table waits to connect to a shard, then for its answer. */
export const AGENT_CONNECT_TIMEOUT_MS = 1000;
export const AGENT_QUERY_TIMEOUT_MS = 5000;

export interface EngineFile {
  /** Path relative to the layout's dir. */
  name: string;
  content: string;
}

/** The SphinxQL and agent ports of shard `index` (0-based). */
export function shardPorts(layout: Pick<EngineLayout, 'port' | 'shards'>, index: number): { sphinxql: number; agent: number } {
  return { sphinxql: layout.port + 1 + index, agent: layout.port + layout.shards + 1 + index };
}

/**
 * The agent port → SphinxQL port rule of this layout, which lets a writer find each shard's SphinxQL listener from
 * the distributed table alone (see resolveShards).
 */
export function sphinxqlPortOfAgent(agentPort: number, shardCount: number): number {
  return agentPort - shardCount;
}

/** Config files: stopwords.txt, shard1.conf … shardN.conf, dist.conf. */
export function engineFiles(layout: EngineLayout): EngineFile[] {
  const files: EngineFile[] = [{ name: 'stopwords.txt', content: `${FILLER}\n` }];
  for (let i = 0; i < layout.shards; i++) files.push({ name: shardConfigName(i), content: shardConfig(layout, i) });
  files.push({ name: DIST_CONFIG, content: distConfig(layout) });
  return files;
}

export const DIST_CONFIG = 'dist.conf';

export function shardConfigName(index: number): string {
  return `shard${index + 1}.conf`;
}

/** The real-time table's definition, for a shard config (and for Manticore's plain mode, which reads the same). */
export function rtTableBody(dataPath: string, stopwordsPath: string): string {
  const lines = [
    'type = rt',
    `path = ${dataPath}`,
    ...ENGINE_FIELDS.map((field) => `rt_field = ${field}`),
    ...ENGINE_ATTRIBUTES.string.map((name) => `rt_attr_string = ${name}`),
    ...ENGINE_ATTRIBUTES.json.map((name) => `rt_attr_json = ${name}`),
    ...ENGINE_ATTRIBUTES.bigint.map((name) => `rt_attr_bigint = ${name}`),
    ...ENGINE_ATTRIBUTES.uint.map((name) => `rt_attr_uint = ${name}`),
    ...ENGINE_ATTRIBUTES.multi.map((name) => `rt_attr_multi = ${name}`),
    // zhsearch sends analysed terms separated by spaces: the engine only splits on spaces and keeps CJK inside words.
    `charset_table = ${CHARSET_TABLE}`,
    `stopwords = ${stopwordsPath}`,
    'stopword_step = 1',
    // Keyword dictionary for prefix suggestions.
    'dict = keywords',
    'min_prefix_len = 1',
    'rt_mem_limit = 256M',
  ];
  return lines.map((line) => `  ${line}`).join('\n');
}

function shardConfig(layout: EngineLayout, index: number): string {
  const { sphinxql, agent } = shardPorts(layout, index);
  const name = `shard${index + 1}`;
  const data = path.join(layout.dir, 'data', name);
  return `# zhsearch shard ${index + 1} of ${layout.shards}: searchd --config ${path.join(layout.dir, shardConfigName(index))}
index ${shardTable(layout.table, index)}
{
${rtTableBody(path.join(data, layout.table), path.join(layout.dir, 'stopwords.txt'))}
}

searchd
{
${searchdBody(layout, name, [`${layout.host}:${sphinxql}:mysql41`, `${layout.host}:${agent}`], data)}
}
`;
}

function distConfig(layout: EngineLayout): string {
  const agents = Array.from({ length: layout.shards }, (_, i) => `  agent = ${layout.host}:${shardPorts(layout, i).agent}:${shardTable(layout.table, i)}`);
  return `# zhsearch distributed table over ${layout.shards} shards: searchd --config ${path.join(layout.dir, DIST_CONFIG)}
index ${layout.table}
{
  type = distributed
${agents.join('\n')}
  agent_connect_timeout = ${AGENT_CONNECT_TIMEOUT_MS}
  agent_query_timeout = ${AGENT_QUERY_TIMEOUT_MS}
}

searchd
{
${searchdBody(layout, 'dist', [`${layout.host}:${layout.port}:mysql41`], path.join(layout.dir, 'data', 'dist'))}
}
`;
}

function searchdBody(layout: EngineLayout, name: string, listen: string[], binlogDir: string): string {
  const run = path.join(layout.dir, 'run');
  const lines = [
    ...listen.map((address) => `listen = ${address}`),
    `log = ${path.join(run, `${name}.log`)}`,
    `pid_file = ${path.join(run, `${name}.pid`)}`,
    `binlog_path = ${binlogDir}`,
    'workers = threads',
    // An article's text may be up to 5 MB, and rows are written in batches.
    'max_packet_size = 64M',
    'read_timeout = 10',
    'client_timeout = 60',
  ];
  return lines.map((line) => `  ${line}`).join('\n');
}

/** Directories the config files expect (searchd does not create them). */
export function engineDirectories(layout: EngineLayout): string[] {
  return [
    path.join(layout.dir, 'run'),
    path.join(layout.dir, 'data', 'dist'),
    ...Array.from({ length: layout.shards }, (_, i) => path.join(layout.dir, 'data', `shard${i + 1}`)),
  ];
}

/** The processes to start, in order (shards first, so the distributed table finds them). */
export function engineConfigPaths(layout: EngineLayout): string[] {
  return [...Array.from({ length: layout.shards }, (_, i) => path.join(layout.dir, shardConfigName(i))), path.join(layout.dir, DIST_CONFIG)];
}

/** The URL `--engine` takes for this layout. */
export function engineUrlOf(layout: EngineLayout): string {
  return `sphinxql://${layout.host}:${layout.port}/${layout.table}`;
}
